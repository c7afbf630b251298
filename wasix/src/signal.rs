//! Signals within the process: raising one ([`raise`]), on a timer ([`interval`], [`alarm`]), at another thread
//! ([`send_to_thread`]) or at the process by its id ([`send`]), and handling them
//! ([`set_handler`]).
//!
//! A handler is a plain `fn(Signal)`, one per signal, for the whole process. The crate owns the guest's
//! one signal export (`__wasm_signal`, the name `callback_signal` selects by default), which calls the
//! handler of the signal delivered, or applies the signal's default action where none is set
//! ([`wasix_sys::seed::signal`]: terminate with exit code 128 + its number, or ignore). A signal is
//! delivered when the thread it is meant for enters a WASIX call; [`raise`] delivers it before it returns.
//!
//! ```
//! use wasix::signal::{self, Signal};
//!
//! fn on_usr1(sig: Signal) {
//!     assert_eq!(sig, Signal::Usr1);
//! }
//!
//! signal::set_handler(Signal::Usr1, Some(on_usr1)).unwrap();
//! signal::raise(Signal::Usr1).unwrap();
//! ```

#![allow(unsafe_code)] // Raw calls, and the handler table's function pointers.

use crate::conv;
use crate::io::{Errno, Result};
use crate::thread::ThreadId;
use core::sync::atomic::{AtomicPtr, Ordering};
use std::time::Duration;
use wasix_sys::seed::signal::{self as rule, Action};

