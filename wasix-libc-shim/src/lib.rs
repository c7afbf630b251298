//! The C side of the SDK (DESIGN §7): POSIX-style C functions over WASIX (`include/wasix/posix.h`,
//! `src/*.c`) and the generated `include/wasix/api.h`, built natively over the simulator and for wasm32
//! over the real host.
//!
//! # One host profile
//!
//! Where the real host differs from the seed (Wasmer 7.4.2's socket type values, port and IPv6 byte
//! orders, signal numbers from 16 on, its 3-parameter `proc_join`, `proc_spawn`'s errno, the poll and
//! futex quirks, …), the translation exists once, in the Rust host profile `wasix/src/host/wasmer/`. The C
//! functions reach it through Rust: they call only `wasix_host_<name>`, the `wasix` crate's exports of its
//! host facade (`wasix::c_shim`, compiled with the `c-shim` feature this crate turns on), never the
//! header's raw `__wasix_<name>` imports. So a C program gets the seed's semantics on every host from the
//! same code the safe Rust layer uses, and its conformance tests prove both. For wasm32 this crate is
//! built as a static library (`cargo rustc --crate-type staticlib`) and archived with the C objects into
//! `libwasix_shim.a` (see the README); natively `build.rs` compiles the C into this crate and linking it
//! brings the simulator.
//!
//! The C side keeps only what is POSIX's rather than a host's: the C library's errno values (one table,
//! `src/errno.c`), its signal numbers (`src/signal.c`), its `sockaddr` layouts (`src/socket.c`).
//! Signal handlers run through [`wasix::signal`], which owns the process's signal export; this crate
//! routes the signals a C program handles to the C dispatcher.
//!
//! # Names
//!
//! Natively every C function is `wasix_`-prefixed and never interposes the host C library; a program
//! that defines `WASIX_POSIX_NAMES` before including `<wasix/posix.h>` gets the POSIX names as macros. On
//! wasm32 the library also defines the POSIX names wasi-libc lacks (see the header).
//!
//! ```
//! let sim = wasix_sys::sim::Config::new().build().unwrap();
//! assert_eq!(sim.run(wasix_libc_shim::abi_check), 0);
//! assert_eq!(sim.stdout(), b"from C\n");
//! ```

#![deny(missing_docs)]

/// The directory holding `wasix/api.h` and `wasix/posix.h`, for C builds that include them.
pub const INCLUDE_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/include");

// `wasix`'s `c-shim` feature provides the `wasix_host_*` entry points the C code calls.
use wasix as _;

/// The C side's signal routing: the signals a C program handles are delivered (by [`wasix::signal`]) to
/// the C dispatcher with their seed number.
mod signal {
    use wasix::signal::{set_handler, Signal};
    use wasix_sys::Errno;

    extern "C" {
        /// `src/signal.c`: runs the C disposition of a seed signal.
        fn wasix_shim_signal_dispatch(sig: u8);
    }

    fn to_c(sig: Signal) {
        // SAFETY: the C dispatcher takes any number and ignores those it has no disposition for.
        unsafe { wasix_shim_signal_dispatch(sig.raw().raw()) }
    }

    /// Routes seed signal `sig` to the C dispatcher (`install` non-zero) or back to its default action.
    #[export_name = "wasix_shim_signal_route"]
    extern "C" fn route(sig: u8, install: i32) -> Errno {
        let Some(sig) = Signal::from_raw(wasix_sys::Signal::from_raw(sig)) else { return Errno::INVAL };
        match set_handler(sig, (install != 0).then_some(to_c as fn(Signal))) {
            Ok(_) => Errno::SUCCESS,
            Err(e) => e,
        }
    }
}

#[cfg(not(target_family = "wasm"))]
mod native {
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
