//! Errors: `Errno`'s names, messages and `Display`, values no one has named, and the conversion into
//! `std::io::Error`, which must give the same kinds natively as std gives on wasm.

use std::io::ErrorKind;
use wasix::io::{BusError, Errno};

/// The highest errno the interface names.
const LAST_NAMED: u16 = Errno::SHUTDOWN.raw();

#[test]
fn named_errnos_have_a_name_and_display_it() {
    assert_eq!(Errno::BADF.name(), Some("badf"));
    assert_eq!(Errno::_2BIG.name(), Some("2big"));
    assert_eq!(Errno::NOTCAPABLE.name(), Some("notcapable"));
    for raw in 0..=LAST_NAMED {
        let errno = Errno::from_raw(raw);
        let name = errno.name().unwrap_or_else(|| panic!("errno {raw} has no name"));
        assert!(errno.to_string().contains(name), "{errno} does not mention {name}");
    }
}

#[test]
fn messages_come_from_the_interface_docs() {
    assert_eq!(Errno::NOENT.message(), Some("No such file or directory."));
    assert!(Errno::NOENT.to_string().starts_with("No such file or directory"));
}

#[test]
fn unknown_values_are_kept_and_never_panic() {
    for raw in [LAST_NAMED + 1, 78, 79, 1000, u16::MAX] {
        let errno = Errno::from_raw(raw);
        assert_eq!(errno.raw(), raw);
        assert_eq!(errno.name(), None);
        assert_eq!(errno.to_string(), format!("unknown errno {raw}"));
        assert_eq!(format!("{errno:?}"), format!("Errno({raw})"));
        assert_eq!(Errno::from_io_error(&std::io::Error::from(errno)), Some(errno));
    }
    let bus = BusError::from_raw(4242);
    assert_eq!((bus.name(), bus.to_string()), (None, "unknown bus_error 4242".to_owned()));
}

#[test]
fn every_errno_converts_to_an_io_error_and_back() {
    for raw in 0..=u16::MAX {
        let errno = Errno::from_raw(raw);
        assert_eq!(Errno::from_io_error(&std::io::Error::from(errno)), Some(errno));
    }
}

#[test]
fn io_error_kinds_match_std_on_wasm() {
    let kinds = [
        (Errno::_2BIG, ErrorKind::ArgumentListTooLong),
        (Errno::ACCES, ErrorKind::PermissionDenied),
        (Errno::PERM, ErrorKind::PermissionDenied),
        (Errno::ADDRINUSE, ErrorKind::AddrInUse),
        (Errno::ADDRNOTAVAIL, ErrorKind::AddrNotAvailable),
        (Errno::AGAIN, ErrorKind::WouldBlock),
        (Errno::BUSY, ErrorKind::ResourceBusy),
        (Errno::CONNABORTED, ErrorKind::ConnectionAborted),
        (Errno::CONNREFUSED, ErrorKind::ConnectionRefused),
        (Errno::CONNRESET, ErrorKind::ConnectionReset),
        (Errno::DEADLK, ErrorKind::Deadlock),
        (Errno::DQUOT, ErrorKind::QuotaExceeded),
        (Errno::EXIST, ErrorKind::AlreadyExists),
        (Errno::FBIG, ErrorKind::FileTooLarge),
        (Errno::HOSTUNREACH, ErrorKind::HostUnreachable),
        (Errno::INTR, ErrorKind::Interrupted),
        (Errno::INVAL, ErrorKind::InvalidInput),
        (Errno::ISDIR, ErrorKind::IsADirectory),
        (Errno::MLINK, ErrorKind::TooManyLinks),
        (Errno::NETDOWN, ErrorKind::NetworkDown),
        (Errno::NETUNREACH, ErrorKind::NetworkUnreachable),
        (Errno::NOENT, ErrorKind::NotFound),
        (Errno::NOMEM, ErrorKind::OutOfMemory),
        (Errno::NOSPC, ErrorKind::StorageFull),
        (Errno::NOSYS, ErrorKind::Unsupported),
        (Errno::NOTSUP, ErrorKind::Unsupported),
        (Errno::NOTCONN, ErrorKind::NotConnected),
        (Errno::NOTDIR, ErrorKind::NotADirectory),
        (Errno::PIPE, ErrorKind::BrokenPipe),
        (Errno::ROFS, ErrorKind::ReadOnlyFilesystem),
        (Errno::SPIPE, ErrorKind::NotSeekable),
        (Errno::STALE, ErrorKind::StaleNetworkFileHandle),
        (Errno::TIMEDOUT, ErrorKind::TimedOut),
        (Errno::TXTBSY, ErrorKind::ExecutableFileBusy),
        (Errno::XDEV, ErrorKind::CrossesDevices),
    ];
    for (errno, kind) in kinds {
        assert_eq!(std::io::Error::from(errno).kind(), kind, "{errno:?}");
    }
}

#[test]
fn io_errors_carry_the_errno_text() {
    let err = std::io::Error::from(Errno::NOENT);
    assert!(err.to_string().to_lowercase().contains("no such file or directory"), "{err}");
}

#[test]
fn errors_from_elsewhere_have_no_errno() {
    #[cfg(not(target_family = "wasm"))]
    assert_eq!(Errno::from_io_error(&std::io::Error::from_raw_os_error(2)), None);
    assert_eq!(Errno::from_io_error(&std::io::Error::other("not an errno")), None);
}

/// A pointer the host cannot write is `FAULT` (Wasmer's own errno for it, 78, is translated).
#[test]
fn host_errnos_outside_the_seed_are_mapped() {
    // Natively a null pointer is the one the simulator can detect; on wasm address 0 is valid memory and an
    // address past the end of linear memory is the unwritable one.
    #[cfg(not(target_family = "wasm"))]
    let unwritable: *mut u64 = std::ptr::null_mut();
    #[cfg(target_family = "wasm")]
    let unwritable: *mut u64 = std::ptr::without_provenance_mut(usize::MAX - 15);
    // SAFETY: the host checks the pointer; the call writes nothing it cannot.
    let errno = unsafe { wasix_sys::clock_time_get(wasix_sys::Clockid::MONOTONIC, 1, unwritable) };
    assert_eq!(wasix::io::result(errno), Err(Errno::FAULT));
}
