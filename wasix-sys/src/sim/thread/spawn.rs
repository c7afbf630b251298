//! `thread_spawn`, `thread_id`, `thread_join`, `thread_exit` and the `callback_thread`/`callback_reactor`
//! names they use (the simulator half of `wasix::thread`'s spawning).
//!
//! - **`thread_spawn(user_data, stack_base, stack_start, reactor)`** starts a host thread that enters the
//!   export named by `callback_thread` (default `_start_thread`), or by `callback_reactor` (default
//!   `_react`) when `reactor` is true, with `user_data`; the exports are the ones registered in
//!   [`super::super::exports`] (`NOTCAPABLE` when nothing is exported under the name, as Wasmer answers a
//!   module without its thread entry). The thread runs in its creator's instance: its fds, environment,
//!   current directory and clocks are the creator's. A reactor's entry is entered once, like a thread's
//!   (natively there is no event loop to re-enter it from); the thread lives until the entry returns.
//! - **The stack**: natively guest code runs on the host thread's own stack, so the guest range
//!   `stack_base..stack_start` is never touched; its length `stack_start - stack_base` is the size of the
//!   host thread's stack (at least [`MIN_STACK`]; 0 for the host's default). A range that ends before it
//!   starts is `INVAL`.
//! - **Ids** follow Wasmer 7.4.2: the main thread (every thread that entered the instance with
//!   `Sim::run`) is 1, spawned threads are numbered 2, 3, … in spawn order, never reused within an
//!   instance.
//! - **`thread_join(tid)`** blocks until the thread has ended (its thread-local destructors included): it
//!   joins the host thread, as `pthread_join` does.
//!   Joining oneself is `DEADLK`; an id that is not a spawned thread of this instance, or one already
//!   joined, is `SRCH` (Wasmer 7.4.2 returns success at once there). A thread never joined keeps a few
//!   bytes of record until its instance is dropped.
//! - **`thread_exit(rval)`** ends only the calling thread, after its thread-local destructors. The process
//!   ends when its last thread ends: `thread_exit` on the main thread inside `Sim::run_main` waits for the
//!   spawned threads, and `run_main` then returns the code of the last thread to end through
//!   `thread_exit` (0 if it returned; Wasmer 7.4.2 always ends with 0). In the default instance the host
//!   process exits then. Natively `thread_exit` unwinds to the frame that entered the thread.
//! - **`proc_exit` on a spawned thread** ends that thread and records the exit code; the simulator cannot
//!   stop the instance's other host threads, so `Sim::run_main` returns that code once its main closure
//!   is done.
//! - A panic that unwinds out of an entry ends its thread (the panic hook prints it as usual); on a wasm
//!   host it traps the whole process.

use super::super::exports::{Callback, Export};
use super::super::lock;
use super::super::state::{self, Exit, Sim, State};
use super::super::{errno, mem, status};
use super::local;
use crate::{Bool, Errno, Exitcode, Tid};
use std::cell::Cell;
use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

/// The main thread's id (Wasmer 7.4.2's numbering).
pub const MAIN_TID: Tid = 1;

/// The smallest host stack a spawned thread gets: native frames are larger than wasm's, so a guest
/// sizing its stack for wasm gets at least this much.
pub const MIN_STACK: usize = 64 * 1024;

/// The payload `thread_exit` unwinds with, caught where the thread was entered.
#[derive(Debug)]
pub(crate) struct ThreadExit(pub(crate) Exitcode);

thread_local! {
    /// The (process id, thread id) of the spawned thread this host thread is; (0, 0) for others.
    static SELF: Cell<(u32, Tid)> = const { Cell::new((0, 0)) };
}

/// An instance's threads.
#[derive(Debug)]
pub(crate) struct Threads {
    next: AtomicU32,
    /// Spawned threads not joined yet, running or ended.
    records: Mutex<HashMap<Tid, Arc<Record>>>,
    /// How many spawned threads are still running, and whom to tell when that reaches 0.
    live: Mutex<usize>,
    none_live: Condvar,
    /// The code of the last thread to end through `thread_exit`.
    last_code: AtomicU32,
    /// The code of a `proc_exit` made on a spawned thread.
    exit: Mutex<Option<Exitcode>>,
}

