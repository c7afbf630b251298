//! Threads through the safe API: workers spawned in a scope sum slices of one vector, each counting its
//! items in a thread-local value and adding its part to a shared total under a `wasix::sync::Mutex`; a
//! futex hands a flag from the last worker back to the main thread. Natively it runs on the simulator;
//! built for `wasm32-wasip1-threads` it runs on Wasmer (`wasmer run threads.wasm`), where it imports only
//! what Wasmer serves (checked by `wasix-sys/tests/wasm_imports.rs`).

use std::cell::Cell;
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use wasix::sync::{futex, Mutex};
use wasix::thread::{self, Local};

static ITEMS: Local<Cell<u64>> = Local::new(|| Cell::new(0));

fn main() {
    let workers = thread::available_parallelism().map_or(2, |n| n.get()).clamp(2, 8);
    let numbers: Vec<u64> = (1..=10_000).collect();
    let total = Mutex::new(0_u64);
    let done = AtomicU32::new(0);
    let ids = Mutex::new(BTreeSet::new());
    thread::scope(|s| {
        for part in numbers.chunks(numbers.len().div_ceil(workers)) {
            let (total, done, ids) = (&total, &done, &ids);
            s.spawn(move || {
                for n in part {
                    ITEMS.set(ITEMS.get() + 1);
                    *total.lock().unwrap() += n;
                }
                assert_eq!(ITEMS.get(), part.len() as u64);
                ids.lock().unwrap().insert(thread::current_id().unwrap());
                if done.fetch_add(1, Ordering::SeqCst) + 1 == workers as u32 {
                    futex::wake_all(done).unwrap();
                }
            });
        }
        while done.load(Ordering::SeqCst) < workers as u32 {
            let seen = done.load(Ordering::SeqCst);
            futex::wait(&done, seen, Some(Duration::from_millis(100))).unwrap();
        }
    });
    let total = total.into_inner().unwrap();
    let ids = ids.into_inner().unwrap();
    assert_eq!(total, 10_000 * 10_001 / 2);
    assert_eq!(ids.len(), workers, "every worker had its own id");
    println!("threads: {workers} workers, {} distinct ids, sum {total}", ids.len());
}
