//! Simulator instances: what one WASIX process owns, and which instance the current thread runs in.
//!
//! A thread runs in the instance it entered with [`Sim::run`], else in the default instance, created on
//! first use with the defaults of `wasmer run --volume .`. Instances share nothing, so tests running in
//! parallel, each in its own instance, never see each other's fds, args, env or clocks.

use super::env::Cwd;
use super::exports::Callbacks;
use super::fdtable::FdTable;
use super::stdio::StdioStream;
use super::thread::local::Keys;
use super::thread::spawn::{ThreadExit, Threads};
use super::tty::TtyState;
use std::cell::Cell;
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU32, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

/// Everything a simulated WASIX process owns.
#[derive(Debug)]
pub(crate) struct State {
    /// The process id (atomic: a `proc_fork` child takes a new one in its copy of the default instance).
    pub pid: AtomicU32,
    /// The parent's process id, 0 for a process nothing in this simulator started.
    pub parent: AtomicU32,
    /// Arguments, without their NUL terminators (replaced by `proc_exec`).
    pub args: RwLock<Vec<Vec<u8>>>,
    /// `KEY=value` entries, without NUL terminators.
    pub env: Vec<Vec<u8>>,
    pub fds: FdTable,
    /// Nanoseconds added to the host's realtime clock (`clock_time_set`, [`super::Config::realtime`]).
    pub realtime_offset: AtomicI64,
    /// The streams first installed at fds 1 and 2, for [`Sim::stdout`] and [`Sim::stderr`].
    pub stdout: StdioStream,
    pub stderr: StdioStream,
    /// The current directory (`getcwd`, `chdir`).
    pub cwd: Cwd,
    /// The terminal (`tty_get`, `tty_set`).
    pub tty: TtyState,
    /// Which exports the `callback_*` calls selected.
    pub callbacks: Callbacks,
    /// Threads started with `thread_spawn`.
    pub threads: Threads,
    /// Thread-local keys.
    pub keys: Keys,
    /// What the sockets may reach.
    pub network: super::Network,
    /// The virtual network port (`port_*`).
    pub port: super::port::nic::Nic,
    /// Pending signals and the interval timer.
    pub signals: super::signal::Signals,
    /// The programs `proc_spawn` and `proc_exec` may run, by name.
    pub programs: Arc<super::process::registry::Programs>,
    /// The processes this one started and has not joined yet.
    pub children: super::process::child::Children,
    /// Where the `log` stdio mode of `proc_spawn` sends a child's stream ([`Sim::log`]).
    pub log: StdioStream,
    /// The HTTP and WebSocket clients (`http_request`, `ws_connect`).
    pub http: super::http::Clients,
    /// The virtual LAN's switch this instance's port plugs into when bridged (`sim/port/lan.rs`).
    pub switch: Arc<super::port::lan::Switch>,
    /// The message bus: handles, calls and the inbox of frames from other processes.
    pub bus: super::bus::Bus,
}

impl State {
    /// The process id `proc_id` reports.
    #[inline]
    pub fn pid(&self) -> u32 {
        self.pid.load(Ordering::Relaxed)
    }

