//! The process's one reader of `bus_poll`: events come for the whole process, so one thread at a time
//! polls and hands each event to its owner (the call waiting for a result, the exit of a handle, the
//! queue of calls this process serves), and every other waiter sleeps until its own arrives.
//!
//! A blocking wait ([`Reactor::drive`]) takes its turn at polling while its condition is not met; with
//! handlers installed ([`super::Server::install`]) it also serves the calls that arrive meanwhile, so a
//! handler waiting for a subcall still answers the calls nested in it. Futures register a waker; while
//! any future waits, one driver thread (started through `wasix::thread`, so it runs in the caller's
//! process) polls for them.

use super::serve::Handlers;
use super::{sys, Error, Format};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::task::Waker;
use wasix_sys::{Bid, BusEvent, Cid, Hash};

/// How long one turn at `bus_poll` waits (so a waiter whose condition another thread met moves on).
const TURN: u64 = 50_000_000;

/// How many events one turn takes at most.
const BATCH: usize = 64;

/// A call's outcome: the reply's format and bytes, or the error it ended with.
pub(super) type Outcome = Result<(Format, Vec<u8>), Error>;

/// A call this process received and has not handed to a handler yet.
#[derive(Debug)]
pub(super) struct Received {
    pub cid: Cid,
    pub parent: Option<Cid>,
    pub topic: Hash,
    pub format: Option<Format>,
    pub payload: Result<Vec<u8>, Error>,
}

#[derive(Debug)]
enum Slot {
    Waiting(Option<Waker>),
    Done(Outcome),
}

#[derive(Default, Debug)]
pub(super) struct Inner {
    polling: bool,
    driving: bool,
    slots: HashMap<Cid, Slot>,
    exits: HashMap<Bid, u32>,
    received: VecDeque<Received>,
    pub handlers: Option<Arc<Handlers>>,
    /// Why `bus_poll` failed, once it did: nothing will arrive any more.
    broken: Option<Error>,
    /// Threads waiting for their turn (notified only when there are some: a notification is a host call).
    sleepers: usize,
}

/// The bus state of this process.
#[derive(Default, Debug)]
pub(super) struct Reactor {
    inner: Mutex<Inner>,
    turn: Condvar,
    /// The simulator instance the process is (a host thread the driver starts enters it).
    #[cfg(not(target_family = "wasm"))]
    sim: OnceLock<wasix_sys::sim::Sim>,
}

impl Reactor {
    /// The reactor of the calling process (one per process id: in the simulator, instances of one host
    /// process are separate processes).
    pub fn current() -> Arc<Reactor> {
        static ALL: OnceLock<Mutex<HashMap<u32, Arc<Reactor>>>> = OnceLock::new();
        let pid = crate::process::id().unwrap_or(0);
        let mut all = ALL.get_or_init(Default::default).lock().unwrap_or_else(PoisonError::into_inner);
        let reactor = all.entry(pid).or_default().clone();
        #[cfg(not(target_family = "wasm"))]
        reactor.sim.get_or_init(wasix_sys::sim::Sim::current);
        reactor
    }

    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts waiting for call `cid`.
    pub fn expect(&self, cid: Cid) {
        self.lock().slots.entry(cid).or_insert(Slot::Waiting(None));
    }

    /// Stops waiting for call `cid`; whether it had ended.
    pub fn forget(&self, cid: Cid) -> bool {
        matches!(self.lock().slots.remove(&cid), Some(Slot::Done(_)))
    }

    /// The outcome of call `cid` if it has one; otherwise `waker` is woken when it does.
    pub fn poll_call(self: &Arc<Self>, cid: Cid, waker: &Waker) -> Option<Outcome> {
        let mut inner = self.lock();
        match inner.slots.remove(&cid) {
            Some(Slot::Done(outcome)) => return Some(outcome),
            _ => {
                inner.slots.insert(cid, Slot::Waiting(Some(waker.clone())));
            }
        }
        if !inner.driving {
            inner.driving = true;
            drop(inner);
            let me = self.clone();
            let job = move || {
                me.drive(false, |inner| {
                    let waiting = inner.slots.values().any(|s| matches!(s, Slot::Waiting(Some(_))));
                    if waiting {
                        None
                    } else {
                        inner.driving = false;
                        Some(())
                    }
                })
            };
            // The future may be polled on any thread (an executor's); the driver runs in the process.
            #[cfg(not(target_family = "wasm"))]
            let started = {
                let sim = self.sim.get().cloned();
                std::thread::Builder::new().name("wasix bus driver".into()).spawn(move || match sim {
                    Some(sim) => sim.run(job),
                    None => job(),
                })
            };
            #[cfg(target_family = "wasm")]
            let started = crate::thread::Builder::new().spawn(job);
            if started.is_err() {
                // No thread: the outcome is taken here, blocking (the future still completes).
                self.lock().driving = false;
                return Some(self.wait_call(cid));
            }
        }
        None
    }

