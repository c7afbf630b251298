//! fds: every call on an fd that is not open is `BADF`, stdio's fdstat and rights, preopens, and owned fds
//! that close once.

use wasix::fd::{self, AsFd, AsRawFd, Rights};
use wasix::io::Errno;
use wasix_conformance::{not_open, with_scratch, NOT_OPEN};

#[test]
fn calls_on_an_fd_that_is_not_open_are_badf() {
    assert_eq!(fd::write(not_open(), b"x"), Err(Errno::BADF));
    assert_eq!(fd::write(not_open(), b""), Err(Errno::BADF));
    assert_eq!(fd::read(not_open(), &mut [0; 4]), Err(Errno::BADF));
    assert_eq!(fd::fdstat(not_open()), Err(Errno::BADF));
    assert_eq!(fd::preopen_name(not_open()), Err(Errno::BADF));
}

#[test]
fn closing_an_fd_that_is_not_open_is_badf() {
    use wasix::fd::FromRawFd;
    // SAFETY: `NOT_OPEN` is open nowhere, so this owns nothing anyone else uses; closing it changes nothing.
    let ghost = unsafe { fd::OwnedFd::from_raw_fd(NOT_OPEN) };
    assert_eq!(fd::close(ghost), Err(Errno::BADF));
}

#[test]
fn stdio_fds_are_0_1_2() {
    assert_eq!([fd::stdin(), fd::stdout(), fd::stderr()].map(|f| f.as_raw_fd()), [0, 1, 2]);
    assert_eq!(fd::Stdout.as_fd().as_raw_fd(), 1);
}

#[test]
fn stdio_has_the_rights_its_direction_needs() {
    assert!(fd::fdstat(fd::stdin()).unwrap().rights_base.contains(Rights::FD_READ));
    assert!(fd::fdstat(fd::stdout()).unwrap().rights_base.contains(Rights::FD_WRITE));
    assert!(fd::fdstat(fd::stderr()).unwrap().rights_base.contains(Rights::FD_WRITE));
}

#[test]
fn stdio_is_not_a_preopen() {
    for stdio in [fd::stdin(), fd::stdout(), fd::stderr()] {
        assert_eq!(fd::preopen_name(stdio), Err(Errno::BADF), "{stdio:?}");
    }
}

/// Needs the host to preopen at least one directory, as `wasmer run --volume .` and the simulator's default
/// instance do.
#[test]
fn preopens_are_directories_with_names() {
    let preopens: Vec<fd::Preopen> = fd::preopens().collect::<Result<_, _>>().unwrap();
    assert!(!preopens.is_empty());
    for (p, expected_fd) in preopens.iter().zip(3..) {
        assert_eq!(p.fd().as_raw_fd(), expected_fd, "preopens are numbered from 3 without gaps");
        assert!(!p.name().is_empty());
        assert_eq!(fd::preopen_name(p).as_deref(), Ok(p.name()));
        assert_eq!(fd::fdstat(p).unwrap().filetype, fd::Filetype::DIRECTORY);
    }
}

#[test]
fn a_dup_is_another_fd_for_the_same_object() {
    let (reader, writer) = fd::pipe().unwrap();
    let dup = fd::dup(&writer).unwrap();
    assert_ne!(dup.as_raw_fd(), writer.as_raw_fd());
    assert_eq!(fd::fdstat(&dup).unwrap(), fd::fdstat(&writer).unwrap());
    fd::write(&dup, b"d").unwrap();
    assert_eq!(fd::read(&reader, &mut [0; 1]), Ok(1));
    assert_eq!(fd::dup(not_open()).map(drop), Err(Errno::BADF));
}

#[test]
fn renumbering_moves_an_fd_onto_another_number() {
    // In a process of its own (natively a scoped instance): that `from` stays free after the renumbering
    // holds only if no other test opens an fd meanwhile.
    with_scratch(|_| {
        let (reader, writer) = fd::pipe().unwrap();
        let (_, other) = fd::pipe().unwrap();
        let mut target = fd::OwnedFd::from(other);
        let (from, to) = (writer.as_raw_fd(), target.as_raw_fd());
        fd::renumber(writer.into(), &mut target).unwrap();
        assert_eq!(target.as_raw_fd(), to);
        assert_eq!(fd::write(&target, b"r"), Ok(1));
        assert_eq!(fd::read(&reader, &mut [0; 1]), Ok(1));
        // SAFETY: `from` was released by the renumbering; it is borrowed only to see that it is closed.
        assert_eq!(fd::fdstat(unsafe { fd::BorrowedFd::borrow_raw(from) }), Err(Errno::BADF));
    });
}

