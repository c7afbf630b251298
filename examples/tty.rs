//! The terminal through `wasix::tty`: prints its state; `tty raw` switches echo and line buffering off
//! first, `tty cooked` switches them on. On a real terminal the change is the terminal's own: the shell
//! sees it after the program exits (`stty sane` undoes it).
//!
//! `cargo run -p wasix-examples --bin tty -- raw`, or on Wasmer
//! `wasmer run target/wasm32-wasip1/debug/tty.wasm -- raw` (Wasmer needs a tty bridge for `tty_set`).

use std::io::Write;
use wasix::fd::Stdout;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut tty = wasix::tty::get()?;
    match std::env::args().nth(1).as_deref() {
        Some("raw") => tty.set_echo(false).set_line_buffered(false).apply()?,
        Some("cooked") => tty.set_echo(true).set_line_buffered(true).apply()?,
        Some(other) => return Err(format!("unknown mode {other:?}: use raw or cooked").into()),
        None => {}
    }
    let tty = wasix::tty::get()?;
    writeln!(
        Stdout,
        "size={}x{} stdin_tty={} stdout_tty={} echo={} line_buffered={}",
        tty.columns(),
        tty.rows(),
        tty.stdin_tty(),
        tty.stdout_tty(),
        tty.echo(),
        tty.line_buffered()
    )?;
    Ok(())
}
