//! The fuzz harness of the WASIX simulator: structured inputs (`arbitrary`), the instance each input runs
//! in, and the invariants checked after every call and every input. The targets in `fuzz_targets/` are
//! one line over [`run`], each with its group of calls ([`calls`]).
//!
//! An input is a [`Setup`] (the instance's configuration: preopen names, arguments, environment, stdin,
//! terminal, realtime clock, random fd numbers) and a list of calls, run in order so state builds up. The
//! simulator serves the calls in a scoped instance over a fresh copy of the fixture ([`sandbox`]); a call
//! that ends the process (`proc_exit`, `thread_exit`, `proc_exec`, `stack_restore`) unwinds to
//! `Sim::run_main`, its exit code is checked, and the rest of the input runs in a new instance over the
//! same files, as the next process would.
//!
//! Checked after every call: it returned (a panic, an abort or a SIGPIPE is libFuzzer's crash), its errno is one the seed
//! names, an out-pointer is written only on `SUCCESS`, and counts are within the buffers they describe.
//! Checked after every instance: the host fds open beyond those before it are no more than the fds its
//! table holds, and none is left once it is dropped. Checked after every input: nothing outside the
//! preopens was created, removed or changed.
//!
//! No call may block: pipes, event counters and sockets are always non-blocking (the harness sets
//! `NONBLOCK` on each one created, and keeps it on when an input changes the flags), and a `poll_oneoff`
//! that could wait gets one more clock subscription that fires at once. Sockets reach loopback only (the
//! instance's default network policy) and only ports of the input's own sockets (see `calls::net`).

pub mod calls;
pub mod guest;
pub mod sandbox;
pub mod values;

use arbitrary::Arbitrary;
use sandbox::{host_fds, Sandbox};
use std::collections::BTreeSet;
use std::os::unix::ffi::OsStrExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};
use wasix_sys::sim::{Config, Exit, Sim, Stdio, Terminal};
use wasix_sys::{Errno, Fd, Fdflags, Fdstat, Filetype, Lookupflags, Oflags, Rights};

/// One call of an input.
pub trait Exec {
    fn exec(&self, h: &mut Harness);
}

/// An input: the instance's configuration and the calls made in it.
#[derive(Arbitrary, Debug)]
pub struct Input<C> {
    pub setup: Setup,
    pub calls: Vec<C>,
}

/// How the instance is configured.
#[derive(Arbitrary, Debug)]
pub struct Setup {
    /// The guest name of the preopen (fd 3).
    pub name: GuestName,
    /// A second preopen (fd 4), of another directory.
    pub second: Option<GuestName>,
    /// Random fd numbers when the low four bits are all set (rarely: the table then spans 65,536 slots,
    /// which makes an input ten times slower).
    pub randomize_fds: u8,
    pub args: Vec<Vec<u8>>,
    pub env: Vec<(Vec<u8>, Vec<u8>)>,
    pub stdin: Vec<u8>,
    pub tty: Option<TerminalGen>,
    /// Nanoseconds the realtime clock starts ahead of the host's (behind, if negative).
    pub realtime: Option<i64>,
}

/// A preopen's guest name.
#[derive(Arbitrary, Clone, Debug)]
pub enum GuestName {
    Root,
    Named(u8),
    Raw(String),
}

const GUEST_NAMES: [&str; 10] = ["/", "/sandbox", "sandbox", "", "/a/../b", "//", "/.", "/sandbox/", "/tmp/x", "."];

impl GuestName {
    fn get(&self) -> String {
        match self {
            GuestName::Root => "/".to_owned(),
            GuestName::Named(i) => GUEST_NAMES[usize::from(*i) % GUEST_NAMES.len()].to_owned(),
            GuestName::Raw(s) => s.clone(),
        }
    }
}

/// A virtual terminal's settings.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub struct TerminalGen {
    pub cols: u32,
    pub rows: u32,
    pub width: u32,
    pub height: u32,
    pub echo: bool,
    pub line_buffered: bool,
}

impl Setup {
    /// The instance. Arguments and environment are made valid first (no NUL, keys without `=`), so
    /// building never fails: the builder's refusals are not what is fuzzed.
    fn build(&self, sb: &Sandbox) -> Sim {
        let clean = |b: &[u8]| b.iter().copied().filter(|&c| c != 0).collect::<Vec<u8>>();
        // A small DHCP pool, so `port_dhcp_acquire` leases (each input's instance is the pool's only one).
        let mut c = Config::new().preopen(&sb.boxes[0], self.name.get()).dhcp_pool("10.9.0.0".parse().unwrap(), 29);
        if let Some(second) = &self.second {
            c = c.preopen(&sb.boxes[1], second.get());
        }
        c = c.args(self.args.iter().take(8).map(|a| clean(a)));
        for (k, v) in self.env.iter().take(8) {
            let mut key: Vec<u8> = clean(k).into_iter().filter(|&b| b != b'=').collect();
            if key.is_empty() {
                key.push(b'K');
            }
            c = c.env(key, clean(v));
        }
        c = c.stdin(Stdio::bytes(self.stdin.clone())).randomize_fds(self.randomize_fds & 0xf == 0xf);
        if let Some(t) = self.tty {
            c = c.tty(Terminal {
                cols: t.cols,
                rows: t.rows,
                width: t.width,
                height: t.height,
                echo: t.echo,
                line_buffered: t.line_buffered,
            });
        }
        if let Some(ahead) = self.realtime {
            // Within ±146 years of now: the builder refuses starts whose offset does not fit 64 bits.
            let d = Duration::from_nanos(ahead.unsigned_abs() % (1 << 62));
            let now = SystemTime::now();
            let start = if ahead >= 0 { now.checked_add(d) } else { now.checked_sub(d) };
            c = c.realtime(start.unwrap_or(now));
        }
        c.build().expect("a valid configuration builds")
    }
}

