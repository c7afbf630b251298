//! `proc_spawn` (the simulator half of `wasix::process::spawn`): a program by name (see
//! [`registry`](super::registry)) started as a child of the calling process.
//!
//! # The call
//! - **`name`** resolves through the instance's programs: unknown is `invalid_wapm`; empty, holding a NUL
//!   or longer than 4096 bytes is `bad_request`.
//! - **`args`**: the child's whole argument list, argv\[0\] first, one per line (`\n`-separated; every line
//!   counts, an empty one is an empty argument); empty `args` gives `[name]`. A NUL in it is `bad_request`.
//! - **`preopen`**: guest names of the caller's preopens, one per line (empty lines skipped), each of which
//!   must be one (`bad_request` otherwise). Without `chroot` the child gets all of the caller's preopens
//!   (the list only checks); with `chroot` only the listed ones (at least one: `bad_request`). A host
//!   executable sees the host's files whatever the list: `chroot` with one is `unsupported`.
//! - **`working_dir`**: the child's current directory, resolved as `chdir` resolves it in the child
//!   (`bad_request` if that fails); empty or `.` keeps the caller's. A host executable starts in the host
//!   directory behind it (through its preopen), or the host process's own for one above every preopen.
//! - **stdio**, per stream: `piped` gives the caller one end of a new pipe in `process_handles` (the
//!   write end for stdin, the read end for stdout and stderr, with a pipe end's rights); `inherit` gives
//!   the child the caller's fd 0, 1 or 2 (the same open file description, as POSIX does; a closed one
//!   gives the child nothing there); `null` a stream that reads end-of-file and discards writes; `log` the
//!   instance's log ([`Config::log`](crate::sim::Config::log); stdin in `log` mode reads end-of-file).
//!   Other values are `bad_request`. The handles' `bid` is the child's pid.
//! - A bad pointer is `memory_access_violation`; the caller's fd table being full `internal_failure`;
//!   a host executable the host refuses to run `access_denied` (permissions) or `compile_error` (not an
//!   executable format); any other host failure `internal_failure`. A failing call leaves nothing behind:
//!   no fd, no child, no host process.
//!
//! # The child
//! A native program runs in a new instance on its own host thread (see `config::child_state`: the caller's
//! environment, clocks, network policy, programs and log; a fresh NIC, signal state and threads), as
//! [`Sim::run_main`] runs a main. When its main ends (return, `proc_exit`, a signal, a panic) every fd of
//! the child is closed, so the caller reading a piped stdout sees end-of-file, and its exit code is
//! recorded for `proc_join` (see [`child`](super::child)). A host executable runs through
//! `std::process::Command` (the host's `posix_spawn`) with the caller's environment; a stream of the
//! caller that has no host fd (in-memory or null stdio, the log in memory) is fed through a host pipe by
//! one host thread per stream.

use super::super::errno::from_io;
use super::super::fdtable::{Entry, FdTable, Kind};
use super::super::state::{next_pid, State};
use super::super::stdio::StdioStream;
use super::super::{config, env, mem, rights, state, Sim};
use super::child;
use super::registry::{Main, Program};
use crate::{Bool, BusError, Errno, Fd, Fdflags, OptionFd, ProcessHandles, Rights, StdioMode};
use std::io::{IoSlice, Read};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;
use std::sync::Arc;

/// The arguments `args` gives (see the module docs): lines, or `[name]` when empty.
pub(crate) fn parse_args(name: &[u8], args: &[u8]) -> Option<Vec<Vec<u8>>> {
    if args.contains(&0) {
        return None;
    }
    if args.is_empty() {
        return Some(vec![name.to_vec()]);
    }
    Some(args.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect())
}

/// The child's end of one standard stream, and the caller's (for `piped`).
pub(crate) struct Stream {
    child: Option<Entry>,
    parent: Option<Entry>,
}

