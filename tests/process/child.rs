//! `wasix-child`: the program the process tests start, natively as a host executable (through the
//! simulator's host programs) and on Wasmer as a `.wasm` by its path. Its first argument picks a role:
//!
//! - `echo`: copies stdin to stdout until end-of-file;
//! - `exit N`: ends with exit code N;
//! - `args`: writes its arguments after argv\[0\], one per line;
//! - `sleep`: sleeps in 10 ms steps for at most 60 s (a child to signal);
//! - `fd N`: ends with 0 if fd N is open, 1 if not (what an exec kept);
//! - `parent`: writes its pid and its parent's, space-separated;
//! - `exec-keeps-fd`: opens a pipe and execs itself (argv\[0\]) as `fd <the write end>`.

use wasix::fd::{self, BorrowedFd};

fn write_all(mut buf: &[u8]) {
    while !buf.is_empty() {
        let n = fd::write(fd::stdout(), buf).expect("stdout");
        buf = &buf[n..];
    }
}

fn main() {
    let args = wasix::env::args().expect("args");
    match args.get(1).map(String::as_str) {
        Some("echo") => {
            let mut buf = vec![0; 64 * 1024];
            loop {
                match fd::read(fd::stdin(), &mut buf) {
                    Ok(0) => break,
                    Ok(n) => write_all(&buf[..n]),
                    Err(e) => panic!("stdin: {e}"),
                }
            }
        }
        Some("exit") => wasix::process::exit(args[2].parse().expect("a code")),
        Some("args") => {
            for a in &args[2..] {
                write_all(format!("{a}\n").as_bytes());
            }
        }
        Some("sleep") => {
            for _ in 0..6000 {
                wasix::thread::sleep(std::time::Duration::from_millis(10)).expect("sleep");
            }
            wasix::process::exit(3);
        }
        Some("fd") => {
            let n: u32 = args[2].parse().expect("an fd");
            // SAFETY: the fd is only asked for its status.
            let open = wasix::fd::fdstat(unsafe { BorrowedFd::borrow_raw(n) }).is_ok();
            wasix::process::exit(if open { 0 } else { 1 });
        }
        Some("parent") => {
            let (me, parent) = (wasix::process::id().expect("id"), wasix::process::parent_id().expect("parent"));
            write_all(format!("{me} {parent}").as_bytes());
        }
        Some("exec-keeps-fd") => {
            use wasix::fd::AsRawFd;
            let (reader, writer) = wasix::fd::pipe().expect("a pipe");
            let n = writer.as_raw_fd().to_string();
            std::mem::forget((reader, writer));
            let e = wasix::process::exec(&args[0], ["fd", n.as_str()]);
            panic!("exec of {:?} returned {e}", args[0]);
        }
        other => panic!("unknown role {other:?}"),
    }
}
