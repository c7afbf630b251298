//! SIGPIPE, which the host raises in a process that writes to a pipe whose read end is closed. A WASIX
//! write gets `PIPE` there instead, whatever the host process does with the signal: Rust's runtime ignores
//! it, but a C program's `main` (through `wasix-libc-shim`) or libFuzzer's does not, and the signal would
//! end the whole host process, not only the guest's call.

use crate::Errno;
use std::mem::MaybeUninit;

/// Runs `write` (a host write that may hit a broken pipe) with SIGPIPE blocked in this thread, and takes
/// back the SIGPIPE it raised, if any, so none is left pending. A SIGPIPE already pending before stays so.
pub(crate) fn suppressed<T>(write: impl FnOnce() -> Result<T, Errno>) -> Result<T, Errno> {
    let mut pipe = MaybeUninit::<libc::sigset_t>::uninit();
    let mut pending = MaybeUninit::<libc::sigset_t>::uninit();
    let mut old = MaybeUninit::<libc::sigset_t>::uninit();
    // SAFETY: each set is initialised by `sigemptyset`/`sigpending` before it is read; the calls only touch
    // this thread's signal mask and pending set.
    let was_pending = unsafe {
        libc::sigemptyset(pipe.as_mut_ptr());
        libc::sigaddset(pipe.as_mut_ptr(), libc::SIGPIPE);
        libc::sigpending(pending.as_mut_ptr()) == 0 && libc::sigismember(pending.as_ptr(), libc::SIGPIPE) == 1
    };
    // SAFETY: `pipe` is initialised; `old` receives the mask in force.
    let blocked = unsafe { libc::pthread_sigmask(libc::SIG_BLOCK, pipe.as_ptr(), old.as_mut_ptr()) } == 0;
    let result = write();
    if blocked {
        if matches!(result, Err(Errno::PIPE)) && !was_pending {
            let now = libc::timespec { tv_sec: 0, tv_nsec: 0 };
            // SAFETY: `pipe` is initialised; a zero timeout only takes a pending SIGPIPE, never waits.
            unsafe { libc::sigtimedwait(pipe.as_ptr(), std::ptr::null_mut(), &now) };
        }
        // SAFETY: `old` was written by the successful `pthread_sigmask` above.
        unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, old.as_ptr(), std::ptr::null_mut()) };
    }
    result
}
