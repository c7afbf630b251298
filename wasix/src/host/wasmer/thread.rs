//! The profile for `wasix::thread`: threads start through std, thread-local keys live in wasm TLS.
//!
//! - **Spawning.** Wasmer's `thread_spawn` is not the seed's: it takes a 64-byte start record
//!   (`stack_upper@0, tls_base@4, start_funct@8, start_args@12, reserved[10]@16, stack_size@56,
//!   guard_size@60`) and enters the guest's `wasi_thread_start(tid, start)` export without setting the
//!   stack pointer, which only a start routine written in wasm assembly can do (stable Rust does not
//!   accept it for wasm). std's thread start for `wasm32-wasip1-threads` does exactly that work, through
//!   the `wasi`.`thread-spawn` import Wasmer serves, so [`thread_spawn`] starts a std thread that enters
//!   the safe layer's `_start_thread` ([`crate::thread::start_thread`]), and Wasmer's own `thread_spawn`
//!   is never imported. The new thread reports its Wasmer `thread_id` before the call returns, so the id
//!   `thread_spawn` gives is the one the thread sees. Without threads (`wasm32-wasip1`) std cannot spawn:
//!   `NOTSUP`.
//! - **Joining and exiting.** [`thread_join`] waits for the end recorded by the thread itself (after its
//!   thread-local destructors); [`thread_exit`] runs those destructors, records the end and then calls
//!   Wasmer's `thread_exit`, which ends the thread without std's own clean-up (the thread's std stack is
//!   not reclaimed).
//! - **Thread-local keys.** Wasmer 7.4.2 has no `thread_local_*` imports (a module importing them does not
//!   instantiate), so the calls the safe layer makes (`thread_local_create`, `_set`, `_get`) are served
//!   here over a `thread_local!` table, with the seed's semantics as the simulator gives them (values 0
//!   until set, destructors for the non-zero values of a spawned thread at its end, at most 4 rounds,
//!   `INVAL` for keys never created). [`Local`](crate::thread::Local)s live in statics and never destroy
//!   their keys, so `thread_local_destroy` is not served. The
//!   destructor is the safe layer's `_thread_local_destroy` ([`crate::thread::destroy_value`]), the only
//!   export this profile serves.

#![allow(unsafe_code)] // Every item serves a raw call.

use std::cell::RefCell;
use std::sync::{mpsc, Arc, Condvar, Mutex, PoisonError};
use wasix_sys::{Bool, Errno, Exitcode, Tid, TlKey, TlVal};

/// How many times a thread's destructors are run while they keep setting values (the simulator's count).
const DESTRUCTOR_ROUNDS: usize = 4;

#[derive(Debug, Default)]
struct Record {
    ended: Mutex<bool>,
    cv: Condvar,
}

impl Record {
    fn end(&self) {
        *self.ended.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.cv.notify_all();
    }
}

/// Spawned threads not joined yet, by Wasmer's id.
static THREADS: Mutex<Vec<(Tid, Arc<Record>)>> = Mutex::new(Vec::new());

/// Every key created: its `user_data`. Key `k` is at index `k - 1`.
static KEYS: Mutex<Vec<u64>> = Mutex::new(Vec::new());

