//! Spawning and joining: [`spawn`], [`Builder`], [`JoinHandle`], [`scope`].
//!
//! `thread_spawn`'s `user_data` is a boxed closure (`Box<Box<dyn FnOnce() + Send>>`, a thin pointer) that
//! [`start_thread`] takes back and runs; the closure stores the thread's result in a shared packet, which
//! [`JoinHandle::join`] reads after `thread_join` says the thread has ended.

use super::{Exited, ThreadId};
#[cfg(not(target_family = "wasm"))]
use crate::io::Errno;
use crate::io::Result;
use core::marker::PhantomData;
use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use wasix_sys::{Bool, Tid};

/// The closure a thread runs, as `user_data` carries it.
type Main = Box<dyn FnOnce() + Send + 'static>;

/// What a thread shares with its handles, whatever its result type.
#[derive(Debug, Default)]
struct Status {
    /// Whether `thread_join` was (or is being) called for it: exactly once per thread.
    joined: AtomicBool,
    /// Whether its closure panicked (for [`scope`]).
    panicked: AtomicBool,
    /// The code it gave [`super::exit`].
    exit: Mutex<Option<u32>>,
}

/// A thread's result, for its handle.
struct Packet<T> {
    status: Arc<Status>,
    result: Mutex<Option<std::thread::Result<T>>>,
}

thread_local! {
    /// The status of the thread this crate spawned and is running here, for [`super::exit`].
    static CURRENT: RefCell<Option<Arc<Status>>> = const { RefCell::new(None) };
}

/// Records that the calling thread is leaving through `thread_exit` with `code`.
pub(super) fn exiting(code: u32) {
    if let Ok(Some(status)) = CURRENT.try_with(|c| c.borrow().clone()) {
        *status.exit.lock().unwrap_or_else(PoisonError::into_inner) = Some(code);
    }
}

/// The guest's thread entry (`_start_thread`): runs the closure [`spawn`] passed as `user_data`. Public
/// only so the host profile and the simulator's export table can name it.
///
/// # Safety
/// `user_data` must come from this module's spawn, once.
#[doc(hidden)]
pub unsafe extern "C-unwind" fn start_thread(user_data: u64) {
    // SAFETY: per the contract, a `Box<Main>` leaked by `spawn_raw` for this one thread.
    let main = unsafe { Box::from_raw(user_data as usize as *mut Main) };
    main();
}

/// Registers this crate's exports with the simulator's export table (once per host process); fails with
/// `NOTCAPABLE` if other code has taken the default entry name since.
#[cfg(not(target_family = "wasm"))]
fn export_entries() -> Result<()> {
    use wasix_sys::sim::exports::{export, exported, Export};
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        export("_start_thread", Export::Thread(start_thread));
        export("_thread_local_destroy", Export::ThreadLocalDestroy(super::local::destroy_value));
    });
    match exported(b"_start_thread") {
        Some(Export::Thread(f)) if core::ptr::fn_addr_eq(f, start_thread as unsafe extern "C-unwind" fn(u64)) => Ok(()),
        _ => Err(Errno::NOTCAPABLE),
    }
}

#[cfg(target_family = "wasm")]
fn export_entries() -> Result<()> {
    Ok(())
}

