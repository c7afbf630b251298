//! Threads at the raw level: `thread_spawn` entering registered exports (renamed by `callback_thread` and
//! `callback_reactor`), Wasmer's id numbering, joins and their errors, `thread_exit` and `proc_exit` on
//! spawned and main threads, instance inheritance, and thread-local keys with their destructors. Every
//! wait is bounded, so no test can hang.

#![cfg(not(target_family = "wasm"))] // The simulator exists only natively.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};
use wasix_sys::sim::exports::{export, Export};
use wasix_sys::sim::{Config, Exit, Sim, Stdio};
use wasix_sys::*;

/// What a `user_data` points at: the entry records what it saw, then acts.
struct Job {
    /// The thread's `thread_id`, as it saw it.
    tid: AtomicU64,
    /// Set when the entry ran to its end.
    finished: AtomicU64,
    /// 0: return; 1: `thread_exit(code)`; 2: `proc_exit(code)`; 3: sleep 50 ms, then `thread_exit(code)`.
    action: u32,
    code: u32,
}

impl Job {
    fn new(action: u32, code: u32) -> Box<Job> {
        Box::new(Job { tid: AtomicU64::new(0), finished: AtomicU64::new(0), action, code })
    }

    fn user_data(&self) -> u64 {
        self as *const Job as usize as u64
    }
}

unsafe extern "C-unwind" fn job_entry(user_data: u64) {
    // SAFETY: every spawn in this file passes a `Job` that outlives the thread (it is joined).
    let job = unsafe { &*(user_data as usize as *const Job) };
    let mut tid = 0;
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { thread_id(&mut tid) }, Errno::SUCCESS);
    job.tid.store(tid.into(), Ordering::SeqCst);
    match job.action {
        // SAFETY: no pointers.
        1 => unsafe { thread_exit(job.code) },
        // SAFETY: no pointers.
        2 => unsafe { proc_exit(job.code) },
        3 => {
            std::thread::sleep(Duration::from_millis(50));
            // SAFETY: no pointers.
            unsafe { thread_exit(job.code) }
        }
        _ => {}
    }
    job.finished.store(1, Ordering::SeqCst);
}

/// A reactor entry: records that it, not the thread entry, ran.
unsafe extern "C-unwind" fn reactor_entry(user_data: u64) {
    // SAFETY: as for `job_entry`.
    let job = unsafe { &*(user_data as usize as *const Job) };
    job.finished.store(2, Ordering::SeqCst);
}

/// Destructor calls seen, as (user_data, value).
static DESTROYED: Mutex<Vec<(u64, u64)>> = Mutex::new(Vec::new());

unsafe extern "C-unwind" fn record_destroy(user_data: u64, value: u64) {
    DESTROYED.lock().unwrap().push((user_data, value));
}

/// A destructor that sets its key's value again (the key is `user_data`), to count rounds.
static ROUNDS: AtomicUsize = AtomicUsize::new(0);

unsafe extern "C-unwind" fn resetting_destroy(user_data: u64, value: u64) {
    ROUNDS.fetch_add(1, Ordering::SeqCst);
    // SAFETY: no pointers.
    unsafe { thread_local_set(user_data as TlKey, value + 1) };
}

/// Registers this file's exports under names no other code uses; each test selects them per instance.
fn exports() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        export("test_entry", Export::Thread(job_entry));
        export("test_reactor", Export::Thread(reactor_entry));
        export("test_destroy", Export::ThreadLocalDestroy(record_destroy));
        export("test_resetting_destroy", Export::ThreadLocalDestroy(resetting_destroy));
    });
}

/// A fresh instance whose thread and reactor callbacks are this file's.
fn instance() -> Sim {
    exports();
    let sim = Config::new().build().unwrap();
    sim.run(|| {
        // SAFETY: valid names.
        unsafe {
            callback_thread(b"test_entry".as_ptr(), 10);
            callback_reactor(b"test_reactor".as_ptr(), 12);
            callback_thread_local_destroy(b"test_destroy".as_ptr(), 12);
        }
    });
    sim
}

fn spawn(job: &Job) -> Result<Tid, Errno> {
    spawn_with(job, 0, 0, Bool::FALSE)
}

fn spawn_with(job: &Job, stack_base: u64, stack_start: u64, reactor: Bool) -> Result<Tid, Errno> {
    let mut tid = 0;
    // SAFETY: valid out-pointer; `job` outlives the thread (the callers join it).
    match unsafe { thread_spawn(job.user_data(), stack_base, stack_start, reactor, &mut tid) } {
        Errno::SUCCESS => Ok(tid),
        e => Err(e),
    }
}

fn join(tid: Tid) -> Errno {
    // SAFETY: no pointers.
    unsafe { thread_join(tid) }
}

