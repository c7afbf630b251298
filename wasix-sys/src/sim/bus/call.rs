//! `bus_call`, `bus_subcall`, `call_reply`, `call_fault` and `call_close`: making calls and answering them
//! (see the module docs of [`super`]).

use super::super::{mem, state};
use super::wire::{Message, Parent, MAX_PAYLOAD};
use crate::{Bid, BusDataFormat, BusError, Cid, Hash};

/// The topic, format and payload of a call or reply, read from guest memory.
///
/// # Safety
/// `topic` (when given) must be valid for a `Hash` and `buf` for `buf_len` bytes.
unsafe fn arguments<'a>(
    topic: Option<*const Hash>,
    format: BusDataFormat,
    buf: *const u8,
    buf_len: usize,
) -> Result<(Hash, u8, &'a [u8]), BusError> {
    let topic = match topic {
        // SAFETY: valid per the caller; `read` checks null.
        Some(t) => unsafe { mem::read(t) }.map_err(|_| BusError::MEMORY_ACCESS_VIOLATION)?,
        None => Hash::default(),
    };
    // SAFETY: valid per the caller; `slice` checks null with a length.
    let payload = unsafe { mem::slice(buf, buf_len) }.map_err(|_| BusError::MEMORY_ACCESS_VIOLATION)?;
    let format = super::format(format)?;
    if payload.len() > MAX_PAYLOAD {
        return Err(BusError::BAD_REQUEST);
    }
    Ok((topic, format, payload))
}

fn outcome(r: Result<(), BusError>) -> BusError {
    r.err().unwrap_or(BusError::SUCCESS)
}

pub(crate) unsafe fn bus_call(
    bid: Bid,
    topic_hash: *const Hash,
    format: BusDataFormat,
    buf: *const u8,
    buf_len: usize,
    ret: *mut Cid,
) -> BusError {
    outcome((|| {
        // SAFETY: the pointers are valid per the ABI contract.
        let (topic, format, payload) = unsafe { arguments(Some(topic_hash), format, buf, buf_len)? };
        if ret.is_null() {
            return Err(BusError::MEMORY_ACCESS_VIOLATION);
        }
        let cid = state::with(|s| {
            let mut inner = s.bus.lock();
            let link = *inner.bids.get(&bid).ok_or(BusError::INVALID_HANDLE)?;
            inner.call(link, Parent::None, topic, format, payload)
        })?;
        // SAFETY: `ret` is non-null (checked) and valid per the ABI contract.
        unsafe { mem::write(ret, cid) }.map_err(|_| BusError::MEMORY_ACCESS_VIOLATION)
    })())
}

pub(crate) unsafe fn bus_subcall(
    parent: Cid,
    topic_hash: *const Hash,
    format: BusDataFormat,
    buf: *const u8,
    buf_len: usize,
    ret: *mut Cid,
) -> BusError {
    outcome((|| {
        // SAFETY: the pointers are valid per the ABI contract.
        let (topic, format, payload) = unsafe { arguments(Some(topic_hash), format, buf, buf_len)? };
        if ret.is_null() {
            return Err(BusError::MEMORY_ACCESS_VIOLATION);
        }
        let cid = state::with(|s| {
            let mut inner = s.bus.lock();
            let (link, within) = if let Some(o) = inner.outgoing.get(&parent) {
                (o.link, Parent::Senders(parent))
            } else if let Some(i) = inner.incoming.get(&parent) {
                (i.link, Parent::Receivers(i.id))
            } else {
                return Err(inner.dead_cid(parent));
            };
            inner.call(link, within, topic, format, payload)
        })?;
        // SAFETY: `ret` is non-null (checked) and valid per the ABI contract.
        unsafe { mem::write(ret, cid) }.map_err(|_| BusError::MEMORY_ACCESS_VIOLATION)
    })())
}

pub(crate) unsafe fn call_reply(cid: Cid, format: BusDataFormat, buf: *const u8, buf_len: usize) -> BusError {
    outcome((|| {
        // SAFETY: the pointers are valid per the ABI contract.
        let (_, format, payload) = unsafe { arguments(None, format, buf, buf_len)? };
        state::with(|s| {
            let mut inner = s.bus.lock();
            let call = inner.take_incoming(cid)?;
            // A caller that is gone has lost the reply; for this process the call is answered all the same.
            let _ = inner.send(call.link, &Message::Result { id: call.id, format, payload });
            Ok(())
        })
    })())
}

/// Faults call `cid` with `fault`; an unknown `cid` is ignored (the call returns nothing to report it).
pub(crate) unsafe fn call_fault(cid: Cid, fault: BusError) {
    state::with(|s| {
        let mut inner = s.bus.lock();
        if let Ok(call) = inner.take_incoming(cid) {
            let _ = inner.send(call.link, &Message::Fault { id: call.id, error: fault.raw() });
        }
    })
}

/// Closes call `cid`, made or received: the other side gets a `close` event if the call was still open
/// there. An unknown `cid` is ignored.
pub(crate) unsafe fn call_close(cid: Cid) {
    state::with(|s| {
        let mut inner = s.bus.lock();
        if let Some(o) = inner.outgoing.remove(&cid) {
            let _ = inner.send(o.link, &Message::Close { id: cid, by_caller: true });
        } else if let Ok(call) = inner.take_incoming(cid) {
            let _ = inner.send(call.link, &Message::Close { id: call.id, by_caller: false });
        }
    })
}
