//! Hello from WASIX: prints the arguments, whether `HOME` is set, a realtime and a monotonic clock reading
//! and 8 random bytes, all through `wasix` (no `println!`).
//!
//! Natively it runs in the simulator's default instance (the host's args and env); on wasm, under a WASIX
//! host: `wasmer run --volume=. target/wasm32-wasip1/debug/hello.wasm -- some args`.

use std::io::Write;
use wasix::fd::Stdout;
use wasix::time::{self, Clock};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut out = Stdout;
    writeln!(out, "args: {:?}", wasix::env::args()?)?;
    let home = if wasix::env::var("HOME")?.is_some() { "set" } else { "not set" };
    writeln!(out, "HOME is {home}")?;
    writeln!(out, "realtime: {:?} since the epoch", time::now(Clock::REALTIME)?)?;
    writeln!(out, "monotonic: {:?}", time::now(Clock::MONOTONIC)?)?;
    let mut bytes = [0u8; 8];
    wasix::random::fill(&mut bytes)?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    writeln!(out, "random: {hex}")?;
    Ok(())
}
