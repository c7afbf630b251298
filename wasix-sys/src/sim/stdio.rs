//! Standard streams: inherited from the host, discarded, or kept in memory for tests to feed and read.

use super::errno::from_host;
use crate::Errno;
use std::collections::VecDeque;
use std::io::{IoSlice, IoSliceMut};
use std::os::fd::AsFd;
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

    /// Writes `bufs`, returning the number of bytes written.
    pub fn write(&self, bufs: &[IoSlice<'_>]) -> Result<usize, Errno> {
        match self {
            StdioStream::Inherit(1) => rustix::io::writev(std::io::stdout().as_fd(), bufs).map_err(from_host),
            StdioStream::Inherit(2) => rustix::io::writev(std::io::stderr().as_fd(), bufs).map_err(from_host),
            StdioStream::Inherit(_) => rustix::io::writev(std::io::stdin().as_fd(), bufs).map_err(from_host),
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

    /// Reads into `bufs`, returning the number of bytes read (0 at end of input).
    pub fn read(&self, bufs: &mut [IoSliceMut<'_>]) -> Result<usize, Errno> {
        match self {
            StdioStream::Inherit(0) => rustix::io::readv(std::io::stdin().as_fd(), bufs).map_err(from_host),
            StdioStream::Inherit(1) => rustix::io::readv(std::io::stdout().as_fd(), bufs).map_err(from_host),
            StdioStream::Inherit(_) => rustix::io::readv(std::io::stderr().as_fd(), bufs).map_err(from_host),
            StdioStream::Null => Ok(0),
            StdioStream::Memory(q) => {
                let mut q = q.lock().unwrap_or_else(|e| e.into_inner());
                let mut total = 0;
                for b in bufs.iter_mut() {
                    let n = b.len().min(q.len());
                    for (dst, src) in b.iter_mut().zip(q.drain(..n)) {
                        *dst = src;
                    }
                    total += n;
                    if q.is_empty() {
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
