//! `bus_poll`: the process's bus events, oldest first (see the module docs of [`super`]). Frames are
//! turned into events here, in the receiving process, so each event's payload fd is made in the table of
//! the process that reads it, when it is handed out.

use super::super::fdtable::{Entry, Kind};
use super::super::state::State;
use super::super::{mem, rights, signal, state, Sim};
use super::wire::Message;
use super::{Inner, Ready};
use crate::{
    BusDataFormat, BusError, BusEvent, BusEventCall, BusEventClose, BusEventExit, BusEventFault, BusEventResult,
    Fdflags, OptionCid, Rights, Size, Timestamp,
};
use std::time::{Duration, Instant};

pub(crate) unsafe fn bus_poll(timeout: Timestamp, events: *mut BusEvent, nevents: Size, ret: *mut Size) -> BusError {
    if nevents == 0 {
        return BusError::BAD_REQUEST;
    }
    let n = nevents as usize;
    if events.is_null() || ret.is_null() || n.checked_mul(size_of::<BusEvent>()).is_none_or(|b| b > isize::MAX as usize)
    {
        return BusError::MEMORY_ACCESS_VIOLATION;
    }
    let sim = Sim::current();
    state::with(|_| ()); // Delivers the caller's pending signals first, as every call does.
    let deadline = Instant::now().checked_add(Duration::from_nanos(timeout)).filter(|_| timeout != u64::MAX);
    let out = match wait(&sim.state, deadline, n) {
        Ok(out) => out,
        Err(e) => return e,
    };
    // SAFETY: `events` is non-null and valid for `nevents` records per the ABI contract (`out.len() <= n`).
    if unsafe { mem::write_list(events, &out) }.is_err() {
        return BusError::MEMORY_ACCESS_VIOLATION;
    }
    // SAFETY: `ret` is non-null (checked) and valid per the ABI contract.
    match unsafe { mem::write(ret, out.len() as Size) } {
        Ok(()) => BusError::SUCCESS,
        Err(_) => BusError::MEMORY_ACCESS_VIOLATION,
    }
}

/// Up to `n` events of `s`, waiting for the first until `deadline` (`None`: for ever).
fn wait(s: &State, deadline: Option<Instant>, n: usize) -> Result<Vec<BusEvent>, BusError> {
    loop {
        {
            let mut inner = s.bus.lock();
            let mut out = Vec::new();
            while out.len() < n {
                let Some(ready) = inner.ready.pop_front() else { break };
                out.extend(event(s, &mut inner, ready));
            }
            if !out.is_empty() {
                if !inner.ready.is_empty() {
                    // Events left over: another poller may take them.
                    s.bus.inbox.kick();
                }
                return Ok(out);
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return Ok(out);
            }
        }
        let frames = s.bus.inbox.take(deadline);
        {
            let mut inner = s.bus.lock();
            for (link, frame) in frames {
                inner.receive(s, link, frame);
            }
        }
        // The last handle of this bus process may have closed: `term` is delivered now, not at the next call.
        if signal::pending_here(s) {
            signal::deliver_pending(s);
        }
    }
}

/// The event of `ready`, its payload (if any) placed in a new fd of `s`. With the fd table full a result
/// becomes a fault with `internal_failure`, and a call is faulted back to its caller so (no event here).
fn event(s: &State, inner: &mut Inner, ready: Ready) -> Option<BusEvent> {
    let place = |payload| {
        s.fds.insert(Entry::new(Kind::Payload(payload), rights::PIPE_READ, Rights::empty(), Fdflags::empty())).ok()
    };
    Some(match ready {
        Ready::Exit { bid, code } => BusEvent::exit(BusEventExit { bid, rval: code }),
        Ready::Fault { cid, error } => BusEvent::fault(BusEventFault { cid, fault: error }),
        Ready::Close { cid } => BusEvent::close(BusEventClose { cid }),
        Ready::Call { parent, cid, format, topic, payload } => {
            let Some(fd) = place(payload) else {
                if let Ok(call) = inner.take_incoming(cid) {
                    let _ =
                        inner.send(call.link, &Message::Fault { id: call.id, error: BusError::INTERNAL_FAILURE.raw() });
                }
                return None;
            };
            let parent = parent.map_or(OptionCid::none(0), OptionCid::some);
            BusEvent::call(BusEventCall { parent, cid, format: BusDataFormat::from_raw(format), topic_hash: topic, fd })
        }
        Ready::Result { cid, format, payload } => match place(payload) {
            Some(fd) => BusEvent::result(BusEventResult { format: BusDataFormat::from_raw(format), cid, fd }),
            None => BusEvent::fault(BusEventFault { cid, fault: BusError::INTERNAL_FAILURE }),
        },
    })
}