    /// Waits for call `cid`'s outcome.
    pub fn wait_call(&self, cid: Cid) -> Outcome {
        self.drive(true, |inner| match inner.slots.remove(&cid) {
            Some(Slot::Done(outcome)) => Some(outcome),
            Some(waiting) => {
                inner.slots.insert(cid, waiting);
                inner.broken.map(Err)
            }
            None => Some(Err(Error::INVALID_HANDLE)),
        })
    }

    /// The exit code of handle `bid`'s process, once its `exit` event came.
    pub fn exit_code(&self, bid: Bid) -> Option<u32> {
        self.lock().exits.get(&bid).copied()
    }

    /// Waits for handle `bid`'s exit.
    pub fn wait_exit(&self, bid: Bid) -> Result<u32, Error> {
        self.drive(true, |inner| match (inner.exits.get(&bid), inner.broken) {
            (Some(&code), _) => Some(Ok(code)),
            (None, Some(e)) => Some(Err(e)),
            (None, None) => None,
        })
    }

    /// Takes turns at polling (and, with `serve`, serves received calls) until `done` gives a value.
    pub fn drive<T>(&self, serve: bool, mut done: impl FnMut(&mut Inner) -> Option<T>) -> T {
        let mut events = [BusEvent::default(); BATCH];
        let mut inner = self.lock();
        loop {
            if let Some(v) = done(&mut inner) {
                return v;
            }
            if serve && inner.handlers.is_some() {
                if let Some(call) = inner.received.pop_front() {
                    let handlers = inner.handlers.clone();
                    drop(inner);
                    if let Some(h) = handlers {
                        h.serve(call);
                    }
                    inner = self.lock();
                    continue;
                }
            }
            if inner.polling {
                inner.sleepers += 1;
                inner = self.turn.wait(inner).unwrap_or_else(PoisonError::into_inner);
                inner.sleepers -= 1;
                continue;
            }
            inner.polling = true;
            drop(inner);
            let got = sys::poll(TURN, &mut events);
            let n = *got.as_ref().unwrap_or(&0);
            let mut wake = Vec::new();
            inner = self.lock();
            inner.polling = false;
            for e in &events[..n] {
                dispatch(&mut inner, e, &mut wake);
            }
            if inner.sleepers > 0 {
                self.turn.notify_all();
            }
            drop(inner);
            wake.into_iter().for_each(Waker::wake);
            inner = self.lock();
            if let Err(e) = got {
                // The host has no bus (or refused the poll): nothing will ever arrive.
                inner.broken = Some(e);
                for slot in inner.slots.values_mut() {
                    if let Slot::Waiting(w) = std::mem::replace(slot, Slot::Done(Err(e))) {
                        w.into_iter().for_each(Waker::wake);
                    }
                }
            }
        }
    }
}

/// Ends call `cid` with `outcome`, collecting its waker.
fn finish(inner: &mut Inner, cid: Cid, outcome: Outcome, wake: &mut Vec<Waker>) {
    if let Some(Slot::Waiting(Some(w))) = inner.slots.insert(cid, Slot::Done(outcome)) {
        wake.push(w);
    }
}

fn dispatch(inner: &mut Inner, e: &BusEvent, wake: &mut Vec<Waker>) {
    if let Some(r) = e.as_result() {
        let format = Format::from_raw(r.format).ok_or(Error::DESERIALIZATION);
        let outcome = sys::read_payload(r.fd).and_then(|bytes| Ok((format?, bytes)));
        finish(inner, r.cid, outcome, wake);
    } else if let Some(f) = e.as_fault() {
        finish(inner, f.cid, Err(f.fault), wake);
    } else if let Some(c) = e.as_close() {
        if inner.slots.contains_key(&c.cid) {
            finish(inner, c.cid, Err(Error::ABORTED), wake);
        } else {
            inner.received.retain(|r| r.cid != c.cid);
        }
    } else if let Some(x) = e.as_exit() {
        inner.exits.insert(x.bid, x.rval);
    } else if let Some(c) = e.as_call() {
        let payload = sys::read_payload(c.fd);
        if inner.handlers.is_none() {
            // Nothing here serves calls (a caller that installed no handlers gets a subcall).
            return sys::fault(c.cid, Error::MISSING_CALLBACK);
        }
        inner.received.push_back(Received {
            cid: c.cid,
            parent: c.parent.as_some(),
            topic: c.topic_hash,
            format: Format::from_raw(c.format),
            payload,
        });
    }
}
