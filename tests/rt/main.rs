//! `wasix::rt`: async I/O over `poll_oneoff`. An echo server for 200 concurrent clients on one thread
//! (every byte checked), UDP, pipes and event fds (`echo`); timers, intervals and timeouts that fire and ones
//! that do not (`timer`); cancellation: a dropped future is never woken (`cancel`); a pipe and a timer raced
//! with `select` (`select`); an idle reactor that uses no CPU (`idle`); other executors: `futures`' own
//! `block_on` and thread pool (`executors`); and unpatched tokio driving `wasix::net` sockets on `wasi`
//! (`tokio`, built with `RUSTFLAGS="--cfg tokio_unstable"`, which tokio needs for `net` on wasm). Loopback only, port 0, every wait bounded by [`PATIENCE`]. Tests that need a second thread
//! are ignored on `wasm32-wasip1` and run on `wasm32-wasip1-threads`.

// `tokio_unstable` is tokio's own flag, set by hand (RUSTFLAGS) for `rt::tokio`; no build script declares it.
#![allow(unexpected_cfgs)]

mod cancel;
mod echo;
mod executors;
mod idle;
mod select;
mod timer;
#[cfg(all(target_os = "wasi", tokio_unstable))]
mod tokio;

use std::future::Future;
use std::time::Duration;

/// The longest any test waits for something that should happen at once.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// Runs `future` on this thread with `wasix::rt::block_on`, failing the test if it takes longer than
/// [`PATIENCE`].
pub fn run<F: Future>(future: F) -> F::Output {
    wasix::rt::block_on(wasix::rt::timeout(PATIENCE, future)).expect("the test's future did not finish in time")
}
