//! Starting programs: [`Command`], std's builder with WASIX's additions ([`Command::preopen`],
//! [`Command::chroot`], [`Stdio::log`]).
//!
//! A program is named as the host names programs: in the simulator a program registered with
//! `wasix::sim::Config::program` (or, where the instance allows it, a host executable); on Wasmer 7.4.2
//! the absolute path of a `.wasm` file in the guest's filesystem (e.g. in a mounted volume) or a command
//! of a package the runtime has.

use super::child::Child;
use super::sys;
use crate::fd::{FromRawFd, IntoRawFd, PipeReader, PipeWriter};
use std::ffi::OsStr;
use std::io;
use std::path::Path;
use wasix_sys::StdioMode;

/// What a child's standard stream is connected to (`stdio_mode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stdio(StdioMode);

impl Stdio {
    /// A new pipe: the parent gets the other end in [`Child::stdin`], [`Child::stdout`] or
    /// [`Child::stderr`].
    pub fn piped() -> Self {
        Stdio(StdioMode::PIPED)
    }

    /// The parent's own stream.
    pub fn inherit() -> Self {
        Stdio(StdioMode::INHERIT)
    }

    /// Nothing: reads see end-of-file, writes are discarded.
    pub fn null() -> Self {
        Stdio(StdioMode::NULL)
    }

    /// The host's log (in the simulator the instance's log, `Sim::log`; stdin reads end-of-file).
    pub fn log() -> Self {
        Stdio(StdioMode::LOG)
    }
}

/// A program to start, std's `Command` with WASIX's additions.
///
/// ```
/// use std::io::Read;
/// use wasix::process::{Command, Stdio};
///
/// let sim = wasix::sim::Config::new()
///     .program("greet", || {
///         let args = wasix::env::args().unwrap();
///         wasix::fd::write(wasix::fd::stdout(), format!("hello, {}\n", args[1]).as_bytes()).unwrap();
///     })
///     .build()
///     .unwrap();
/// sim.run(|| {
///     let mut child = Command::new("greet").arg("world").stdout(Stdio::piped()).spawn().unwrap();
///     let mut out = String::new();
///     child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
///     assert!(child.wait().unwrap().success());
///     assert_eq!(out, "hello, world\n");
/// });
/// ```
#[derive(Clone, Debug)]
pub struct Command {
    program: Vec<u8>,
    args: Vec<Vec<u8>>,
    dir: Vec<u8>,
    stdio: [Option<Stdio>; 3],
    preopens: Vec<Vec<u8>>,
    chroot: bool,
}

fn bytes(s: &OsStr) -> Vec<u8> {
    s.as_encoded_bytes().to_vec()
}

impl Command {
    /// A command for `program` (also its argv\[0\]), with no further arguments, the parent's working
    /// directory and preopens, and the default stdio ([`spawn`](Self::spawn): inherited;
    /// [`output`](Self::output): stdout and stderr piped, stdin null).
    pub fn new(program: impl AsRef<OsStr>) -> Self {
        Command {
            program: bytes(program.as_ref()),
            args: Vec::new(),
            dir: Vec::new(),
            stdio: [None; 3],
            preopens: Vec::new(),
            chroot: false,
        }
    }

    /// Appends an argument.
    pub fn arg(&mut self, arg: impl AsRef<OsStr>) -> &mut Self {
        self.args.push(bytes(arg.as_ref()));
        self
    }

    /// Appends arguments.
    pub fn args<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(&mut self, args: I) -> &mut Self {
        self.args.extend(args.into_iter().map(|a| bytes(a.as_ref())));
        self
    }

    /// The child's working directory (a guest path).
    pub fn current_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.dir = bytes(dir.as_ref().as_os_str());
        self
    }

    /// The child's stdin.
    pub fn stdin(&mut self, cfg: Stdio) -> &mut Self {
        self.stdio[0] = Some(cfg);
        self
    }

    /// The child's stdout.
    pub fn stdout(&mut self, cfg: Stdio) -> &mut Self {
        self.stdio[1] = Some(cfg);
        self
    }

    /// The child's stderr.
    pub fn stderr(&mut self, cfg: Stdio) -> &mut Self {
        self.stdio[2] = Some(cfg);
        self
    }

    /// Names one of the parent's preopens (its guest name) for the child: with [`chroot`](Self::chroot)
    /// the child gets only the named ones, without it the names are checked and the child gets them all.
    pub fn preopen(&mut self, name: impl AsRef<OsStr>) -> &mut Self {
        self.preopens.push(bytes(name.as_ref()));
        self
    }

    /// Confines the child to the preopens named with [`preopen`](Self::preopen).
    pub fn chroot(&mut self, on: bool) -> &mut Self {
        self.chroot = on;
        self
    }

    /// `proc_spawn`—Starts the program as a child; stdio not set is inherited.
    ///
    /// Errors: an argument, preopen name or the program holding a `\n` or NUL is `INVAL` (they cannot be
    /// passed); the host's `bus_error` otherwise (e.g. `invalid_wapm` for an unknown program), as an
    /// error of kind `Other` carrying the [`BusError`](crate::io::BusError).
    ///
    /// # References
    /// - [`wasix_sys::proc_spawn`]
    /// - POSIX `posix_spawn`
    #[doc(alias = "proc_spawn", alias = "posix_spawn")]
    pub fn spawn(&mut self) -> io::Result<Child> {
        self.start(Stdio::inherit(), Stdio::inherit())
    }

    /// Starts the program with stdin null and stdout and stderr piped (unless set), and collects its
    /// output and exit status.
    pub fn output(&mut self) -> io::Result<super::Output> {
        self.start(Stdio::null(), Stdio::piped())?.wait_with_output()
    }

    /// Starts the program (stdio inherited unless set) and waits for it.
    pub fn status(&mut self) -> io::Result<super::ExitStatus> {
        self.spawn()?.wait()
    }

    fn start(&mut self, stdin: Stdio, out: Stdio) -> io::Result<Child> {
        let argv = core::iter::once(self.program.as_slice()).chain(self.args.iter().map(Vec::as_slice));
        let args = sys::lines(argv)?;
        let preopen = sys::lines(self.preopens.iter().map(Vec::as_slice))?;
        if self.program.contains(&0) || self.dir.contains(&0) {
            return Err(crate::io::Errno::INVAL.into());
        }
        let modes = [self.stdio[0].unwrap_or(stdin), self.stdio[1].unwrap_or(out), self.stdio[2].unwrap_or(out)];
        let handles = sys::spawn(&self.program, self.chroot, &args, &preopen, modes.map(|m| m.0), &self.dir)?;
        let [i, o, e] = handles.stdio;
        // SAFETY: each fd is the caller's end of a pipe the host just made for this child.
        unsafe {
            Ok(Child::new(
                handles.pid,
                i.map(|fd| PipeWriter::from_raw_fd(fd.into_raw_fd())),
                o.map(|fd| PipeReader::from_raw_fd(fd.into_raw_fd())),
                e.map(|fd| PipeReader::from_raw_fd(fd.into_raw_fd())),
            ))
        }
    }
}
