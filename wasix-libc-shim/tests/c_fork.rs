//! The C fork program (`tests/c/fork.c`: a child over a pipe, then a TCP echo with a forked client), in
//! the default simulator instance of a host process with one thread: a binary of its own with
//! `harness = false`, since the simulator forks only there (libtest's threads would make it refuse with
//! `NOTSUP`, and a scoped instance cannot be forked), as `wasix-sys/tests/sim_fork.rs` for the raw call.
//! A forked child ends in its own host process (`_exit`), so only the parent returns here.

#[cfg(not(target_family = "wasm"))] // The simulator exists only natively.
fn main() {
    use wasix_libc_shim as _;
    extern "C" {
        fn wasix_ctest_fork() -> std::ffi::c_int;
    }
    // SAFETY: the C program takes no arguments.
    let line = unsafe { wasix_ctest_fork() };
    assert_eq!(line, 0, "the C fork program failed at that line (its stderr says which check)");
    println!("c_fork: fork over a pipe with waitpid, and a TCP echo with a forked client, behave");
}

#[cfg(target_family = "wasm")]
fn main() {}
