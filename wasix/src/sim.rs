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
//! What the simulator serves, and why it cannot serve the rest, is listed in the support table of
//! [`wasix_sys::sim`] (and in the README).

#![forbid(unsafe_code)]

pub use wasix_sys::sim::*;