fn my_tid() -> Tid {
    let mut tid = 0;
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { thread_id(&mut tid) }, Errno::SUCCESS);
    tid
}

#[test]
fn spawned_threads_run_their_entry_and_are_numbered_as_on_wasmer() {
    instance().run(|| {
        assert_eq!(my_tid(), 1, "the main thread is 1");
        let jobs: Vec<_> = (0..3).map(|_| Job::new(0, 0)).collect();
        let tids: Vec<_> = jobs.iter().map(|j| spawn(j).unwrap()).collect();
        assert_eq!(tids, [2, 3, 4]);
        for (job, tid) in jobs.iter().zip(&tids) {
            assert_eq!(join(*tid), Errno::SUCCESS);
            assert_eq!(job.tid.load(Ordering::SeqCst), u64::from(*tid), "the thread saw the id spawn returned");
            assert_eq!(job.finished.load(Ordering::SeqCst), 1);
        }
    });
}

#[test]
fn a_reactor_enters_the_reactor_export() {
    instance().run(|| {
        let job = Job::new(0, 0);
        let tid = spawn_with(&job, 0, 0, Bool::TRUE).unwrap();
        assert_eq!(join(tid), Errno::SUCCESS);
        assert_eq!(job.finished.load(Ordering::SeqCst), 2);
    });
}

#[test]
fn spawning_needs_an_exported_entry() {
    exports();
    Config::new().build().unwrap().run(|| {
        let job = Job::new(0, 0);
        // SAFETY: valid name.
        unsafe { callback_thread(b"nothing_exported_here".as_ptr(), 21) };
        assert_eq!(spawn(&job), Err(Errno::NOTCAPABLE));
        // A name that cannot be read leaves the callback as it was.
        // SAFETY: a null name with a length: the call must ignore it.
        unsafe { callback_thread(std::ptr::null(), 4) };
        assert_eq!(spawn(&job), Err(Errno::NOTCAPABLE));
        // SAFETY: valid name.
        unsafe { callback_thread(b"test_entry".as_ptr(), 10) };
        let tid = spawn(&job).unwrap();
        assert_eq!(join(tid), Errno::SUCCESS);
    });
}

#[test]
fn bad_spawns_are_refused_and_start_nothing() {
    instance().run(|| {
        let job = Job::new(0, 0);
        assert_eq!(spawn_with(&job, 0, 0, Bool::from_raw(2)), Err(Errno::INVAL));
        assert_eq!(spawn_with(&job, 4096, 1024, Bool::FALSE), Err(Errno::INVAL), "a stack ending before it starts");
        // SAFETY: a null out-pointer: `FAULT`, and no thread may start.
        assert_eq!(unsafe { thread_spawn(job.user_data(), 0, 0, Bool::FALSE, std::ptr::null_mut()) }, Errno::FAULT);
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(job.finished.load(Ordering::SeqCst), 0);
        // The next thread still gets the next id: none was used by the refused spawns.
        let tid = spawn(&job).unwrap();
        assert_eq!(tid, 2);
        assert_eq!(join(tid), Errno::SUCCESS);
    });
}

#[test]
fn a_stack_range_sizes_the_host_stack() {
    instance().run(|| {
        let job = Job::new(0, 0);
        // A tiny range still gets the simulator's minimum; a large one its own size.
        for (base, start) in [(0x1000, 0x1100), (0x10_0000, 0x10_0000 + 8 * 1024 * 1024)] {
            let tid = spawn_with(&job, base, start, Bool::FALSE).unwrap();
            assert_eq!(join(tid), Errno::SUCCESS);
        }
        assert_eq!(job.finished.load(Ordering::SeqCst), 1);
    });
}

#[test]
fn joins_of_oneself_unknown_or_joined_threads_fail() {
    instance().run(|| {
        assert_eq!(join(my_tid()), Errno::DEADLK);
        assert_eq!(join(12345), Errno::SRCH);
        assert_eq!(join(0), Errno::SRCH);
        let job = Job::new(0, 0);
        let tid = spawn(&job).unwrap();
        assert_eq!(join(tid), Errno::SUCCESS);
        assert_eq!(join(tid), Errno::SRCH, "a second join");
    });
}

#[test]
fn a_join_waits_for_the_thread() {
    instance().run(|| {
        let job = Job::new(3, 0);
        let start = Instant::now();
        let tid = spawn(&job).unwrap();
        assert_eq!(join(tid), Errno::SUCCESS);
        assert!(start.elapsed() >= Duration::from_millis(50));
    });
}

#[test]
fn thread_exit_ends_only_the_spawned_thread() {
    let sim = instance();
    let exit = sim.run_main(|| {
        let job = Job::new(1, 9);
        let tid = spawn(&job).unwrap();
        assert_eq!(join(tid), Errno::SUCCESS);
        assert_eq!(job.tid.load(Ordering::SeqCst), u64::from(tid));
        assert_eq!(job.finished.load(Ordering::SeqCst), 0, "nothing after thread_exit ran");
    });
    assert_eq!(exit, Exit(0), "the main thread returned: the process ends with 0");
}

