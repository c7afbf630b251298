//! Typed thread-local values: each thread has its own, made on first use, and a spawned thread's values
//! are dropped exactly once when it ends (natively over WASIX keys; on Wasmer 7.4.2, which lacks the
//! `thread_local_*` imports, over wasm TLS in the host profile).

use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use wasix::thread::{self, Local};

static NUMBER: Local<Cell<u32>> = Local::new(|| Cell::new(1));

#[test]
fn a_value_starts_from_its_init_and_keeps_what_is_set() {
    // Other tests of this process may run on this thread: set before reading.
    NUMBER.set(5);
    assert_eq!(NUMBER.get(), 5);
    NUMBER.with(|n| n.set(n.get() + 1));
    assert_eq!(NUMBER.get(), 6);
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn each_thread_has_its_own_value() {
    NUMBER.set(40);
    let theirs = thread::spawn(|| {
        let first = NUMBER.get();
        NUMBER.set(99);
        (first, NUMBER.get())
    })
    .join()
    .unwrap();
    assert_eq!(theirs, (1, 99));
    assert_eq!(NUMBER.get(), 40, "another thread's set leaves this one's value alone");
}

/// Counts drops by the id it carries.
struct Tracked(usize);

static DROPPED: Mutex<Vec<usize>> = Mutex::new(Vec::new());

impl Drop for Tracked {
    fn drop(&mut self) {
        DROPPED.lock().unwrap().push(self.0);
    }
}

static TRACKED: Local<RefCell<Option<Tracked>>> = Local::new(|| RefCell::new(None));
static NEXT: AtomicUsize = AtomicUsize::new(1000);

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn a_threads_values_are_dropped_once_when_it_ends() {
    let handles: Vec<_> = (0..8)
        .map(|_| {
            thread::spawn(|| {
                let id = NEXT.fetch_add(1, Ordering::SeqCst);
                TRACKED.replace(Some(Tracked(id)));
                // Touching the value again does not make a second one.
                TRACKED.with_borrow(|t| assert_eq!(t.as_ref().map(|t| t.0), Some(id)));
                id
            })
        })
        .collect();
    let ids: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    // The joins returned after the destructors ran.
    let dropped = DROPPED.lock().unwrap().clone();
    for id in &ids {
        assert_eq!(dropped.iter().filter(|d| *d == id).count(), 1, "value {id} dropped once: {dropped:?}");
    }
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn a_thread_that_exits_drops_its_values_too() {
    let handle = thread::spawn(|| {
        let id = NEXT.fetch_add(1, Ordering::SeqCst);
        TRACKED.replace(Some(Tracked(id)));
        DROPPED.lock().unwrap().retain(|d| *d != id);
        // `exit` never returns, so the id travels out through a second thread-local-free channel.
        LAST_EXITING.store(id, Ordering::SeqCst);
        thread::exit(0)
    });
    assert!(handle.join().is_err());
    let id = LAST_EXITING.load(Ordering::SeqCst);
    assert_eq!(DROPPED.lock().unwrap().iter().filter(|d| **d == id).count(), 1);
}

static LAST_EXITING: AtomicUsize = AtomicUsize::new(0);