/// A spawned thread not joined yet: its host thread, joined by `thread_join` (which so waits for the host
/// thread's own exit, as `pthread_join` does, with no second wake-up to schedule).
#[derive(Debug, Default)]
struct Record {
    host: Mutex<Option<std::thread::JoinHandle<()>>>,
    /// Set when its entry has ended (signals then find no thread, see `sim/signal.rs`).
    ended: AtomicBool,
}

impl Default for Threads {
    fn default() -> Self {
        Threads {
            next: AtomicU32::new(MAIN_TID + 1),
            records: Mutex::default(),
            live: Mutex::new(0),
            none_live: Condvar::new(),
            last_code: AtomicU32::new(0),
            exit: Mutex::new(None),
        }
    }
}

impl Threads {
    /// A fresh id, or `AGAIN` once the 32-bit ids are used up.
    fn allocate(&self) -> Result<Tid, Errno> {
        self.next.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_add(1)).map_err(|_| Errno::AGAIN)
    }

    /// Blocks until no spawned thread runs, then gives the code of the last one to end.
    pub(crate) fn wait_for_none_live(&self) -> Exitcode {
        let mut live = lock(&self.live);
        while *live > 0 {
            live = self.none_live.wait(live).unwrap_or_else(PoisonError::into_inner);
        }
        self.last_code.load(Ordering::SeqCst)
    }

    /// Records the code of a `thread_exit` on a thread `thread_spawn` did not start.
    pub(crate) fn record_exit(&self, code: Exitcode) {
        let _live = lock(&self.live);
        self.last_code.store(code, Ordering::SeqCst);
    }

    /// The code a `proc_exit` on a spawned thread asked for.
    pub(crate) fn exit_requested(&self) -> Option<Exitcode> {
        *lock(&self.exit)
    }

    /// Whether `tid` is the main thread or a spawned thread of this instance whose entry has not ended.
    pub(crate) fn is_running(&self, tid: Tid) -> bool {
        tid == MAIN_TID || lock(&self.records).get(&tid).is_some_and(|r| !r.ended.load(Ordering::SeqCst))
    }

    fn started(&self, tid: Tid) -> Arc<Record> {
        let record = Arc::new(Record::default());
        lock(&self.records).insert(tid, Arc::clone(&record));
        *lock(&self.live) += 1;
        record
    }

    /// A spawned thread has ended with `code` (or never started): wake whoever waits for the last thread.
    fn ended(&self, code: Option<Exitcode>) {
        let mut live = lock(&self.live);
        if let Some(code) = code {
            self.last_code.store(code, Ordering::SeqCst);
        }
        *live -= 1;
        if *live == 0 {
            self.none_live.notify_all();
        }
    }
}

/// The calling thread's id in `state`.
pub(crate) fn current_tid(state: &State) -> Tid {
    match SELF.get() {
        (pid, tid) if pid == state.pid() && tid != 0 => tid,
        _ => MAIN_TID,
    }
}

/// Whether the calling thread is a thread `thread_spawn` started in `state`.
pub(crate) fn is_spawned(state: &State) -> bool {
    current_tid(state) != MAIN_TID
}