    /// The arguments (a snapshot: `proc_exec` may replace them).
    pub fn args(&self) -> std::sync::RwLockReadGuard<'_, Vec<Vec<u8>>> {
        self.args.read().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Process ids are unique across all instances of this host process.
static NEXT_PID: AtomicU32 = AtomicU32::new(1);

pub(crate) fn next_pid() -> u32 {
    NEXT_PID.fetch_add(1, Ordering::Relaxed)
}

/// Makes later pids larger than `pid` (one a parent gave this host process), so they stay unique.
pub(crate) fn reserve_pids_to(pid: u32) {
    NEXT_PID.fetch_max(pid.saturating_add(1), Ordering::Relaxed);
}

thread_local! {
    /// The instance entered with [`Sim::run`] on this thread, null outside any. A plain pointer, not an
    /// `Arc`: the `Sim` that `run` borrows keeps the instance alive for as long as the pointer is set, and a
    /// `Cell` of a pointer needs no destructor, so reading it on every call is one thread-local load with
    /// no lazy-initialisation check and no reference count to change.
    static CURRENT: Cell<*const State> = const { Cell::new(ptr::null()) };
}

thread_local! {
    /// Set while `proc_exec` unwinds the old program on this thread: the destructors that run meanwhile
    /// must not close fds, which an exec keeps.
    static EXEC_UNWINDING: Cell<bool> = const { Cell::new(false) };
}

/// Whether `proc_exec` is unwinding the old program on this thread.
#[inline]
pub(crate) fn exec_unwinding() -> bool {
    EXEC_UNWINDING.get()
}

/// Unwinds the calling thread with `exec` to [`Sim::run_main`], which runs its program next.
pub(crate) fn unwind_for_exec(exec: Exec) -> ! {
    EXEC_UNWINDING.set(true);
    std::panic::resume_unwind(Box::new(exec))
}

static DEFAULT: OnceLock<Arc<State>> = OnceLock::new();

/// Whether [`deny_default_instance`] was called (or `WASIX_SIM_DEFAULT_INSTANCE=deny` set).
static DENIED: AtomicBool = AtomicBool::new(false);

/// Refuses the default instance to every thread of this host process from now on (irreversibly): a thread
/// outside any scoped instance then runs in an empty instance (no arguments, environment or preopens, so
/// every path call is `BADF`; stdin reads end of file, stdout and stderr are the host's), a message on stderr says so on first use, and a
/// `proc_exit` or `thread_exit` there panics instead of ending the host process. Setting the environment
/// variable `WASIX_SIM_DEFAULT_INSTANCE=deny` (e.g. in `.cargo/config.toml`'s `[env]`) does the same
/// from the start. For test binaries that run every test in a scoped instance: a `std::thread` spawned
/// inside `Sim::run` (which does not inherit the instance) then cannot reach the host's files by accident.
pub fn deny_default_instance() {
    DENIED.store(true, Ordering::SeqCst);
}

/// Whether the default instance is refused.
pub(crate) fn default_denied() -> bool {
    static FROM_ENV: OnceLock<bool> = OnceLock::new();
    DENIED.load(Ordering::Relaxed)
        || *FROM_ENV.get_or_init(|| std::env::var_os("WASIX_SIM_DEFAULT_INSTANCE").is_some_and(|v| v == "deny"))
}

/// What a thread outside any scoped instance runs in while the default instance is refused.
static EMPTY: OnceLock<Arc<State>> = OnceLock::new();

fn default_state() -> &'static Arc<State> {
    if default_denied() {
        return EMPTY.get_or_init(|| {
            eprintln!(
                "wasix simulator: thread {:?} made a WASIX call outside any instance while the default instance is \
                 denied; it runs in an empty instance (no preopens). Spawn threads with `wasix::thread::spawn` \
                 (or `thread_spawn`), or enter an instance with `Sim::run`.",
                std::thread::current().name().unwrap_or("<unnamed>")
            );
            let empty = super::Config::new().stdout(super::Stdio::Inherit).stderr(super::Stdio::Inherit).into_state();
            Arc::new(empty.expect("an empty configuration always builds"))
        });
    }
    DEFAULT.get_or_init(|| {
        // Without a usable current directory (deleted, say) the default instance has no preopen.
        let state = super::Config::wasmer_defaults().into_state().or_else(|_| super::Config::new().into_state());
        Arc::new(state.expect("an empty configuration always builds"))
    })
}

/// Runs `f` with the instance the current thread is in, after delivering the calling thread's pending
/// signals (see `sim/signal.rs`: one relaxed load when there are none).
///
/// `f` is called once, here, outside the thread-local access, so it is inlined into the function serving
/// the call: no `LocalKey::with` frame or outlined closure lies between that function and its host call,
/// and every such frame costs a mispredicted return after the syscall (see `sim/fd/ops.rs`). The signal
/// check's slow path is a cold call made before `f`, never after the host call.
#[inline(always)]
pub(crate) fn with<R>(f: impl FnOnce(&State) -> R) -> R {
    let current = CURRENT.get();
    let state = if current.is_null() {
        default_state()
    } else {
        // SAFETY: `CURRENT` is non-null only inside `Sim::run`, set from the `Arc<State>` of the `Sim` it
        // borrows, which therefore stays alive until `run` restores the previous value; `f` runs and
        // returns (or unwinds) within that time, on this thread.
        unsafe { &*current }
    };
    if state.signals.any_pending() {
        super::signal::deliver_pending(state);
    }
    f(state)
}

/// Delivers the calling thread's pending signals, for the calls that do not otherwise reach their instance
/// (see `sim/signal.rs`). Outside any scoped instance only an existing default instance is looked at: such
/// a call never creates it, nor reports the empty instance a denied default gives.
#[inline]
pub(crate) fn deliver_signals() {
    let current = CURRENT.get();
    let state = if current.is_null() {
        match DEFAULT.get() {
            Some(state) if !default_denied() => &**state,
            _ => return,
        }
    } else {
        // SAFETY: as in `with`.
        unsafe { &*current }
    };
    if state.signals.any_pending() {
        super::signal::deliver_pending(state);
    }
}

/// Whether the current thread runs in a scoped instance (not the default one).
pub(crate) fn in_scoped_instance() -> bool {
    !CURRENT.get().is_null()
}

/// The payload `proc_exec` of a native program unwinds with, to where its process started
/// ([`Sim::run_main`]), which runs `main` next.
pub(crate) struct Exec {
    pub main: super::process::registry::Main,
    pub args: Vec<Vec<u8>>,
}