/// Starts `f` on a new thread.
///
/// # Safety
/// Everything `f` borrows must outlive the thread: the caller joins it before that ends.
unsafe fn spawn_raw<'a, T: Send + 'a>(
    builder: Builder,
    f: impl FnOnce() -> T + Send + 'a,
) -> Result<(Tid, Arc<Packet<T>>)> {
    export_entries()?;
    let packet = Arc::new(Packet { status: Arc::default(), result: Mutex::new(None) });
    let theirs = Arc::clone(&packet);
    let name = builder.name.map(Arc::<str>::from);
    let main = move || {
        let _ = super::local::NAME.try_with(|n| *n.borrow_mut() = name);
        let _ = CURRENT.try_with(|c| *c.borrow_mut() = Some(Arc::clone(&theirs.status)));
        let outcome = panic::catch_unwind(AssertUnwindSafe(f));
        let _ = CURRENT.try_with(|c| c.borrow_mut().take());
        let exited = theirs.status.exit.lock().unwrap_or_else(PoisonError::into_inner).is_some();
        match outcome {
            Ok(value) => *theirs.result.lock().unwrap_or_else(PoisonError::into_inner) = Some(Ok(value)),
            // `thread_exit` unwinds natively: let it reach the host, which ends the thread.
            Err(payload) if exited => panic::resume_unwind(payload),
            Err(payload) => {
                theirs.status.panicked.store(true, Ordering::Relaxed);
                *theirs.result.lock().unwrap_or_else(PoisonError::into_inner) = Some(Err(payload));
            }
        }
    };
    let main: Box<dyn FnOnce() + Send + 'a> = Box::new(main);
    // SAFETY: only the lifetime changes; the caller keeps what `f` borrows alive until the join.
    let main: Main = unsafe { core::mem::transmute::<Box<dyn FnOnce() + Send + 'a>, Main>(main) };
    let user_data = Box::into_raw(Box::new(main)) as usize as u64;
    let stack_start = builder.stack_size.map_or(0, |s| s as u64);
    let mut tid = 0;
    // SAFETY: `tid` is valid for writing; `user_data` is what `start_thread` expects.
    let errno = unsafe { crate::host::thread_spawn(user_data, 0, stack_start, Bool::FALSE, &mut tid) };
    if let Err(e) = crate::conv::result(errno) {
        // SAFETY: the thread did not start, so the box is still ours.
        drop(unsafe { Box::from_raw(user_data as usize as *mut Main) });
        return Err(e);
    }
    Ok((tid, packet))
}

/// Waits for thread `tid` unless someone already did.
fn join_once(tid: Tid, status: &Status) -> Result<()> {
    if status.joined.swap(true, Ordering::AcqRel) {
        return Ok(());
    }
    // SAFETY: `thread_join` takes no pointers.
    crate::conv::result(unsafe { crate::host::thread_join(tid) })
}

impl<T> Packet<T> {
    /// The result after the join: the closure's value or panic, [`Exited`] for a thread that exited, and
    /// the errno if the join itself failed.
    fn take(&self, joined: Result<()>) -> std::thread::Result<T> {
        if let Err(e) = joined {
            return Err(Box::new(e));
        }
        if let Some(result) = self.result.lock().unwrap_or_else(PoisonError::into_inner).take() {
            return result;
        }
        let code = self.status.exit.lock().unwrap_or_else(PoisonError::into_inner).unwrap_or(0);
        Err(Box::new(Exited { code }))
    }
}

/// A thread's configuration: its name and stack size.
///
/// # References
/// - [`std::thread::Builder`]
#[derive(Debug, Default)]
#[must_use = "a Builder does nothing until it spawns"]
pub struct Builder {
    name: Option<String>,
    stack_size: Option<usize>,
}

impl Builder {
    /// A builder with no name and the host's default stack size.
    pub fn new() -> Builder {
        Builder::default()
    }

    /// Names the thread ([`super::current_name`] reports it).
    pub fn name(mut self, name: String) -> Builder {
        self.name = Some(name);
        self
    }

    /// The thread's stack size in bytes. Passed to `thread_spawn` as the stack range `0..size`: the
    /// simulator (natively guest code runs on a host stack) and the Wasmer profile (std allocates the
    /// stack) use only its length.
    pub fn stack_size(mut self, size: usize) -> Builder {
        self.stack_size = Some(size);
        self
    }

    /// Spawns `f` on a new thread with this configuration.
    ///
    /// # Errors
    /// What `thread_spawn` returns: `AGAIN` when the host cannot start another thread, `NOTSUP` on a host
    /// without threads (Wasmer for `wasm32-wasip1`).
    pub fn spawn<F, T>(self, f: F) -> Result<JoinHandle<T>>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        // SAFETY: `f` and `T` are `'static`: nothing borrowed can end before the thread.
        let (tid, packet) = unsafe { spawn_raw(self, f) }?;
        Ok(JoinHandle { tid, packet })
    }

    /// Spawns `f` on a new thread of `scope`.
    ///
    /// # Errors
    /// As for [`Builder::spawn`].
    pub fn spawn_scoped<'scope, 'env, F, T>(
        self,
        scope: &'scope Scope<'scope, 'env>,
        f: F,
    ) -> Result<ScopedJoinHandle<'scope, T>>
    where
        F: FnOnce() -> T + Send + 'scope,
        T: Send + 'scope,
    {
        // SAFETY: `scope` joins every thread it started before `'scope` ends (see `scope`).
        let (tid, packet) = unsafe { spawn_raw(self, f) }?;
        scope.threads.lock().unwrap_or_else(PoisonError::into_inner).push((tid, Arc::clone(&packet.status)));
        Ok(ScopedJoinHandle { tid, packet, scope: PhantomData })
    }
}

/// `thread_spawn`—Runs `f` on a new thread; natively in the caller's simulator instance.
///
/// # Panics
/// If the thread cannot be started, as [`std::thread::spawn`] does; use [`Builder::spawn`] for the errno.
///
/// # References
/// - [`wasix_sys::thread_spawn`]
/// - [`std::thread::spawn`]
#[doc(alias = "thread_spawn", alias = "pthread_create")]
pub fn spawn<F, T>(f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    match Builder::new().spawn(f) {
        Ok(handle) => handle,
        Err(e) => panic!("failed to spawn thread: {e}"),
    }
}

