//! The simulator against the direct host call it stands for, measured in the same run (DESIGN §8).
//!
//! Each pair runs many iterations per round, simulator and host rounds alternating; the fastest round of
//! each side counts. The table shows nanoseconds per call and the ratio simulator / host, in the format
//! `scripts/bench` collects. No assertions: the numbers are for people.
//!
//! Three rows have no target. The simulator's own cost per call with no host call behind it (about 15 ns on
//! the development machine, a 2-core AMD EPYC VM). And what the machine charges for a return executed
//! after a syscall into a frame entered before it: on that VM (SRSO "Safe RET" without microcode,
//! retpolines) the first such return costs about 65 ns and each further one about 10 ns, while calls
//! made after the syscall, atomics and plain instructions cost what they cost anywhere. That is why the
//! simulator's `fd_read`/`fd_write` are inlined into their callers down to the syscall (`sim/fd/ops.rs`):
//! before, four returns followed each syscall and the simulator measured 70-120 ns over the host per call.
//! And the host calls `path_open` + `fd_close` cannot do without (the sandbox's `openat2` and the `fstat`
//! telling the new fd's type) against the baseline's `openat` + `close`: the floor under that row.
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