/// Fds opened before the input's calls, so calls on open files, directories, pipes and event counters
/// need no setup of their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prelude {
    /// Only stdio and the preopens.
    Nothing,
    /// Also `f` (every right), directory `d`, both ends of a pipe and an event counter.
    Fds,
}

/// A call that ends the process, and the exit code it must end it with.
#[derive(Debug)]
pub struct Ending {
    pub call: &'static str,
    pub code: u32,
}

/// The state of one instance's run: the fds learnt so far and where the input is.
#[derive(Debug)]
pub struct Harness {
    /// Fd numbers the simulator handed out, plus stdio and the preopens, for [`values::FdRef::Live`].
    pub live: Vec<Fd>,
    /// Every number that may be open (the live ones and renumbering targets), for the fd accounting.
    pub known: BTreeSet<Fd>,
    /// Host paths `values::Start::HostRoot` and `HostBox` stand for.
    pub host_root: Vec<u8>,
    pub host_box: Vec<u8>,
    /// The index of the next call of the input.
    pub next: usize,
    /// Set right before a call that ends the process.
    pub ending: Option<Ending>,
    /// Set by every call that may change files (see [`sandbox::Sandbox::reset`]).
    pub dirty: bool,
    /// Local ports of the instance's own sockets, the only ones a socket call may name besides 0 and 1.
    pub ports: Vec<u16>,
}

impl Harness {
    fn new(sb: &Sandbox, setup: &Setup, next: usize) -> Self {
        let mut live = vec![0, 1, 2, 3];
        if setup.second.is_some() {
            live.push(4);
        }
        Harness {
            known: live.iter().copied().collect(),
            live,
            host_root: sb.root.as_os_str().as_bytes().to_vec(),
            host_box: sb.boxes[0].as_os_str().as_bytes().to_vec(),
            next,
            ending: None,
            dirty: false,
            ports: Vec::new(),
        }
    }

    /// The invariant every call keeps: its errno is `SUCCESS` or one the seed names.
    pub fn errno(&self, call: &str, e: Errno) {
        assert!(e == Errno::SUCCESS || e.name().is_some(), "{call} returned an errno the seed does not name: {e:?}");
    }

    /// [`Harness::errno`], and an out-pointer written only on success, never past its value.
    pub fn result<T: Copy>(&self, call: &str, e: Errno, out: &guest::Out<T>) {
        self.errno(call, e);
        assert!(e == Errno::SUCCESS || out.untouched(), "{call} failed with {e:?} but wrote its result");
        assert!(out.tail_untouched(), "{call} wrote past its out-pointer's value");
    }