thread_local! {
    /// The record of the thread this profile spawned, if this is one.
    static SELF: RefCell<Option<Arc<Record>>> = const { RefCell::new(None) };
    /// This thread's non-zero values.
    static VALUES: RefCell<Vec<(TlKey, TlVal)>> = const { RefCell::new(Vec::new()) };
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Wasmer's id for the calling thread.
fn current_tid() -> Result<Tid, Errno> {
    // SAFETY: `ret` is valid for the `tid` written on success.
    unsafe { crate::conv::out(|ret| wasix_sys::thread_id(ret)) }
}

/// `thread_spawn` over std's thread start (see the module docs): only this crate's entry is served.
///
/// # Safety
/// As for [`wasix_sys::thread_spawn`]; `user_data` must be what [`crate::thread::start_thread`] expects.
pub(crate) unsafe fn thread_spawn(
    user_data: u64,
    stack_base: u64,
    stack_start: u64,
    reactor: Bool,
    ret: *mut Tid,
) -> Errno {
    if ret.is_null() {
        return Errno::FAULT;
    }
    match reactor {
        Bool::FALSE => {}
        // The safe layer starts no reactors; Wasmer has no reactor entry.
        Bool::TRUE => return Errno::NOTSUP,
        _ => return Errno::INVAL,
    }
    let Some(size) = stack_start.checked_sub(stack_base) else { return Errno::INVAL };
    let mut builder = std::thread::Builder::new();
    if size > 0 {
        builder = builder.stack_size(size as usize);
    }
    let (tell, told) = mpsc::sync_channel(1);
    let spawned = builder.spawn(move || {
        let record = Arc::new(Record::default());
        let tid = current_tid();
        if let Ok(tid) = tid {
            lock(&THREADS).push((tid, Arc::clone(&record)));
        }
        let failed = tid.is_err();
        if !failed {
            // Before the id is known: a signal sent to it finds its handler.
            super::signal::name_on_new_thread();
        }
        let _ = tell.send(tid);
        if failed {
            return;
        }
        let _ = SELF.try_with(|s| *s.borrow_mut() = Some(Arc::clone(&record)));
        // SAFETY: per the contract, `user_data` is what `start_thread` expects, for this one thread.
        unsafe { crate::thread::start_thread(user_data) };
        run_destructors();
        record.end();
    });
    if let Err(e) = spawned {
        return match e.kind() {
            std::io::ErrorKind::Unsupported => Errno::NOTSUP,
            std::io::ErrorKind::OutOfMemory => Errno::NOMEM,
            _ => Errno::AGAIN,
        };
    }
    match told.recv() {
        // SAFETY: `ret` is non-null (checked) and valid per the ABI contract.
        Ok(Ok(tid)) => unsafe {
            ret.write_unaligned(tid);
            Errno::SUCCESS
        },
        Ok(Err(e)) => e,
        Err(_) => Errno::IO,
    }
}

/// `thread_join`: waits for a thread this profile spawned. `DEADLK` for oneself, `SRCH` for an id that is
/// not such a thread or was joined (Wasmer returns success at once there).
///
/// # Safety
/// None beyond the ABI's: `thread_join` takes no pointers.
pub(crate) unsafe fn thread_join(tid: Tid) -> Errno {
    if current_tid() == Ok(tid) {
        return Errno::DEADLK;
    }
    let record = {
        let mut threads = lock(&THREADS);
        match threads.iter().position(|(t, _)| *t == tid) {
            Some(i) => threads.swap_remove(i).1,
            None => return Errno::SRCH,
        }
    };
    let mut ended = lock(&record.ended);
    while !*ended {
        ended = record.cv.wait(ended).unwrap_or_else(PoisonError::into_inner);
    }
    Errno::SUCCESS
}

/// `thread_exit`: the thread's destructors and recorded end first (see the module docs), then Wasmer's.
///
/// # Safety
/// As for [`wasix_sys::thread_exit`].
pub(crate) unsafe fn thread_exit(rval: Exitcode) -> ! {
    if let Ok(Some(record)) = SELF.try_with(|s| s.borrow_mut().take()) {
        run_destructors();
        record.end();
    }
    // SAFETY: forwarded contract.
    unsafe { wasix_sys::thread_exit(rval) }
}

/// The `user_data` of live key `key`.
fn user_data(key: TlKey) -> Option<u64> {
    let index = usize::try_from(key).ok()?.checked_sub(1)?;
    lock(&KEYS).get(index).copied()
}

/// `thread_local_create` in wasm TLS.
///
/// # Safety
/// As for [`wasix_sys::thread_local_create`].
pub(crate) unsafe fn thread_local_create(user_data: u64, ret: *mut TlKey) -> Errno {
    if ret.is_null() {
        return Errno::FAULT;
    }
    let mut keys = lock(&KEYS);
    let Ok(key) = TlKey::try_from(keys.len() + 1) else { return Errno::AGAIN };
    keys.push(user_data);
    // SAFETY: non-null (checked), valid per the contract.
    unsafe { ret.write_unaligned(key) };
    Errno::SUCCESS
}

/// `thread_local_set` in wasm TLS.
///
/// # Safety
/// None beyond the ABI's.
pub(crate) unsafe fn thread_local_set(key: TlKey, val: TlVal) -> Errno {
    if user_data(key).is_none() {
        return Errno::INVAL;
    }
    let stored = VALUES.try_with(|v| {
        let mut v = v.borrow_mut();
        v.retain(|(k, _)| *k != key);
        if val != 0 {
            v.push((key, val));
        }
    });
    stored.map_or(Errno::AGAIN, |()| Errno::SUCCESS)
}

/// `thread_local_get` in wasm TLS.
///
/// # Safety
/// As for [`wasix_sys::thread_local_get`].
pub(crate) unsafe fn thread_local_get(key: TlKey, ret: *mut TlVal) -> Errno {
    if user_data(key).is_none() {
        return Errno::INVAL;
    }
    if ret.is_null() {
        return Errno::FAULT;
    }
    let val = VALUES.try_with(|v| v.borrow().iter().find(|(k, _)| *k == key).map_or(0, |&(_, val)| val)).unwrap_or(0);
    // SAFETY: non-null (checked), valid per the contract.
    unsafe { ret.write_unaligned(val) };
    Errno::SUCCESS
}

/// Runs the calling thread's destructors, as the simulator does at a spawned thread's end.
fn run_destructors() {
    for _ in 0..DESTRUCTOR_ROUNDS {
        let Ok(values) = VALUES.try_with(|v| core::mem::take(&mut *v.borrow_mut())) else { return };
        let live: Vec<_> = values.into_iter().filter_map(|(key, val)| Some((user_data(key)?, val))).collect();
        if live.is_empty() {
            return;
        }
        for (user_data, val) in live {
            // SAFETY: the safe layer's destructor, given a key's `user_data` and this thread's value.
            unsafe { crate::thread::destroy_value(user_data, val) };
        }
    }
}

/// The profile's own records and keys, natively (its calls to Wasmer's `thread_id` go to the simulator).
#[cfg(all(test, not(target_family = "wasm")))]
mod tests {
    use super::*;

    #[test]
    fn joins_of_oneself_and_of_threads_it_did_not_start_fail() {
        // SAFETY: no pointers.
        unsafe {
            assert_eq!(thread_join(current_tid().unwrap()), Errno::DEADLK);
            assert_eq!(thread_join(0x7fff_0000), Errno::SRCH);
        }
    }

    #[test]
    fn keys_hold_one_value_per_thread_and_unknown_keys_are_inval() {
        let mut key = 0;
        // SAFETY: valid out-pointers throughout.
        unsafe {
            assert_eq!(thread_local_create(0, &mut key), Errno::SUCCESS);
            assert_eq!(thread_local_create(0, core::ptr::null_mut()), Errno::FAULT);
            let mut val = 9;
            assert_eq!(thread_local_get(key, &mut val), Errno::SUCCESS);
            assert_eq!(val, 0);
            assert_eq!(thread_local_set(key, 41), Errno::SUCCESS);
            assert_eq!(thread_local_get(key, &mut val), Errno::SUCCESS);
            assert_eq!(val, 41);
            let other = std::thread::spawn(move || {
                let mut val = 9;
                thread_local_get(key, &mut val);
                val
            });
            assert_eq!(other.join().unwrap(), 0, "another thread has its own value");
            assert_eq!(thread_local_set(0, 1), Errno::INVAL);
            assert_eq!(thread_local_get(key + 1000, &mut val), Errno::INVAL);
            // A value of a key the safe layer did not make is dropped by nobody: the destructor ignores it.
            run_destructors();
            assert_eq!(thread_local_get(key, &mut val), Errno::SUCCESS);
            assert_eq!(val, 0, "the destructors reset the thread's values");
        }
    }
}
