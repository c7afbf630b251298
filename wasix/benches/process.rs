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
#[path = "common/mod.rs"]
mod common;

#[cfg(not(target_family = "wasm"))]
mod native {
    use std::hint::black_box;
    use wasix::signal::{self, Signal};

    use super::common::compare;

    fn handler(sig: Signal) {
        black_box(sig);
    }

    pub fn main() {
        super::common::header();
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
