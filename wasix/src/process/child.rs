//! A started process: [`Child`], its [`ExitStatus`] and [`Output`], and joining children by pid
//! ([`join`], [`join_any`]).

use super::sys;
use crate::fd::{AsFd, PipeReader, PipeWriter};
use crate::io::{retry_on_intr, Result};
use std::io::{self, Read};

/// How a process ended: its exit code (a process a signal terminated has 128 + the signal's number).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ExitStatus(u32);

impl ExitStatus {
    /// The exit code.
    pub fn code(&self) -> u32 {
        self.0
    }

    /// Whether the code is 0.
    pub fn success(&self) -> bool {
        self.0 == 0
    }
}

impl core::fmt::Display for ExitStatus {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "exit code: {}", self.0)
    }
}

/// What [`Child::wait_with_output`] collected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// How the process ended.
    pub status: ExitStatus,
    /// Everything it wrote to a piped stdout.
    pub stdout: Vec<u8>,
    /// Everything it wrote to a piped stderr.
    pub stderr: Vec<u8>,
}

/// A child process (from [`Command::spawn`](super::Command::spawn)); dropping it neither waits for nor
/// kills the process.
#[derive(Debug)]
pub struct Child {
    pid: u32,
    status: Option<ExitStatus>,
    /// The writing end of a piped stdin.
    pub stdin: Option<PipeWriter>,
    /// The reading end of a piped stdout.
    pub stdout: Option<PipeReader>,
    /// The reading end of a piped stderr.
    pub stderr: Option<PipeReader>,
}

impl Child {
    pub(super) fn new(
        pid: u32,
        stdin: Option<PipeWriter>,
        stdout: Option<PipeReader>,
        stderr: Option<PipeReader>,
    ) -> Self {
        Child { pid, status: None, stdin, stdout, stderr }
    }

    /// The child's process id.
    pub fn id(&self) -> u32 {
        self.pid
    }

    /// `proc_join`—Closes a piped stdin (so a child reading it sees end-of-file) and waits for the child
    /// to end; later calls return the same status.
    #[doc(alias = "proc_join", alias = "waitpid")]
    pub fn wait(&mut self) -> io::Result<ExitStatus> {
        drop(self.stdin.take());
        if let Some(status) = self.status {
            return Ok(status);
        }
        let status = join(self.pid)?;
        self.status = Some(status);
        Ok(status)
    }

    /// `proc_signal(kill)`—Ends the child (a child that already ended is left as it is).
    #[doc(alias = "proc_signal")]
    pub fn kill(&mut self) -> io::Result<()> {
        if self.status.is_some() {
            return Ok(());
        }
        Ok(crate::signal::send(self.pid, crate::signal::Signal::Kill)?)
    }

    /// Waits for the child, collecting what it writes to piped stdout and stderr meanwhile (both read
    /// as they fill, so a child writing much to one never blocks on the other).
    pub fn wait_with_output(mut self) -> io::Result<Output> {
        drop(self.stdin.take());
        let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
        match (self.stdout.take(), self.stderr.take()) {
            (Some(mut o), None) => drop(o.read_to_end(&mut stdout)?),
            (None, Some(mut e)) => drop(e.read_to_end(&mut stderr)?),
            (Some(o), Some(e)) => read_both(o, e, &mut stdout, &mut stderr)?,
            (None, None) => {}
        }
        Ok(Output { status: self.wait()?, stdout, stderr })
    }
}

/// Reads two pipes to their ends, whichever has data first (through `poll_oneoff`).
fn read_both(mut a: PipeReader, mut b: PipeReader, out_a: &mut Vec<u8>, out_b: &mut Vec<u8>) -> io::Result<()> {
    let (mut open_a, mut open_b) = (true, true);
    let mut buf = vec![0; 64 * 1024];
    while open_a || open_b {
        let mut poll = crate::poll::Poll::with_capacity(2);
        if open_a {
            poll.readable(a.as_fd(), 0);
        }
        if open_b {
            poll.readable(b.as_fd(), 1);
        }
        for event in retry_on_intr(|| poll.wait())?.iter() {
            let (reader, out, open) = if event.userdata() == 0 {
                (&mut a, &mut *out_a, &mut open_a)
            } else {
                (&mut b, &mut *out_b, &mut open_b)
            };
            match reader.read(&mut buf) {
                Ok(0) => *open = false,
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(())
}

/// `proc_join`—Waits for child `pid` to end; `CHILD` if it is no child of this process (or was joined).
/// A signal arriving meanwhile runs its handler and the wait goes on.
///
/// # References
/// - [`wasix_sys::proc_join`]
/// - POSIX `waitpid`
#[doc(alias = "proc_join", alias = "waitpid")]
pub fn join(pid: u32) -> Result<ExitStatus> {
    retry_on_intr(|| sys::join(Some(pid))).map(|(_, code)| ExitStatus(code))
}

/// `proc_join`—Waits for any child to end: its pid and status; `CHILD` if there are no children.
///
/// # References
/// - [`wasix_sys::proc_join`]
/// - POSIX `wait`
#[doc(alias = "proc_join", alias = "wait")]
pub fn join_any() -> Result<(u32, ExitStatus)> {
    retry_on_intr(|| sys::join(None)).map(|(pid, code)| (pid, ExitStatus(code)))
}
