//! [`Process`]: a handle to a bus process, and [`Call`]: one call's outcome, as a future or by waiting.

use super::reactor::{Outcome, Reactor};
use super::{sys, topic, Error, Format};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use wasix_sys::{Bid, Cid};

/// A handle to a bus process (`bus_open_local`/`bus_open_remote`); dropping it closes the handle
/// (`bus_close`), which ends a process no other handle holds.
#[derive(Debug)]
pub struct Process {
    bid: Bid,
    format: Format,
}

impl Process {
    /// `bus_open_local(name, reuse = false)`—Starts program `name` as a new bus process.
    #[doc(alias = "bus_open_local")]
    pub fn open_local(name: &str) -> Result<Process, Error> {
        Process::open_local_with(name, false)
    }

    /// `bus_open_local(name, reuse)`—With `reuse`, joins a bus process `name` already running (starting one
    /// if none is).
    pub fn open_local_with(name: &str, reuse: bool) -> Result<Process, Error> {
        sys::open_local(name, reuse).map(Process::from_bid)
    }

    /// `bus_open_remote(name, reuse, instance, token)`—Opens program `name` on the remote instance
    /// `instance` (for the simulator's bus server, its socket address), authenticated by `token`.
    #[doc(alias = "bus_open_remote")]
    pub fn open_remote(name: &str, reuse: bool, instance: &str, token: &str) -> Result<Process, Error> {
        sys::open_remote(name, reuse, instance, token).map(Process::from_bid)
    }

    fn from_bid(bid: Bid) -> Process {
        Process { bid, format: Format::default() }
    }

    /// The raw handle.
    pub fn bid(&self) -> Bid {
        self.bid
    }

    /// The format of this handle's calls (default [`Format::Bincode`]).
    pub fn format(&self) -> Format {
        self.format
    }

    /// Makes this handle's calls use `format`.
    pub fn with_format(mut self, format: Format) -> Process {
        self.format = format;
        self
    }

    /// `bus_call`—Calls `topic` with `request`; the reply decodes as a `Resp`.
    #[doc(alias = "bus_call")]
    pub fn call<Req: Serialize + ?Sized, Resp: DeserializeOwned>(&self, topic_name: &str, request: &Req) -> Call<Resp> {
        let format = self.format;
        Call::start(typed, || sys::call(self.bid, topic(topic_name), format.raw(), &format.encode(request)?))
    }

    /// `bus_call` with [`Format::Raw`]: `payload` as it is; the reply is bytes.
    pub fn call_raw(&self, topic_name: &str, payload: &[u8]) -> Call<Vec<u8>> {
        Call::start(raw, || sys::call(self.bid, topic(topic_name), Format::Raw.raw(), payload))
    }

    /// The exit code of the bus process, once the host reported it (it has ended).
    pub fn exit_code(&self) -> Option<u32> {
        Reactor::current().exit_code(self.bid)
    }

    /// Waits until the bus process has ended and gives its exit code.
    pub fn wait_exit(&self) -> Result<u32, Error> {
        Reactor::current().wait_exit(self.bid)
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = sys::close(self.bid);
    }
}

/// One call's outcome: a [`Future`] (for any executor) and [`Call::wait`] (blocking). Dropping it before
/// it completes closes the call (`call_close`).
#[must_use = "a call's reply is read by awaiting or waiting for it"]
#[derive(Debug)]
pub struct Call<Resp> {
    state: Result<Cid, Option<Error>>,
    reactor: Arc<Reactor>,
    decode: fn(Format, Vec<u8>) -> Result<Resp, Error>,
    _reply: PhantomData<fn() -> Resp>,
}

/// A typed reply: decoded in the format it came in.
pub(super) fn typed<Resp: DeserializeOwned>(format: Format, bytes: Vec<u8>) -> Result<Resp, Error> {
    format.decode(&bytes)
}

/// A raw reply: the bytes.
fn raw(_: Format, bytes: Vec<u8>) -> Result<Vec<u8>, Error> {
    Ok(bytes)
}

impl<Resp> Call<Resp> {
    pub(super) fn start(
        decode: fn(Format, Vec<u8>) -> Result<Resp, Error>,
        make: impl FnOnce() -> Result<Cid, Error>,
    ) -> Call<Resp> {
        let reactor = Reactor::current();
        let state = match make() {
            Ok(cid) => {
                reactor.expect(cid);
                Ok(cid)
            }
            Err(e) => Err(Some(e)),
        };
        Call { state, reactor, decode, _reply: PhantomData }
    }

    /// The call's `cid` (none if it could not be made).
    pub fn cid(&self) -> Option<Cid> {
        self.state.ok()
    }

    fn take(&mut self) -> Result<Cid, Error> {
        match std::mem::replace(&mut self.state, Err(None)) {
            Ok(cid) => Ok(cid),
            Err(e) => Err(e.unwrap_or(Error::ALREADY_CONSUMED)),
        }
    }

    /// Waits for the reply (serving this process's handlers meanwhile, if it installed any).
    pub fn wait(mut self) -> Result<Resp, Error> {
        let cid = self.take()?;
        let outcome = self.reactor.wait_call(cid);
        self.finish(outcome)
    }

    fn finish(&self, outcome: Outcome) -> Result<Resp, Error> {
        let (format, bytes) = outcome?;
        (self.decode)(format, bytes)
    }
}

impl<Resp> Future for Call<Resp> {
    type Output = Result<Resp, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let cid = match this.state {
            Ok(cid) => cid,
            Err(_) => return Poll::Ready(Err(this.take().unwrap_err())),
        };
        match this.reactor.poll_call(cid, cx.waker()) {
            Some(outcome) => {
                this.state = Err(None);
                Poll::Ready(this.finish(outcome))
            }
            None => Poll::Pending,
        }
    }
}

impl<Resp> Drop for Call<Resp> {
    fn drop(&mut self) {
        if let Ok(cid) = self.state {
            if !self.reactor.forget(cid) {
                sys::close_call(cid);
            }
        }
    }
}
