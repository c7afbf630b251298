//! `proc_exec` (the simulator half of `wasix::process::exec`): the calling process runs another program
//! by name (see [`registry`](super::registry)) in its place.
//!
//! - A **native program** replaces the running one in the same instance: the fd table (every fd stays
//!   open, as POSIX `execve` keeps fds without close-on-exec, which WASIX does not have), the pid, the
//!   parent, the children, the environment and the current directory stay; the arguments become the
//!   call's (`\n`-separated, argv\[0\] first, empty gives `[name]`, as for `proc_spawn`), and the
//!   `callback_*` names return to their defaults (POSIX resets caught signals on exec). The old program's
//!   main thread unwinds (its destructors run, but `fd_close` closes nothing meanwhile, so fds an owned
//!   value held stay open as POSIX keeps them) to where the process started ([`Sim::run_main`](crate::sim::Sim::run_main), or
//!   a `proc_spawn` child's start), which then runs the new `main`; threads the old program spawned are
//!   not stopped, and end at their own pace. Served on the main thread of a scoped instance; from a
//!   spawned thread the process ends as for a failed exec with `NOTSUP`.
//! - A **host executable** replaces the whole host process in the default instance (the host's
//!   `execvp`); a new program that runs the simulator gets the fd table (see
//!   [`handover`](super::handover)), any other program the host fds behind it. In a scoped instance, which is not the
//!   whole host process, it runs as a host child with the instance's stdio, and the simulated process
//!   then ends with its exit code, which is what its parent observes of an exec.
//! - A **failed exec** never returns (the seed's `noreturn`): the process ends with the errno as its exit
//!   code (`NOENT` for an unknown name, `INVAL` for an empty one or one holding a NUL or arguments holding
//!   one, `NAMETOOLONG`, `FAULT` for a bad pointer), which is what Wasmer 7.4.2 does.

use super::super::state::{self, in_scoped_instance, Exec};
use super::super::thread::spawn::{current_tid, MAIN_TID};
use super::super::{mem, Sim};
use super::registry::Program;
use super::spawn::{host_command, host_stdio, parse_args};
use crate::Errno;

pub(crate) unsafe fn proc_exec(name: *const u8, name_len: usize, args: *const u8, args_len: usize) -> ! {
    // SAFETY: the strings are valid for their lengths per the ABI contract.
    let errno = match unsafe { exec(name, name_len, args, args_len) } {
        Ok(code) => super::exit_process(code),
        Err(e) => e,
    };
    super::exit_process(u32::from(errno.raw()))
}

/// Runs the new program; returns the exit code of a host child run in a scoped instance's place.
///
/// # Safety
/// As for `proc_exec`.
unsafe fn exec(name: *const u8, name_len: usize, args: *const u8, args_len: usize) -> Result<u32, Errno> {
    // SAFETY: forwarded contract.
    let (name, args) = unsafe { (mem::slice(name, name_len)?, mem::slice(args, args_len)?) };
    let sim = Sim::current();
    state::with(|_| ()); // Delivers pending signals first, as every call does.
    let s = &sim.state;
    let program = s.programs.resolve(name).map_err(|e| e.errno())?;
    let args = parse_args(name, args).ok_or(Errno::INVAL)?;
    match program {
        Program::Native(main) => {
            if !in_scoped_instance() || current_tid(s) != MAIN_TID {
                return Err(Errno::NOTSUP);
            }
            state::unwind_for_exec(Exec { main, args })
        }
        Program::Host(path) => {
            // The program takes this process's place: its pid and parent.
            let mut cmd = host_command(s, s.pid(), &path, &args);
            cmd.env(
                super::spawn::IDS_VAR,
                format!("{}:{}", s.pid(), s.parent.load(std::sync::atomic::Ordering::Relaxed)),
            );
            if !in_scoped_instance() {
                use std::os::unix::process::CommandExt;
                cmd.env(super::handover::FDS_VAR, super::handover::encode(s));
                let e = cmd.exec();
                return Err(super::super::errno::from_io(&e));
            }
            for fd in 0..3 {
                let entry = s.fds.get(fd).ok();
                let stdio = host_stdio(entry.as_deref(), fd).map_err(|_| Errno::IO)?;
                match fd {
                    0 => cmd.stdin(stdio),
                    1 => cmd.stdout(stdio),
                    _ => cmd.stderr(stdio),
                };
            }
            let status = cmd.status().map_err(|e| super::super::errno::from_io(&e))?;
            use std::os::unix::process::ExitStatusExt;
            Ok(match (status.code(), status.signal()) {
                (Some(code), _) => code as u32,
                (None, Some(sig)) => crate::seed::signal::exit_code(crate::seed::signal::from_linux(sig as u32)),
                _ => 255,
            })
        }
    }
}
