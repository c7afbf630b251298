//! The host profile (DESIGN §10): the one place where the safe layer adapts to the host it runs on, so
//! every safe API has the seed's semantics on every host.
//!
//! Safe modules make the raw calls listed here through `host::<name>` instead of `wasix_sys::<name>`, and
//! pass every returned errno through [`errno`]. Natively the simulator already implements the seed, so
//! these are the raw functions themselves. On wasm they are the Wasmer 7.x profile, [`wasmer`], whose
//! docs list each difference, the fact behind it and the conformance test that proves the adaptation.

#[cfg(target_family = "wasm")]
pub(crate) mod wasmer;
#[cfg(target_family = "wasm")]
pub(crate) use wasmer::*;

#[cfg(not(target_family = "wasm"))]
pub(crate) use native::*;

#[cfg(not(target_family = "wasm"))]
mod native {
    pub(crate) use wasix_sys::{clock_time_set, fd_prestat_dir_name};

    /// The simulator returns only errno values the seed defines.
    #[inline(always)]
    pub(crate) fn errno(e: wasix_sys::Errno) -> wasix_sys::Errno {
        e
    }
}
