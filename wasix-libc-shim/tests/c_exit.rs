//! A C program that ends itself through `__wasix_proc_exit` inside a scoped simulator instance behaves as a
//! Rust one does: `Sim::run_main` returns its exit code, and the host process and other instances go on.
//! (The export once used the plain C ABI, and the unwind aborted the process with "panic in a function
//! that cannot unwind".)

#![cfg(not(target_family = "wasm"))] // The simulator exists only natively.

// Linking the shim brings its C code and the `__wasix_*` entry points it calls.
use wasix_libc_shim as _;
use wasix_sys::sim::{Config, Exit};

extern "C-unwind" {
    /// `src/abi_check.c`: calls `__wasix_proc_exit(code)`.
    fn wasix_shim_exit(code: u32) -> !;
}

#[test]
fn exit_from_c_returns_the_code_from_run_main() {
    let sim = Config::new().build().unwrap();
    // SAFETY: the C function takes a plain integer and only calls the simulator.
    let exit = sim.run_main(|| unsafe { wasix_shim_exit(42) });
    assert_eq!(exit, Exit(42));
    // The instance (and the test process) are still usable afterwards.
    let again = sim.run_main(|| {});
    assert_eq!(again, Exit(0));
}
