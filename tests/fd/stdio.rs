//! The standard streams: the raw calls and the `std::io` handles, on whatever stdio the process has, and
//! with exact contents in instances whose stdio is in memory.

use std::io::{IoSlice, Write};
use wasix::fd::{self, Stderr, Stdout};

#[test]
fn empty_writes_write_nothing() {
    // Writing nothing is the one write that leaves no trace on a real stdout.
    assert_eq!(fd::write(fd::stdout(), b""), Ok(0));
    assert_eq!(fd::write(fd::stderr(), b""), Ok(0));
    assert_eq!(fd::write_vectored(fd::stdout(), &[]), Ok(0));
    assert_eq!(fd::write_vectored(fd::stdout(), &[IoSlice::new(b""), IoSlice::new(b"")]), Ok(0));
    assert_eq!(Stdout.write(b"").unwrap(), 0);
    Stdout.flush().unwrap();
    Stderr.flush().unwrap();
}

#[cfg(not(target_family = "wasm"))]
mod sim {
    use std::io::{IoSlice, IoSliceMut, Read, Write};
    use wasix::fd::{self, Stderr, Stdin, Stdout};
    use wasix::sim::{Config, Stdio};

    #[test]
    fn writes_reach_their_own_stream() {
        let sim = Config::new().stdout(Stdio::capture()).stderr(Stdio::capture()).build().unwrap();
        sim.run(|| {
            assert_eq!(fd::write(fd::stdout(), b"out "), Ok(4));
            assert_eq!(fd::write(fd::stderr(), b"err "), Ok(4));
            writeln!(Stdout, "{}", 1 + 1).unwrap();
            write!(Stderr, "{}", 6 * 7).unwrap();
        });
        assert_eq!(sim.stdout(), b"out 2\n");
        assert_eq!(sim.stderr(), b"err 42");
    }

    #[test]
    fn vectored_writes_gather_in_order() {
        let sim = Config::new().stdout(Stdio::capture()).build().unwrap();
        sim.run(|| {
            let bufs = [IoSlice::new(b"ab"), IoSlice::new(b""), IoSlice::new(b"cde")];
            assert_eq!(fd::write_vectored(fd::stdout(), &bufs), Ok(5));
            assert_eq!(Stdout.write_vectored(&bufs).unwrap(), 5);
        });
        assert_eq!(sim.stdout(), b"abcdeabcde");
    }

    #[test]
    fn reads_take_stdin_in_order_then_see_its_end() {
        let sim = Config::new().stdin(Stdio::bytes("hello, world")).build().unwrap();
        sim.run(|| {
            let mut buf = [0; 5];
            assert_eq!(fd::read(fd::stdin(), &mut buf), Ok(5));
            assert_eq!(&buf, b"hello");
            let (mut a, mut b) = ([0; 2], [0; 3]);
            let n = fd::read_vectored(fd::stdin(), &mut [IoSliceMut::new(&mut a), IoSliceMut::new(&mut b)]);
            assert_eq!((n, &a, &b), (Ok(5), b", ", b"wor"));
            let mut rest = String::new();
            Stdin.read_to_string(&mut rest).unwrap();
            assert_eq!(rest, "ld");
            assert_eq!(fd::read(fd::stdin(), &mut buf), Ok(0));
        });
    }

    #[test]
    fn a_null_stdin_is_at_its_end_and_a_null_stdout_takes_everything() {
        let sim = Config::new().stdin(Stdio::Null).stdout(Stdio::Null).build().unwrap();
        sim.run(|| {
            assert_eq!(fd::read(fd::stdin(), &mut [0; 8]), Ok(0));
            assert_eq!(fd::write(fd::stdout(), b"gone"), Ok(4));
        });
        assert_eq!(sim.stdout(), b"");
    }

    #[test]
    fn streams_are_one_way() {
        let sim = Config::new().stdin(Stdio::bytes("x")).build().unwrap();
        sim.run(|| {
            assert_eq!(fd::write(fd::stdin(), b"x"), Err(wasix::io::Errno::NOTCAPABLE));
            assert_eq!(fd::read(fd::stdout(), &mut [0; 1]), Err(wasix::io::Errno::NOTCAPABLE));
        });
    }

    #[test]
    fn errors_reach_std_io_callers_with_their_errno() {
        let sim = Config::new().build().unwrap();
        sim.run(|| {
            wasix::fd::close(take_stdout()).unwrap();
            let err = Stdout.write(b"x").unwrap_err();
            assert_eq!(wasix::io::Errno::from_io_error(&err), Some(wasix::io::Errno::BADF));
        });
    }

    /// Takes ownership of fd 1 (only for a scoped instance, whose stdout nothing else uses).
    fn take_stdout() -> wasix::fd::OwnedFd {
        use wasix::fd::FromRawFd;
        // SAFETY: inside a scoped instance of its own, the test is the only user of its fd 1.
        unsafe { wasix::fd::OwnedFd::from_raw_fd(1) }
    }
}
