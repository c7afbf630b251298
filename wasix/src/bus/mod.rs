//! The message bus: typed calls between processes, with serde payloads.
//!
//! A **bus process** is a program started by name ([`Process::open_local`], or on another instance with
//! [`Process::open_remote`]). [`Process::call`] sends it a request on a topic (a name, hashed with
//! [`topic`]) encoded in a [`Format`]; the [`Call`] it returns is a [`Future`](std::future::Future) for any
//! executor and also has a blocking [`Call::wait`]. The bus program answers with a [`Server`] made by
//! [`serve`]: one handler per topic and request type, which replies (an `Ok`) or faults the call (an
//! `Err`, which the caller gets as its error); within a call a handler can call back into its caller
//! ([`Request::subcall`]).
//!
//! Events arrive for the whole process: whichever thread waits takes its turn at reading them and hands
//! each to its owner, so calls may be made and awaited from any number of threads at once. A thread that
//! waits also serves the calls that reach this process meanwhile, once handlers are installed
//! ([`Server::install`]), so nested calls (A calls B, B's handler calls back into A, whose handler calls B
//! again) all complete.
//!
//! On Wasmer 7.4.2 the bus functions are not there: a guest that uses this module does not instantiate
//! (one that does not, does: the imports are only those called). The simulator serves the bus (locally,
//! and between host processes with `wasix::sim::Sim::serve_bus`).
//!
//! ```
//! use wasix::bus::{self, Process};
//! use wasix::sim::Config;
//!
//! let sim = Config::new()
//!     .program("greeter", || bus::serve().handle("greet", |_, name: String| Ok(format!("hello, {name}"))).run())
//!     .build()
//!     .unwrap();
//! sim.run(|| {
//!     let greeter = Process::open_local("greeter").unwrap();
//!     let reply: String = greeter.call("greet", "bus").wait().unwrap();
//!     assert_eq!(reply, "hello, bus");
//!     // The same call as a future, on any executor.
//!     let reply: String = futures::executor::block_on(greeter.call("greet", "async")).unwrap();
//!     assert_eq!(reply, "hello, async");
//!     // A topic the bus program has no handler for faults.
//!     let missing: Result<String, bus::Error> = greeter.call("nope", &()).wait();
//!     assert_eq!(missing.unwrap_err(), bus::Error::INVALID_TOPIC);
//! });
//! ```

mod format;
mod process;
mod reactor;
mod serve;
mod sys;

pub use format::Format;
pub use process::{Call, Process};
pub use serve::{Request, Server};

/// A bus error: the seed's `bus_error` (a fault a handler returns arrives as it is).
pub type Error = crate::io::BusError;

/// The `hash` of topic `name`, as both sides compute it ([`wasix_sys::seed::bus::topic_hash`]).
pub fn topic(name: &str) -> wasix_sys::Hash {
    wasix_sys::seed::bus::topic_hash(name.as_bytes())
}

/// A new [`Server`], to which a bus program adds its handlers.
pub fn serve() -> Server {
    Server::new()
}