/// An owned permission to join a thread. Dropping it detaches the thread.
///
/// # References
/// - [`std::thread::JoinHandle`]
pub struct JoinHandle<T> {
    tid: Tid,
    packet: Arc<Packet<T>>,
}

impl<T> JoinHandle<T> {
    /// `thread_join`—Waits for the thread to end: `Ok` with its closure's value, `Err` with its panic's
    /// payload as std gives it, or with [`Exited`] if it left through [`super::exit`] (and with the
    /// [`Errno`] if the host failed the join).
    #[doc(alias = "thread_join", alias = "pthread_join")]
    pub fn join(self) -> std::thread::Result<T> {
        let joined = join_once(self.tid, &self.packet.status);
        self.packet.take(joined)
    }

    /// The thread's id.
    pub fn id(&self) -> ThreadId {
        ThreadId(self.tid)
    }

    /// Whether the thread has finished its closure (the join may still wait for its thread-local
    /// destructors).
    pub fn is_finished(&self) -> bool {
        self.packet.result.lock().unwrap_or_else(PoisonError::into_inner).is_some()
            || self.packet.status.exit.lock().unwrap_or_else(PoisonError::into_inner).is_some()
    }
}

impl<T> core::fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("JoinHandle").field("tid", &self.tid).finish_non_exhaustive()
    }
}

/// A scope for threads that may borrow from outside it; see [`scope`].
pub struct Scope<'scope, 'env: 'scope> {
    threads: Mutex<Vec<(Tid, Arc<Status>)>>,
    scope: PhantomData<&'scope mut &'scope ()>,
    env: PhantomData<&'env mut &'env ()>,
}

impl core::fmt::Debug for Scope<'_, '_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Scope").finish_non_exhaustive()
    }
}

impl<'scope> Scope<'scope, '_> {
    /// Spawns `f` on a thread of this scope, which may borrow what outlives the scope.
    ///
    /// # Panics
    /// If the thread cannot be started; use [`Builder::spawn_scoped`] for the errno.
    pub fn spawn<F, T>(&'scope self, f: F) -> ScopedJoinHandle<'scope, T>
    where
        F: FnOnce() -> T + Send + 'scope,
        T: Send + 'scope,
    {
        match Builder::new().spawn_scoped(self, f) {
            Ok(handle) => handle,
            Err(e) => panic!("failed to spawn thread: {e}"),
        }
    }
}

/// A permission to join a scoped thread; see [`scope`].
pub struct ScopedJoinHandle<'scope, T> {
    tid: Tid,
    packet: Arc<Packet<T>>,
    scope: PhantomData<&'scope ()>,
}

impl<T> ScopedJoinHandle<'_, T> {
    /// Waits for the thread to end; as [`JoinHandle::join`].
    pub fn join(self) -> std::thread::Result<T> {
        let joined = join_once(self.tid, &self.packet.status);
        self.packet.take(joined)
    }

    /// The thread's id.
    pub fn id(&self) -> ThreadId {
        ThreadId(self.tid)
    }
}

impl<T> core::fmt::Debug for ScopedJoinHandle<'_, T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ScopedJoinHandle").field("tid", &self.tid).finish_non_exhaustive()
    }
}

/// Runs `f` with a [`Scope`] whose threads may borrow non-`'static` data; every thread not joined by then
/// is joined before `scope` returns.
///
/// # Panics
/// If `f` panics (after joining the threads), or if a thread that was not joined panicked, as
/// [`std::thread::scope`] does.
///
/// # References
/// - [`std::thread::scope`]
pub fn scope<'env, F, T>(f: F) -> T
where
    F: for<'scope> FnOnce(&'scope Scope<'scope, 'env>) -> T,
{
    let scope = Scope { threads: Mutex::new(Vec::new()), scope: PhantomData, env: PhantomData };
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| f(&scope)));
    let threads = core::mem::take(&mut *scope.threads.lock().unwrap_or_else(PoisonError::into_inner));
    let mut unjoined_panicked = false;
    for (tid, status) in threads {
        if !status.joined.load(Ordering::Acquire) {
            // A failed join leaves nothing to wait for: the host says the thread is gone.
            let _ = join_once(tid, &status);
            unjoined_panicked |= status.panicked.load(Ordering::Relaxed);
        }
    }
    match outcome {
        Err(payload) => panic::resume_unwind(payload),
        Ok(_) if unjoined_panicked => panic!("a scoped thread panicked"),
        Ok(value) => value,
    }
}