    /// Records a new fd; a pipe end, event counter or socket is made non-blocking, so no later call waits.
    pub fn created(&mut self, fd: Fd) {
        assert!(fd < 1 << 16, "fd {fd} is past the table's limit");
        if self.live.len() < 256 {
            self.live.push(fd);
        }
        self.known.insert(fd);
        if let Some(st) = fdstat(fd) {
            if may_block(st.fs_filetype) && !st.fs_flags.contains(Fdflags::NONBLOCK) {
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::fd_fdstat_set_flags(fd, st.fs_flags | Fdflags::NONBLOCK) };
                assert_eq!(e, Errno::SUCCESS, "making fd {fd} non-blocking");
            }
        }
    }

    /// Records that `fd` may be open now (a renumbering target).
    pub fn maybe_open(&mut self, fd: Fd) {
        self.known.insert(fd);
        if self.live.len() < 256 {
            self.live.push(fd);
        }
    }

    fn prelude(&mut self, prelude: Prelude) {
        if prelude == Prelude::Nothing {
            return;
        }
        let open = |path: &str, oflags: Oflags| {
            let mut fd = 0;
            // SAFETY: a valid path and out-pointer.
            let e = unsafe {
                wasix_sys::path_open(
                    3,
                    Lookupflags::SYMLINK_FOLLOW,
                    path.as_ptr(),
                    path.len(),
                    oflags,
                    Rights::all(),
                    Rights::all(),
                    Fdflags::empty(),
                    &mut fd,
                )
            };
            assert_eq!(e, Errno::SUCCESS, "prelude: opening {path}");
            fd
        };
        let f = open("f", Oflags::empty());
        self.created(f);
        let d = open("d", Oflags::DIRECTORY);
        self.created(d);
        let (mut r, mut w, mut ev) = (0, 0, 0);
        // SAFETY: valid out-pointers.
        assert_eq!(unsafe { wasix_sys::fd_pipe(&mut r, &mut w) }, Errno::SUCCESS, "prelude: fd_pipe");
        self.created(r);
        self.created(w);
        // SAFETY: a valid out-pointer.
        let e = unsafe { wasix_sys::fd_event(1, wasix_sys::Eventfdflags::empty(), &mut ev) };
        assert_eq!(e, Errno::SUCCESS, "prelude: fd_event");
        self.created(ev);
    }

    /// The host fds opened since `baseline` are no more than the fds the instance's table holds (each
    /// holds at most one host fd) and those the simulator says its HTTP exchanges and WebSocket
    /// connections hold beside them ([`wasix_sys::sim::held_host_fds`]). Run in the instance. Their workers
    /// hold the other ends of the socket pairs until they finish, after the call returned (at once here:
    /// the harness only reaches a closed port): the check gives them up to 2 s.
    fn check_accounting(&self, baseline: usize) {
        let open = || self.known.iter().filter(|&&fd| fdstat(fd).is_some()).count() + wasix_sys::sim::held_host_fds();
        let mut extra = host_fds().saturating_sub(baseline);
        for _ in 0..2000 {
            if extra <= open() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
            extra = host_fds().saturating_sub(baseline);
        }
        let open = open();
        assert!(extra <= open, "{extra} host fds are open for an instance whose table holds {open} fds");
    }
}

/// Whether a call on an fd of this type could wait (pipe ends, event counters and sockets): the harness
/// keeps them non-blocking.
pub fn may_block(t: Filetype) -> bool {
    matches!(t, Filetype::UNKNOWN | Filetype::SOCKET_STREAM | Filetype::SOCKET_DGRAM)
}

/// The fdstat of `fd`, if it is open (a harness query, not part of the input).
pub fn fdstat(fd: Fd) -> Option<Fdstat> {
    let mut st = Fdstat::default();
    // SAFETY: a valid out-pointer.
    (unsafe { wasix_sys::fd_fdstat_get(fd, &mut st) } == Errno::SUCCESS).then_some(st)
}

/// Whether the last input may have changed the fixture (at first: there is none yet).
static DIRTY: AtomicBool = AtomicBool::new(true);

/// Makes a SIGPIPE a crash libFuzzer reports (with the input), instead of a silent end of the process:
/// the simulator must turn a write to a broken pipe into `PIPE`, and libFuzzer's C++ `main` does not ignore
/// the signal as Rust's runtime would.
fn sigpipe_is_a_crash() {
    extern "C" fn on_sigpipe(_: libc::c_int) {
        let msg = b"SIGPIPE raised in the host process: a simulated write reached the host's signal\n";
        // SAFETY: `write` and `abort` are async-signal-safe; `msg` is valid for its length.
        unsafe {
            libc::write(2, msg.as_ptr().cast(), msg.len());
            libc::abort();
        }
    }
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // SAFETY: installs a handler that only calls async-signal-safe functions.
        unsafe { libc::signal(libc::SIGPIPE, on_sigpipe as extern "C" fn(libc::c_int) as libc::sighandler_t) };
    });
}

/// Runs `input` (see the module docs) with `prelude`.
pub fn run<C: Exec>(input: &Input<C>, prelude: Prelude) {
    sigpipe_is_a_crash();
    let sb = sandbox::sandbox();
    sb.reset(DIRTY.swap(false, Ordering::Relaxed));
    let before = host_fds();
    let mut next = 0;
    loop {
        let sim = input.setup.build(sb);
        let mut h = Harness::new(sb, &input.setup, next);
        let exit = sim.run_main(|| {
            h.prelude(prelude);
            while let Some(call) = input.calls.get(h.next) {
                h.next += 1;
                call.exec(&mut h);
            }
        });
        match h.ending.take() {
            Some(end) => assert_eq!(exit, Exit(end.code), "{} ended the process with the wrong code", end.call),
            None => assert_eq!(exit, Exit(0), "the process ended without a call that ends it"),
        }
        if h.dirty {
            DIRTY.store(true, Ordering::Relaxed);
        }
        sim.run(|| h.check_accounting(before));
        drop(sim);
        if h.next >= input.calls.len() {
            break;
        }
        next = h.next;
    }
    // A request whose `request` fd the instance's end closed is sent then, on a worker: up to 2 s for it.
    let mut after = host_fds();
    for _ in 0..2000 {
        if after == before {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
        after = host_fds();
    }
    assert_eq!(after, before, "host fds leaked: {before} open before the input, {after} after its instances");
    sb.check_outside();
}
