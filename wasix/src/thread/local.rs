//! Typed thread-local values over WASIX's thread-local keys: [`Local`].
//!
//! A [`Local<T>`] owns one key (`thread_local_create`, on first use); each thread's value is a boxed `T`
//! whose address is the key's value. The key's `user_data` names the drop function of `T` in this
//! module's table, so the destructor export ([`destroy_value`], `_thread_local_destroy`) drops exactly the
//! values this module made, and ignores values of keys it did not create.

use crate::io::Errno;
use core::cell::{Cell, RefCell};
use core::fmt;
use std::sync::{Mutex, OnceLock, PoisonError};
use wasix_sys::{Pid, TlKey};

thread_local! {
    /// The name [`super::Builder::name`] gave the calling thread.
    pub(super) static NAME: RefCell<Option<std::sync::Arc<str>>> = const { RefCell::new(None) };
}

/// `Builder::name`—The calling thread's name, if it was spawned with one through [`super::Builder`].
pub fn current_name() -> Option<String> {
    NAME.try_with(|n| n.borrow().as_deref().map(str::to_owned)).ok().flatten()
}

/// Marks a key's `user_data` as this module's: the high half, with the table index in the low half.
const MAGIC: u64 = 0x7761_7378 << 32;

/// The drop functions of the types of every [`Local`] created so far, indexed by the low half of their
/// keys' `user_data`.
static DROPS: Mutex<Vec<unsafe fn(u64)>> = Mutex::new(Vec::new());

/// Drops the `Box<T>` whose address is `value`.
///
/// # Safety
/// `value` must be a `Box<T>` leaked by [`Local::with`], dropped once.
unsafe fn drop_box<T>(value: u64) {
    // SAFETY: per the contract.
    drop(unsafe { Box::from_raw(value as usize as *mut T) });
}

/// The destructor export (`_thread_local_destroy`): drops `value` if `user_data` marks one of this
/// module's keys, and does nothing for other keys. Public only so the host profile and the simulator's
/// export table can name it.
///
/// # Safety
/// Called by the host at thread exit with a key's `user_data` and the thread's value for it.
#[doc(hidden)]
pub unsafe extern "C-unwind" fn destroy_value(user_data: u64, value: u64) {
    if user_data & !0xffff_ffff != MAGIC || value == 0 {
        return;
    }
    let drop_fn = DROPS.lock().unwrap_or_else(PoisonError::into_inner).get((user_data & 0xffff_ffff) as usize).copied();
    if let Some(drop_fn) = drop_fn {
        // SAFETY: the key was created by `Local::<T>::key` with `drop_box::<T>` at this index, and the
        // host passes each value once, after resetting the thread's value to 0.
        unsafe { drop_fn(value) }
    }
}

/// A thread-local value of type `T`, created by `init` on each thread's first use, dropped when a
/// spawned thread ends (the main thread's value is never dropped, as with POSIX keys). Usable in a
/// `static`:
///
/// ```
/// use std::cell::Cell;
/// use wasix::thread::Local;
///
/// static COUNT: Local<Cell<u32>> = Local::new(|| Cell::new(0));
///
/// wasix::sim::Config::new().build().unwrap().run(|| {
///     COUNT.set(5);
///     let other = wasix::thread::spawn(|| COUNT.get()).join().unwrap();
///     assert_eq!((COUNT.get(), other), (5, 0));
/// });
/// ```
///
/// Natively (and on any host with `thread_local_*`) each `Local` is one WASIX key; on Wasmer 7.4.2,
/// which lacks those imports, the host profile keeps the keys in wasm TLS. A key belongs to the process
/// (natively the simulator instance) it was created in, on first use.
///
/// # References
/// - [`wasix_sys::thread_local_create`], [`wasix_sys::thread_local_get`], [`wasix_sys::thread_local_set`]
/// - [`std::thread::LocalKey`]
pub struct Local<T: 'static> {
    init: fn() -> T,
    /// The index of `drop_box::<T>` in [`DROPS`].
    drop_index: OnceLock<u64>,
    /// The key in each process (natively: each simulator instance) that used this value, by process id.
    keys: Mutex<Vec<(Pid, TlKey)>>,
}