#[test]
fn thread_exit_on_the_main_thread_waits_for_the_others() {
    let sim = instance();
    let job = Job::new(3, 7);
    let start = Instant::now();
    let exit = sim.run_main(|| {
        spawn(&job).unwrap();
        // SAFETY: no pointers.
        unsafe { thread_exit(0) }
    });
    assert!(start.elapsed() >= Duration::from_millis(50), "run_main waited for the spawned thread");
    assert_eq!(exit, Exit(7), "the last thread to exit gave the code");
    assert_eq!(job.tid.load(Ordering::SeqCst), 2);
}

#[test]
fn proc_exit_on_a_spawned_thread_ends_the_process_with_its_code() {
    let sim = instance();
    let exit = sim.run_main(|| {
        let job = Job::new(2, 42);
        let tid = spawn(&job).unwrap();
        assert_eq!(join(tid), Errno::SUCCESS);
        assert_eq!(job.finished.load(Ordering::SeqCst), 0);
    });
    assert_eq!(exit, Exit(42));
}

unsafe extern "C-unwind" fn args_entry(user_data: u64) {
    // SAFETY: the spawner passes an `AtomicU64` it joins before dropping.
    let out = unsafe { &*(user_data as usize as *const AtomicU64) };
    let (mut argc, mut size) = (0, 0);
    // SAFETY: valid out-pointers.
    assert_eq!(unsafe { args_sizes_get(&mut argc, &mut size) }, Errno::SUCCESS);
    let msg = format!("argc {argc}\n");
    let iov = Ciovec { buf: msg.as_ptr(), buf_len: msg.len() };
    let mut written = 0;
    // SAFETY: one valid ciovec and a valid out-pointer.
    assert_eq!(unsafe { fd_write(FD_STDOUT, &iov, 1, &mut written) }, Errno::SUCCESS);
    out.store(u64::from(argc) << 32 | u64::from(size), Ordering::SeqCst);
}

/// Two scoped instances spawn threads at the same time: each thread sees its creator's arguments and
/// writes to its creator's stdout.
#[test]
fn spawned_threads_run_in_their_creators_instance() {
    export("test_args_entry", Export::Thread(args_entry));
    let make = |args: &[&str]| {
        let mut config = Config::new().stdout(Stdio::capture());
        for a in args {
            config = config.arg(*a);
        }
        let sim = config.build().unwrap();
        // SAFETY: valid name.
        sim.run(|| unsafe { callback_thread(b"test_args_entry".as_ptr(), 15) });
        sim
    };
    let one = make(&["one"]);
    let three = make(&["a", "b", "c"]);
    let run = |sim: Sim| {
        std::thread::spawn(move || {
            sim.run(|| {
                for _ in 0..20 {
                    let seen = AtomicU64::new(0);
                    let mut tid = 0;
                    let user_data = &seen as *const AtomicU64 as usize as u64;
                    // SAFETY: valid out-pointer; `seen` outlives the joined thread.
                    assert_eq!(unsafe { thread_spawn(user_data, 0, 0, Bool::FALSE, &mut tid) }, Errno::SUCCESS);
                    assert_eq!(join(tid), Errno::SUCCESS);
                    let (argc, size) = (seen.load(Ordering::SeqCst) >> 32, seen.load(Ordering::SeqCst) & 0xffff_ffff);
                    let (mut my_argc, mut my_size) = (0, 0);
                    // SAFETY: valid out-pointers.
                    unsafe { args_sizes_get(&mut my_argc, &mut my_size) };
                    assert_eq!((argc, size), (u64::from(my_argc), u64::from(my_size)));
                }
            });
            sim
        })
    };
    let (one, three) = (run(one), run(three));
    let (one, three) = (one.join().unwrap(), three.join().unwrap());
    assert_eq!(String::from_utf8(one.stdout()).unwrap(), "argc 1\n".repeat(20));
    assert_eq!(String::from_utf8(three.stdout()).unwrap(), "argc 3\n".repeat(20));
}

fn create(user_data: u64) -> TlKey {
    let mut key = 0;
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { thread_local_create(user_data, &mut key) }, Errno::SUCCESS);
    key
}

fn get(key: TlKey) -> Result<TlVal, Errno> {
    let mut val = 0;
    // SAFETY: valid out-pointer.
    match unsafe { thread_local_get(key, &mut val) } {
        Errno::SUCCESS => Ok(val),
        e => Err(e),
    }
}

