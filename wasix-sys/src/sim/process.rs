//! `proc_exit`, `proc_id`, `proc_parent` and `sched_yield` (the simulator half of `wasix::process`): what a
//! single-process guest needs of its process.

use super::{mem, state, status};
use crate::{Errno, Exitcode, Pid};

/// Ends the current process with `code`. In a scoped instance this unwinds to [`super::Sim::run_main`]
/// (the host process and the other tests go on); in the default instance the host process exits (unless
/// the default instance is denied: then it panics, see [`super::deny_default_instance`]).
pub(crate) fn exit_process(code: u32) -> ! {
    if state::in_scoped_instance() {
        std::panic::resume_unwind(Box::new(super::Exit(code)))
    }
    refuse_if_denied("proc_exit", code);
    std::process::exit(code as i32)
}

/// Panics instead of ending the host process from outside any instance while the default instance is
/// denied.
pub(crate) fn refuse_if_denied(call: &str, code: u32) {
    if state::default_denied() {
        panic!("{call}({code}) outside any simulator instance while the default instance is denied");
    }
}

pub(crate) unsafe fn proc_exit(rval: Exitcode) -> ! {
    exit_process(rval)
}

pub(crate) unsafe fn proc_id(ret: *mut Pid) -> Errno {
    // SAFETY: out-pointer per the ABI contract.
    status(state::with(|s| unsafe { mem::write(ret, s.pid) }))
}

/// The parent of the calling process itself is 0: an instance built by `Config` (or the default one) has
/// no parent, as a top-level module on Wasmer 7.4.2 is told (measured: pid 1, parent 0). Any other pid is
/// `BADF`, as Wasmer answers (a pid is a process handle there).
pub(crate) unsafe fn proc_parent(pid: Pid, ret: *mut Pid) -> Errno {
    status(state::with(|s| {
        if pid != s.pid {
            return Err(Errno::BADF);
        }
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, 0) }
    }))
}

pub(crate) unsafe fn sched_yield() -> Errno {
    super::signal::at_entry();
    std::thread::yield_now();
    Errno::SUCCESS
}