/// The child's stream `fd` for `mode` (see the module docs).
pub(crate) fn stream(s: &State, fd: Fd, mode: StdioMode) -> Result<Stream, BusError> {
    let stdio = |stream: StdioStream| {
        let rights = if fd == 0 { rights::STDIN } else { rights::STDOUT };
        Some(Entry::new(Kind::Stdio(stream), rights, Rights::empty(), Fdflags::empty()))
    };
    Ok(match mode {
        StdioMode::PIPED => {
            let (reader, writer) =
                rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC).map_err(|_| BusError::INTERNAL_FAILURE)?;
            let read = Entry::new(Kind::Pipe(reader), rights::PIPE_READ, rights::PIPE_READ, Fdflags::empty());
            let write = Entry::new(Kind::Pipe(writer), rights::PIPE_WRITE, rights::PIPE_WRITE, Fdflags::empty());
            let (child, parent) = if fd == 0 { (read, write) } else { (write, read) };
            Stream { child: Some(child), parent: Some(parent) }
        }
        StdioMode::INHERIT => Stream { child: s.fds.get(fd).ok().map(|e| e.duplicate()), parent: None },
        StdioMode::NULL => Stream { child: stdio(StdioStream::Null), parent: None },
        StdioMode::LOG if fd == 0 => Stream { child: stdio(StdioStream::Null), parent: None },
        StdioMode::LOG => Stream { child: stdio(s.log.clone()), parent: None },
        _ => return Err(BusError::BAD_REQUEST),
    })
}

/// The caller's preopens the child gets (see the module docs).
pub(crate) fn preopens(s: &State, list: &[u8], chroot: bool) -> Result<Vec<Entry>, BusError> {
    let listed: Vec<&[u8]> = list.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect();
    if list.contains(&0) || (chroot && listed.is_empty()) {
        return Err(BusError::BAD_REQUEST);
    }
    let mine: Vec<(String, Arc<Entry>)> = s
        .fds
        .entries()
        .into_iter()
        .filter_map(|e| match e.kind() {
            Kind::Dir(d) => d.preopen.clone().map(|name| (name, e.clone())),
            _ => None,
        })
        .collect();
    if !listed.iter().all(|l| mine.iter().any(|(name, _)| name.as_bytes() == *l)) {
        return Err(BusError::BAD_REQUEST);
    }
    Ok(mine
        .into_iter()
        .filter(|(name, _)| !chroot || listed.contains(&name.as_bytes()))
        .map(|(_, e)| e.duplicate())
        .collect())
}

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
    let fault = |_| BusError::MEMORY_ACCESS_VIOLATION;
    // SAFETY: the four strings are valid for their lengths per the ABI contract.
    let strings = unsafe {
        (|| {
            Ok::<_, Errno>((
                mem::slice(name, name_len)?,
                mem::slice(args, args_len)?,
                mem::slice(preopen, preopen_len)?,
                mem::slice(working_dir, working_dir_len)?,
            ))
        })()
    };
    let (name, args, preopen, working_dir) = match strings {
        Ok(s) => s,
        Err(e) => return fault(e),
    };
    if ret.is_null() {
        return BusError::MEMORY_ACCESS_VIOLATION;
    }
    let chroot = match chroot {
        Bool::FALSE => false,
        Bool::TRUE => true,
        _ => return BusError::BAD_REQUEST,
    };
    let request = Request { name, args, preopen, chroot, stdio: [stdin, stdout, stderr], working_dir };
    let sim = Sim::current();
    state::with(|_| ()); // Delivers the caller's pending signals first, as every call does.
    match spawn(&sim.state, &request) {
        Ok(handles) => {
            // SAFETY: `ret` is non-null (checked) and valid per the ABI contract.
            match unsafe { mem::write(ret, handles) } {
                Ok(()) => BusError::SUCCESS,
                Err(_) => BusError::MEMORY_ACCESS_VIOLATION,
            }
        }
        Err(e) => e,
    }
}

