//! `bus_open_local` and `bus_close`: starting (or joining) a bus process of this host process, and
//! dropping a handle (see the module docs of [`super`]). The opening itself, [`open`] and [`attach`], is
//! shared with the remote bus's server, which opens bus processes for its remote callers.

use super::super::process::registry::Program;
use super::super::process::spawn::{child_fds, preopens, start_instance, stream};
use super::super::state::{next_pid, State};
use super::super::{mem, state, Sim};
use super::{Link, LinkId, Peer};
use crate::{Bid, Bool, BusError, StdioMode};
use std::sync::Arc;

pub(crate) unsafe fn bus_open_local(name: *const u8, name_len: usize, reuse: Bool, ret: *mut Bid) -> BusError {
    // SAFETY: `name` is valid for `name_len` bytes per the ABI contract.
    let Ok(name) = (unsafe { mem::slice(name, name_len) }) else { return BusError::MEMORY_ACCESS_VIOLATION };
    if ret.is_null() {
        return BusError::MEMORY_ACCESS_VIOLATION;
    }
    let Some(reuse) = boolean(reuse) else { return BusError::BAD_REQUEST };
    let sim = Sim::current();
    state::with(|_| ()); // Delivers the caller's pending signals first, as every call does.
    let opener = &sim.state;
    let opened = {
        // The opener's end first (its peer still pending), so a frame the bus process sends at once finds it.
        let (link, bid) = {
            let mut inner = opener.bus.lock();
            let (link, bid) = (inner.next_link, inner.next_bid);
            inner.next_link += 1;
            inner.next_bid += 1;
            inner.links.insert(link, Link { peer: Peer::Pending, bid: Some(bid), dead: false });
            inner.bids.insert(bid, link);
            (link, bid)
        };
        match open(opener, name, reuse, Peer::Local(opener.bus.inbox.clone(), link)) {
            Ok((target, theirs)) => {
                if let Some(l) = opener.bus.lock().links.get_mut(&link) {
                    l.peer = Peer::Local(target.bus.inbox.clone(), theirs);
                }
                Ok(bid)
            }
            Err(e) => {
                let mut inner = opener.bus.lock();
                inner.links.remove(&link);
                inner.bids.remove(&bid);
                Err(e)
            }
        }
    };
    match opened {
        // SAFETY: `ret` is non-null (checked) and valid per the ABI contract.
        Ok(bid) => match unsafe { mem::write(ret, bid) } {
            Ok(()) => BusError::SUCCESS,
            Err(_) => BusError::MEMORY_ACCESS_VIOLATION,
        },
        Err(e) => e,
    }
}

pub(crate) unsafe fn bus_close(bid: Bid) -> BusError {
    match state::with(|s| s.bus.lock().close_handle(bid)) {
        Ok(()) => BusError::SUCCESS,
        Err(e) => e,
    }
}

/// A seed `bool`.
pub(crate) fn boolean(b: Bool) -> Option<bool> {
    match b {
        Bool::FALSE => Some(false),
        Bool::TRUE => Some(true),
        _ => None,
    }
}

/// Opens bus process `name` for a caller in instance `s` reached through `peer`: with `reuse` one of that
/// name still running in the family, else a new one, started as a child instance of `s` and connected
/// before it runs. Gives the process and the link's number there.
pub(super) fn open(s: &State, name: &[u8], reuse: bool, peer: Peer) -> Result<(Arc<State>, LinkId), BusError> {
    let main = match s.programs.resolve(name).map_err(|e| e.bus_error())? {
        Program::Native(main) => main,
        Program::Host(_) => return Err(BusError::INVALID_ABI),
    };
    let running = s.bus.running.clone();
    let mut running = running.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if reuse {
        if let Some(target) = running.get(name).and_then(std::sync::Weak::upgrade) {
            if let Ok(link) = attach(&target, peer.clone()) {
                return Ok((target, link));
            }
        }
    }
    let mut streams =
        [stream(s, 0, StdioMode::NULL)?, stream(s, 1, StdioMode::INHERIT)?, stream(s, 2, StdioMode::INHERIT)?];
    let fds = child_fds(&mut streams, preopens(s, b"", false)?)?;
    let mut link = Err(BusError::INTERNAL_FAILURE);
    let register = |child: &Arc<State>| link = attach(child, peer);
    let target = start_instance(s, next_pid(), main, vec![name.to_vec()], fds, b"", register, |_| {})?;
    running.retain(|_, p| p.strong_count() > 0);
    running.insert(name.to_vec(), Arc::downgrade(&target));
    Ok((target, link?))
}

/// Connects bus process `target` to a caller reached through `peer`, and gives the link's number in
/// `target`; `aborted` if it has ended.
pub(super) fn attach(target: &State, peer: Peer) -> Result<LinkId, BusError> {
    let mut inner = target.bus.lock();
    if inner.ended || target.bus.inbox.ended() {
        return Err(BusError::ABORTED);
    }
    let link = inner.next_link;
    inner.next_link += 1;
    inner.links.insert(link, Link { peer, bid: None, dead: false });
    inner.served += 1;
    Ok(link)
}