/// How a process run with [`Sim::run_main`] ended: `proc_exit(code)`, or 0 when the closure returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exit(pub u32);

/// A simulated WASIX process. Cheap to clone: clones are the same instance.
///
/// ```
/// use wasix_sys::sim::{Config, Stdio};
///
/// let sim = Config::new().arg("prog").env("GREETING", "hi").stdout(Stdio::capture()).build().unwrap();
/// sim.run(|| {
///     let (mut argc, mut size) = (0, 0);
///     // SAFETY: both out-pointers are valid.
///     unsafe { wasix_sys::args_sizes_get(&mut argc, &mut size) };
///     assert_eq!((argc, size), (1, 5));
/// });
/// ```
#[derive(Clone, Debug)]
pub struct Sim {
    pub(crate) state: Arc<State>,
}

impl Sim {
    /// The instance the current thread runs in (the default one outside [`Sim::run`]).
    pub fn current() -> Sim {
        let current = CURRENT.get();
        if current.is_null() {
            return Sim { state: default_state().clone() };
        }
        // SAFETY: a non-null `CURRENT` comes from `Arc::as_ptr` of an `Arc<State>` that `Sim::run` keeps
        // alive meanwhile (see `with`), so the pointer is an `Arc`'s, and taking one more strong reference
        // before `from_raw` leaves that `Arc`'s own count untouched.
        let state = unsafe {
            Arc::increment_strong_count(current);
            Arc::from_raw(current)
        };
        Sim { state }
    }

    /// Runs `f` inside this instance: every WASIX call it makes on this thread is served by this instance.
    /// Nests; the previous instance is restored when `f` returns or unwinds.
    ///
    /// A `proc_exit` inside `f` unwinds out of `run` with an [`Exit`] payload; use [`Sim::run_main`] to get
    /// the exit code instead.
    pub fn run<R>(&self, f: impl FnOnce() -> R) -> R {
        struct Restore(*const State);
        impl Drop for Restore {
            fn drop(&mut self) {
                CURRENT.set(self.0);
            }
        }
        // `self` is borrowed until `run` returns, so `self.state` outlives the pointer's time in `CURRENT`.
        let _restore = Restore(CURRENT.replace(Arc::as_ptr(&self.state)));
        f()
    }

    /// Runs `f` as the process's main function and returns its exit code: the code given to `proc_exit`
    /// (on this thread, or on a thread `thread_spawn` started), or 0 if `f` returns. A `thread_exit` in `f`
    /// ends only the main thread: `run_main` then waits for the threads `thread_spawn` started and returns
    /// the code of the last one to end through `thread_exit` (0 if it returned).
    ///
    /// A `proc_exec` of a registered program unwinds to here, which then runs that program's `main` in
    /// this instance with the new arguments (see `sim/process/exec.rs`).
    pub fn run_main(&self, f: impl FnOnce()) -> Exit {
        let catch = |f: &mut dyn FnMut()| std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.run(f)));
        let mut f = Some(f);
        let mut outcome = catch(&mut || f.take().expect("called once")());
        while let Err(payload) = outcome {
            match payload.downcast::<Exec>() {
                Ok(exec) => {
                    EXEC_UNWINDING.set(false);
                    *self.state.args.write().unwrap_or_else(std::sync::PoisonError::into_inner) = exec.args;
                    self.state.callbacks.reset();
                    outcome = catch(&mut || (exec.main)());
                }
                Err(other) => {
                    outcome = Err(other);
                    break;
                }
            }
        }
        match outcome {
            Ok(()) => Exit(self.state.threads.exit_requested().unwrap_or(0)),
            Err(payload) => match payload.downcast::<Exit>() {
                Ok(exit) => *exit,
                Err(other) => match other.downcast::<ThreadExit>() {
                    Ok(exit) => {
                        self.state.threads.record_exit(exit.0);
                        Exit(
                            self.state
                                .threads
                                .exit_requested()
                                .unwrap_or_else(|| self.state.threads.wait_for_none_live()),
                        )
                    }
                    Err(other) => std::panic::resume_unwind(other),
                },
            },
        }
    }

    /// The process id `proc_id` reports.
    pub fn pid(&self) -> u32 {
        self.state.pid()
    }

    /// What the guest's children sent to the instance's log (`proc_spawn` with `stdio_mode::log`) so far,
    /// when the log is in memory ([`Config::log`](super::Config::log); empty otherwise).
    pub fn log(&self) -> Vec<u8> {
        self.state.log.contents()
    }

    /// What the guest has written to an in-memory stdout so far (empty for other kinds of stdout).
    pub fn stdout(&self) -> Vec<u8> {
        self.state.stdout.contents()
    }

    /// What the guest has written to an in-memory stderr so far (empty for other kinds of stderr).
    pub fn stderr(&self) -> Vec<u8> {
        self.state.stderr.contents()
    }
}
