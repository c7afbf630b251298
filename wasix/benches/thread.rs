//! Threads: `wasix::thread::spawn` + `join` of an empty closure in a scoped simulator instance vs
//! `std::thread::spawn` + `join` (the baseline, measured in the same run), and a `wasix::thread::Local`
//! read vs std's `thread_local!`, printed in the table format `scripts/bench` collects. No assertions:
//! timings vary with the machine.
//!
//! Run with `cargo bench -p wasix --bench thread`. Built for wasm the benchmark only says so.

#[cfg(not(target_family = "wasm"))]
fn main() {
    native::main();
}

#[cfg(target_family = "wasm")]
fn main() {
    eprintln!("thread: run natively (`cargo bench -p wasix --bench thread`)");
}

#[cfg(not(target_family = "wasm"))]
#[path = "common/mod.rs"]
mod common;

#[cfg(not(target_family = "wasm"))]
mod native {
    use std::cell::Cell;
    use std::hint::black_box;

    use super::common::{compare, ROUNDS};

    static OURS: wasix::thread::Local<Cell<u64>> = wasix::thread::Local::new(|| Cell::new(1));

    std::thread_local! {
        static STD: Cell<u64> = const { Cell::new(1) };
    }

    pub fn main() {
        let sim = wasix::sim::Config::new().build().expect("a simulator instance");
        sim.run(run);
    }

    fn run() {
        println!("wasix::thread (ns) vs std (baseline ns), fastest of {ROUNDS} alternating rounds\n");
        println!("| call | ns | baseline ns | ratio | target | |");
        println!("|---|---:|---:|---:|---:|---|");
        compare(
            "spawn + join (empty closure)",
            2_000,
            Some(1.15),
            || black_box(std::thread::spawn(|| black_box(1)).join().ok()).map_or((), drop),
            || black_box(wasix::thread::spawn(|| black_box(1)).join().ok()).map_or((), drop),
        );
        compare(
            "thread-local read (`Local` vs `thread_local!`)",
            1_000_000,
            None,
            || {
                black_box(STD.with(Cell::get));
            },
            || {
                black_box(OURS.get());
            },
        );
    }
}
