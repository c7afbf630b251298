//! The `misc` group: arguments and environment, clocks, random bytes, the process (`proc_id`,
//! `sched_yield`), threads (`thread_sleep`, `thread_parallelism`, `thread_spawn`, `thread_id`, `thread_join`,
//! the `callback_*` names, thread-local keys) and futexes, signals (`proc_raise`, `proc_signal`,
//! `thread_signal`, `proc_raise_interval`, `callback_signal`) and `proc_parent`, the terminal (`tty_get`,
//! `tty_set`), the preopens' names (`fd_prestat_*`), the virtual network port (`port_*`, in
//! [`super::port`]), the message bus (`bus_*`, `call_*`, in [`super::bus`]), and the calls that end the process (`proc_exit`,
//! `thread_exit`, `proc_exec`, `stack_restore`, `proc_raise(kill)`), whose exit code `crate::run` checks.
//!
//! Signals are delivered for real, but only ones that cannot end the process where they land: those whose
//! default action is to be ignored (or `none`, or numbers the seed does not define) anywhere, and any
//! catchable one only right after `callback_signal` names the harness's handler. `kill` ends the process
//! as an [`End`], with its exit code checked.

use crate::guest::{Bytes, List, ListShape, Out, OutBuf, OutPtr};
use crate::values::{FdRef, Num, Pick};
use crate::{Ending, Exec, Harness};
use arbitrary::Arbitrary;
use wasix_sys::{Bool, Clockid, Errno, OptionTimestamp, Pid, Prestat, Signal, Size, StackSnapshot, Timestamp, Tty};

#[derive(Arbitrary, Debug)]
pub enum MiscCall {
    ArgsSizesGet {
        count: OutPtr,
        size: OutPtr,
    },
    ArgsGet {
        pointers: Fit,
        buf: Fit,
    },
    EnvironSizesGet {
        count: OutPtr,
        size: OutPtr,
    },
    EnvironGet {
        pointers: Fit,
        buf: Fit,
    },
    ClockResGet {
        id: Pick,
        out: OutPtr,
    },
    ClockTimeGet {
        id: Pick,
        precision: u64,
        out: OutPtr,
    },
    ClockTimeSet {
        id: Pick,
        timestamp: Num,
    },
    RandomGet {
        buf: OutBuf,
    },
    ProcId {
        out: OutPtr,
    },
    SchedYield,
    TtyGet {
        out: OutPtr,
    },
    TtySet {
        at: OutPtr,
        tty: TtyGen,
    },
    PrestatGet {
        fd: FdRef,
        out: OutPtr,
    },
    PrestatDirName {
        fd: FdRef,
        buf: OutBuf,
    },
    /// `thread_sleep` for at most 65 µs, so inputs stay fast.
    ThreadSleep {
        nanos: u16,
    },
    ThreadParallelism {
        out: OutPtr,
    },
    FutexWait {
        at: FutexAt,
        value: u32,
        expected: u32,
        timeout: FutexTimeout,
        out: OutPtr,
    },
    FutexWake {
        at: FutexAt,
        all: bool,
        out: OutPtr,
    },
    /// `thread_spawn` into the fuzz entry (or whatever the callbacks name), joined at once if it started,
    /// so no thread outlives its call.
    ThreadSpawn {
        stack_base: u16,
        stack_start: u16,
        reactor: BoolGen,
        out: OutPtr,
    },
    ThreadId {
        out: OutPtr,
    },
    /// `thread_join` of a small id (oneself, the main thread, an unknown one).
    ThreadJoin {
        tid: u8,
    },
    Callback {
        which: u8,
        name: CallbackName,
    },
    ThreadLocalCreate {
        user_data: u64,
        out: OutPtr,
    },
    ThreadLocalDestroy {
        key: u8,
    },
    ThreadLocalSet {
        key: u8,
        value: u64,
    },
    ThreadLocalGet {
        key: u8,
        out: OutPtr,
    },
    Port(super::port::PortCall),
    Bus(super::bus::BusCall),
    /// `proc_raise` of a signal that does nothing without a handler.
    ProcRaise {
        sig: QuietSignal,
    },
    /// `callback_signal` naming the harness's handler, then `proc_raise` of any signal but `kill`: the
    /// handler runs.
    ProcRaiseHandled {
        sig: u8,
    },
    /// `proc_signal` to oneself or to another pid.
    ProcSignal {
        own: bool,
        pid: u32,
        sig: QuietSignal,
    },
    /// `thread_signal` of a small id (oneself, the main thread, unknown ones).
    ThreadSignal {
        tid: u8,
        sig: QuietSignal,
    },
    /// `proc_raise_interval` with at most 65 ms (0 cancels); its host thread ends with the instance.
    ProcRaiseInterval {
        sig: QuietSignal,
        micros: u16,
        repeat: BoolGen,
    },
    ProcParent {
        own: bool,
        pid: u32,
        out: OutPtr,
    },
    /// `proc_spawn` of any name (the instance registers no program and runs no host executable, so it is
    /// refused after its arguments are checked), any stdio modes and lists.
    ProcSpawn {
        name: Vec<u8>,
        name_null: bool,
        chroot: BoolGen,
        args: Vec<u8>,
        preopen: Vec<u8>,
        stdio: [u8; 3],
        working_dir: Vec<u8>,
        out: OutPtr,
    },
    /// `proc_join` of any pid (the instance has no children: `CHILD`).
    ProcJoin {
        pid: u32,
        pid_out: OutPtr,
        code_out: OutPtr,
    },
    /// `proc_fork` in a scoped instance: `NOTSUP` (or `INVAL`, `FAULT`), never a host fork.
    ProcFork {
        copy: BoolGen,
        out: OutPtr,
    },
    End(End),
}

