//! Spawning and joining: a join gives the closure's value (natively also its panic), `exit` ends only its
//! thread, ids are distinct and stable, scoped threads borrow and are joined, builders name their threads,
//! and a spawned thread shares its process's fds.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use wasix::thread::{self, Builder, Exited};

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn a_join_gives_the_closures_value() {
    let handle = thread::spawn(|| 6 * 7);
    assert_eq!(handle.join().unwrap(), 42);
    let text = thread::spawn(|| String::from("from a thread")).join().unwrap();
    assert_eq!(text, "from a thread");
}

/// Natively only: on wasm a panic aborts the whole process (`panic = "abort"`), so there is nothing to join.
#[test]
#[cfg(not(target_family = "wasm"))]
fn a_join_gives_the_closures_panic() {
    let handle = thread::spawn(|| -> u32 { std::panic::panic_any(17_u32) });
    let payload = handle.join().unwrap_err();
    assert_eq!(payload.downcast_ref::<u32>(), Some(&17));
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn exit_ends_only_its_thread() {
    let after = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&after);
    let handle = thread::spawn(move || {
        if std::hint::black_box(true) {
            thread::exit(3);
        }
        seen.store(1, Ordering::SeqCst);
    });
    let payload = handle.join().unwrap_err();
    assert_eq!(payload.downcast_ref::<Exited>(), Some(&Exited { code: 3 }));
    assert_eq!(after.load(Ordering::SeqCst), 0, "nothing after exit ran");
    // This thread goes on.
    assert_eq!(thread::spawn(|| 1).join().unwrap(), 1);
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn a_thread_sees_the_id_its_spawn_returned() {
    let me = thread::current_id().unwrap();
    let handle = thread::spawn(|| thread::current_id().unwrap());
    let id = handle.id();
    let seen = handle.join().unwrap();
    assert_eq!(seen, id);
    assert_ne!(seen, me);
    assert!(seen.as_raw() >= 2, "spawned threads count up from 2, the main thread being 1: {seen}");
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn a_thousand_spawns_give_a_thousand_distinct_ids() {
    let mut ids = HashSet::new();
    // 20 at a time, so the host never holds more than 20 threads for this test.
    for _ in 0..50 {
        let handles: Vec<_> = (0..20).map(|_| thread::spawn(|| thread::current_id().unwrap())).collect();
        for handle in handles {
            let id = handle.id();
            assert_eq!(handle.join().unwrap(), id);
            ids.insert(id);
        }
    }
    assert_eq!(ids.len(), 1000);
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn scoped_threads_borrow_and_are_joined() {
    let mut numbers = vec![1_u64, 2, 3, 4, 5, 6, 7, 8];
    let total = AtomicUsize::new(0);
    thread::scope(|s| {
        let (left, right) = numbers.split_at_mut(4);
        let total = &total;
        s.spawn(move || {
            left.iter_mut().for_each(|n| *n *= 10);
            total.fetch_add(left.len(), Ordering::SeqCst);
        });
        let joined = s.spawn(move || {
            right.iter_mut().for_each(|n| *n *= 100);
            total.fetch_add(right.len(), Ordering::SeqCst);
            right.len()
        });
        assert_eq!(joined.join().unwrap(), 4);
    });
    // The scope joined the thread nobody joined: its writes are all there.
    assert_eq!(numbers, [10, 20, 30, 40, 500, 600, 700, 800]);
    assert_eq!(total.into_inner(), 8);
}

/// Natively only, for the same reason as `a_join_gives_the_closures_panic`.
#[test]
#[cfg(not(target_family = "wasm"))]
fn a_scope_whose_unjoined_thread_panicked_panics() {
    let outcome = std::panic::catch_unwind(|| thread::scope(|s| drop(s.spawn(|| panic!("in a scoped thread")))));
    assert!(outcome.is_err());
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn a_builder_names_its_thread_and_sizes_its_stack() {
    let handle = Builder::new()
        .name("worker".into())
        .stack_size(512 * 1024)
        .spawn(|| {
            // Use some of the stack the builder asked for.
            let buf = std::hint::black_box([7_u8; 64 * 1024]);
            (thread::current_name(), buf.iter().map(|&b| u64::from(b)).sum::<u64>())
        })
        .unwrap();
    assert_eq!(handle.join().unwrap(), (Some("worker".to_owned()), 7 * 64 * 1024));
    assert_eq!(thread::spawn(thread::current_name).join().unwrap(), None);
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn a_thread_shares_its_processs_fds() {
    let (reader, writer) = wasix::fd::pipe().unwrap();
    let written = thread::spawn(move || wasix::fd::write(&writer, b"across threads").unwrap()).join().unwrap();
    let mut buf = [0; 32];
    let n = wasix::fd::read(&reader, &mut buf).unwrap();
    assert_eq!((written, &buf[..n]), (14, &b"across threads"[..]));
}

/// Natively: threads spawned through `wasix::thread` inherit their creator's scoped instance.
#[cfg(not(target_family = "wasm"))]
mod sim {
    use wasix::sim::{Config, Stdio};

    #[test]
    fn two_instances_spawn_threads_in_parallel_each_into_its_own() {
        let make = |name: &str| Config::new().arg(name).stdout(Stdio::capture()).build().unwrap();
        let (a, b) = (make("first"), make("second"));
        let run = |sim: wasix::sim::Sim| {
            std::thread::spawn(move || {
                sim.run(|| {
                    for _ in 0..25 {
                        let args = wasix::thread::spawn(|| {
                            let args = wasix::env::args().unwrap();
                            wasix::fd::write(wasix::fd::stdout(), format!("{}\n", args[0]).as_bytes()).unwrap();
                            args
                        });
                        assert_eq!(args.join().unwrap(), wasix::env::args().unwrap());
                    }
                });
                sim
            })
        };
        let (a, b) = (run(a), run(b));
        let (a, b) = (a.join().unwrap(), b.join().unwrap());
        assert_eq!(String::from_utf8(a.stdout()).unwrap(), "first\n".repeat(25));
        assert_eq!(String::from_utf8(b.stdout()).unwrap(), "second\n".repeat(25));
    }
}
