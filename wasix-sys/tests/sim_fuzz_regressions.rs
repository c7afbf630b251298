//! Regression tests for what `wasix-sys/fuzz` found: each is one minimised crashing input, replayed with raw
//! calls in a scoped instance, named for the rule it broke.

#![cfg(not(target_family = "wasm"))] // The simulator exists only natively.

mod common;

use common::{sandbox, ROOT};
use std::ptr::null_mut;
use wasix_sys::*;

/// fuzz `fd_io`, `fd_pipe(valid, null)`: the read end's number was written before the write end's
/// out-pointer was found null, although the call failed (and closed both ends). `args_sizes_get` and
/// `environ_sizes_get` wrote their first result the same way.
#[test]
fn a_call_with_two_results_writes_neither_when_one_pointer_is_null() {
    let (_dir, sim) = sandbox();
    sim.run(|| {
        let untouched = 0xa5a5_a5a5;
        let mut first = untouched;
        // SAFETY: one valid out-pointer and one null.
        assert_eq!(unsafe { fd_pipe(&mut first, null_mut()) }, Errno::FAULT);
        assert_eq!(first, untouched, "fd_pipe wrote the read end on failure");
        // SAFETY: as above.
        assert_eq!(unsafe { args_sizes_get(&mut first, null_mut()) }, Errno::FAULT);
        assert_eq!(first, untouched, "args_sizes_get wrote the count on failure");
        // SAFETY: as above.
        assert_eq!(unsafe { environ_sizes_get(&mut first, null_mut()) }, Errno::FAULT);
        assert_eq!(first, untouched, "environ_sizes_get wrote the count on failure");
        // The failed call's pipe is gone: the next fds are the lowest again.
        let (r, w) = common::pipe();
        assert_eq!((r, w), (ROOT + 1, ROOT + 2));
    });
}

/// fuzz `paths`, `getcwd(null, &5)`: the call failed with `FAULT` (a null buffer said to hold 5 bytes) but
/// had already written the path's length over the guest's 5. Only `OVERFLOW` reports the length needed.
#[test]
fn getcwd_writes_the_length_only_on_success_or_overflow() {
    let (_dir, sim) = sandbox();
    sim.run(|| {
        let mut len = 5;
        // SAFETY: a null buffer (refused) and a valid in-out length.
        assert_eq!(unsafe { getcwd(null_mut(), &mut len) }, Errno::FAULT);
        assert_eq!(len, 5, "getcwd changed the length on FAULT");
        // A null buffer with no room is the size query: `OVERFLOW` and the length needed.
        let mut len = 0;
        // SAFETY: a null buffer of length 0 is a valid empty buffer.
        assert_eq!(unsafe { getcwd(null_mut(), &mut len) }, Errno::OVERFLOW);
        assert_eq!(len, 1);
    });
}

/// fuzz `fd_io`, `fd_close(<pipe's read end>); fd_write(<write end>, [1 byte])` (43 bytes minimised; the
/// first run died without a report, as libFuzzer's C++ `main` does not ignore SIGPIPE): the write raised
/// SIGPIPE in the host process and ended it, where the guest must get `PIPE`. Rust's runtime ignores
/// SIGPIPE, so this test restores the default a C `main` has.
#[test]
fn a_write_to_a_pipe_without_a_reader_is_epipe_whatever_the_host_does_with_sigpipe() {
    // SAFETY: sets a disposition, no handler; no other test of this binary writes to a broken pipe.
    let old = unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    let (_dir, sim) = sandbox();
    let got = sim.run(|| {
        let (r, w) = common::pipe();
        common::close(r).unwrap();
        common::write(w, b"x")
    });
    // SAFETY: restores the disposition saved above.
    unsafe { libc::signal(libc::SIGPIPE, old) };
    assert_eq!(got, Err(Errno::PIPE));
}