fn set(key: TlKey, val: TlVal) -> Errno {
    // SAFETY: no pointers.
    unsafe { thread_local_set(key, val) }
}

#[test]
fn keys_hold_one_value_per_thread() {
    instance().run(|| {
        let key = create(5);
        assert_eq!(get(key), Ok(0), "a value is 0 until set");
        assert_eq!(set(key, 77), Errno::SUCCESS);
        assert_eq!(get(key), Ok(77));
        let sim = Sim::current();
        let other = std::thread::spawn(move || sim.run(|| (get(key), set(key, 3), get(key)))).join().unwrap();
        assert_eq!(other, (Ok(0), Errno::SUCCESS, Ok(3)));
        assert_eq!(get(key), Ok(77));
    });
}

#[test]
fn bad_and_destroyed_keys_are_inval() {
    instance().run(|| {
        assert_eq!(get(0), Err(Errno::INVAL));
        assert_eq!(get(999_999), Err(Errno::INVAL));
        assert_eq!(set(999_999, 1), Errno::INVAL);
        // SAFETY: no pointers.
        assert_eq!(unsafe { thread_local_destroy(999_999) }, Errno::INVAL);
        // SAFETY: a null out-pointer: nothing is created.
        assert_eq!(unsafe { thread_local_create(1, std::ptr::null_mut()) }, Errno::FAULT);
        let key = create(1);
        assert_eq!(set(key, 5), Errno::SUCCESS);
        // A key with values can be destroyed (POSIX `pthread_key_delete`); it is gone for good.
        // SAFETY: no pointers.
        assert_eq!(unsafe { thread_local_destroy(key) }, Errno::SUCCESS);
        assert_eq!(get(key), Err(Errno::INVAL));
        assert_eq!(set(key, 1), Errno::INVAL);
        // SAFETY: no pointers.
        assert_eq!(unsafe { thread_local_destroy(key) }, Errno::INVAL);
        assert_ne!(create(1), key, "key numbers are not reused");
    });
    // Keys belong to their instance.
    let key = instance().run(|| create(1));
    instance().run(|| assert_eq!(get(key), Err(Errno::INVAL), "another instance has no keys"));
}

unsafe extern "C-unwind" fn tls_entry(user_data: u64) {
    // SAFETY: the spawner passes the three keys, which outlive the thread.
    let keys = unsafe { &*(user_data as usize as *const [TlKey; 3]) };
    set(keys[0], 100);
    set(keys[1], 200);
    // keys[2] stays 0: no destructor call for it.
    // SAFETY: no pointers: the destructors run on thread_exit too.
    unsafe { thread_exit(0) }
}

#[test]
fn destructors_run_once_per_non_zero_value_at_a_threads_end() {
    export("test_tls_entry", Export::Thread(tls_entry));
    instance().run(|| {
        // SAFETY: valid name.
        unsafe { callback_thread(b"test_tls_entry".as_ptr(), 14) };
        let keys = [create(0xa1), create(0xa2), create(0xa3)];
        let mut tid = 0;
        // SAFETY: valid out-pointer; `keys` outlives the joined thread.
        let spawned = unsafe { thread_spawn(&keys as *const _ as usize as u64, 0, 0, Bool::FALSE, &mut tid) };
        assert_eq!(spawned, Errno::SUCCESS);
        assert_eq!(join(tid), Errno::SUCCESS);
        let mut seen: Vec<_> =
            DESTROYED.lock().unwrap().iter().copied().filter(|(u, _)| (0xa1..=0xa3).contains(u)).collect();
        seen.sort();
        assert_eq!(seen, [(0xa1, 100), (0xa2, 200)]);
        // The main thread's values are never destroyed.
        set(keys[0], 5);
    });
}

#[test]
fn destructors_that_set_values_again_run_at_most_four_rounds() {
    exports();
    export("test_tls_entry_rounds", Export::Thread(tls_entry));
    instance().run(|| {
        // SAFETY: valid names.
        unsafe {
            callback_thread(b"test_tls_entry_rounds".as_ptr(), 21);
            callback_thread_local_destroy(b"test_resetting_destroy".as_ptr(), 22);
        }
        // The destructor's `user_data` is its key, so it can set its value again: in a fresh instance the
        // first key is 1.
        let key = create(1);
        assert_eq!(key, 1);
        let keys = [key, key, key];
        ROUNDS.store(0, Ordering::SeqCst);
        let mut tid = 0;
        // SAFETY: valid out-pointer; `keys` outlives the joined thread.
        let spawned = unsafe { thread_spawn(&keys as *const _ as usize as u64, 0, 0, Bool::FALSE, &mut tid) };
        assert_eq!(spawned, Errno::SUCCESS);
        assert_eq!(join(tid), Errno::SUCCESS);
        assert_eq!(ROUNDS.load(Ordering::SeqCst), 4);
    });
}
