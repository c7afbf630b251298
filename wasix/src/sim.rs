//! The WASIX simulator, for testing guest code natively (native targets only): `wasix_sys::sim`,
//! re-exported.
//!
//! Every `wasix` call made on a native target is served by the simulator. Code runs in the default
//! instance (set up as `wasmer run --volume .` sets up a module) unless it runs inside a scoped [`Sim`]:
//! build one with [`Config`], run code in it with [`Sim::run`] or [`Sim::run_main`], and inspect what it
//! wrote with [`Sim::stdout`]. Scoped instances share nothing, so parallel tests never see each other's
//! arguments, environment, fds or clocks.
//!
//! ```
//! use wasix::sim::{Config, Exit, Stdio};
//!
//! let sim = Config::new().arg("prog").stdin(Stdio::bytes("ping")).build().unwrap();
//! let exit = sim.run_main(|| {
//!     let mut buf = [0; 8];
//!     let n = wasix::fd::read(wasix::fd::stdin(), &mut buf).unwrap();
//!     wasix::fd::write(wasix::fd::stdout(), &buf[..n]).unwrap();
//!     wasix::process::exit(7);
//! });
//! assert_eq!((exit, sim.stdout()), (Exit(7), b"ping".to_vec()));
//! ```
//!
//! # Threads and instances
//! An instance belongs to the threads that entered it with [`Sim::run`], and to the threads they spawn
//! through WASIX: a thread started with [`wasix::thread::spawn`](crate::thread::spawn) (or the raw
//! `thread_spawn`) runs in its creator's instance, with its fds, environment, current directory and
//! clocks.
//!
//! ```
//! use wasix::sim::Config;
//!
//! let sim = Config::new().arg("inner").build().unwrap();
//! sim.run(|| {
//!     let worker = wasix::thread::spawn(|| wasix::env::args().unwrap());
//!     assert_eq!(worker.join().unwrap(), ["inner"]);
//! });
//! ```
//!
//! A thread started with `std::thread::spawn` inside `sim.run` is **not** in that instance: its WASIX
//! calls go to the default instance, whose preopen is the host's current directory with every right, and
//! a `proc_exit` there ends the host process. Run such a thread in its creator's instance explicitly
//! (`let mine = Sim::current(); std::thread::spawn(move || mine.run(...))`), and make the mistake
//! impossible in a test binary whose tests all run in scoped instances with [`deny_default_instance`] (or
//! `WASIX_SIM_DEFAULT_INSTANCE=deny` in the environment): a thread outside every instance then runs in an
//! empty one (no preopens: path calls are `BADF`), a message on stderr says so, and its `proc_exit`
//! panics instead of exiting.
//!
//! What the simulator serves, and why it cannot serve the rest, is listed in the support table of
//! [`wasix_sys::sim`] (and in the README).

#![forbid(unsafe_code)]

pub use wasix_sys::sim::*;
