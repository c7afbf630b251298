//! Processes on Wasmer 7.4.2: `proc_join`'s three-parameter shape, `proc_spawn` answering with an errno
//! and splitting its lists on `\r` too, and the checks that keep the seed's answers for bad input.
//!
//! Wasmer's `proc_join` of a pid that is no child (the process itself, an unknown pid) waits forever, so
//! the profile keeps the pids of the children it started (`proc_spawn`, `proc_fork`) until they are
//! joined: a join of any other pid, or of any child while there is none, is `CHILD` without calling the
//! host. A forked child's `proc_parent` is 0 on Wasmer: the profile records the parent's pid at the fork
//! and answers with it.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, PoisonError};

use super::signal::signal_from_host;
use wasix_sys::seed::signal::exit_code;
use wasix_sys::{Bool, BusError, Errno, Exitcode, Pid, ProcessHandles, Signal, StdioMode};

/// Wasmer's `option_pid`: tag 0 none (any child), 1 some; the pid at 4.
#[repr(C)]
struct OptionPid {
    tag: u8,
    pid: u32,
}

/// Wasmer's `join_status` (size 6, align 2): tag 0 nothing, 1 exit_normal (code at 2), 2 exit_signal
/// (code at 2, signal at 4), 3 stopped (signal at 2).
#[repr(C)]
#[derive(Default)]
struct JoinStatus {
    tag: u8,
    _pad: u8,
    code: u16,
    signal: u8,
    _pad2: u8,
}

const _: () = assert!(core::mem::size_of::<OptionPid>() == 8 && core::mem::size_of::<JoinStatus>() == 6);

#[cfg_attr(target_pointer_width = "32", link(wasm_import_module = "wasix_32v1"))]
#[cfg_attr(target_pointer_width = "64", link(wasm_import_module = "wasix_64v1"))]
extern "C" {
    /// Wasmer's `proc_join(pid, flags, status) -> errno`.
    #[link_name = "proc_join"]
    fn wasmer_proc_join(pid: *mut OptionPid, flags: u32, status: *mut JoinStatus) -> u16;

    /// Wasmer's `proc_spawn`: the seed's parameters, an errno for the result.
    #[link_name = "proc_spawn"]
    fn wasmer_proc_spawn(
        name: *const u8,
        name_len: usize,
        chroot: Bool,
        args: *const u8,
        args_len: usize,
        preopen: *const u8,
        preopen_len: usize,
        stdin: StdioMode,
        stdout: StdioMode,
        stderr: StdioMode,
        working_dir: *const u8,
        working_dir_len: usize,
        ret: *mut ProcessHandles,
    ) -> u16;
}

/// The children started through the profile and not joined yet.
static CHILDREN: Mutex<Vec<Pid>> = Mutex::new(Vec::new());

fn children() -> std::sync::MutexGuard<'static, Vec<Pid>> {
    CHILDREN.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The parent's pid in a child `proc_fork` made (0: this process was not forked by the profile).
static FORK_PARENT: AtomicU32 = AtomicU32::new(0);

/// `proc_parent`: a forked child's parent is the pid recorded at the fork.
///
/// # Safety
/// As for [`wasix_sys::proc_parent`].
pub(crate) unsafe fn proc_parent(pid: Pid, ret: *mut Pid) -> Errno {
    let parent = FORK_PARENT.load(Ordering::Relaxed);
    if parent != 0 && !ret.is_null() {
        let mut me = 0;
        // SAFETY: a valid out-pointer.
        if unsafe { wasix_sys::proc_id(&mut me) } == Errno::SUCCESS && me == pid {
            // SAFETY: valid for writing per the caller.
            unsafe { ret.write_unaligned(parent) };
            return Errno::SUCCESS;
        }
    }
    // SAFETY: forwarded contract.
    super::errno(unsafe { wasix_sys::proc_parent(pid, ret) })
}

/// `proc_fork`, recording the child in the parent and the parent in the child.
///
/// # Safety
/// As for [`wasix_sys::proc_fork`].
pub(crate) unsafe fn proc_fork(copy_memory: Bool, ret: *mut Pid) -> Errno {
    if ret.is_null() {
        return Errno::FAULT;
    }
    let mut me = 0;
    // SAFETY: a valid out-pointer.
    let known = unsafe { wasix_sys::proc_id(&mut me) } == Errno::SUCCESS;
    // SAFETY: forwarded contract.
    let e = super::errno(unsafe { wasix_sys::proc_fork(copy_memory, ret) });
    if e == Errno::SUCCESS {
        // SAFETY: written by the host on success.
        match unsafe { ret.read_unaligned() } {
            0 => {
                children().clear();
                if known {
                    FORK_PARENT.store(me, Ordering::Relaxed);
                }
            }
            child => children().push(child),
        }
    }
    e
}

