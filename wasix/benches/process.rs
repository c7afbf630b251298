//! Processes: spawn + wait of a trivial host program (`/bin/true`) through `wasix::process::Command` in a
//! scoped simulator instance that allows host programs vs `std::process::Command` of the same program (the
//! baseline, measured in the same run), and a `raise` to a handler and back (informative: std has no
//! equivalent, the baseline is an empty function call through a pointer). Printed in the table format
//! `scripts/bench` collects; no assertions.
//!
//! Run with `cargo bench -p wasix --bench process`. Built for wasm the benchmark only says so.

#[cfg(not(target_family = "wasm"))]
fn main() {
    native::main();
}

#[cfg(target_family = "wasm")]
fn main() {
    eprintln!("process: run natively (`cargo bench -p wasix --bench process`)");
}

#[cfg(not(target_family = "wasm"))]
mod native {
    use std::hint::black_box;
    use std::time::Instant;
    use wasix::signal::{self, Signal};

    /// Rounds per side, alternating; the fastest round of each counts.
    const ROUNDS: usize = 7;

    fn time(iters: u32, f: &mut impl FnMut()) -> f64 {
        let start = Instant::now();
        for _ in 0..iters {
            f();
        }
        start.elapsed().as_secs_f64() * 1e9 / f64::from(iters)
    }

    fn compare(name: &str, iters: u32, target: Option<f64>, mut base: impl FnMut(), mut ours: impl FnMut()) {
        let (mut best_base, mut best_ours) = (f64::MAX, f64::MAX);
        for _ in 0..ROUNDS {
            best_base = best_base.min(time(iters, &mut base));
            best_ours = best_ours.min(time(iters, &mut ours));
        }
        let ratio = best_ours / best_base;
        match target {
            Some(t) => {
                let mark = if ratio <= t { "met" } else { "missed" };
                println!("| {name} | {best_ours:.1} | {best_base:.1} | {ratio:.3} | ≤ {t:.2} | {mark} |");
            }
            None => println!("| {name} | {best_ours:.1} | {best_base:.1} | {ratio:.3} | none | informative |"),
        }
    }

    fn handler(sig: Signal) {
        black_box(sig);
    }

    pub fn main() {
        println!("| call | ns | baseline ns | ratio | target | met/missed |");
        println!("|---|---|---|---|---|---|");
        let sim = wasix::sim::Config::new().host_programs(true).build().expect("a simulator instance");
        sim.run(|| {
            compare(
                "spawn + wait of /bin/true",
                40,
                Some(1.20),
                || assert!(std::process::Command::new("/bin/true").status().unwrap().success()),
                || assert!(wasix::process::Command::new("/bin/true").status().unwrap().success()),
            );
            signal::set_handler(Signal::Usr1, Some(handler)).unwrap();
            let call: fn(Signal) = black_box(handler);
            compare(
                "raise(usr1) to a handler and back",
                100_000,
                None,
                || call(black_box(Signal::Usr1)),
                || signal::raise(Signal::Usr1).unwrap(),
            );
        });
    }
}