/// A `proc_spawn` call's arguments, read.
struct Request<'a> {
    name: &'a [u8],
    args: &'a [u8],
    preopen: &'a [u8],
    chroot: bool,
    stdio: [StdioMode; 3],
    working_dir: &'a [u8],
}

fn spawn(s: &State, r: &Request<'_>) -> Result<ProcessHandles, BusError> {
    let program = s.programs.resolve(r.name).map_err(|e| e.bus_error())?;
    let args = parse_args(r.name, r.args).ok_or(BusError::BAD_REQUEST)?;
    let preopens = preopens(s, r.preopen, r.chroot)?;
    let streams = [0, 1, 2].map(|fd| stream(s, fd, r.stdio[fd as usize]));
    let [a, b, c] = streams;
    let mut streams = [a?, b?, c?];
    let pid = next_pid();
    let started = match program {
        Program::Native(main) => start_native(s, pid, main, args, &mut streams, preopens, r.working_dir),
        Program::Host(path) => {
            if r.chroot {
                return Err(BusError::UNSUPPORTED);
            }
            let dir = host_dir(s, r.working_dir)?;
            start_host(s, pid, &path, &args, &mut streams, dir)
        }
    };
    started?;
    // The caller's ends go into its table last, both or none; the child is running by now, so on failure
    // the ends are dropped (the child sees end-of-file or `PIPE`) and its exit is still recorded.
    let mut handles = ProcessHandles { bid: pid, ..Default::default() };
    let mut placed: Vec<Fd> = Vec::new();
    for (i, stream) in streams.iter_mut().enumerate() {
        let fd = match stream.parent.take() {
            None => OptionFd::none(0),
            Some(end) => match s.fds.insert(end) {
                Ok(fd) => {
                    placed.push(fd);
                    OptionFd::some(fd)
                }
                Err(_) => {
                    for fd in placed {
                        drop(s.fds.remove(fd));
                    }
                    return Err(BusError::INTERNAL_FAILURE);
                }
            },
        };
        match i {
            0 => handles.stdin = fd,
            1 => handles.stdout = fd,
            _ => handles.stderr = fd,
        }
    }
    Ok(handles)
}

/// Starts native program `main` as child `pid` of `s`.
fn start_native(
    s: &State,
    pid: u32,
    main: Main,
    args: Vec<Vec<u8>>,
    streams: &mut [Stream; 3],
    preopens: Vec<Entry>,
    working_dir: &[u8],
) -> Result<(), BusError> {
    let fds = child_fds(streams, preopens)?;
    let children = s.children.clone();
    let register = |child: &Arc<State>| s.children.add(pid, child::Kind::Sim(Arc::downgrade(child)));
    start_instance(s, pid, main, args, fds, working_dir, register, move |code| children.ended(pid, code))
        .map(drop)
        .inspect_err(|_| s.children.forget(pid))
}

/// The fd table of a new process: the child's ends of `streams` at 0, 1 and 2 (a null stream where there
/// is none), then `preopens`. (Shared with `bus_open_local`, `sim/bus/local.rs`.)
pub(crate) fn child_fds(streams: &mut [Stream; 3], preopens: Vec<Entry>) -> Result<FdTable, BusError> {
    let fds = FdTable::default();
    for (fd, stream) in (0..).zip(streams.iter_mut()) {
        let entry = stream.child.take().unwrap_or_else(|| {
            let rights = if fd == 0 { rights::STDIN } else { rights::STDOUT };
            Entry::new(Kind::Stdio(StdioStream::Null), rights, Rights::empty(), Fdflags::empty())
        });
        fds.insert(entry).map_err(|_| BusError::INTERNAL_FAILURE)?;
    }
    for entry in preopens {
        fds.insert(entry).map_err(|_| BusError::INTERNAL_FAILURE)?;
    }
    Ok(fds)
}

