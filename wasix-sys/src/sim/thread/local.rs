//! `thread_local_create`, `thread_local_destroy`, `thread_local_set` and `thread_local_get` (the simulator
//! half of `wasix::thread`'s keys), with POSIX `pthread_key_*` semantics where the seed is silent.
//!
//! - A key belongs to its instance; each thread has its own value for it, 0 until set.
//! - When a thread that `thread_spawn` started ends (returning or through `thread_exit`), the export named
//!   by `callback_thread_local_destroy` (default `_thread_local_destroy`) is called once for each of its
//!   non-zero values, with the key's `user_data` and the value, after the value was reset to 0; values
//!   set again by a destructor get further rounds, at most [`DESTRUCTOR_ROUNDS`] in all (POSIX's
//!   `PTHREAD_DESTRUCTOR_ITERATIONS`). Nothing is called when nothing is exported under the name. The main
//!   thread's values are never destroyed (its end is the process's end, as with POSIX `exit`).
//! - `thread_local_destroy` deletes a key at once, even while threads hold values for it: their
//!   destructors are not called (POSIX `pthread_key_delete`). Key numbers are never reused, so a deleted
//!   key stays deleted: setting, getting or destroying it (or any number never created) is `INVAL`.
//! - Keys are numbered from 1; creating one after 2³² − 1 of them is `AGAIN`.

use super::super::exports::{Callback, Export};
use super::super::state::{self, State};
use super::super::{mem, status};
use crate::{Errno, TlKey, TlVal};
use std::cell::RefCell;
use std::collections::HashMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{PoisonError, RwLock};

/// How many times a thread's destructors are run while they keep setting values.
pub const DESTRUCTOR_ROUNDS: usize = 4;

/// An instance's keys and their `user_data`.
#[derive(Debug)]
pub(crate) struct Keys {
    next: AtomicU32,
    live: RwLock<HashMap<TlKey, u64>>,
}

impl Default for Keys {
    fn default() -> Self {
        Keys { next: AtomicU32::new(1), live: RwLock::default() }
    }
}

impl Keys {
    fn user_data(&self, key: TlKey) -> Option<u64> {
        self.live.read().unwrap_or_else(PoisonError::into_inner).get(&key).copied()
    }
}

thread_local! {
    /// This thread's non-zero values, by (process id, key): a thread may run in several instances.
    static VALUES: RefCell<HashMap<(u32, TlKey), TlVal>> = RefCell::new(HashMap::new());
}

pub(crate) unsafe fn thread_local_create(user_data: u64, ret: *mut TlKey) -> Errno {
    if ret.is_null() {
        // Checked first: a key that cannot be returned must not be created.
        return Errno::FAULT;
    }
    state::with(|s| {
        let Ok(key) = s.keys.next.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_add(1)) else {
            return Errno::AGAIN;
        };
        s.keys.live.write().unwrap_or_else(PoisonError::into_inner).insert(key, user_data);
        // SAFETY: `ret` is non-null (checked) and valid per the ABI contract.
        status(unsafe { mem::write(ret, key) })
    })
}

pub(crate) unsafe fn thread_local_destroy(key: TlKey) -> Errno {
    state::with(|s| match s.keys.live.write().unwrap_or_else(PoisonError::into_inner).remove(&key) {
        Some(_) => Errno::SUCCESS,
        None => Errno::INVAL,
    })
}

pub(crate) unsafe fn thread_local_set(key: TlKey, val: TlVal) -> Errno {
    state::with(|s| {
        if s.keys.user_data(key).is_none() {
            return Errno::INVAL;
        }
        let stored = VALUES.try_with(|v| {
            let mut v = v.borrow_mut();
            if val == 0 {
                v.remove(&(s.pid(), key));
            } else {
                v.insert((s.pid(), key), val);
            }
        });
        // A thread already tearing down its thread-locals keeps no new values (as POSIX allows).
        stored.map_or(Errno::AGAIN, |()| Errno::SUCCESS)
    })
}

pub(crate) unsafe fn thread_local_get(key: TlKey, ret: *mut TlVal) -> Errno {
    state::with(|s| {
        if s.keys.user_data(key).is_none() {
            return Errno::INVAL;
        }
        let val = VALUES.try_with(|v| v.borrow().get(&(s.pid(), key)).copied().unwrap_or(0)).unwrap_or(0);
        // SAFETY: out-pointer per the ABI contract.
        status(unsafe { mem::write(ret, val) })
    })
}

/// Runs the calling thread's destructors for its values in `state` (see the module docs), then forgets
/// them. Called by the spawn wrapper inside the instance, so the destructors' own calls are served by it.
pub(crate) fn run_destructors(state: &State) {
    for _ in 0..DESTRUCTOR_ROUNDS {
        // Take this round's values out first: a destructor may set values again (next round).
        let Ok(values) = VALUES.try_with(|v| {
            let mut v = v.borrow_mut();
            let mine: Vec<_> = v.keys().filter(|(pid, _)| *pid == state.pid()).copied().collect();
            mine.into_iter().filter_map(|k| v.remove(&k).map(|val| (k.1, val))).collect::<Vec<_>>()
        }) else {
            return;
        };
        let live: Vec<_> =
            values.into_iter().filter_map(|(key, val)| Some((state.keys.user_data(key)?, val))).collect();
        if live.is_empty() {
            return;
        }
        let Some(Export::ThreadLocalDestroy(destroy)) = state.callbacks.resolve(Callback::ThreadLocalDestroy) else {
            return;
        };
        for (user_data, val) in live {
            // SAFETY: the guest exported `destroy` as its thread-local destructor. A destructor that
            // panics or exits its thread ends only itself; the others still run.
            let _ = panic::catch_unwind(AssertUnwindSafe(|| unsafe { destroy(user_data, val) }));
        }
    }
    let _ = VALUES.try_with(|v| v.borrow_mut().retain(|(pid, _), _| *pid != state.pid()));
}

/// Moves the calling thread's values of process `from` to process `to` (a `proc_fork` child, which keeps
/// its thread-locals under its new pid).
pub(crate) fn renumber(from: u32, to: u32) {
    let _ = VALUES.try_with(|v| {
        let mut v = v.borrow_mut();
        let mine: Vec<_> = v.keys().filter(|(pid, _)| *pid == from).copied().collect();
        for key in mine {
            if let Some(val) = v.remove(&key) {
                v.insert((to, key.1), val);
            }
        }
    });
}
