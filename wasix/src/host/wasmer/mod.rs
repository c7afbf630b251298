//! The Wasmer 7.x host profile: every translation the safe layer needs to present the seed's semantics on
//! Wasmer 7.4.2 (facts from `docs/wasmer-7.4.2.md` and from running the conformance suite on Wasmer).
//! One file per safe subsystem (`fd.rs`, `fs.rs`, `http.rs`, `net.rs`, `poll.rs`, `env.rs`, `time.rs`, `sync.rs`,
//! `thread.rs`, `signal.rs`, `process.rs`);
//! this root holds the index of every item, the errno mapping and the helpers the files share. Where a rule is
//! the seed's own (a path's form, the rights a call needs), it comes from [`wasix_sys::seed`], the copy the
//! simulator enforces too.
//!
//! | item | file | Wasmer 7.4.2 | the seed / the simulator | adaptation | proven by |
//! |---|---|---|---|---|---|
//! | errno 78, 79 | `mod.rs` | `memviolation` (a guest pointer out of bounds) and `unknown` | not defined | 78 → `FAULT`, 79 → `IO` | `tests/io/errors.rs`: `host_errnos_outside_the_seed_are_mapped` |
//! | `clock_time_set` on a clock other than realtime | `time.rs` | succeeds and moves that clock | `INVAL` (only realtime can be set, as in POSIX) | `INVAL` without calling the host | `tests/time/main.rs`: `clocks_other_than_realtime_cannot_be_set` |
//! | `fd_prestat_dir_name` on stdio | `fd.rs` | `fd_prestat_get` reports a directory, then `fd_prestat_dir_name` fails with `NOTDIR` | `BADF` (not a preopen) | `NOTDIR` → `BADF` | `tests/fd/ops.rs`: `stdio_is_not_a_preopen` |
//! | `getcwd` with a short buffer | `env.rs` | `RANGE`, the needed length written | `OVERFLOW`, the needed length written | `RANGE` → `OVERFLOW` | `tests/env/cwd.rs`: `a_current_directory_longer_than_the_first_buffer_is_read_whole` |
//! | paths leaving their directory (`..` above it, absolute paths) | `fs.rs` | resolved in Wasmer's virtual root: `..` reaches the parent, `/x` opens from `/` | `NOTCAPABLE` | every `path_*` path is checked before the call by the seed's rules ([`wasix_sys::seed::path`]): `NOTCAPABLE` | `tests/fs/sandbox.rs`: `dot_dot_cannot_leave_the_directory`, `absolute_paths_are_refused` |
//! | malformed paths | `fs.rs` | NUL byte: `NOENT`; not UTF-8: `INVAL`; empty: `INVAL`; overlong: `IO` | `INVAL`, `ILSEQ`, `NOENT`, `NAMETOOLONG` | the same check: those errnos without calling the host | `tests/fs/sandbox.rs`: `nul_bytes_in_paths_are_inval`, `paths_that_are_not_utf8_are_ilseq`, `empty_paths_are_noent`, `overlong_names_and_paths_are_nametoolong` |
//! | a missing right | `mod.rs` | `ACCES` | `NOTCAPABLE` | on `ACCES`, `fd_fdstat_get` (only on that error path): `NOTCAPABLE` when the fd's rights do not meet the call's need ([`wasix_sys::seed::needs`]; the socket calls in `net.rs` by its `SOCKET_TABLE`) | `tests/fs/rights.rs`: `a_file_opened_for_reading_cannot_be_written` and the rest of the file; `tests/net/errors.rs`: `a_socket_without_a_calls_right_refuses_it_with_notcapable` |
//! | `path_symlink` with an absolute target | `fs.rs` | makes the link | `NOTCAPABLE` (preview1 hosts refuse it; the seed says nothing) | the target is checked by the seed's rule for a stored path ([`wasix_sys::seed::path`]) before the call | `tests/fs/sandbox.rs`: `symlinks_with_absolute_targets_are_refused` |
//! | `path_readlink` with a buffer the target does not fit (with a byte to spare) | `fs.rs` | `OVERFLOW` | writes as much as fits and returns the full buffer's length | reported as a full buffer, so the caller grows it and asks again (the bytes are not written; `fs::read_link` only reads a result shorter than its buffer) | `tests/fs/links.rs`: `long_symlink_targets_are_read_whole` |
//! | `fd_advise` with an advice the interface does not define | `fs.rs` | succeeds | `INVAL` | `INVAL` without calling the host | `tests/fs/file.rs`: `an_unknown_advice_is_inval` |
//! | `fd_seek` before the start | `fs.rs` | relative: `INVAL`, but the offset is left wrapped around below 0; from the end: `IO` | `INVAL`, offset unchanged | relative: `fd_tell` first, `INVAL` without seeking; from the end: `IO` → `INVAL` | `tests/fs/file.rs`: `seeking_before_the_start_is_inval` |
//! | `fd_readdir` without `FD_READDIR` | `fs.rs` | lists the directory | `NOTCAPABLE` | `fd_fdstat_get` first: `NOTCAPABLE` without the call | `tests/fs/rights.rs`: `a_directory_without_a_path_right_refuses_that_call` |
//! | rights of an fd from `path_open` | `fs.rs` | more than asked for (`FD_SEEK`, `FD_TELL`, `FD_ADVISE`, …) | what was asked, narrowed to the directory's inheriting rights | `fd_fdstat_get` after the open, and `fd_fdstat_set_rights` down to what was asked when Wasmer granted more | `tests/fs/rights.rs`: `explicit_rights_are_what_a_file_gets` |
//! | the type of a symbolic link in `fd_readdir` | `fs.rs` | `UNKNOWN` | `SYMBOLIC_LINK` | an `UNKNOWN` entry is looked up with `path_filestat_get` (not following links) | `tests/fs/dir.rs`: `entries_carry_their_type` |
//! | `fd_renumber(from, to)` | `fd.rs` | a `dup2`: `from` stays open | `from` is released | `fd_close(from)` after a successful renumbering | `tests/fd/ops.rs`: `renumbering_moves_an_fd_onto_another_number` |
//! | `poll_oneoff` with a relative clock timeout of 0 | `poll.rs` | waits forever (0 means "no timeout" to Wasmer, 1 means at once) | fires at once | the timeout is sent as 1 ns | `tests/poll/main.rs`: `a_zero_timeout_fires_at_once` |
//! | `poll_oneoff` with several clock subscriptions | `poll.rs` | waits for the last one's timeout, then fires them all | the earliest fires | only the earliest clock is passed on, as a relative monotonic timeout | `tests/poll/main.rs`: `the_earliest_of_two_timeouts_fires` |
//! | `poll_oneoff` with an fd that is not open | `poll.rs` | the whole call fails with `BADF` | that subscription's event carries `BADF` | on that error path only, each fd is checked (`fd_fdstat_get`) and the events of those not open are returned | `tests/poll/main.rs`: `an_fd_that_is_not_open_is_an_event_with_badf` |
//! | `futex_wait` on a word that does not hold the expected value | `sync.rs` | success, woken | `INVAL` | the word is checked before the call: `INVAL` without calling the host | `tests/sync/futex.rs`: `a_wait_on_a_changed_value_returns_at_once` |
//! | `fd_write` to an event fd | `fd.rs` | reads the buffer as `u64`s in place, failing with `unknown` (79) when it is not 8-byte aligned | any buffer | a single 8-byte buffer that is not 8-byte aligned is written from an aligned copy (which fd is an event fd is not known without a call; the copy is 8 bytes) | `tests/fd/event.rs`: `writes_add_up_and_a_read_takes_all`, `a_counter_written_from_any_buffer_adds_up` |
//! | `thread_spawn` | `thread.rs` | `(start record, ret) -> errno`, entering the guest's `wasi_thread_start` (which must set its own stack pointer) | `(user_data, stack_base, stack_start, reactor, ret)`, entering `_start_thread(user_data)` | a std thread (std's start, through `wasi`.`thread-spawn`) runs the safe layer's entry; the thread's Wasmer id is returned | `tests/thread/spawn.rs`: every test |
//! | `thread_join` of an unknown or joined id, or of oneself | `thread.rs` | success at once | `SRCH`, `DEADLK` | joins are served by the profile's own records of the threads it started | `tests/thread/spawn.rs`: `joining_an_unknown_thread_is_srch`, `joining_oneself_is_deadlk` |
//! | signal numbers from 16 on (`proc_raise`, `proc_raise_interval`, `proc_signal`, `thread_signal`, the signal export's argument) | `signal.rs` | `stkflt` inserted at 16: `chld` 17 … `sys` 31 | `chld` 16 … `sys` 30 | the seed's number + 1 from 16 on, the export's argument − 1 (`stkflt` → `none`); numbers the seed does not define: `INVAL` without calling the host | `tests/signal/main.rs`: `every_signal_reaches_its_handler_with_its_number`; the profile's unit test `every_seed_signal_round_trips_through_wasmers_numbers` |
//! | `callback_signal` | `signal.rs` | the name is kept per thread: threads started later have no handler | the process's | the name is remembered and set again on each thread the profile starts, before its id is returned | `tests/signal/main.rs`: `a_signalled_thread_runs_the_handler_at_its_next_call` |
//! | `proc_raise_interval`'s interval | `signal.rs` | milliseconds | nanoseconds (a `timestamp`) | divided by 10⁶, rounded up | `tests/signal/main.rs`: `an_interval_raises_its_signal_until_cancelled` |
//! | `proc_join` | `process.rs` | `(option_pid, flags, join_status) -> errno`: tag none joins any child, the status a tagged union; exit codes 80–255 arrive as 79 (they pass through its errno conversion) | `(pid in/out, exitcode out)`, `u32::MAX` for any child | the seed's call over Wasmer's import; exit_signal → 128 + the seed's number; nothing ended → `CHILD` | `tests/process/spawn.rs`: `exit_codes_arrive`, `join_any_takes_whichever_child_ends` |
//! | `proc_join` of a pid that is no child (itself, unknown, joined) | `process.rs` | waits forever | `CHILD` | the profile keeps the pids it spawned or forked until joined; any other is `CHILD` without calling the host | `tests/process/spawn.rs`: `joining_a_pid_that_is_no_child_is_child` |
//! | `proc_parent` in a forked child | `process.rs` | 0 | the parent's pid | the profile's `proc_fork` records the parent's pid in the child and `proc_parent` answers with it | `examples/fork.rs` (run on Wasmer by `.ci/run`); `wasix-libc-shim/tests/c/fork.c` |
//! | `proc_spawn` | `process.rs` | returns an errno; splits `args` on `\r` too and drops empty arguments; `chroot` or a preopen list → `NOTSUP`; `null` and `log` stdio close the child's fd | a `bus_error`; the lists as given | errno → nearest `bus_error` (`NOENT` → `invalid_wapm`, `NOTSUP` → `unsupported`, …); an empty name, a NUL, `\r` or an empty argument → `bad_request` without calling the host | `tests/process/spawn.rs`: `an_unknown_program_is_invalid_wapm`, `an_empty_program_name_is_a_bad_request` |
//! | `proc_exec` | `process.rs` | splits `args` on `\r` too and drops empty arguments | the list as given | such arguments end the process with `INVAL`, as a failed exec | `tests/process/spawn.rs`: `arguments_that_cannot_be_passed_are_inval` |
//! | `thread_local_create`, `_set`, `_get` | `thread.rs` | not imported (a module importing them does not instantiate) | per-thread values, destructors at a spawned thread's end | served over wasm TLS, destructors run by the profile | `tests/thread/local.rs`: every test |
//! | `sock_open` socket types | `net.rs` | `unknown` 0, stream 1, dgram 2, raw 3, seqpacket 4; anything but stream and dgram `NOTSUP` | dgram 0, stream 1, raw 2, seqpacket 3; an unknown type `INVAL` | seed numbers sent as Wasmer's; an unknown type `INVAL` without calling the host | `tests/net/errors.rs`: `unknown_families_and_types_are_inval`, `families_and_types_the_host_cannot_open_are_refused`; `tests/net/udp.rs`: every test |
//! | `sock_open` families | `net.rs` | opens a socket for any family number (`unspec`, `unix`, unknown) | `unspec`, `unix`: `AFNOSUPPORT`; unknown: `INVAL` | refused without calling the host | `tests/net/errors.rs`: `unknown_families_and_types_are_inval`, `families_and_types_the_host_cannot_open_are_refused` |
//! | ports written (`sock_addr_local`, `sock_addr_peer`, `sock_accept`, `sock_recv_from`) | `net.rs` | big-endian | the port number (`ip_port` is a plain `u16`) | swapped back after the call | `tests/net/tcp.rs`: `addresses_are_the_loopback_ones_with_real_ports`; `tests/net/udp.rs`: `datagrams_carry_their_senders_address` |
//! | IPv6 addresses (`sock_bind`, `sock_connect`, `sock_send_to` in; the four calls above and `resolve` out) | `net.rs` | the 16 bytes in network order | eight plain `u16` groups in order | each group's bytes swapped both ways (multicast inputs Wasmer reads as the seed) | `tests/net/tcp.rs`: `bytes_echo_over_ipv4_and_ipv6`, `addresses_are_the_loopback_ones_with_real_ports` |
//! | blocking `sock_accept`, `sock_recv`, `sock_recv_from`, `sock_send`, `sock_send_to` without a timeout | `net.rs` | give up with `TIMEDOUT` after 30 s | block until done | called again on `TIMEDOUT` while the socket has no timeout of its own | measured for `sock_accept` and `sock_recv` by a probe that waited 30 s, the others read in Wasmer's source (the suite's tests stay short) |
//! | `sock_send_file` | `net.rs` | moves the file's offset past what it sent | the file's offset stays (Linux `sendfile` with an offset) | `fd_tell` before, `fd_seek` back after | `tests/net/tcp.rs`: `send_file_sends_sixteen_mebibytes_from_an_offset` |
//! | a receive or send timeout passing in `sock_recv`, `sock_send` (and `_from`, `_to`) | `net.rs` | `TIMEDOUT` (`fd_read`: `AGAIN`) | `AGAIN`, as `SO_RCVTIMEO` | `TIMEDOUT` with a timeout set → `AGAIN` | `tests/net/tcp.rs`: `a_read_timeout_fires` |
//! | blocking `sock_connect` to a closed port | `net.rs` | success, the socket left `failed` with `last_error` `CONNREFUSED` | `CONNREFUSED` | after a success, `sock_status`; when `failed`, the socket's `last_error` | `tests/net/errors.rs`: `connecting_to_a_closed_port_is_connrefused` |
//! | `sock_accept` on a non-blocking listener | `net.rs` | the new fd is `NONBLOCK` too | the new fd has the `flags` asked for | `NONBLOCK` cleared when not asked for | `tests/net/tcp.rs`: `a_non_blocking_accept_is_again_until_a_connection_waits` |
//! | `sock_addr_peer` of a socket not connected | `net.rs` | the unspecified address, port 0 | `NOTCONN` | that answer → `NOTCONN` | `tests/net/errors.rs`: `an_unconnected_stream_has_no_peer` |
//! | `sock_addr_local`, `sock_addr_peer` without their right | `net.rs` | served (Wasmer checks no right) | `NOTCAPABLE` (`sock_addr_local`, `sock_addr_remote`) | the fd's rights checked first (`fd_fdstat_get`) | `tests/net/errors.rs`: `a_socket_without_a_calls_right_refuses_it_with_notcapable` |
//! | `sock_get_opt_size(type)` | `net.rs` | `INVAL` | the socket's `sock_type` | from `fd_fdstat_get`'s file type (a listener's and a bound UDP socket's are `unknown`: told apart by `sock_get_opt_flag(broadcast)`, which only UDP answers) | `tests/net/options.rs`: `the_type_is_what_was_opened`; `tests/net/tcp.rs`: `a_socket_listens_and_accepts_like_a_listener` |
//! | `http_request`, `http_status`, `ws_connect` | `http.rs` | not imported (a module importing them does not instantiate) | HTTP requests and WebSocket connections served by the host | `wasix::http` and `wasix::ws` speak HTTP/1.1 and RFC 6455 over `wasix::net::TcpStream` (`HTTP_TRANSPORT`); `https`/`wss`: `Error::TlsUnavailable` | `tests/http/request.rs`, `tests/http/ws.rs`: every test |