#[test]
fn set_rights_narrows_only() {
    let (reader, _writer) = fd::pipe().unwrap();
    let stat = fd::fdstat(&reader).unwrap();
    fd::set_rights(&reader, stat.rights_base - Rights::FD_READ, stat.rights_inheriting).unwrap();
    assert_eq!(fd::read(&reader, &mut [0; 1]), Err(Errno::NOTCAPABLE));
    assert_eq!(fd::set_rights(&reader, stat.rights_base, stat.rights_inheriting), Err(Errno::NOTCAPABLE));
    assert_eq!(fd::set_rights(not_open(), Rights::empty(), Rights::empty()), Err(Errno::BADF));
    assert_eq!(fd::set_flags(not_open(), fd::Fdflags::empty()), Err(Errno::BADF));
}

#[cfg(not(target_family = "wasm"))]
mod sim {
    use wasix::fd::{self, AsRawFd, FromRawFd, IntoRawFd, OwnedFd};
    use wasix::io::Errno;
    use wasix::sim::Config;

    /// An instance with two preopens, at fds 3 and 4.
    fn two_preopens() -> wasix::sim::Sim {
        let dir = std::env::temp_dir();
        Config::new().preopen(&dir, "/tmp").preopen(&dir, "/data/ünï").build().unwrap()
    }

    /// Takes ownership of a preopen (only for a scoped instance, whose preopens nothing else uses).
    fn own(preopen: &fd::Preopen) -> OwnedFd {
        // SAFETY: inside a scoped instance of its own, the test is the only user of its preopens.
        unsafe { OwnedFd::from_raw_fd(preopen.fd().as_raw_fd()) }
    }

    #[test]
    fn preopens_are_listed_in_order_with_their_names() {
        two_preopens().run(|| {
            let names: Vec<String> = fd::preopens().map(|p| p.unwrap().name().to_owned()).collect();
            assert_eq!(names, ["/tmp", "/data/ünï"]);
        });
    }

    #[test]
    fn an_instance_without_preopens_lists_none() {
        Config::new().build().unwrap().run(|| assert_eq!(fd::preopens().count(), 0));
    }

    #[test]
    fn closing_twice_is_badf() {
        two_preopens().run(|| {
            let first = fd::preopens().next().unwrap().unwrap();
            let raw = first.fd().as_raw_fd();
            assert_eq!(fd::close(own(&first)), Ok(()));
            assert_eq!(fd::fdstat(first.fd()), Err(Errno::BADF));
            // SAFETY: `raw` is closed; closing it again affects nothing.
            assert_eq!(fd::close(unsafe { OwnedFd::from_raw_fd(raw) }), Err(Errno::BADF));
        });
    }

    #[test]
    fn dropping_an_owned_fd_closes_it() {
        two_preopens().run(|| {
            let second = fd::preopens().nth(1).unwrap().unwrap();
            drop(own(&second));
            assert_eq!(fd::preopen_name(second.fd()), Err(Errno::BADF));
            // The walk stops at the first fd that is not a preopen.
            assert_eq!(fd::preopens().count(), 1);
        });
    }

    #[test]
    fn into_raw_fd_keeps_the_fd_open() {
        two_preopens().run(|| {
            let first = fd::preopens().next().unwrap().unwrap();
            let raw = own(&first).into_raw_fd();
            assert_eq!(fd::preopen_name(first.fd()).as_deref(), Ok("/tmp"));
            assert_eq!(raw, 3);
        });
    }

    #[test]
    fn stdio_is_a_character_device_with_no_inheritable_rights() {
        Config::new().build().unwrap().run(|| {
            let stat = fd::fdstat(fd::stdout()).unwrap();
            assert_eq!(stat.filetype, fd::Filetype::CHARACTER_DEVICE);
            assert!(stat.rights_inheriting.is_empty());
        });
    }
}
