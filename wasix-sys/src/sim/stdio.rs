//! Standard streams: inherited from the host, discarded, or kept in memory for tests to feed and read.

use super::errno::from_host;
use crate::Errno;
use std::collections::VecDeque;
use std::io::{IoSlice, IoSliceMut};
use std::os::fd::BorrowedFd;
use std::sync::{Arc, Mutex};

/// Where a standard stream of a simulated process goes.
#[derive(Clone, Debug, Default)]
pub enum Stdio {
    /// The host process's own stream (what `wasmer run` does).
    Inherit,
    /// Reads see end-of-file, writes are discarded.
    #[default]
    Null,
    /// An in-memory byte queue: reads take from its front, writes append. Seed it with
    /// [`Stdio::bytes`]; read what a guest wrote with [`Sim::stdout`](super::Sim::stdout) and
    /// [`Sim::stderr`](super::Sim::stderr).
    Memory(Vec<u8>),
}

impl Stdio {
    /// An in-memory stream holding `data` (for stdin: what the guest will read).
    pub fn bytes(data: impl Into<Vec<u8>>) -> Self {
        Stdio::Memory(data.into())
    }

    /// An empty in-memory stream (for stdout/stderr: captures what the guest writes).
    pub fn capture() -> Self {
        Stdio::Memory(Vec::new())
    }
}

/// The live stream behind fd 0, 1 or 2.
#[derive(Clone, Debug)]
pub(crate) enum StdioStream {
    /// Host fd 0, 1 or 2.
    Inherit(u8),
    Null,
    Memory(Arc<Mutex<VecDeque<u8>>>),
}

impl StdioStream {
    pub fn new(config: &Stdio, which: u8) -> Self {
        match config {
            Stdio::Inherit => StdioStream::Inherit(which),
            Stdio::Null => StdioStream::Null,
            Stdio::Memory(data) => StdioStream::Memory(Arc::new(Mutex::new(data.iter().copied().collect()))),
        }
    }

    /// The host fd of an inherited stream.
    pub fn host_fd(&self) -> Option<BorrowedFd<'static>> {
        match self {
            StdioStream::Inherit(0) => Some(rustix::stdio::stdin()),
            StdioStream::Inherit(1) => Some(rustix::stdio::stdout()),
            StdioStream::Inherit(_) => Some(rustix::stdio::stderr()),
            StdioStream::Null | StdioStream::Memory(_) => None,
        }
    }

    /// Whether reads and writes never block (they stay in memory or are discarded).
    pub fn is_virtual(&self) -> bool {
        !matches!(self, StdioStream::Inherit(_))
    }

    /// Bytes an in-memory stream holds (0 for the others).
    pub fn available(&self) -> usize {
        match self {
            StdioStream::Memory(q) => q.lock().unwrap_or_else(|e| e.into_inner()).len(),
            _ => 0,
        }
    }

    /// Writes `bufs`, returning the number of bytes written.
    pub fn write(&self, bufs: &[IoSlice<'_>]) -> Result<usize, Errno> {
        match self {
            StdioStream::Inherit(_) => write_host(self.host_fd(), bufs),
            StdioStream::Null => Ok(bufs.iter().map(|b| b.len()).sum()),
            StdioStream::Memory(q) => {
                let mut q = q.lock().unwrap_or_else(|e| e.into_inner());
                Ok(bufs
                    .iter()
                    .map(|b| {
                        q.extend(b.iter());
                        b.len()
                    })
                    .sum())
            }
        }
    }

    /// Reads into `bufs`, returning the number of bytes read (0 at end of input). With `line`, an in-memory
    /// stream hands out at most one line per read, as a terminal in canonical mode does.
    pub fn read(&self, bufs: &mut [IoSliceMut<'_>], line: bool) -> Result<usize, Errno> {
        match self {
            StdioStream::Inherit(_) => read_host(self.host_fd(), bufs),
            StdioStream::Null => Ok(0),
            StdioStream::Memory(q) => {
                let mut q = q.lock().unwrap_or_else(|e| e.into_inner());
                let mut limit = q.len();
                if line {
                    limit = q.iter().position(|&b| b == b'\n').map_or(limit, |nl| nl + 1);
                }
                let mut total = 0;
                for b in bufs.iter_mut() {
                    let n = b.len().min(limit - total);
                    for (dst, src) in b.iter_mut().zip(q.drain(..n)) {
                        *dst = src;
                    }
                    total += n;
                    if total == limit {
                        break;
                    }
                }
                Ok(total)
            }
        }
    }

    /// The bytes an in-memory stream holds now (empty for the others).
    pub fn contents(&self) -> Vec<u8> {
        match self {
            StdioStream::Memory(q) => q.lock().unwrap_or_else(|e| e.into_inner()).iter().copied().collect(),
            _ => Vec::new(),
        }
    }
}

/// An inherited stream may be a pipe whose reader is gone: `PIPE`, never the host's SIGPIPE.
fn write_host(fd: Option<BorrowedFd<'_>>, bufs: &[IoSlice<'_>]) -> Result<usize, Errno> {
    let fd = fd.ok_or(Errno::BADF)?;
    super::sigpipe::suppressed(|| rustix::io::writev(fd, bufs).map_err(from_host))
}

fn read_host(fd: Option<BorrowedFd<'_>>, bufs: &mut [IoSliceMut<'_>]) -> Result<usize, Errno> {
    rustix::io::readv(fd.ok_or(Errno::BADF)?, bufs).map_err(from_host)
}