#![allow(unsafe_code)] // Every item wraps a raw call.

use crate::conv;
use wasix_sys::seed::needs::Need;
use wasix_sys::seed::path::{self, Use};
use wasix_sys::{Errno, Fd, Fdstat};

/// Defines `host::$name`: the raw call on fd `$fd`, whose `ACCES` for a missing right becomes `NOTCAPABLE`
/// ([`with_right`], by the seed's `$need`); path arguments (`$path, $len`) are checked first
/// ([`check_path`]).
macro_rules! rights_checked {
    ($(
        $name:ident($fd:ident: Fd $(, $arg:ident: $ty:ty)* $(,)?) needs $need:ident
        $(, path $path:ident $len:ident)*;
    )*) => {$(
        #[doc = concat!("`", stringify!($name), "` with the Wasmer translations of the profile's index.")]
        ///
        /// # Safety
        #[doc = concat!("As for [`wasix_sys::", stringify!($name), "`].")]
        #[inline]
        pub(crate) unsafe fn $name($fd: Fd $(, $arg: $ty)*) -> Errno {
            $(
                // SAFETY: forwarded contract: the path is valid for its length.
                if let Err(e) = unsafe { super::check_path($path, $len, wasix_sys::seed::path::Use::Beneath) } {
                    return e;
                }
            )*
            // SAFETY: forwarded contract.
            super::with_right($fd, wasix_sys::seed::needs::$need, unsafe { wasix_sys::$name($fd $(, $arg)*) })
        }
    )*
        /// The need each function above is checked by, for the tests that hold it to the seed's table.
        #[cfg(all(test, not(target_family = "wasm")))]
        pub(super) const RIGHTS_CHECKED: &[(&str, wasix_sys::seed::needs::Need)] =
            &[$((stringify!($name), wasix_sys::seed::needs::$need)),*];
    };
}