/// Starts native program `main` as process `pid`, a child instance of `s` (see `config::child_state`) with
/// `args` and `fds`, in `working_dir`, on its own host thread; `register` sees the new instance before it
/// runs, and `ended` gets the exit code once its fds are closed and its bus peers told (`sim/bus`). The
/// one way a native program starts as a process: `proc_spawn` and `bus_open_local` both use it.
pub(crate) fn start_instance(
    s: &State,
    pid: u32,
    main: Main,
    args: Vec<Vec<u8>>,
    fds: FdTable,
    working_dir: &[u8],
    register: impl FnOnce(&Arc<State>),
    ended: impl FnOnce(u32) + Send + 'static,
) -> Result<Arc<State>, BusError> {
    let child = Sim { state: Arc::new(config::child_state(s, pid, args, fds)) };
    child.state.cwd.set(s.cwd.get());
    if !working_dir.is_empty() && working_dir != b"." {
        env::change_dir(&child.state, working_dir).map_err(|_| BusError::BAD_REQUEST)?;
    }
    register(&child.state);
    let state = child.state.clone();
    let started = std::thread::Builder::new().name(format!("wasix process {pid}")).spawn(move || {
        let code = run(&child, main);
        // The process has ended: its fds close (pipes see end-of-file), whatever its threads still hold.
        child.state.fds.close_all();
        super::super::bus::ended(&child.state, code);
        ended(code);
    });
    match started {
        Ok(_) => Ok(state),
        Err(_) => Err(BusError::INTERNAL_FAILURE),
    }
}

/// Runs `main` as the main of process `sim` and gives its exit code (101 for a panic, as a Rust program's).
pub(crate) fn run(sim: &Sim, main: Main) -> u32 {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| sim.run_main(|| main()))) {
        Ok(exit) => exit.0,
        Err(_) => 101,
    }
}

/// The host directory a host executable starts in for guest working directory `dir` (see the module
/// docs): the preopen's host path (through `/proc/self/fd`) joined with the rest.
fn host_dir(s: &State, dir: &[u8]) -> Result<Option<PathBuf>, BusError> {
    let dir = if dir.is_empty() || dir == b"." { s.cwd.get().into_bytes() } else { dir.to_vec() };
    let dir = std::str::from_utf8(&dir).map_err(|_| BusError::BAD_REQUEST)?;
    let target = env::absolute(s, dir);
    let Some((entry, rest)) = env::locate(s, &target) else { return Ok(None) };
    let Kind::Dir(d) = entry.kind() else { return Err(BusError::BAD_REQUEST) };
    use std::os::fd::AsRawFd;
    let base = std::fs::read_link(format!("/proc/self/fd/{}", d.dir.as_fd().as_raw_fd()))
        .map_err(|_| BusError::INTERNAL_FAILURE)?;
    let path = base.join(rest.trim_start_matches('/'));
    if !path.is_dir() {
        return Err(BusError::BAD_REQUEST);
    }
    Ok(Some(path))
}

/// A host `Stdio` for the child's end of one stream: its own host fd (duplicated), or, for a stream with
/// none, a host pipe one host thread copies between it and the stream.
pub(crate) fn host_stdio(entry: Option<&Entry>, fd: Fd) -> Result<std::process::Stdio, BusError> {
    let Some(entry) = entry else { return Ok(std::process::Stdio::null()) };
    if let Some(host) = entry.kind().shared_host_fd() {
        let dup = host.try_clone_to_owned().map_err(|_| BusError::INTERNAL_FAILURE)?;
        return Ok(dup.into());
    }
    let Kind::Stdio(stream) = entry.kind() else { return Ok(std::process::Stdio::null()) };
    if fd == 0 || matches!(stream, StdioStream::Null) {
        // An in-memory stdin is the caller's to read; the child gets end-of-file, as from `null`.
        return Ok(std::process::Stdio::null());
    }
    let (reader, writer) =
        rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC).map_err(|_| BusError::INTERNAL_FAILURE)?;
    let stream = stream.clone();
    std::thread::Builder::new()
        .name("wasix child stream".into())
        .spawn(move || pump(reader, &stream))
        .map_err(|_| BusError::INTERNAL_FAILURE)?;
    Ok(writer.into())
}