/// Why a [`Local`] could not be reached: the host refused to create its key or read its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccessError(pub Errno);

impl fmt::Display for AccessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "thread-local value unavailable: {}", self.0)
    }
}

impl std::error::Error for AccessError {}

impl<T: 'static> fmt::Debug for Local<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Local").finish_non_exhaustive()
    }
}

impl<T: 'static> Local<T> {
    /// A thread-local value made by `init` on each thread's first use.
    pub const fn new(init: fn() -> T) -> Local<T> {
        Local { init, drop_index: OnceLock::new(), keys: Mutex::new(Vec::new()) }
    }

    /// The key in the calling process, created on its first use there with `user_data` naming
    /// `drop_box::<T>`.
    fn key(&self) -> Result<TlKey, Errno> {
        let index = *self.drop_index.get_or_init(|| {
            let mut drops = DROPS.lock().unwrap_or_else(PoisonError::into_inner);
            drops.push(drop_box::<T>);
            drops.len() as u64 - 1
        });
        let pid = crate::process::id()?;
        let mut keys = self.keys.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(&(_, key)) = keys.iter().find(|(p, _)| *p == pid) {
            return Ok(key);
        }
        // SAFETY: `ret` is valid for the key written on success.
        let key = unsafe { crate::conv::out(|ret| crate::host::thread_local_create(MAGIC | index, ret)) }?;
        keys.push((pid, key));
        Ok(key)
    }

    /// Runs `f` with the calling thread's value, creating it first if needed.
    ///
    /// # Panics
    /// If the host fails the key (see [`Local::try_with`]).
    pub fn with<R>(&'static self, f: impl FnOnce(&T) -> R) -> R {
        match self.try_with(f) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        }
    }

    /// Runs `f` with the calling thread's value, creating it first if needed; fails if the host cannot
    /// create the key or set the value.
    pub fn try_with<R>(&'static self, f: impl FnOnce(&T) -> R) -> Result<R, AccessError> {
        let key = self.key().map_err(AccessError)?;
        // SAFETY: `ret` is valid for the value written on success.
        let mut value =
            unsafe { crate::conv::out(|ret| crate::host::thread_local_get(key, ret)) }.map_err(AccessError)?;
        if value == 0 {
            let boxed = Box::into_raw(Box::new((self.init)()));
            // SAFETY: `thread_local_set` takes no pointers.
            if let Err(e) = crate::conv::result(unsafe { crate::host::thread_local_set(key, boxed as usize as u64) }) {
                // SAFETY: not stored anywhere: still ours.
                drop(unsafe { Box::from_raw(boxed) });
                return Err(AccessError(e));
            }
            value = boxed as usize as u64;
        }
        // SAFETY: `value` is this thread's `Box<T>`, made above or on an earlier call, and only dropped by
        // the destructor when the thread ends: after every `with` on it has returned. `T` is only reached
        // through shared references, so no `&mut` aliases it.
        Ok(f(unsafe { &*(value as usize as *const T) }))
    }
}

impl<T: Copy + 'static> Local<Cell<T>> {
    /// The calling thread's value.
    pub fn get(&'static self) -> T {
        self.with(Cell::get)
    }

    /// Sets the calling thread's value.
    pub fn set(&'static self, value: T) {
        self.with(|c| c.set(value));
    }
}

impl<T: 'static> Local<RefCell<T>> {
    /// Runs `f` with a shared borrow of the calling thread's value.
    ///
    /// # Panics
    /// If the value is mutably borrowed.
    pub fn with_borrow<R>(&'static self, f: impl FnOnce(&T) -> R) -> R {
        self.with(|c| f(&c.borrow()))
    }

    /// Runs `f` with a mutable borrow of the calling thread's value.
    ///
    /// # Panics
    /// If the value is borrowed.
    pub fn with_borrow_mut<R>(&'static self, f: impl FnOnce(&mut T) -> R) -> R {
        self.with(|c| f(&mut c.borrow_mut()))
    }

    /// Replaces the calling thread's value, returning the old one.
    pub fn replace(&'static self, value: T) -> T {
        self.with(|c| c.replace(value))
    }
}
