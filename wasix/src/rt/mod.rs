//! Async I/O over `poll_oneoff`: an executor-agnostic [`Reactor`], [`Async<T>`] for sockets, pipe ends,
//! event fds and the standard streams (`futures-io`'s `AsyncRead`/`AsyncWrite`, async `accept`, `connect`,
//! `send_to`/`recv_from`, `readable()`/`writable()`), timers ([`sleep`], [`Timer`], [`interval`],
//! [`timeout`]) and a [`block_on`] that drives the reactor on the current thread.
//!
//! A WASIX guest has one readiness primitive, `poll_oneoff`. The reactor keeps every fd direction a task
//! waits on and every pending timer, and one thread at a time waits in one `poll_oneoff` for all of them
//! plus the nearest deadline, then wakes the tasks whose fds are ready or whose timers are due. An idle
//! reactor sleeps in that call: nothing spins.
//!
//! ```
//! use futures::{AsyncReadExt, AsyncWriteExt};
//! use std::time::Duration;
//! use wasix::rt::{block_on, timeout, Async};
//!
//! wasix::sim::Config::new().build().unwrap().run(|| {
//!     let (reader, writer) = wasix::fd::pipe().unwrap();
//!     let mut reader = Async::new(reader).unwrap();
//!     let mut writer = Async::new(writer).unwrap();
//!     block_on(async {
//!         let mut byte = [0; 1];
//!         // Nothing written yet: the read times out instead of blocking the thread.
//!         assert!(timeout(Duration::from_millis(10), reader.read(&mut byte)).await.is_err());
//!         writer.write_all(b"x").await.unwrap();
//!         assert_eq!(reader.read(&mut byte).await.unwrap(), 1);
//!     });
//! });
//! ```
//!
//! # Executors
//! Nothing here needs a particular executor:
//! - [`block_on`] (ours) runs a future on the current thread and drives the reactor while it waits; run
//!   many tasks on one thread by joining them inside it (or with `futures::executor::LocalPool`).
//! - Under another executor (`futures::executor::block_on`, a `futures` thread pool, …) the reactor is
//!   driven by a thread of its own, started on first need, where the target has threads, and only while no
//!   [`block_on`] of ours drives it: natively and on `wasm32-wasip1-threads` under Wasmer 7.4.2
//!   (`tests/rt/executors.rs`; whether the target has threads is found by trying to start it, stable Rust
//!   having no `cfg` for wasm's `atomics`). On `wasm32-wasip1`, which
//!   has no threads, nothing can drive the reactor while such an executor parks its only thread waiting for
//!   a wake (`futures::executor::block_on` does): use [`block_on`] there, or an executor that calls
//!   [`Reactor::turn`]. (Each registration made outside a `block_on` there looks at the reactor once
//!   without waiting, which serves executors that poll in a loop.)
//! - An executor with its own idle hook can drive the reactor itself: call [`Reactor::turn`] where it
//!   would park (bounded by its own next timer), and [`Reactor::notify`] from its wakers of other threads.
//!
//! # Cancellation
//! Dropping a future removes its registrations (fds and timers), so it is never woken afterwards; dropping
//! an [`Async`] deregisters its fd before closing it. The `poll_*` methods behind `AsyncRead`/`AsyncWrite`
//! keep one registration per direction (the latest waker) until the fd is next ready or the `Async` drops,
//! as `async-io`'s do.
//!
//! # On Wasmer 7.4.2
//! The same code runs: the host profile turns the reactor's zero timeouts (a due timer, a look without
//! waiting) into 1 ns, and the reactor only ever passes one clock. Natively, the simulator's fds belong to
//! one simulator instance: use the reactor from one instance per process (the default one in tests).
//!
//! # Upstream async crates
//! Sockets from [`crate::net`] convert into `std::net`'s on `wasi` targets (`From`), which is what upstream
//! runtimes take (`tokio::net::TcpStream::from_std`): `tests/rt/tokio.rs` runs an unpatched tokio
//! (`rt`, `net`) echo over a `wasix::net` listener on Wasmer. Its reactor (mio's wasip1 backend) polls
//! through `poll_oneoff` by itself; it and ours do not share a reactor, so a socket belongs to one of them.

mod async_fd;
mod block_on;
mod net;
mod reactor;
mod timer;

pub use async_fd::{Async, Ready};
pub use block_on::block_on;
pub use reactor::Reactor;
pub use timer::{interval, sleep, timeout, Elapsed, Interval, Timeout, Timer};