mod env;
mod fd;
mod fs;
mod http;
mod net;
mod poll;
mod process;
mod signal;
mod sync;
mod thread;
mod time;

pub(crate) use env::getcwd;
pub(crate) use fd::{fd_fdstat_set_flags, fd_prestat_dir_name, fd_read, fd_renumber, fd_write};
pub(crate) use fs::{
    dirent_type, fd_advise, fd_allocate, fd_datasync, fd_filestat_get, fd_filestat_set_size, fd_filestat_set_times,
    fd_pread, fd_pwrite, fd_readdir, fd_seek, fd_sync, fd_tell, path_create_directory, path_filestat_get,
    path_filestat_set_times, path_link, path_open, path_readlink, path_remove_directory, path_rename, path_symlink,
    path_unlink_file,
};
pub(crate) use http::HTTP_TRANSPORT;
pub(crate) use net::{
    resolve, sock_accept, sock_addr_local, sock_addr_peer, sock_bind, sock_connect, sock_get_opt_size, sock_listen,
    sock_open, sock_recv, sock_recv_from, sock_send, sock_send_file, sock_send_to, sock_shutdown,
};
pub(crate) use poll::poll_oneoff;
pub(crate) use process::{proc_exec, proc_fork, proc_join, proc_parent, proc_spawn};
pub(crate) use signal::{
    callback_signal, proc_raise, proc_raise_interval, proc_signal, signal_from_host, thread_signal,
};
pub(crate) use sync::futex_wait;
pub(crate) use thread::{
    thread_exit, thread_join, thread_local_create, thread_local_get, thread_local_set, thread_spawn,
};
pub(crate) use time::clock_time_set;