/// A signal that never ends the process: one whose default action is to be ignored, `none`, or a number
/// the seed does not define (`INVAL`).
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum QuietSignal {
    Ignored(u8),
    Unknown(u8),
}

impl QuietSignal {
    fn get(self) -> Signal {
        const IGNORED: [Signal; 10] = [
            Signal::NONE,
            Signal::PIPE,
            Signal::CHLD,
            Signal::URG,
            Signal::WINCH,
            Signal::CONT,
            Signal::STOP,
            Signal::TSTP,
            Signal::TTIN,
            Signal::TTOU,
        ];
        match self {
            QuietSignal::Ignored(i) => IGNORED[usize::from(i) % IGNORED.len()],
            QuietSignal::Unknown(n) => Signal::from_raw(n.max(31)),
        }
    }
}

/// The name a `callback_*` call selects.
#[derive(Arbitrary, Debug)]
pub enum CallbackName {
    /// The fuzz harness's own exports (`fuzz_entry`, `fuzz_destroy`).
    Fuzz,
    /// A default name nothing is exported under in the fuzzer.
    Default,
    Bytes(Vec<u8>),
    Null {
        len: u8,
    },
}

/// The fuzz harness's thread entry: returns at once.
unsafe extern "C-unwind" fn fuzz_entry(_user_data: u64) {}

/// The fuzz harness's thread-local destructor: does nothing.
unsafe extern "C-unwind" fn fuzz_destroy(_user_data: u64, _value: u64) {}

/// The fuzz harness's signal handler: checks it got a signal the seed defines.
unsafe extern "C-unwind" fn fuzz_signal(sig: Signal) {
    assert!(sig != Signal::NONE && sig.name().is_some(), "the handler got {sig:?}");
}

/// Registers the harness's exports, once.
fn fuzz_exports() {
    use wasix_sys::sim::exports::{export, Export};
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        export("fuzz_entry", Export::Thread(fuzz_entry));
        export("fuzz_destroy", Export::ThreadLocalDestroy(fuzz_destroy));
        export("fuzz_signal", Export::Signal(fuzz_signal));
    });
}