/// Copies what a host child writes to `from` into `to` until the child closes it.
fn pump(from: OwnedFd, to: &StdioStream) {
    let mut from = std::fs::File::from(from);
    let mut buf = [0; 8192];
    while let Ok(n @ 1..) = from.read(&mut buf) {
        if to.write(&[IoSlice::new(&buf[..n])]).is_err() {
            break;
        }
    }
}

/// The variable that tells a host child running the simulator its simulated pid and parent
/// (`<pid>:<parent>`); its default instance takes them (and drops the variable from its environment), so
/// `proc_id` and `proc_parent` agree across the two host processes.
pub(crate) const IDS_VAR: &str = "WASIX_SIM_PROCESS";

/// A `Command` for host executable `path` with `args` (argv\[0\] first), the environment of `s` and
/// [`IDS_VAR`] for simulated pid `pid` (child of `s`).
pub(crate) fn host_command(s: &State, pid: u32, path: &std::path::Path, args: &[Vec<u8>]) -> std::process::Command {
    use std::os::unix::process::CommandExt;
    let mut cmd = std::process::Command::new(path);
    if let Some(first) = args.first() {
        cmd.arg0(std::ffi::OsStr::from_bytes(first));
    }
    cmd.args(args.iter().skip(1).map(|a| std::ffi::OsStr::from_bytes(a)));
    cmd.env_clear();
    for kv in &s.env {
        let at = kv.iter().position(|&b| b == b'=').unwrap_or(kv.len());
        cmd.env(std::ffi::OsStr::from_bytes(&kv[..at]), std::ffi::OsStr::from_bytes(kv.get(at + 1..).unwrap_or(&[])));
    }
    cmd.env(IDS_VAR, format!("{pid}:{}", s.pid()));
    cmd
}

/// The `bus_error` of a host spawn failure (see the module docs).
pub(crate) fn spawn_error(e: &std::io::Error) -> BusError {
    match (e.kind(), e.raw_os_error()) {
        (std::io::ErrorKind::NotFound, _) => BusError::INVALID_WAPM,
        (std::io::ErrorKind::PermissionDenied, _) => BusError::ACCESS_DENIED,
        (_, Some(libc::ENOEXEC)) => BusError::COMPILE_ERROR,
        _ => {
            let _ = from_io(e);
            BusError::INTERNAL_FAILURE
        }
    }
}

/// Starts host executable `path` as child `pid` of `s`.
fn start_host(
    s: &State,
    pid: u32,
    path: &std::path::Path,
    args: &[Vec<u8>],
    streams: &mut [Stream; 3],
    dir: Option<PathBuf>,
) -> Result<(), BusError> {
    let mut cmd = host_command(s, pid, path, args);
    if let Some(dir) = dir {
        cmd.current_dir(dir);
    }
    let stdio: Vec<_> = (0..)
        .zip(streams.iter_mut())
        .map(|(fd, st)| host_stdio(st.child.take().as_ref(), fd))
        .collect::<Result<_, _>>()?;
    let [i, o, e]: [std::process::Stdio; 3] = stdio.try_into().map_err(|_| BusError::INTERNAL_FAILURE)?;
    cmd.stdin(i).stdout(o).stderr(e);
    let host = cmd.spawn().map_err(|e| spawn_error(&e))?;
    let host_pid = host.id() as libc::pid_t;
    // `std::process::Child` neither waits nor kills on drop: the child is the table's from here on.
    drop(host);
    let pidfd = child::pidfd(host_pid).map_err(|_| BusError::INTERNAL_FAILURE)?;
    s.children.add(pid, child::Kind::Host(host_pid, pidfd));
    Ok(())
}