/// Wasmer's `__WASI_EMEMVIOLATION`.
const MEMVIOLATION: Errno = Errno::from_raw(78);
/// Wasmer's `__WASI_EUNKNOWN`.
const UNKNOWN: Errno = Errno::from_raw(79);

/// Maps the errno values Wasmer adds to the seed's nearest ones.
#[inline]
pub(crate) fn errno(e: Errno) -> Errno {
    match e {
        MEMVIOLATION => Errno::FAULT,
        UNKNOWN => Errno::IO,
        other => other,
    }
}

/// The `fdstat` of `fd` (`None` if `fd_fdstat_get` fails).
fn fdstat(fd: Fd) -> Option<Fdstat> {
    // SAFETY: `ret` is valid for the `fdstat` written on success.
    unsafe { conv::out(|ret| wasix_sys::fd_fdstat_get(fd, ret)) }.ok()
}

/// Checks a path argument by the seed's rules for `use_` ([`wasix_sys::seed::path`]) before Wasmer sees
/// it: Wasmer would resolve `..` above the directory or an absolute path in its virtual root, and reports
/// malformed paths with other errnos. A null pointer is left for the host to report.
///
/// # Safety
/// A non-null `path` must be valid for reading `len` bytes.
unsafe fn check_path(path: *const u8, len: usize, use_: Use) -> Result<(), Errno> {
    if path.is_null() {
        return Ok(());
    }
    // SAFETY: per the caller.
    path::check(unsafe { core::slice::from_raw_parts(path, len) }, use_).map(drop)
}