macro_rules! signals {
    ($($(#[$doc:meta])* $name:ident = $raw:ident,)*) => {
        /// A signal the seed defines (its number is the seed's, whatever the host's).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Signal {
            $($(#[$doc])* $name,)*
        }

        impl Signal {
            /// Every signal, in the seed's order (numbers 1 to 30).
            pub const ALL: [Signal; 30] = [$(Signal::$name),*];

            /// The raw value (the seed's number).
            pub const fn raw(self) -> wasix_sys::Signal {
                match self {
                    $(Signal::$name => wasix_sys::Signal::$raw,)*
                }
            }

            /// The signal of a raw value; `None` for `none` and numbers the seed does not define.
            pub const fn from_raw(raw: wasix_sys::Signal) -> Option<Signal> {
                match raw {
                    $(wasix_sys::Signal::$raw => Some(Signal::$name),)*
                    _ => None,
                }
            }
        }
    };
}

signals! {
    /// Hangup (terminates).
    Hup = HUP,
    /// Interrupt (terminates).
    Int = INT,
    /// Terminal quit (terminates).
    Quit = QUIT,
    /// Illegal instruction (terminates).
    Ill = ILL,
    /// Trace/breakpoint trap (terminates).
    Trap = TRAP,
    /// Abort (terminates).
    Abrt = ABRT,
    /// Access to an undefined portion of a memory object (terminates).
    Bus = BUS,
    /// Erroneous arithmetic operation (terminates).
    Fpe = FPE,
    /// Kill (terminates; cannot be handled).
    Kill = KILL,
    /// User-defined signal 1 (terminates).
    Usr1 = USR1,
    /// Invalid memory reference (terminates).
    Segv = SEGV,
    /// User-defined signal 2 (terminates).
    Usr2 = USR2,
    /// Write on a pipe with no one to read it (ignored).
    Pipe = PIPE,
    /// Alarm clock (terminates).
    Alrm = ALRM,
    /// Termination (terminates).
    Term = TERM,
    /// Child process terminated, stopped, or continued (ignored).
    Chld = CHLD,
    /// Continue executing, if stopped (ignored: nothing is stopped).
    Cont = CONT,
    /// Stop executing (ignored: there is no job control; cannot be handled).
    Stop = STOP,
    /// Terminal stop (ignored: there is no job control).
    Tstp = TSTP,
    /// Background process attempting read (ignored: there is no job control).
    Ttin = TTIN,
    /// Background process attempting write (ignored: there is no job control).
    Ttou = TTOU,
    /// High bandwidth data is available at a socket (ignored).
    Urg = URG,
    /// CPU time limit exceeded (terminates).
    Xcpu = XCPU,
    /// File size limit exceeded (terminates).
    Xfsz = XFSZ,
    /// Virtual timer expired (terminates).
    Vtalrm = VTALRM,
    /// Profiling timer expired (terminates).
    Prof = PROF,
    /// Window changed (ignored).
    Winch = WINCH,
    /// I/O possible (terminates).
    Poll = POLL,
    /// Power failure (terminates).
    Pwr = PWR,
    /// Bad system call (terminates).
    Sys = SYS,
}

impl core::fmt::Display for Signal {
    /// The POSIX name: `SIGTERM`, `SIGUSR1`, ….
    ///
    /// ```
    /// assert_eq!(wasix::signal::Signal::Term.to_string(), "SIGTERM");
    /// assert_eq!(wasix::signal::Signal::Vtalrm.to_string(), "SIGVTALRM");
    /// ```
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let name = self.raw().name().unwrap_or("?");
        f.write_str("SIG")?;
        name.chars().try_for_each(|c| core::fmt::Write::write_char(f, c.to_ascii_uppercase()))
    }
}

impl Signal {
    /// Whether, without a handler, the signal ends the process (with exit code 128 + its number) rather
    /// than being ignored.
    pub const fn terminates_by_default(self) -> bool {
        matches!(rule::default_action(self.raw()), Action::Terminate)
    }
}

/// A signal handler.
pub type Handler = fn(Signal);

/// Each signal's handler (null: the default action), indexed by the seed's number.
static HANDLERS: [AtomicPtr<()>; 31] = [const { AtomicPtr::new(core::ptr::null_mut()) }; 31];

/// The handler of `sig`, if one is set.
fn handler(sig: Signal) -> Option<Handler> {
    let p = HANDLERS[usize::from(sig.raw().raw())].load(Ordering::Acquire);
    // SAFETY: a non-null entry was stored by `set_handler` from a `Handler`.
    (!p.is_null()).then(|| unsafe { core::mem::transmute::<*mut (), Handler>(p) })
}

/// The guest's signal export: runs the handler of the signal delivered, or its default action. Public
/// only so the host profile and the simulator's export table can name it.
///
/// # Safety
/// Called by the host with a signal in the host's numbering.
#[doc(hidden)]
pub unsafe extern "C-unwind" fn dispatch(raw: wasix_sys::Signal) {
    let raw = crate::host::signal_from_host(raw);
    let Some(sig) = Signal::from_raw(raw) else { return };
    match handler(sig) {
        Some(f) if rule::catchable(raw) => f(sig),
        _ if sig.terminates_by_default() => crate::process::exit(rule::exit_code(raw)),
        _ => {}
    }
}

/// The export Wasmer enters (`__wasm_signal`, with its own numbering, which [`dispatch`] translates).
#[cfg(target_family = "wasm")]
#[export_name = "__wasm_signal"]
extern "C" fn wasm_signal(raw: i32) {
    // SAFETY: the host calls its export with a signal number; numbers beyond a byte are none.
    unsafe { dispatch(wasix_sys::Signal::from_raw(u8::try_from(raw).unwrap_or(0))) }
}

/// Makes the host enter [`dispatch`]: natively registers it in the simulator's export table (once per host
/// process), and names the export for the current process.
fn export_dispatch() -> Result<()> {
    #[cfg(not(target_family = "wasm"))]
    {
        use wasix_sys::sim::exports::{export, exported, Export};
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            export("__wasm_signal", Export::Signal(dispatch));
        });
        match exported(b"__wasm_signal") {
            Some(Export::Signal(f))
                if core::ptr::fn_addr_eq(f, dispatch as unsafe extern "C-unwind" fn(wasix_sys::Signal)) => {}
            _ => return Err(Errno::NOTCAPABLE),
        }
    }
    let name = b"__wasm_signal";
    // SAFETY: a valid name.
    unsafe { crate::host::callback_signal(name.as_ptr(), name.len()) };
    Ok(())
}

