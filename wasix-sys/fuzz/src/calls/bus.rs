//! The message bus's calls (`bus_*`, `call_*`), part of the `misc` group: unknown handles and call ids,
//! null pointers, formats the seed does not define, `nevents` 0, short timeouts. The harness registers
//! no program, so no bus process ever starts; every call must return a `bus_error` the seed defines, and
//! none may succeed where nothing was opened.

use crate::guest::{Bytes, Out, OutPtr};
use crate::{Exec, Harness};
use arbitrary::Arbitrary;
use wasix_sys::{Bid, Bool, BusDataFormat, BusError, BusEvent, Cid, Hash, Size};

#[derive(Arbitrary, Debug)]
pub enum BusCall {
    OpenLocal { name: Vec<u8>, name_null: bool, reuse: u8, out: OutPtr },
    OpenRemote { name: Vec<u8>, reuse: u8, instance: u8, instance_null: bool, token: Vec<u8>, out: OutPtr },
    Close { bid: Bid },
    Call { bid: Bid, topic_null: bool, format: u8, payload: Vec<u8>, payload_null: bool, out: OutPtr },
    Subcall { parent: Cid, topic_null: bool, format: u8, payload: Vec<u8>, out: OutPtr },
    Poll { timeout_us: u8, nevents: u8, events_null: bool, out: OutPtr },
    Reply { cid: Cid, format: u8, payload: Vec<u8>, payload_null: bool },
    Fault { cid: Cid, fault: u32 },
    CallClose { cid: Cid },
}

/// A defined `bus_error` other than `success`.
fn listed(call: &str, e: BusError) {
    assert!(e.name().is_some(), "{call}: undefined bus_error {e:?}");
    assert_ne!(e, BusError::SUCCESS, "{call}: succeeded though nothing was opened");
}

fn boolean(b: u8) -> Bool {
    Bool::from_raw(b % 3)
}

impl Exec for BusCall {
    fn exec(&self, _h: &mut Harness) {
        let topic = Hash { b0: 1, b1: 2 };
        let topic_ptr = |null: bool| if null { std::ptr::null() } else { &topic as *const Hash };
        match self {
            BusCall::OpenLocal { name, name_null, reuse, out } => {
                let mut n = Bytes::input(name, *name_null);
                let mut bid = Out::<Bid>::new(*out);
                // SAFETY: the harness's buffer (or null) with its length and out-pointer.
                let e = unsafe { wasix_sys::bus_open_local(n.ptr(), n.len, boolean(*reuse), bid.ptr()) };
                listed("bus_open_local", e);
                assert!(bid.untouched(), "bus_open_local: wrote a handle on failure");
            }
            BusCall::OpenRemote { name, reuse, instance, instance_null, token, out } => {
                // Only instances that are refused at once: loopback port 1 (nothing listens there), text that
                // is no socket address, bytes that are not UTF-8. Never one that could reach a real network.
                const INSTANCES: [&[u8]; 5] = [b"127.0.0.1:1", b"[::1]:1", b"", b"not an address", b"\xff:1"];
                let instance = INSTANCES[usize::from(*instance) % INSTANCES.len()];
                let (mut n, mut i, mut t) =
                    (Bytes::input(name, false), Bytes::input(instance, *instance_null), Bytes::input(token, false));
                let mut bid = Out::<Bid>::new(*out);
                // SAFETY: the harness's buffers (or null) with their lengths and out-pointer.
                let e = unsafe {
                    wasix_sys::bus_open_remote(
                        n.ptr(),
                        n.len,
                        boolean(*reuse),
                        i.ptr(),
                        i.len,
                        t.ptr(),
                        t.len,
                        bid.ptr(),
                    )
                };
                listed("bus_open_remote", e);
            }
            BusCall::Close { bid } => {
                // SAFETY: no pointers.
                listed("bus_close", unsafe { wasix_sys::bus_close(*bid) });
            }
            BusCall::Call { bid, topic_null, format, payload, payload_null, out } => {
                let mut p = Bytes::input(payload, *payload_null);
                let mut cid = Out::<Cid>::new(*out);
                let f = BusDataFormat::from_raw(*format % 9);
                // SAFETY: the harness's buffers (or null) with their lengths and out-pointer.
                let e = unsafe { wasix_sys::bus_call(*bid, topic_ptr(*topic_null), f, p.ptr(), p.len, cid.ptr()) };
                listed("bus_call", e);
            }
            BusCall::Subcall { parent, topic_null, format, payload, out } => {
                let mut p = Bytes::input(payload, false);
                let mut cid = Out::<Cid>::new(*out);
                let f = BusDataFormat::from_raw(*format % 9);
                // SAFETY: the harness's buffers with their lengths and out-pointer.
                let e =
                    unsafe { wasix_sys::bus_subcall(*parent, topic_ptr(*topic_null), f, p.ptr(), p.len, cid.ptr()) };
                listed("bus_subcall", e);
            }
            BusCall::Poll { timeout_us, nevents, events_null, out } => {
                let mut events = vec![BusEvent::default(); usize::from(*nevents)];
                let ptr = if *events_null { std::ptr::null_mut() } else { events.as_mut_ptr() };
                let mut n = Out::<Size>::new(*out);
                // SAFETY: `events` holds `nevents` events (or is null), `n` a harness out-pointer.
                let e =
                    unsafe { wasix_sys::bus_poll(u64::from(*timeout_us) * 1000, ptr, Size::from(*nevents), n.ptr()) };
                if e == BusError::SUCCESS {
                    assert_eq!(n.get(), Some(0), "bus_poll: an event though nothing was opened");
                } else {
                    assert!(e.name().is_some(), "bus_poll: undefined bus_error {e:?}");
                }
            }
            BusCall::Reply { cid, format, payload, payload_null } => {
                let mut p = Bytes::input(payload, *payload_null);
                let f = BusDataFormat::from_raw(*format % 9);
                // SAFETY: the harness's buffer (or null) with its length.
                listed("call_reply", unsafe { wasix_sys::call_reply(*cid, f, p.ptr(), p.len) });
            }
            BusCall::Fault { cid, fault } => {
                // SAFETY: no pointers.
                unsafe { wasix_sys::call_fault(*cid, BusError::from_raw(*fault)) }
            }
            BusCall::CallClose { cid } => {
                // SAFETY: no pointers.
                unsafe { wasix_sys::call_close(*cid) }
            }
        }
    }
}
