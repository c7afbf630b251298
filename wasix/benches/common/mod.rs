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

/// The median nanoseconds of one operation of each side, each operation timed on its own, over `blocks`
/// blocks of `per_block` operations of each side in turn (ours, base, ours, …). For operations long
/// enough to time one at a time (tens of microseconds, as a request or a network round trip): a burst of
/// load from elsewhere on the machine then spoils a few samples of both sides alike instead of a whole round
/// of one side, while each block keeps its side's threads and caches warm as a long run would.
pub fn interleaved_medians(
    blocks: usize,
    per_block: usize,
    mut ours: impl FnMut(),
    mut base: impl FnMut(),
) -> (f64, f64) {
    interleaved_medians_fresh(blocks, per_block, || (), |()| ours(), || (), |()| base())
}

/// [`interleaved_medians`] where each block starts with a fresh state for its side (`new_ours`, `new_base`,
/// untimed: a new connection, with new server threads). On a virtual machine a pair of threads settles in
/// a fast or a slow way of waking each other (20 or 120 µs a round trip) and stays so: fresh threads per
/// block draw that luck anew for both sides.
pub fn interleaved_medians_fresh<A, B>(
    blocks: usize,
    per_block: usize,
    mut new_ours: impl FnMut() -> A,
    mut ours: impl FnMut(&mut A),
    mut new_base: impl FnMut() -> B,
    mut base: impl FnMut(&mut B),
) -> (f64, f64) {
    let (mut o, mut b) = (Vec::with_capacity(blocks * per_block), Vec::with_capacity(blocks * per_block));
    for _ in 0..blocks {
        let mut state = new_ours();
        for _ in 0..per_block {
            let start = Instant::now();
            ours(&mut state);
            o.push(start.elapsed().as_nanos() as f64);
        }
        drop(state);
        let mut state = new_base();
        for _ in 0..per_block {
            let start = Instant::now();
            base(&mut state);
            b.push(start.elapsed().as_nanos() as f64);
        }
    }
    if std::env::var_os("BENCH_QUANTILES").is_some() {
        for (side, v) in [("ours", &mut o), ("base", &mut b)] {
            v.sort_by(f64::total_cmp);
            let q = |p: usize| v[v.len() * p / 100];
            eprintln!("{side}: p10 {:.0} p25 {:.0} p50 {:.0} p75 {:.0} p90 {:.0}", q(10), q(25), q(50), q(75), q(90));
        }
    }
    (median(&mut o), median(&mut b))
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
