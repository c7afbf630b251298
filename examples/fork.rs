//! `fork`: the process copies itself; the child writes its pid and its parent's into a pipe and exits with
//! 7, the parent reads them, joins the child and checks its exit code. Prints what it saw; exits non-zero
//! if anything differs.
//!
//! Natively it runs on the simulator's default instance (a single-threaded host process: the host's
//! `fork`). On Wasmer 7.4.2 the module needs shared memory (`wasm32-wasip1-threads`; with plain
//! `wasm32-wasip1` Wasmer fails with "The memory is not shared"), an exported `__stack_pointer` (this
//! package's `build.rs` adds `--export=__stack_pointer` for this program) and asyncify:
//!
//! ```text
//! cargo build --release --target wasm32-wasip1-threads -p wasix-examples --bin fork
//! wasm-opt --enable-threads --enable-bulk-memory --asyncify -O \
//!     target/wasm32-wasip1-threads/release/fork.wasm -o fork.wasm
//! wasmer run fork.wasm
//! ```

use std::io::{Read, Write};
use wasix::process::{self, Fork};

fn main() {
    let (mut reader, mut writer) = wasix::fd::pipe().expect("a pipe");
    let me = process::id().expect("our pid");
    // SAFETY: this program runs no other thread.
    match unsafe { process::fork() }.expect("fork") {
        Fork::Child => {
            drop(reader);
            let line = format!("{} {}", process::id().unwrap(), process::parent_id().unwrap());
            writer.write_all(line.as_bytes()).unwrap();
            drop(writer);
            process::exit(7);
        }
        Fork::Parent(child) => {
            drop(writer);
            let mut got = String::new();
            reader.read_to_string(&mut got).expect("the child's line");
            let status = process::join(child).expect("join");
            println!("parent {me}: child {child} said {got:?} and exited with {}", status.code());
            let (pid, parent) = got.split_once(' ').expect("two numbers");
            if status.code() != 7 || pid.parse::<u32>().ok() != Some(child) || parent.parse::<u32>().ok() != Some(me) {
                eprintln!("fork: unexpected result");
                process::exit(1);
            }
        }
    }
}
