//! The fd a `bus_event::call` or `bus_event::result` names: the event's payload as a read-only stream
//! (`fd_read` hands out its bytes, then end-of-file). It holds the frame the payload came in and reads
//! from the payload's offset, so delivering an event copies nothing. The receiver owns the fd and closes it
//! with `fd_close` when done, as any fd.

use crate::Errno;
use std::io::IoSliceMut;
use std::sync::Mutex;

#[derive(Debug)]
pub(crate) struct Payload {
    frame: Vec<u8>,
    /// The next byte to read.
    at: Mutex<usize>,
}

impl Payload {
    /// The payload at `frame[start..]`.
    pub fn new(frame: Vec<u8>, start: usize) -> Self {
        Payload { frame, at: Mutex::new(start) }
    }

    /// Reads into `bufs`; 0 at the end.
    pub fn read(&self, bufs: &mut [IoSliceMut<'_>]) -> Result<usize, Errno> {
        let mut at = self.at.lock().unwrap_or_else(|e| e.into_inner());
        let n = super::super::mem::fill(bufs, &self.frame[*at..]);
        *at += n;
        Ok(n)
    }

    /// Bytes not read yet.
    pub fn available(&self) -> usize {
        self.frame.len() - *self.at.lock().unwrap_or_else(|e| e.into_inner())
    }
}