/// Where a futex call's word is.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum FutexAt {
    Aligned,
    Null,
    Misaligned,
}

/// A futex wait's timeout: short (at most 65 µs), none (only when the value differs, so the single-threaded
/// harness never waits for ever), or a record with an unknown tag.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum FutexTimeout {
    Nanos(u16),
    None,
    BadTag(u8),
}

/// The instance's pid (a harness query).
fn own_pid() -> Pid {
    let mut pid = 0;
    // SAFETY: a valid out-pointer.
    assert_eq!(unsafe { wasix_sys::proc_id(&mut pid) }, Errno::SUCCESS);
    pid
}

/// A call that ends the process.
#[derive(Arbitrary, Debug)]
pub enum End {
    ProcExit(u32),
    /// `proc_raise(kill)`: cannot be handled, ends the process with 128 + 9.
    Kill,
    ThreadExit(u32),
    ProcExec {
        name: Vec<u8>,
        name_null: bool,
        args: Vec<u8>,
        args_null: bool,
    },
    StackRestore {
        null: bool,
        snapshot: u64,
        val: u64,
    },
}

/// How the buffers of `args_get`/`environ_get` fit what `*_sizes_get` reports: these calls take no
/// length, so a buffer is never shorter than that.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum Fit {
    Null,
    Exact,
    Bigger(u8),
    /// Exact, one byte off alignment.
    Misaligned,
}

/// A terminal state for `tty_set`, booleans out of range too.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub struct TtyGen {
    pub cols: u32,
    pub rows: u32,
    pub width: u32,
    pub height: u32,
    pub bools: [BoolGen; 5],
}

#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum BoolGen {
    False,
    True,
    Raw(u8),
}

impl BoolGen {
    fn get(self) -> Bool {
        match self {
            BoolGen::False => Bool::FALSE,
            BoolGen::True => Bool::TRUE,
            BoolGen::Raw(b) => Bool::from_raw(b),
        }
    }
}

fn clock(p: &Pick) -> Clockid {
    Clockid::from_raw(p.of(&[0, 1, 2, 3]))
}

/// `args_get` or `environ_get` over buffers that fit `sizes` as `pointers` and `buf` say; on success
/// every pointer written points into the buffer at a NUL-terminated string.
fn strings(
    h: &Harness,
    name: &str,
    sizes: unsafe fn(*mut Size, *mut Size) -> Errno,
    get: unsafe fn(*mut *mut u8, *mut u8) -> Errno,
    pointers: Fit,
    buf: Fit,
) {
    let (mut count, mut total) = (0, 0);
    // SAFETY: valid out-pointers (a harness query).
    assert_eq!(unsafe { sizes(&mut count, &mut total) }, Errno::SUCCESS, "{name}: the sizes");
    let (count, total) = (count as usize, total as usize);
    let extra = |f: Fit| if let Fit::Bigger(n) = f { usize::from(n) } else { 0 };
    let shape = match pointers {
        Fit::Null => ListShape::Null,
        Fit::Misaligned => ListShape::Misaligned,
        _ => ListShape::Valid,
    };
    let mut ptrs = List::new(shape, &vec![std::ptr::null_mut::<u8>(); count + extra(pointers)]);
    let mut bytes = Bytes::input(&vec![0xa5; total + extra(buf)], matches!(buf, Fit::Null));
    let base = bytes.ptr();
    // SAFETY: both buffers hold at least what the sizes call reported (or are null).
    let e = unsafe { get(ptrs.ptr(), base) };
    h.errno(name, e);
    if e != Errno::SUCCESS || count == 0 {
        return;
    }
    for i in 0..count {
        let p = ptrs.get(i) as usize;
        let at = p.wrapping_sub(base as usize);
        assert!(at < total, "{name}: pointer {i} is not inside the buffer");
        assert!(bytes.prefix(total)[at..].contains(&0), "{name}: string {i} has no terminator");
    }
}