pub(crate) unsafe fn thread_spawn(
    user_data: u64,
    stack_base: u64,
    stack_start: u64,
    reactor: Bool,
    ret: *mut Tid,
) -> Errno {
    if ret.is_null() {
        // Checked first: a thread whose id cannot be returned must not start.
        return Errno::FAULT;
    }
    let callback = match reactor {
        Bool::FALSE => Callback::Thread,
        Bool::TRUE => Callback::Reactor,
        _ => return Errno::INVAL,
    };
    let Some(size) = stack_start.checked_sub(stack_base) else { return Errno::INVAL };
    let Ok(size) = usize::try_from(size) else { return Errno::INVAL };
    let sim = Sim::current();
    let state = &sim.state;
    let Some(Export::Thread(entry)) = state.callbacks.resolve(callback) else { return Errno::NOTCAPABLE };
    let tid = match state.threads.allocate() {
        Ok(tid) => tid,
        Err(e) => return e,
    };
    let mut builder = std::thread::Builder::new().name(format!("wasix {}:{tid}", state.pid()));
    if size > 0 {
        builder = builder.stack_size(size.max(MIN_STACK));
    }
    let record = state.threads.started(tid);
    let child = sim.clone();
    let mine = Arc::clone(&record);
    let spawned = builder.spawn(move || {
        SELF.set((child.pid(), tid));
        // SAFETY: the guest exported `entry` as a thread entry taking its `user_data`.
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| child.run(|| unsafe { entry(user_data) })));
        let code = match outcome {
            Ok(()) => None,
            Err(payload) => match payload.downcast::<ThreadExit>() {
                Ok(exit) => Some(exit.0),
                Err(payload) => {
                    if let Some(&Exit(code)) = payload.downcast_ref::<Exit>() {
                        *lock(&child.state.threads.exit) = Some(code);
                    }
                    None
                }
            },
        };
        // Signals still pending are dropped, and none reaches the thread from now on.
        child.state.signals.forget(tid, || mine.ended.store(true, Ordering::SeqCst));
        child.run(|| local::run_destructors(&child.state));
        child.state.threads.ended(Some(code.unwrap_or(0)));
    });
    match spawned {
        Ok(host) => {
            *lock(&record.host) = Some(host);
            // SAFETY: `ret` is non-null (checked) and valid per the ABI contract.
            status(unsafe { mem::write(ret, tid) })
        }
        Err(e) => {
            lock(&state.threads.records).remove(&tid);
            state.threads.ended(None);
            errno::from_io(&e)
        }
    }
}

pub(crate) unsafe fn thread_id(ret: *mut Tid) -> Errno {
    // SAFETY: out-pointer per the ABI contract.
    status(state::with(|s| unsafe { mem::write(ret, current_tid(s)) }))
}

pub(crate) unsafe fn thread_join(tid: Tid) -> Errno {
    let record = state::with(|s| {
        if tid == current_tid(s) {
            return Err(Errno::DEADLK);
        }
        lock(&s.threads.records).remove(&tid).ok_or(Errno::SRCH)
    });
    let record = match record {
        Ok(r) => r,
        Err(e) => return e,
    };
    // Taken out of the lock first: the handle is stored before `thread_spawn` returns the id, so it is
    // there for anyone who knows the id. The host thread catches every unwind, so its join cannot fail.
    let host = lock(&record.host).take();
    if let Some(host) = host {
        let _ = host.join();
    }
    Errno::SUCCESS
}

pub(crate) unsafe fn thread_exit(rval: Exitcode) -> ! {
    let (spawned, scoped) = state::with(|s| (is_spawned(s), state::in_scoped_instance()));
    if spawned || scoped {
        // Caught where the thread entered the instance: the spawn wrapper, or `Sim::run_main`.
        panic::resume_unwind(Box::new(ThreadExit(rval)))
    }
    // The default instance's main thread: the process ends when its last thread does.
    super::super::process::refuse_if_denied("thread_exit", rval);
    let code = state::with(|s| {
        s.threads.record_exit(rval);
        s.threads.wait_for_none_live()
    });
    std::process::exit(code as i32)
}

/// Reads a callback's name; a name that cannot be read leaves the callback as it was (these calls return
/// nothing, so there is no errno to give).
pub(crate) unsafe fn set_callback(which: Callback, name: *const u8, len: usize) {
    // SAFETY: the name's bytes per the ABI contract.
    if let Ok(name) = unsafe { mem::slice(name, len) } {
        state::with(|s| s.callbacks.set(which, name));
    }
}

pub(crate) unsafe fn callback_thread(callback: *const u8, callback_len: usize) {
    // SAFETY: per the ABI contract.
    unsafe { set_callback(Callback::Thread, callback, callback_len) }
}

pub(crate) unsafe fn callback_reactor(callback: *const u8, callback_len: usize) {
    // SAFETY: per the ABI contract.
    unsafe { set_callback(Callback::Reactor, callback, callback_len) }
}

pub(crate) unsafe fn callback_thread_local_destroy(callback: *const u8, callback_len: usize) {
    // SAFETY: per the ABI contract.
    unsafe { set_callback(Callback::ThreadLocalDestroy, callback, callback_len) }
}
