//! Raw WASIX bindings, generated from `witx/` (DESIGN §4).
//!
//! Every one of the interface's 128 functions is here with the seed's ABI: witx names, lists as a pointer
//! and a length, results written through out-pointers, an [`Errno`] (or [`BusError`]) returned. Types are
//! `repr(C)` records, open enum newtypes, `bitflags` flags and tag-plus-union variants whose layouts are
//! asserted at compile time for the target's pointer width.
//!
//! Where the calls go is decided once, below:
//! - on `wasm32`/`wasm64` every function is an import from `wasix_32v1`/`wasix_64v1`;
//! - on every other target every function is served by [`sim`], the WASIX simulator, so guest code runs
//!   and is tested with plain `cargo test`. A function the simulator lacks is a compile error.
//!
//! The seed's own rules (path checks, the rights each call needs) are in [`seed`], shared by the simulator
//! and the safe layer's host profile.
//!
//! Features:
//! - `std`: links std on wasm too (native builds always use it, for the simulator); without it the crate is
//!   `no_std` on wasm.
//! - `c-abi` (native targets): exports every function as an unmangled C symbol `__wasix_<name>` over the
//!   simulator, the entry points `wasix/api.h` declares; `wasix-libc-shim` turns it on. Because those symbols
//!   are global, the package declares `links = "wasix"`: cargo rejects a build with two copies of the crate.
//!
//! ```
//! let mut now = 0;
//! // SAFETY: `now` is a valid place for the result.
//! let errno = unsafe { wasix_sys::clock_time_get(wasix_sys::Clockid::MONOTONIC, 1, &mut now) };
//! assert_eq!(errno, wasix_sys::Errno::SUCCESS);
//! ```

#![cfg_attr(all(target_family = "wasm", not(feature = "std")), no_std)]
#![deny(missing_docs)]

#[cfg(all(not(target_family = "wasm"), not(target_pointer_width = "64")))]
compile_error!("wasix-sys: the simulator needs a 64-bit host (its ABI is wasix_64v1's)");

/// Checked-in output of `cargo run -p wasix-witx`; never edited by hand.
// prettyplease drops plain comments, so no generated `unsafe` block can carry a `// SAFETY:` line: each file's
// `//!` header states the contract its blocks rely on, and the emitter explains each block.
#[rustfmt::skip]
#[allow(clippy::undocumented_unsafe_blocks, clippy::all, missing_docs)]
mod generated {
    pub mod functions;
    mod layout;
    pub mod types;
    #[cfg(all(not(target_family = "wasm"), feature = "c-abi"))]
    pub mod c_exports;
    #[cfg(target_family = "wasm")]
    pub mod imports;
}

pub use generated::functions::*;
pub use generated::types::*;

// The one backend switch.
#[cfg(target_family = "wasm")]
use generated::imports as backend;
#[cfg(not(target_family = "wasm"))]
use sim::syscalls as backend;

pub mod seed;

#[cfg(not(target_family = "wasm"))]
pub mod sim;

#[cfg(any(not(target_family = "wasm"), feature = "std"))]
mod io_error;