/// `proc_join` in the seed's shape: `*pid` `u32::MAX` joins any child; the pid joined is written back.
///
/// # Safety
/// As for [`wasix_sys::proc_join`].
pub(crate) unsafe fn proc_join(pid: *mut Pid, ret: *mut Exitcode) -> Errno {
    if pid.is_null() || ret.is_null() {
        return Errno::FAULT;
    }
    // SAFETY: `pid` is valid for reading per the caller.
    let want = unsafe { pid.read_unaligned() };
    {
        let children = children();
        if (want == u32::MAX && children.is_empty()) || (want != u32::MAX && !children.contains(&want)) {
            return Errno::CHILD;
        }
    }
    let mut which = if want == u32::MAX { OptionPid { tag: 0, pid: 0 } } else { OptionPid { tag: 1, pid: want } };
    let mut status = JoinStatus::default();
    // SAFETY: both records are valid for the host's reads and writes.
    let e = super::errno(Errno::from_raw(unsafe { wasmer_proc_join(&mut which, 0, &mut status) }));
    if e != Errno::SUCCESS {
        return e;
    }
    let code = match status.tag {
        1 => u32::from(status.code),
        2 => exit_code(signal_from_host(Signal::from_raw(status.signal))),
        // Nothing ended (or only stopped): with no child left to wait for, as POSIX says.
        _ => return Errno::CHILD,
    };
    let joined = if which.tag == 1 { which.pid } else { want };
    children().retain(|&c| c != joined);
    // SAFETY: both are valid for writing per the caller.
    unsafe {
        pid.write_unaligned(joined);
        ret.write_unaligned(code);
    }
    Errno::SUCCESS
}

/// Whether a `\n`-separated list holds what Wasmer would change (it splits on `\r` too and drops empty
/// entries).
fn altered_by_wasmer(list: &[u8]) -> bool {
    !list.is_empty() && (list.contains(&b'\r') || list.split(|&b| b == b'\n').any(<[u8]>::is_empty))
}

/// `proc_spawn` with the seed's `bus_error` result: bad names and lists refused as the simulator refuses
/// them (`bad_request`), Wasmer's errno mapped to the nearest `bus_error`.
///
/// # Safety
/// As for [`wasix_sys::proc_spawn`].
pub(crate) unsafe fn proc_spawn(
    name: *const u8,
    name_len: usize,
    chroot: Bool,
    args: *const u8,
    args_len: usize,
    preopen: *const u8,
    preopen_len: usize,
    stdin: StdioMode,
    stdout: StdioMode,
    stderr: StdioMode,
    working_dir: *const u8,
    working_dir_len: usize,
    ret: *mut ProcessHandles,
) -> BusError {
    if name.is_null() || (args.is_null() && args_len > 0) || ret.is_null() {
        return BusError::MEMORY_ACCESS_VIOLATION;
    }
    // SAFETY: valid for their lengths per the caller.
    let (name_bytes, args_bytes) =
        unsafe { (core::slice::from_raw_parts(name, name_len), core::slice::from_raw_parts(args, args_len)) };
    if name_bytes.is_empty() || name_bytes.contains(&0) || args_bytes.contains(&0) || altered_by_wasmer(args_bytes) {
        return BusError::BAD_REQUEST;
    }
    if [stdin, stdout, stderr].iter().any(|m| m.raw() > StdioMode::LOG.raw()) {
        return BusError::BAD_REQUEST;
    }
    // SAFETY: forwarded contract.
    let e = unsafe {
        wasmer_proc_spawn(
            name,
            name_len,
            chroot,
            args,
            args_len,
            preopen,
            preopen_len,
            stdin,
            stdout,
            stderr,
            working_dir,
            working_dir_len,
            ret,
        )
    };
    match super::errno(Errno::from_raw(e)) {
        Errno::SUCCESS => {
            // SAFETY: written by the host on success.
            children().push(unsafe { ret.read_unaligned() }.bid);
            BusError::SUCCESS
        }
        Errno::NOENT => BusError::INVALID_WAPM,
        Errno::NOTSUP => BusError::UNSUPPORTED,
        Errno::ACCES | Errno::PERM => BusError::ACCESS_DENIED,
        Errno::INVAL => BusError::BAD_REQUEST,
        Errno::FAULT => BusError::MEMORY_ACCESS_VIOLATION,
        Errno::NOEXEC => BusError::COMPILE_ERROR,
        _ => BusError::INTERNAL_FAILURE,
    }
}

/// `proc_exec`, ending the process with `INVAL` (as a failed exec does) for arguments Wasmer would change.
///
/// # Safety
/// As for [`wasix_sys::proc_exec`].
pub(crate) unsafe fn proc_exec(name: *const u8, name_len: usize, args: *const u8, args_len: usize) -> ! {
    if !args.is_null() {
        // SAFETY: valid for its length per the caller.
        if altered_by_wasmer(unsafe { core::slice::from_raw_parts(args, args_len) }) {
            // SAFETY: no pointers.
            unsafe { wasix_sys::proc_exit(u32::from(Errno::INVAL.raw())) }
        }
    }
    // SAFETY: forwarded contract.
    unsafe { wasix_sys::proc_exec(name, name_len, args, args_len) }
}