/// `callback_signal`—Sets the handler of `sig` (`None`: its default action) and returns the one set
/// before. `kill` and `stop` cannot be handled: `INVAL`.
///
/// The handlers are the process's (every thread's); natively, every simulated process of the host
/// process shares them, as one wasm module's instances would share its code.
///
/// # References
/// - [`wasix_sys::callback_signal`]
/// - POSIX `sigaction`
#[doc(alias = "callback_signal", alias = "sigaction", alias = "signal")]
pub fn set_handler(sig: Signal, handler: Option<Handler>) -> Result<Option<Handler>> {
    if !rule::catchable(sig.raw()) {
        return Err(Errno::INVAL);
    }
    export_dispatch()?;
    let p = handler.map_or(core::ptr::null_mut(), |f| f as *mut ());
    let old = HANDLERS[usize::from(sig.raw().raw())].swap(p, Ordering::AcqRel);
    // SAFETY: a non-null entry was stored here from a `Handler`.
    Ok((!old.is_null()).then(|| unsafe { core::mem::transmute::<*mut (), Handler>(old) }))
}

/// `proc_raise`—Delivers `sig` to the calling thread: its handler (or default action) runs before this
/// returns.
///
/// # References
/// - [`wasix_sys::proc_raise`]
/// - POSIX `raise`
#[doc(alias = "proc_raise")]
pub fn raise(sig: Signal) -> Result<()> {
    // SAFETY: no pointers.
    conv::result(unsafe { crate::host::proc_raise(sig.raw()) })
}

/// `proc_raise_interval`—Raises `sig` after `interval`, and every `interval` after that if `repeat`, on
/// the calling thread; replaces the timer set before for `sig` (each signal has its own). A zero
/// `interval` cancels it (see [`cancel_interval`]).
///
/// # References
/// - [`wasix_sys::proc_raise_interval`]
/// - POSIX `setitimer`, `alarm`
#[doc(alias = "proc_raise_interval", alias = "setitimer", alias = "alarm")]
pub fn interval(sig: Signal, interval: Duration, repeat: bool) -> Result<()> {
    let nanos = conv::timestamp_saturating(interval);
    // SAFETY: no pointers.
    conv::result(unsafe { crate::host::proc_raise_interval(sig.raw(), nanos, conv::raw_bool(repeat)) })
}

/// `proc_raise_interval(alrm)`—Raises `alrm` once after `after` (0 cancels), as POSIX `alarm`.
#[doc(alias = "proc_raise_interval")]
pub fn alarm(after: Duration) -> Result<()> {
    interval(Signal::Alrm, after, false)
}

/// Cancels the timer [`interval`] set for `sig`.
#[doc(alias = "proc_raise_interval")]
pub fn cancel_interval(sig: Signal) -> Result<()> {
    // SAFETY: no pointers.
    conv::result(unsafe { crate::host::proc_raise_interval(sig.raw(), 0, conv::raw_bool(false)) })
}

/// `thread_signal`—Sends `sig` to thread `tid` of this process, which takes it when it next enters a WASIX
/// call (the calling thread itself: before this returns). `SRCH` if there is no such thread.
///
/// # References
/// - [`wasix_sys::thread_signal`]
/// - POSIX `pthread_kill`
#[doc(alias = "thread_signal", alias = "pthread_kill")]
pub fn send_to_thread(tid: ThreadId, sig: Signal) -> Result<()> {
    // SAFETY: no pointers.
    conv::result(unsafe { crate::host::thread_signal(tid.as_raw(), sig.raw()) })
}

/// `proc_signal`—Sends `sig` to process `pid`: this process's own id is [`raise`]; a child takes it at its
/// next WASIX call (a host child at once); any other pid is `SRCH` in the simulator.
///
/// # References
/// - [`wasix_sys::proc_signal`]
/// - POSIX `kill`
#[doc(alias = "proc_signal", alias = "kill")]
pub fn send(pid: u32, sig: Signal) -> Result<()> {
    // SAFETY: no pointers.
    conv::result(unsafe { crate::host::proc_signal(pid, sig.raw()) })
}
