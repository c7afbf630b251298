//! The simulator against the direct host call it stands for, measured in the same run (DESIGN §8).
//!
//! Each pair runs many iterations per round, simulator and host rounds alternating; the fastest round of
//! each side counts. The table shows nanoseconds per call and the ratio simulator / host, in the format
//! `scripts/bench` collects. No assertions: the numbers are for people.
//!
//! The rows without a target are for reading the others. The simulator's own cost per call with no host
//! call behind it (about 20 ns on the development machine, a 2-core AMD EPYC VM). What the machine charges
//! for a return executed after a syscall into a frame entered before it: on that VM (SRSO "Safe RET"
//! without microcode, retpolines) the first such return costs about 65 ns and each further one about 10 ns,
//! and an indirect jump mispredicts after every syscall, while calls made after the syscall, atomics and
//! plain instructions cost what they cost anywhere. That is why the simulator's hot calls are inlined into
//! their callers down to the syscall and pick the common fd kind by a comparison (`sim/fd/ops.rs`). And two
//! floors, measured in the same rounds as their rows: `fd_write`'s (the host's `write` made with the
//! synchronisation every fd call needs, a read-locked table lookup and a reference count: four atomic
//! operations) and `path_open`'s (the sandbox's `openat2` and the `fstat` telling the new fd's type, which
//! decide its rights and kind, against the baseline's `openat`), with the simulator's share over it.
//!
//! `cargo bench -p wasix-sys --bench sim_vs_host`

#[cfg(not(target_family = "wasm"))]
mod native;

#[cfg(not(target_family = "wasm"))]
fn main() {
    native::main();
}

#[cfg(target_family = "wasm")]
fn main() {
    eprintln!("sim_vs_host: the simulator exists only natively (`cargo bench -p wasix-sys --bench sim_vs_host`)");
}
