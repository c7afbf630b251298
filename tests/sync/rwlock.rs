//! `wasix::sync::RwLock`: readers share the lock and keep writers out, a writer keeps everybody out; with
//! threads, two readers are inside at once, a writer waits for the readers and readers for the writer, and
//! readers never see half a write; natively, a panicking writer poisons the lock and a panicking reader
//! does not.

use std::sync::TryLockError;
use wasix::sync::RwLock;

#[test]
fn readers_share_the_lock_and_keep_the_writer_out() {
    let lock = RwLock::new(1);
    let (a, b) = (lock.read().unwrap(), lock.try_read().expect("a second reader"));
    assert_eq!(*a + *b, 2);
    assert!(matches!(lock.try_write(), Err(TryLockError::WouldBlock)));
    drop((a, b));
    let mut writer = lock.try_write().expect("no readers left");
    *writer = 2;
    assert!(matches!(lock.try_read(), Err(TryLockError::WouldBlock)));
    assert!(matches!(lock.try_write(), Err(TryLockError::WouldBlock)));
    assert_eq!(format!("{lock:?}"), "RwLock { data: <locked>, poisoned: false, .. }");
    drop(writer);
    assert_eq!(format!("{lock:?}"), "RwLock { data: 2, poisoned: false, .. }");
}

#[test]
fn into_inner_and_get_mut_reach_the_data() {
    let mut lock = RwLock::new(String::from("a"));
    lock.get_mut().unwrap().push('b');
    lock.write().unwrap().push('c');
    assert!(!lock.is_poisoned());
    assert_eq!(lock.into_inner().unwrap(), "abc");
}

/// Threads need `wasm32-wasip1-threads` on wasm, where these are ignored unless run with `--include-ignored`.
mod threads {
    use crate::{eventually, join};
    use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
    use std::sync::Arc;
    use std::time::Duration;
    use wasix::sync::RwLock;
    use wasix_conformance::spawn;

    #[test]
    #[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
    fn two_readers_are_inside_at_once() {
        let lock = Arc::new(RwLock::new(()));
        let inside = Arc::new(AtomicU32::new(0));
        let readers: Vec<_> = (0..2)
            .map(|_| {
                let (lock, inside) = (Arc::clone(&lock), Arc::clone(&inside));
                spawn(move || {
                    let _guard = lock.read().unwrap();
                    inside.fetch_add(1, Ordering::AcqRel);
                    // Holding the read lock until the other reader is inside too: only possible if both
                    // hold it at once.
                    eventually(|| inside.load(Ordering::Acquire) == 2)
                })
            })
            .collect();
        for reader in readers {
            assert!(join(reader).unwrap(), "the other reader never got in while this one was inside");
        }
    }

    #[test]
    #[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
    fn a_writer_waits_for_the_readers() {
        let lock = Arc::new(RwLock::new(0));
        let written = Arc::new(AtomicBool::new(false));
        let reader = lock.read().unwrap();
        let writer = {
            let (lock, written) = (Arc::clone(&lock), Arc::clone(&written));
            spawn(move || {
                *lock.write().unwrap() += 1;
                written.store(true, Ordering::Release);
            })
        };
        std::thread::sleep(Duration::from_millis(50));
        assert!(!written.load(Ordering::Acquire), "the writer got in beside a reader");
        assert_eq!(*reader, 0);
        drop(reader);
        join(writer).unwrap();
        assert_eq!(*lock.read().unwrap(), 1);
    }

    #[test]
    #[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
    fn a_reader_waits_for_the_writer() {
        let lock = Arc::new(RwLock::new(0));
        let read = Arc::new(AtomicBool::new(false));
        let mut writer = lock.write().unwrap();
        let reader = {
            let (lock, read) = (Arc::clone(&lock), Arc::clone(&read));
            spawn(move || {
                let value = *lock.read().unwrap();
                read.store(true, Ordering::Release);
                value
            })
        };
        std::thread::sleep(Duration::from_millis(50));
        assert!(!read.load(Ordering::Acquire), "the reader got in beside the writer");
        *writer = 9;
        drop(writer);
        assert_eq!(join(reader).unwrap(), 9, "the reader saw the write");
    }

    #[test]
    #[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
    fn readers_never_see_half_a_write() {
        const WRITES: u64 = 2_000;
        let lock = Arc::new(RwLock::new((0u64, 0u64)));
        let done = Arc::new(AtomicU32::new(0));
        let writers: Vec<_> = (0..2)
            .map(|_| {
                let (lock, done) = (Arc::clone(&lock), Arc::clone(&done));
                spawn(move || {
                    for _ in 0..WRITES {
                        let mut pair = lock.write().unwrap();
                        pair.0 += 1;
                        std::hint::spin_loop();
                        pair.1 += 1;
                    }
                    done.fetch_add(1, Ordering::Release);
                })
            })
            .collect();
        let readers: Vec<_> = (0..2)
            .map(|_| {
                let (lock, done) = (Arc::clone(&lock), Arc::clone(&done));
                spawn(move || {
                    let mut torn = 0;
                    while done.load(Ordering::Acquire) < 2 {
                        let pair = lock.read().unwrap();
                        torn += u32::from(pair.0 != pair.1);
                    }
                    torn
                })
            })
            .collect();
        writers.into_iter().for_each(|w| join(w).unwrap());
        for reader in readers {
            assert_eq!(join(reader).unwrap(), 0, "a reader saw half a write");
        }
        assert_eq!(*lock.read().unwrap(), (2 * WRITES, 2 * WRITES));
    }
}

/// Poisoning needs a panic that unwinds, which wasm (aborting on panic) has not: native only.
#[cfg(panic = "unwind")]
mod poison {
    use crate::join;
    use std::sync::Arc;
    use wasix::sync::RwLock;
    use wasix_conformance::spawn;

    #[test]
    fn a_panic_while_writing_poisons_and_while_reading_does_not() {
        let lock = Arc::new(RwLock::new(1));
        let reader = {
            let lock = Arc::clone(&lock);
            spawn(move || {
                let _guard = lock.read().unwrap();
                panic!("a panic while holding a read lock (expected by the test)");
            })
        };
        assert!(join(reader).is_err());
        assert!(!lock.is_poisoned(), "readers cannot have broken the data");

        let writer = {
            let lock = Arc::clone(&lock);
            spawn(move || {
                let mut guard = lock.write().unwrap();
                *guard = 3;
                panic!("a panic while holding the write lock (expected by the test)");
            })
        };
        assert!(join(writer).is_err());
        assert!(lock.is_poisoned());
        assert_eq!(*lock.read().unwrap_err().into_inner(), 3);
        assert!(lock.try_write().is_err());
        lock.clear_poison();
        assert_eq!(*lock.write().unwrap(), 3);
        let lock = Arc::try_unwrap(lock).expect("the only reference");
        assert_eq!(lock.into_inner().unwrap(), 3);
    }
}
