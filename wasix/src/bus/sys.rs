//! One safe wrapper per raw bus call (as socket2's `sys`); the public types are thin over these.
#![allow(unsafe_code)] // The raw bus calls take pointers; a payload fd is adopted from an event.

use super::Error;
use crate::fd::{FromRawFd, OwnedFd};
use crate::host;
use wasix_sys::{Bid, Bool, BusDataFormat, BusEvent, Cid, Fd, Hash};

fn result(e: Error) -> Result<(), Error> {
    if e == Error::SUCCESS {
        Ok(())
    } else {
        Err(e)
    }
}

fn boolean(b: bool) -> Bool {
    if b {
        Bool::TRUE
    } else {
        Bool::FALSE
    }
}

pub(super) fn open_local(name: &str, reuse: bool) -> Result<Bid, Error> {
    let mut bid = 0;
    // SAFETY: the name is valid for its length and `bid` is a valid out-pointer.
    result(unsafe { host::bus_open_local(name.as_ptr(), name.len(), boolean(reuse), &mut bid) })?;
    Ok(bid)
}

pub(super) fn open_remote(name: &str, reuse: bool, instance: &str, token: &str) -> Result<Bid, Error> {
    let mut bid = 0;
    // SAFETY: the strings are valid for their lengths and `bid` is a valid out-pointer.
    result(unsafe {
        host::bus_open_remote(
            name.as_ptr(),
            name.len(),
            boolean(reuse),
            instance.as_ptr(),
            instance.len(),
            token.as_ptr(),
            token.len(),
            &mut bid,
        )
    })?;
    Ok(bid)
}

pub(super) fn close(bid: Bid) -> Result<(), Error> {
    // SAFETY: no pointers.
    result(unsafe { host::bus_close(bid) })
}

pub(super) fn call(bid: Bid, topic: Hash, format: BusDataFormat, buf: &[u8]) -> Result<Cid, Error> {
    let mut cid = 0;
    // SAFETY: `topic` and `buf` are valid for reading, `cid` for writing.
    result(unsafe { host::bus_call(bid, &topic, format, buf.as_ptr(), buf.len(), &mut cid) })?;
    Ok(cid)
}

pub(super) fn subcall(parent: Cid, topic: Hash, format: BusDataFormat, buf: &[u8]) -> Result<Cid, Error> {
    let mut cid = 0;
    // SAFETY: `topic` and `buf` are valid for reading, `cid` for writing.
    result(unsafe { host::bus_subcall(parent, &topic, format, buf.as_ptr(), buf.len(), &mut cid) })?;
    Ok(cid)
}

/// Up to `events.len()` events, waiting up to `timeout` nanoseconds; gives how many were written.
pub(super) fn poll(timeout: u64, events: &mut [BusEvent]) -> Result<usize, Error> {
    let mut n = 0;
    let len = u32::try_from(events.len()).unwrap_or(u32::MAX);
    // SAFETY: `events` is valid for writing `len` events, `n` for writing.
    result(unsafe { host::bus_poll(timeout, events.as_mut_ptr(), len, &mut n) })?;
    Ok(n as usize)
}

pub(super) fn reply(cid: Cid, format: BusDataFormat, buf: &[u8]) -> Result<(), Error> {
    // SAFETY: `buf` is valid for reading.
    result(unsafe { host::call_reply(cid, format, buf.as_ptr(), buf.len()) })
}

pub(super) fn fault(cid: Cid, fault: Error) {
    // SAFETY: no pointers.
    unsafe { host::call_fault(cid, fault) }
}

pub(super) fn close_call(cid: Cid) {
    // SAFETY: no pointers.
    unsafe { host::call_close(cid) }
}

/// The payload behind event fd `fd`, which this process now owns: read whole, then closed.
pub(super) fn read_payload(fd: Fd) -> Result<Vec<u8>, Error> {
    // SAFETY: a bus event's fd is a new fd of this process that nothing else owns (the host's contract).
    let owned = unsafe { OwnedFd::from_raw_fd(fd) };
    let mut bytes = Vec::new();
    let mut buf = [0; 4096];
    loop {
        match crate::fd::read(&owned, &mut buf) {
            Ok(0) => return Ok(bytes),
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
            Err(_) => return Err(Error::INTERNAL_FAILURE),
        }
    }
}