/// The word of a futex call at `at`, inside `words` (two aligned `u32`s).
fn futex_word(words: &mut [u32; 2], at: FutexAt) -> *mut u32 {
    match at {
        FutexAt::Aligned => &raw mut words[0],
        FutexAt::Null => std::ptr::null_mut(),
        FutexAt::Misaligned => words.as_mut_ptr().cast::<u8>().wrapping_add(1).cast(),
    }
}

impl Exec for MiscCall {
    fn exec(&self, h: &mut Harness) {
        match self {
            MiscCall::ThreadSpawn { stack_base, stack_start, reactor, out } => {
                fuzz_exports();
                let mut tid = Out::<wasix_sys::Tid>::new(*out);
                let (base, start) = (u64::from(*stack_base), u64::from(*stack_start));
                // SAFETY: a harness out-pointer or null; the entry ignores its `user_data`.
                let e = unsafe { wasix_sys::thread_spawn(0, base, start, reactor.get(), tid.ptr()) };
                h.result("thread_spawn", e, &tid);
                if e == Errno::SUCCESS {
                    // SAFETY: no pointers.
                    let joined = unsafe { wasix_sys::thread_join(tid.get().expect("the id was written")) };
                    assert_eq!(joined, Errno::SUCCESS, "a thread just spawned joins");
                }
            }
            MiscCall::ThreadId { out } => {
                let mut tid = Out::<wasix_sys::Tid>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::thread_id(tid.ptr()) };
                h.result("thread_id", e, &tid);
            }
            MiscCall::ThreadJoin { tid } => {
                // Only the main thread runs here (spawned ones are joined in their own call), so any id
                // either is oneself (1: DEADLK) or names no thread (SRCH): never a wait.
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::thread_join(u32::from(*tid)) };
                h.errno("thread_join", e);
                assert_ne!(e, Errno::SUCCESS, "no thread is left to join");
            }
            MiscCall::Callback { which, name } => {
                fuzz_exports();
                let (fuzz, default): (&[u8], &[u8]) = match which % 4 {
                    0 => (b"fuzz_entry", b"_start_thread"),
                    1 => (b"fuzz_entry", b"_react"),
                    2 => (b"fuzz_destroy", b"_thread_local_destroy"),
                    _ => (b"fuzz_signal", b"__wasm_signal"),
                };
                let bytes: Vec<u8> = match name {
                    CallbackName::Fuzz => fuzz.to_vec(),
                    CallbackName::Default => default.to_vec(),
                    CallbackName::Bytes(b) => b.clone(),
                    CallbackName::Null { .. } => Vec::new(),
                };
                let (ptr, len) = match name {
                    CallbackName::Null { len } => (std::ptr::null(), usize::from(*len)),
                    _ => (bytes.as_ptr(), bytes.len()),
                };
                // SAFETY: the name's bytes (or null) with their length.
                unsafe {
                    match which % 4 {
                        0 => wasix_sys::callback_thread(ptr, len),
                        1 => wasix_sys::callback_reactor(ptr, len),
                        2 => wasix_sys::callback_thread_local_destroy(ptr, len),
                        _ => wasix_sys::callback_signal(ptr, len),
                    }
                }
            }
            MiscCall::ThreadLocalCreate { user_data, out } => {
                let mut key = Out::<wasix_sys::TlKey>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::thread_local_create(*user_data, key.ptr()) };
                h.result("thread_local_create", e, &key);
            }
            MiscCall::ThreadLocalDestroy { key } => {
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::thread_local_destroy(u32::from(*key)) };
                h.errno("thread_local_destroy", e);
            }
            MiscCall::ThreadLocalSet { key, value } => {
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::thread_local_set(u32::from(*key), *value) };
                h.errno("thread_local_set", e);
            }
            MiscCall::ThreadLocalGet { key, out } => {
                let mut v = Out::<wasix_sys::TlVal>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::thread_local_get(u32::from(*key), v.ptr()) };
                h.result("thread_local_get", e, &v);
            }
            MiscCall::ThreadSleep { nanos } => {
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::thread_sleep(Timestamp::from(*nanos)) };
                h.errno("thread_sleep", e);
            }
            MiscCall::ThreadParallelism { out } => {
                let mut n = Out::<Size>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::thread_parallelism(n.ptr()) };
                h.result("thread_parallelism", e, &n);
            }
            MiscCall::FutexWait { at, value, expected, timeout, out } => {
                let timeout = match *timeout {
                    FutexTimeout::Nanos(ns) => OptionTimestamp::some(u64::from(ns)),
                    // Waiting for ever is only safe where the value differs (nothing would wake us).
                    FutexTimeout::None if value != expected => OptionTimestamp::none(0),
                    FutexTimeout::None => OptionTimestamp::some(1),
                    FutexTimeout::BadTag(tag) => OptionTimestamp { tag: tag.max(2), ..OptionTimestamp::some(1) },
                };
                let mut words = [*value, *value];
                let mut woken = Out::<Bool>::new(*out);
                // SAFETY: the word is ours (or null/misaligned, refused before use), the timeout a valid record.
                let e = unsafe { wasix_sys::futex_wait(futex_word(&mut words, *at), *expected, &timeout, woken.ptr()) };
                h.result("futex_wait", e, &woken);
            }
            MiscCall::FutexWake { at, all, out } => {
                let mut words = [0u32; 2];
                let mut woke = Out::<Bool>::new(*out);
                let word = futex_word(&mut words, *at);
                // SAFETY: as for `futex_wait`.
                let e = unsafe {
                    if *all {
                        wasix_sys::futex_wake_all(word, woke.ptr())
                    } else {
                        wasix_sys::futex_wake(word, woke.ptr())
                    }
                };
                h.result(if *all { "futex_wake_all" } else { "futex_wake" }, e, &woke);
            }
            MiscCall::ArgsSizesGet { count, size } | MiscCall::EnvironSizesGet { count, size } => {
                let (name, f): (_, unsafe fn(*mut Size, *mut Size) -> Errno) =
                    if matches!(self, MiscCall::ArgsSizesGet { .. }) {
                        ("args_sizes_get", wasix_sys::args_sizes_get)
                    } else {
                        ("environ_sizes_get", wasix_sys::environ_sizes_get)
                    };
                let (mut c, mut s) = (Out::<Size>::new(*count), Out::<Size>::new(*size));
                // SAFETY: harness out-pointers or null.
                let e = unsafe { f(c.ptr(), s.ptr()) };
                h.result(name, e, &c);
                h.result(name, e, &s);
            }
            MiscCall::ArgsGet { pointers, buf } => {
                strings(h, "args_get", wasix_sys::args_sizes_get, wasix_sys::args_get, *pointers, *buf)
            }
            MiscCall::EnvironGet { pointers, buf } => {
                strings(h, "environ_get", wasix_sys::environ_sizes_get, wasix_sys::environ_get, *pointers, *buf)
            }
            MiscCall::ClockResGet { id, out } => {
                let mut t = Out::<Timestamp>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::clock_res_get(clock(id), t.ptr()) };
                h.result("clock_res_get", e, &t);
            }
            MiscCall::ClockTimeGet { id, precision, out } => {
                let mut t = Out::<Timestamp>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::clock_time_get(clock(id), *precision, t.ptr()) };
                h.result("clock_time_get", e, &t);
            }
            MiscCall::ClockTimeSet { id, timestamp } => {
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::clock_time_set(clock(id), timestamp.get()) };
                h.errno("clock_time_set", e);
            }
            MiscCall::RandomGet { buf } => {
                let mut b = Bytes::new(*buf, 16);
                // SAFETY: the harness's buffer (or null) with its length.
                let e = unsafe { wasix_sys::random_get(b.ptr(), b.len) };
                h.errno("random_get", e);
            }
            MiscCall::ProcId { out } => {
                let mut p = Out::<Pid>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::proc_id(p.ptr()) };
                h.result("proc_id", e, &p);
            }
            MiscCall::SchedYield => {
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::sched_yield() };
                h.errno("sched_yield", e);
            }
            MiscCall::TtyGet { out } => {
                let mut t = Out::<Tty>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::tty_get(t.ptr()) };
                h.result("tty_get", e, &t);
            }
            MiscCall::TtySet { at, tty } => {
                let [stdin_tty, stdout_tty, stderr_tty, echo, line_buffered] = tty.bools.map(BoolGen::get);
                let value = Tty {
                    cols: tty.cols,
                    rows: tty.rows,
                    width: tty.width,
                    height: tty.height,
                    stdin_tty,
                    stdout_tty,
                    stderr_tty,
                    echo,
                    line_buffered,
                };
                let mut t = Out::holding(*at, value);
                // SAFETY: a harness in-pointer (or null) holding a `tty`.
                let e = unsafe { wasix_sys::tty_set(t.ptr()) };
                h.errno("tty_set", e);
            }
            MiscCall::PrestatGet { fd, out } => {
                let mut p = Out::<Prestat>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::fd_prestat_get(fd.resolve(&h.live), p.ptr()) };
                h.result("fd_prestat_get", e, &p);
            }
            MiscCall::PrestatDirName { fd, buf } => {
                let fd = fd.resolve(&h.live);
                let mut pr = Prestat::dir(Default::default());
                // SAFETY: a valid out-pointer (a harness query).
                let needed = match unsafe { wasix_sys::fd_prestat_get(fd, &mut pr) } {
                    Errno::SUCCESS => pr.as_dir().map_or(0, |d| d.pr_name_len as usize),
                    _ => 0,
                };
                let mut b = Bytes::new(*buf, needed);
                // SAFETY: the harness's buffer (or null) with its length.
                let e = unsafe { wasix_sys::fd_prestat_dir_name(fd, b.ptr(), b.len) };
                h.errno("fd_prestat_dir_name", e);
            }
            MiscCall::Port(c) => c.exec(h),
            MiscCall::Bus(c) => c.exec(h),
            MiscCall::ProcRaise { sig } => {
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::proc_raise(sig.get()) };
                h.errno("proc_raise", e);
            }
            MiscCall::ProcRaiseHandled { sig } => {
                fuzz_exports();
                let sig = Signal::from_raw(sig % 31);
                let sig = if sig == Signal::KILL { Signal::USR1 } else { sig };
                // SAFETY: the name's bytes with their length; `proc_raise` takes no pointers.
                let e = unsafe {
                    wasix_sys::callback_signal(b"fuzz_signal".as_ptr(), 11);
                    wasix_sys::proc_raise(sig)
                };
                assert_eq!(e, Errno::SUCCESS, "proc_raise({sig:?}) with a handler");
            }
            MiscCall::ProcSignal { own, pid, sig } => {
                let pid = if *own { own_pid() } else { *pid };
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::proc_signal(pid, sig.get()) };
                h.errno("proc_signal", e);
            }
            MiscCall::ThreadSignal { tid, sig } => {
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::thread_signal(u32::from(*tid), sig.get()) };
                h.errno("thread_signal", e);
            }
            MiscCall::ProcRaiseInterval { sig, micros, repeat } => {
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::proc_raise_interval(sig.get(), u64::from(*micros) * 1000, repeat.get()) };
                h.errno("proc_raise_interval", e);
            }
            MiscCall::ProcParent { own, pid, out } => {
                let pid = if *own { own_pid() } else { *pid };
                let mut p = Out::<Pid>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::proc_parent(pid, p.ptr()) };
                h.result("proc_parent", e, &p);
            }
            MiscCall::ProcSpawn { name, name_null, chroot, args, preopen, stdio, working_dir, out } => {
                let mut n = Bytes::input(name, *name_null);
                let (mut a, mut p, mut w) =
                    (Bytes::input(args, false), Bytes::input(preopen, false), Bytes::input(working_dir, false));
                let mut handles = Out::<wasix_sys::ProcessHandles>::new(*out);
                let mode = |m: u8| wasix_sys::StdioMode::from_raw(m % 6);
                // SAFETY: the harness's buffers (or null) with their lengths and out-pointer.
                let e = unsafe {
                    wasix_sys::proc_spawn(
                        n.ptr(),
                        n.len,
                        chroot.get(),
                        a.ptr(),
                        a.len,
                        p.ptr(),
                        p.len,
                        mode(stdio[0]),
                        mode(stdio[1]),
                        mode(stdio[2]),
                        w.ptr(),
                        w.len,
                        handles.ptr(),
                    )
                };
                assert_ne!(e, wasix_sys::BusError::SUCCESS, "proc_spawn started a program no one registered");
            }
            MiscCall::ProcJoin { pid, pid_out, code_out } => {
                let mut p = Out::<Pid>::new(*pid_out);
                let at = p.ptr();
                if !at.is_null() {
                    // SAFETY: a valid harness pointer.
                    unsafe { at.write_unaligned(*pid) };
                }
                let mut c = Out::<u32>::new(*code_out);
                // SAFETY: harness pointers or null.
                let e = unsafe { wasix_sys::proc_join(p.ptr(), c.ptr()) };
                assert_ne!(e, Errno::SUCCESS, "proc_join joined a child no one started");
                h.errno("proc_join", e);
            }
            MiscCall::ProcFork { copy, out } => {
                let mut p = Out::<Pid>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::proc_fork(copy.get(), p.ptr()) };
                assert_ne!(e, Errno::SUCCESS, "proc_fork forked the fuzzer");
                h.errno("proc_fork", e);
            }
            MiscCall::End(end) => end.exec(h),
        }
    }
}

