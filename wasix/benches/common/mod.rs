//! What several benchmarks share: timing a closure and printing one row of the table `scripts/bench`
//! collects (`| call | ns | baseline ns | ratio | target | met/missed |`). Included with
//! `#[path = "common/mod.rs"] mod common;`.

#![allow(dead_code)] // Each benchmark uses what it needs.

use std::time::Instant;

/// Rounds per side, alternating; the fastest round of each counts.
pub const ROUNDS: usize = 7;

/// Nanoseconds per call of `f` over `iters` calls.
pub fn time(iters: u32, f: &mut impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..iters {
        f();
    }
    start.elapsed().as_secs_f64() * 1e9 / f64::from(iters)
}

/// Prints the table's header.
pub fn header() {
    println!("| call | ns | baseline ns | ratio | target | met/missed |");
    println!("|---|---|---|---|---|---|");
}

/// Times both sides (interleaved round by round) and prints one row; `target` `None` for a row that only
/// informs.
pub fn compare(name: &str, iters: u32, target: Option<f64>, mut base: impl FnMut(), mut ours: impl FnMut()) {
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
