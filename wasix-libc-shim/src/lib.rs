//! The C side of the SDK (DESIGN §7): `include/wasix/api.h`, generated from witx, declares every WASIX type,
//! constant and function for C. On wasm the prototypes import from `wasix_32v1`/`wasix_64v1`; natively
//! they name the simulator's `__wasix_*` exports, which linking this crate provides (it turns on `wasix-sys`'s
//! `c-abi` feature).
//!
//! The POSIX-style C functions over WASIX arrive with their subsystems; today the crate holds the header and
//! a native self-check of the C path.
//!
//! ```
//! let sim = wasix_sys::sim::Config::new().build().unwrap();
//! assert_eq!(sim.run(wasix_libc_shim::abi_check), 0);
//! assert_eq!(sim.stdout(), b"from C\n");
//! ```

#![deny(missing_docs)]

/// The directory holding `wasix/api.h`, for C builds that include it.
pub const INCLUDE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/include");

#[cfg(not(target_family = "wasm"))]
mod native {
    // Linking `wasix_sys` (with its `c-abi` feature) provides the `__wasix_*` symbols the C code calls.
    use wasix_sys as _;

    extern "C" {
        fn wasix_shim_abi_check() -> i32;
    }

    /// Calls the simulator from C through the header's entry points (clock, fdstat and a write to stdout);
    /// returns 0, or the errno of the first call that failed.
    pub fn abi_check() -> i32 {
        // SAFETY: the C function takes no arguments and only calls the simulator with valid pointers.
        unsafe { wasix_shim_abi_check() }
    }
}

#[cfg(not(target_family = "wasm"))]
pub use native::abi_check;