impl End {
    fn exec(&self, h: &mut Harness) -> ! {
        match self {
            End::ProcExit(code) => {
                h.ending = Some(Ending { call: "proc_exit", code: *code });
                // SAFETY: no pointers.
                unsafe { wasix_sys::proc_exit(*code) }
            }
            End::Kill => {
                h.ending = Some(Ending { call: "proc_raise(kill)", code: 137 });
                // SAFETY: no pointers.
                unsafe { wasix_sys::proc_raise(Signal::KILL) };
                unreachable!("kill returned")
            }
            End::ThreadExit(code) => {
                // On the main thread with no other thread left, the process ends with its code.
                h.ending = Some(Ending { call: "thread_exit", code: *code });
                // SAFETY: no pointers.
                unsafe { wasix_sys::thread_exit(*code) }
            }
            End::ProcExec { name, name_null, args, args_null } => {
                // No program is registered: a failed exec ends the process with its errno.
                let code = if (*name_null && !name.is_empty()) || (*args_null && !args.is_empty()) {
                    Errno::FAULT
                } else if name.is_empty() || name.contains(&0) {
                    Errno::INVAL
                } else if name.len() > 4096 {
                    Errno::NAMETOOLONG
                } else {
                    Errno::NOENT
                };
                h.ending = Some(Ending { call: "proc_exec", code: u32::from(code.raw()) });
                let (mut n, mut a) = (Bytes::input(name, *name_null), Bytes::input(args, *args_null));
                // SAFETY: the harness's buffers (or null) with their lengths.
                unsafe { wasix_sys::proc_exec(n.ptr(), n.len, a.ptr(), a.len) }
            }
            End::StackRestore { null, snapshot, val } => {
                // Unsupported: it ends the process with `NOTSUP` as the code.
                h.ending = Some(Ending { call: "stack_restore", code: u32::from(Errno::NOTSUP.raw()) });
                let snap = StackSnapshot { user: *snapshot, ..Default::default() };
                let p = if *null { std::ptr::null() } else { &raw const snap };
                // SAFETY: a valid snapshot or null.
                unsafe { wasix_sys::stack_restore(p, *val) }
            }
        }
    }
}
