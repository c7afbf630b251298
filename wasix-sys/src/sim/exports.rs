//! The guest's exports, by name: what a wasm host finds in a module's export section, which a native
//! program does not have.
//!
//! WASIX enters guest code through exports the guest names: `thread_spawn` enters the export named by
//! `callback_thread` (default `_start_thread`), or by `callback_reactor` (default `_react`) for a reactor;
//! a thread's exit calls the one named by `callback_thread_local_destroy` (default `_thread_local_destroy`)
//! for each of its thread-local values; a signal enters the one named by `callback_signal` (default
//! `__wasm_signal`). Natively the guest registers those functions here, once per host
//! process (a native test binary is one module, so the table is the binary's, shared by every instance);
//! which name each `callback_*` call selects is per instance. The safe `wasix` crate registers its own
//! entries under the default names the first time it needs them; a raw user registers theirs with
//! [`export`] before calling `thread_spawn`.
//!
//! ```
//! use wasix_sys::sim::{exports::{self, Export}, Config};
//!
//! unsafe extern "C-unwind" fn entry(user_data: u64) {
//!     // SAFETY: the spawner passes the address of an `AtomicU64` that outlives the thread (it joins it).
//!     let seen = unsafe { &*(user_data as usize as *const std::sync::atomic::AtomicU64) };
//!     seen.store(user_data, std::sync::atomic::Ordering::SeqCst);
//! }
//!
//! exports::export("_start_thread", Export::Thread(entry));
//! Config::new().build().unwrap().run(|| {
//!     let seen = std::sync::atomic::AtomicU64::new(0);
//!     let user_data = &seen as *const _ as usize as u64;
//!     let mut tid = 0;
//!     // SAFETY: `tid` is a valid out-pointer; `user_data` stays valid until the join below.
//!     unsafe {
//!         assert_eq!(wasix_sys::thread_spawn(user_data, 0, 0, wasix_sys::Bool::FALSE, &mut tid), wasix_sys::Errno::SUCCESS);
//!         assert_eq!(wasix_sys::thread_join(tid), wasix_sys::Errno::SUCCESS);
//!     }
//!     assert_eq!(seen.into_inner(), user_data);
//! });
//! ```

use std::sync::{Mutex, PoisonError, RwLock};

/// A guest function a WASIX host may call.
///
/// The entries are `extern "C-unwind"` because the calls they make may unwind: natively `thread_exit`
/// and `proc_exit` end a thread by unwinding to the simulator's frame that entered it.
#[derive(Clone, Copy, Debug)]
pub enum Export {
    /// A thread or reactor entry, `(user_data)`: `_start_thread` and `_react` by default.
    Thread(unsafe extern "C-unwind" fn(u64)),
    /// A thread-local destructor, `(key's user_data, value)`: `_thread_local_destroy` by default.
    ThreadLocalDestroy(unsafe extern "C-unwind" fn(u64, u64)),
    /// A signal handler, `(signal)`: `__wasm_signal` by default (Wasmer's `(i32) -> ()`).
    Signal(unsafe extern "C-unwind" fn(crate::Signal)),
}

/// The export table: few entries, so a list (constant-initialised, no hashing) serves.
static EXPORTS: RwLock<Vec<(Box<[u8]>, Export)>> = RwLock::new(Vec::new());

/// Exports `f` under `name` (replacing what was there, which is returned), for every instance of this host
/// process.
pub fn export(name: &str, f: Export) -> Option<Export> {
    let mut table = EXPORTS.write().unwrap_or_else(PoisonError::into_inner);
    match table.iter_mut().find(|(n, _)| **n == *name.as_bytes()) {
        Some((_, old)) => Some(std::mem::replace(old, f)),
        None => {
            table.push((name.as_bytes().into(), f));
            None
        }
    }
}

/// What is exported under `name`, if anything.
pub fn exported(name: &[u8]) -> Option<Export> {
    let table = EXPORTS.read().unwrap_or_else(PoisonError::into_inner);
    table.iter().find(|(n, _)| **n == *name).map(|&(_, f)| f)
}

/// Which export each callback enters, per instance (`callback_thread`, `callback_reactor`,
/// `callback_thread_local_destroy`, `callback_signal`).
#[derive(Debug)]
pub(crate) struct Callbacks(Mutex<Names>);

#[derive(Debug)]
struct Names {
    thread: Box<[u8]>,
    reactor: Box<[u8]>,
    thread_local_destroy: Box<[u8]>,
    signal: Box<[u8]>,
}

/// One of the callbacks a guest can rename.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Callback {
    Thread,
    Reactor,
    ThreadLocalDestroy,
    Signal,
}

impl Default for Callbacks {
    fn default() -> Self {
        Callbacks(Mutex::new(Names {
            thread: (*b"_start_thread").into(),
            reactor: (*b"_react").into(),
            thread_local_destroy: (*b"_thread_local_destroy").into(),
            signal: (*b"__wasm_signal").into(),
        }))
    }
}

impl Callbacks {
    fn slot(names: &mut Names, which: Callback) -> &mut Box<[u8]> {
        match which {
            Callback::Thread => &mut names.thread,
            Callback::Reactor => &mut names.reactor,
            Callback::ThreadLocalDestroy => &mut names.thread_local_destroy,
            Callback::Signal => &mut names.signal,
        }
    }

    /// Gives every callback its default name again (`proc_exec`).
    pub(crate) fn reset(&self) {
        let defaults = Callbacks::default().0.into_inner().unwrap_or_else(PoisonError::into_inner);
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = defaults;
    }

    /// Makes `which` enter the export named `name` from now on.
    pub(crate) fn set(&self, which: Callback, name: &[u8]) {
        let mut names = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        *Self::slot(&mut names, which) = name.into();
    }

    /// The export `which` enters now, if one is exported under its name.
    pub(crate) fn resolve(&self, which: Callback) -> Option<Export> {
        let mut names = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        exported(Self::slot(&mut names, which))
    }
}