/// `e`, or `NOTCAPABLE` where Wasmer said `ACCES` for an fd whose rights do not meet `need` (asked of the
/// host only on that error path).
#[cold]
fn missing_right(fd: Fd, need: Need, e: Errno) -> Errno {
    if e == Errno::ACCES && fdstat(fd).is_some_and(|st| !need.met_by(st.fs_rights_base)) {
        Errno::NOTCAPABLE
    } else {
        e
    }
}

/// The result of a call on `fd` with the seed's `need`, with `ACCES` for a missing right made `NOTCAPABLE`.
#[inline]
fn with_right(fd: Fd, need: Need, e: Errno) -> Errno {
    if e == Errno::ACCES {
        missing_right(fd, need, e)
    } else {
        e
    }
}

// The simulator serves these tests, so they run natively only.
#[cfg(all(test, not(target_family = "wasm")))]
mod tests {
    //! The profile holds to the seed's rules: run natively, on the simulator, through the same functions
    //! the wasm build uses.

    use super::*;
    use wasix_sys::seed::needs::{self, Rule};
    use wasix_sys::{Lookupflags, Oflags, Rights};

    /// A scoped instance with a fresh directory preopened at fd 3, holding a file `f` and a directory `d`.
    fn sandbox() -> (tempfile::TempDir, crate::sim::Sim) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f"), "").unwrap();
        std::fs::create_dir(dir.path().join("d")).unwrap();
        let sim = crate::sim::Config::new().preopen(dir.path(), "/").build().unwrap();
        (dir, sim)
    }

    /// `f` (or, for a directory's call, `d`) opened below the preopen with exactly `base`.
    fn fd_with(dir: bool, base: Rights) -> Fd {
        let (name, oflags) = if dir { ("d", Oflags::DIRECTORY) } else { ("f", Oflags::empty()) };
        // SAFETY: a valid path and out-pointer.
        let fd = unsafe {
            conv::out(|ret| {
                wasix_sys::path_open(
                    3,
                    Lookupflags::empty(),
                    name.as_ptr(),
                    1,
                    oflags,
                    base,
                    base,
                    Default::default(),
                    ret,
                )
            })
        };
        let fd = fd.unwrap();
        assert_eq!(fdstat(fd).map(|st| base.contains(st.fs_rights_base)), Some(true));
        fd
    }

    fn on_dir(rule: &Rule) -> bool {
        rule.call.starts_with("path_") || rule.call == "fd_readdir"
    }

    #[test]
    fn a_missing_right_is_notcapable_by_the_seeds_need_of_the_call() {
        let (_tmp, sim) = sandbox();
        sim.run(|| {
            for rule in needs::TABLE {
                let missing = match rule.need {
                    Need::All(r) | Need::Any(r) => r,
                };
                let without = fd_with(on_dir(rule), Rights::all() - missing);
                assert_eq!(with_right(without, rule.need, Errno::ACCES), Errno::NOTCAPABLE, "{}", rule.call);
                let with = fd_with(on_dir(rule), Rights::all());
                assert_eq!(with_right(with, rule.need, Errno::ACCES), Errno::ACCES, "{}", rule.call);
                assert_eq!(with_right(with, rule.need, Errno::BADF), Errno::BADF, "{}", rule.call);
            }
        });
    }

    #[test]
    fn every_wrapped_call_is_checked_by_the_seeds_rule() {
        for &(call, need) in fd::RIGHTS_CHECKED.iter().chain(fs::RIGHTS_CHECKED) {
            let rule = needs::TABLE.iter().find(|r| r.call == call).unwrap_or_else(|| panic!("{call} has no rule"));
            assert_eq!(need, rule.need, "{call}");
        }
        for &(call, need) in net::RIGHTS_CHECKED.iter().chain(net::WRAPPED) {
            let rule = needs::SOCKET_TABLE.iter().find(|r| r.call == call).unwrap_or_else(|| panic!("{call}: no rule"));
            assert_eq!(need, rule.need, "{call}");
        }
    }

    /// The profile once asked only `FD_READ` of `fd_pread` and only `FD_TELL` of `fd_tell`, where the
    /// seed asks `FD_READ | FD_SEEK` and either of `FD_TELL`, `FD_SEEK`.
    #[test]
    fn fd_pread_needs_fd_seek_and_fd_tell_is_met_by_fd_seek() {
        let checked = |name| fs::RIGHTS_CHECKED.iter().find(|(call, _)| *call == name).map(|&(_, need)| need);
        assert_eq!(checked("fd_pread"), Some(needs::FD_PREAD));
        assert_eq!(checked("fd_tell"), Some(needs::FD_TELL));
        let (_tmp, sim) = sandbox();
        sim.run(|| {
            let read_only = fd_with(false, Rights::FD_READ);
            assert_eq!(with_right(read_only, needs::FD_PREAD, Errno::ACCES), Errno::NOTCAPABLE);
            let seek_only = fd_with(false, Rights::FD_SEEK);
            assert_eq!(with_right(seek_only, needs::FD_TELL, Errno::ACCES), Errno::ACCES);
        });
    }

    #[test]
    fn every_path_example_holds_through_the_profile() {
        let (_tmp, sim) = sandbox();
        sim.run(|| {
            for &(bytes, use_, want) in path::EXAMPLES {
                // SAFETY: `bytes` is valid for its length.
                assert_eq!(unsafe { check_path(bytes.as_ptr(), bytes.len(), use_) }, want, "{bytes:?} {use_:?}");
                if use_ == Use::Beneath && want.is_err() {
                    // SAFETY: as above.
                    let got = unsafe { fs::path_create_directory(3, bytes.as_ptr(), bytes.len()) };
                    assert_eq!(Err(got), want, "path_create_directory {bytes:?}");
                }
            }
        });
    }
}
