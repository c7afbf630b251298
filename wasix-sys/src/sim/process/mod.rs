//! The simulator half of `wasix::process`: `proc_exit`, `proc_id`, `proc_parent` and `sched_yield` here;
//! starting programs by name (`registry`, `spawn`, `exec`), `proc_fork` (`fork`) and a process's children
//! with `proc_join` (`child`).
//!
//! Process ids are unique in the host process; a process started by `proc_spawn` or `proc_fork` knows
//! its parent. `proc_parent(pid)` answers for the process itself (its parent, 0 for a process nothing in
//! the simulator started, as a top-level module on Wasmer 7.4.2 is told) and for its children (itself);
//! any other pid is `BADF`, as Wasmer answers (a pid is a process handle there).

pub(crate) mod child;
pub(crate) mod exec;
pub(crate) mod fork;
pub(crate) mod handover;
pub(crate) mod registry;
pub(crate) mod spawn;

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
    status(state::with(|s| unsafe { mem::write(ret, s.pid()) }))
}

/// See the module docs.
pub(crate) unsafe fn proc_parent(pid: Pid, ret: *mut Pid) -> Errno {
    status(state::with(|s| {
        let parent = if pid == s.pid() {
            s.parent.load(std::sync::atomic::Ordering::Relaxed)
        } else if s.children.contains(pid) {
            s.pid()
        } else {
            return Err(Errno::BADF);
        };
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, parent) }
    }))
}

pub(crate) unsafe fn sched_yield() -> Errno {
    super::signal::at_entry();
    std::thread::yield_now();
    Errno::SUCCESS
}
