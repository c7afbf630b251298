//! The one mapping from host errors to WASIX errno values (DESIGN §5): [`from_host`] for the host's errno,
//! [`from_io`] for the `std::io::Error`s that `cap-std` returns (which carry either a host errno or, for a
//! path that would leave its directory, no errno at all).

use crate::Errno;
use rustix::io::Errno as Host;

/// Maps a host errno to the WASIX errno with the same meaning; one the interface has no name for becomes
/// `IO`. Cold: it runs only when a host call failed, and so its table search stays out of the hot paths
/// inlined into their callers (`sim/fd/ops.rs`).
#[cold]
pub(crate) fn from_host(e: Host) -> Errno {
    const TABLE: &[(Host, Errno)] = &[
        (Host::TOOBIG, Errno::_2BIG),
        (Host::ACCESS, Errno::ACCES),
        (Host::ADDRINUSE, Errno::ADDRINUSE),
        (Host::ADDRNOTAVAIL, Errno::ADDRNOTAVAIL),
        (Host::AFNOSUPPORT, Errno::AFNOSUPPORT),
        (Host::AGAIN, Errno::AGAIN),
        (Host::ALREADY, Errno::ALREADY),
        (Host::BADF, Errno::BADF),
        (Host::BADMSG, Errno::BADMSG),
        (Host::BUSY, Errno::BUSY),
        (Host::CANCELED, Errno::CANCELED),
        (Host::CHILD, Errno::CHILD),
        (Host::CONNABORTED, Errno::CONNABORTED),
        (Host::CONNREFUSED, Errno::CONNREFUSED),
        (Host::CONNRESET, Errno::CONNRESET),
        (Host::DEADLK, Errno::DEADLK),
        (Host::DESTADDRREQ, Errno::DESTADDRREQ),
        (Host::DOM, Errno::DOM),
        (Host::DQUOT, Errno::DQUOT),
        (Host::EXIST, Errno::EXIST),
        (Host::FAULT, Errno::FAULT),
        (Host::FBIG, Errno::FBIG),
        (Host::HOSTUNREACH, Errno::HOSTUNREACH),
        (Host::IDRM, Errno::IDRM),
        (Host::ILSEQ, Errno::ILSEQ),
        (Host::INPROGRESS, Errno::INPROGRESS),
        (Host::INTR, Errno::INTR),
        (Host::INVAL, Errno::INVAL),
        (Host::IO, Errno::IO),
        (Host::ISCONN, Errno::ISCONN),
        (Host::ISDIR, Errno::ISDIR),
        (Host::LOOP, Errno::LOOP),
        (Host::MFILE, Errno::MFILE),
        (Host::MLINK, Errno::MLINK),
        (Host::MSGSIZE, Errno::MSGSIZE),
        (Host::MULTIHOP, Errno::MULTIHOP),
        (Host::NAMETOOLONG, Errno::NAMETOOLONG),
        (Host::NETDOWN, Errno::NETDOWN),
        (Host::NETRESET, Errno::NETRESET),
        (Host::NETUNREACH, Errno::NETUNREACH),
        (Host::NFILE, Errno::NFILE),
        (Host::NOBUFS, Errno::NOBUFS),
        (Host::NODEV, Errno::NODEV),
        (Host::NOENT, Errno::NOENT),
        (Host::NOEXEC, Errno::NOEXEC),
        (Host::NOLCK, Errno::NOLCK),
        (Host::NOLINK, Errno::NOLINK),
        (Host::NOMEM, Errno::NOMEM),
        (Host::NOMSG, Errno::NOMSG),
        (Host::NOPROTOOPT, Errno::NOPROTOOPT),
        (Host::NOSPC, Errno::NOSPC),
        (Host::NOSYS, Errno::NOSYS),
        (Host::NOTCONN, Errno::NOTCONN),
        (Host::NOTDIR, Errno::NOTDIR),
        (Host::NOTEMPTY, Errno::NOTEMPTY),
        (Host::NOTRECOVERABLE, Errno::NOTRECOVERABLE),
        (Host::NOTSOCK, Errno::NOTSOCK),
        (Host::NOTSUP, Errno::NOTSUP),
        (Host::OPNOTSUPP, Errno::NOTSUP),
        (Host::NOTTY, Errno::NOTTY),
        (Host::NXIO, Errno::NXIO),
        (Host::OVERFLOW, Errno::OVERFLOW),
        (Host::OWNERDEAD, Errno::OWNERDEAD),
        (Host::PERM, Errno::PERM),
        (Host::PIPE, Errno::PIPE),
        (Host::PROTO, Errno::PROTO),
        (Host::PROTONOSUPPORT, Errno::PROTONOSUPPORT),
        (Host::PROTOTYPE, Errno::PROTOTYPE),
        (Host::RANGE, Errno::RANGE),
        (Host::ROFS, Errno::ROFS),
        (Host::SPIPE, Errno::SPIPE),
        (Host::SRCH, Errno::SRCH),
        (Host::STALE, Errno::STALE),
        (Host::TIMEDOUT, Errno::TIMEDOUT),
        (Host::TXTBSY, Errno::TXTBSY),
        (Host::XDEV, Errno::XDEV),
        (Host::SHUTDOWN, Errno::SHUTDOWN),
    ];
    TABLE.iter().find(|(h, _)| *h == e).map_or(Errno::IO, |(_, w)| *w)
}

/// Maps an I/O error: its host errno if it has one, else its kind. `cap-std` reports a path that would
/// leave its directory (`..` past the root, an absolute path or symlink) as `PermissionDenied` without an
/// errno: that is `NOTCAPABLE`, the capability the guest lacks.
pub(crate) fn from_io(e: &std::io::Error) -> Errno {
    use std::io::ErrorKind as K;
    if let Some(raw) = e.raw_os_error() {
        return from_host(Host::from_raw_os_error(raw));
    }
    match e.kind() {
        K::PermissionDenied => Errno::NOTCAPABLE,
        K::NotFound => Errno::NOENT,
        K::AlreadyExists => Errno::EXIST,
        K::InvalidInput => Errno::INVAL,
        K::WouldBlock => Errno::AGAIN,
        K::Interrupted => Errno::INTR,
        K::OutOfMemory => Errno::NOMEM,
        K::Unsupported => Errno::NOTSUP,
        _ => Errno::IO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_host_errno_maps_to_its_namesake() {
        assert_eq!(from_host(Host::NOENT), Errno::NOENT);
        assert_eq!(from_host(Host::TOOBIG), Errno::_2BIG);
        assert_eq!(from_host(Host::OPNOTSUPP), Errno::NOTSUP);
        // Every mapped WASIX errno is a distinct, named value.
        for raw in 1..200 {
            let w = from_host(Host::from_raw_os_error(raw));
            assert!(w.name().is_some(), "host errno {raw} mapped to unnamed {w:?}");
        }
    }

    #[test]
    fn io_errors_map_by_errno_then_kind() {
        use std::io::{Error, ErrorKind};
        assert_eq!(from_io(&Error::from_raw_os_error(Host::LOOP.raw_os_error())), Errno::LOOP);
        assert_eq!(from_io(&Error::new(ErrorKind::PermissionDenied, "escape")), Errno::NOTCAPABLE);
        assert_eq!(from_io(&Error::new(ErrorKind::NotFound, "gone")), Errno::NOENT);
        assert_eq!(from_io(&Error::other("odd")), Errno::IO);
    }

    #[test]
    fn unknown_host_errors_become_io() {
        assert_eq!(from_host(Host::from_raw_os_error(4095)), Errno::IO);
    }
}
