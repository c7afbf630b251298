//! The server side: [`Server`] holds a handler per topic; a bus program installs it and serves.

use super::process::{typed, Call};
use super::reactor::{Reactor, Received};
use super::{sys, topic, Error, Format};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use wasix_sys::{Cid, Hash};

type Handler = Box<dyn Fn(&Request, &[u8]) -> Result<(Format, Vec<u8>), Error> + Send + Sync>;

/// A bus program's handlers, by topic. [`serve`](super::serve) makes one.
#[derive(Default)]
pub struct Server {
    handlers: HashMap<Hash, Handler>,
}

/// Installed handlers (what the reactor calls).
pub(super) struct Handlers(HashMap<Hash, Handler>);

impl fmt::Debug for Handlers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handlers").field("topics", &self.0.len()).finish()
    }
}

impl fmt::Debug for Server {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Server").field("topics", &self.handlers.len()).finish()
    }
}

/// The call a handler answers: who asked and how.
#[derive(Debug)]
pub struct Request {
    cid: Cid,
    parent: Option<Cid>,
    format: Format,
}

impl Request {
    /// This process's `cid` of the call.
    pub fn cid(&self) -> Cid {
        self.cid
    }

    /// The call this one was made within, if it is a subcall.
    pub fn parent(&self) -> Option<Cid> {
        self.parent
    }

    /// The format the request came in (the reply goes back in it).
    pub fn format(&self) -> Format {
        self.format
    }

    /// `bus_subcall`—Calls `topic` of the calling process, within this call, in the request's format.
    #[doc(alias = "bus_subcall")]
    pub fn subcall<Req: Serialize + ?Sized, Resp: DeserializeOwned>(
        &self,
        topic_name: &str,
        request: &Req,
    ) -> Call<Resp> {
        let format = self.format;
        Call::start(typed, || sys::subcall(self.cid, topic(topic_name), format.raw(), &format.encode(request)?))
    }
}

impl Server {
    /// No handlers yet.
    pub fn new() -> Server {
        Server::default()
    }

    /// Answers `topic` with `handler`: the request decodes as a `Req` (else the call faults with
    /// [`Error::DESERIALIZATION`]), an `Ok` reply goes back in the request's format, an `Err` faults the call
    /// with that error.
    pub fn handle<Req, Resp, F>(mut self, topic_name: &str, handler: F) -> Server
    where
        Req: DeserializeOwned,
        Resp: Serialize,
        F: Fn(&Request, Req) -> Result<Resp, Error> + Send + Sync + 'static,
    {
        let h: Handler = Box::new(move |request, payload| {
            let req = request.format.decode(payload)?;
            let resp = handler(request, req)?;
            Ok((request.format, request.format.encode(&resp)?))
        });
        self.handlers.insert(topic(topic_name), h);
        self
    }

    /// Answers `topic` with `handler` on bytes, whatever the format (the reply is [`Format::Raw`]).
    pub fn handle_raw<F>(mut self, topic_name: &str, handler: F) -> Server
    where
        F: Fn(&Request, &[u8]) -> Result<Vec<u8>, Error> + Send + Sync + 'static,
    {
        let h: Handler = Box::new(move |request, payload| Ok((Format::Raw, handler(request, payload)?)));
        self.handlers.insert(topic(topic_name), h);
        self
    }

    /// Makes these the process's handlers: from now on calls to this process are served whenever one of
    /// its threads waits on the bus ([`Call::wait`], [`Server::run`]).
    pub fn install(self) {
        Reactor::current().lock().handlers = Some(Arc::new(Handlers(self.handlers)));
    }

    /// Installs the handlers and serves calls until the process is ended (a bus process ends when its last
    /// handle closes).
    pub fn run(self) -> ! {
        self.install();
        Reactor::current().drive(true, |_| None::<std::convert::Infallible>);
        unreachable!("`drive` returns only what its condition gives, and it gives nothing")
    }
}

impl Handlers {
    /// Answers `call` (a reply, or a fault: an unknown topic is [`Error::INVALID_TOPIC`], a format the
    /// seed does not define [`Error::DESERIALIZATION`]).
    pub fn serve(&self, call: Received) {
        let answer = (|| {
            let payload = call.payload?;
            let format = call.format.ok_or(Error::DESERIALIZATION)?;
            let handler = self.0.get(&call.topic).ok_or(Error::INVALID_TOPIC)?;
            handler(&Request { cid: call.cid, parent: call.parent, format }, &payload)
        })();
        match answer {
            Ok((format, bytes)) => {
                if let Err(e) = sys::reply(call.cid, format.raw(), &bytes) {
                    sys::fault(call.cid, e);
                }
            }
            Err(e) => sys::fault(call.cid, e),
        }
    }
}
