//! The Wasmer 7.x host profile: every translation the safe layer needs to present the seed's semantics on
//! Wasmer 7.4.2 (facts from `../shared/abi/wasmer-7.4.2-differences.md` and from running the conformance
//! suite on Wasmer).
//!
//! | item | Wasmer 7.4.2 | the seed / the simulator | adaptation | proven by |
//! |---|---|---|---|---|
//! | errno 78, 79 | `memviolation` (a guest pointer out of bounds) and `unknown` | not defined | 78 → `FAULT`, 79 → `IO` | `tests/errors.rs`: `host_errnos_outside_the_seed_are_mapped` |
//! | `clock_time_set` on a clock other than realtime | succeeds and moves that clock | `INVAL` (only realtime can be set, as in POSIX) | `INVAL` without calling the host | `tests/time.rs`: `clocks_other_than_realtime_cannot_be_set` |
//! | `fd_prestat_dir_name` on stdio | `fd_prestat_get` reports a directory, then `fd_prestat_dir_name` fails with `NOTDIR` | `BADF` (not a preopen) | `NOTDIR` → `BADF` | `tests/fd.rs`: `stdio_is_not_a_preopen` |
//! | `getcwd` with a short buffer | `RANGE`, the needed length written | `OVERFLOW`, the needed length written | `RANGE` → `OVERFLOW` | `tests/cwd.rs`: `a_current_directory_longer_than_the_first_buffer_is_read_whole` |
//! | paths leaving their directory (`..` above it, absolute paths) | resolved in Wasmer's virtual root: `..` reaches the parent, `/x` opens from `/` | `NOTCAPABLE` | every `path_*` path is checked before the call ([`check_path`]): `NOTCAPABLE` | `tests/sandbox.rs`: `dot_dot_cannot_leave_the_directory`, `absolute_paths_are_refused` |
//! | malformed paths | NUL byte: `NOENT`; not UTF-8: `INVAL`; empty: `INVAL`; overlong: `IO` | `INVAL`, `ILSEQ`, `NOENT`, `NAMETOOLONG` | the same check: those errnos without calling the host | `tests/sandbox.rs`: `nul_bytes_in_paths_are_inval`, `paths_that_are_not_utf8_are_ilseq`, `empty_paths_are_noent`, `overlong_names_and_paths_are_nametoolong` |
//! | a missing right | `ACCES` | `NOTCAPABLE` | on `ACCES`, `fd_fdstat_get` (only on that error path): `NOTCAPABLE` when the fd lacks the call's right | `tests/rights.rs`: `a_file_opened_for_reading_cannot_be_written` and the rest of the file |
//! | `path_readlink` with a buffer the target does not fit (with a byte to spare) | `OVERFLOW` | writes as much as fits and returns the full buffer's length | reported as a full buffer, so the caller grows it and asks again (the bytes are not written; `fs::read_link` only reads a result shorter than its buffer) | `tests/links.rs`: `long_symlink_targets_are_read_whole` |
//! | `fd_advise` with an advice the interface does not define | succeeds | `INVAL` | `INVAL` without calling the host | `tests/fs.rs`: `an_unknown_advice_is_inval` |
//! | `fd_seek` before the start | relative: `INVAL`, but the offset is left wrapped around below 0; from the end: `IO` | `INVAL`, offset unchanged | relative: `fd_tell` first, `INVAL` without seeking; from the end: `IO` → `INVAL` | `tests/fs.rs`: `seeking_before_the_start_is_inval` |
//! | `fd_readdir` without `FD_READDIR` | lists the directory | `NOTCAPABLE` | `fd_fdstat_get` first: `NOTCAPABLE` without the call | `tests/rights.rs`: `a_directory_without_a_path_right_refuses_that_call` |
//! | rights of an fd from `path_open` | more than asked for (`FD_SEEK`, `FD_TELL`, `FD_ADVISE`, …) | what was asked, narrowed to the directory's inheriting rights | `fd_fdstat_get` after the open, and `fd_fdstat_set_rights` down to what was asked when Wasmer granted more | `tests/rights.rs`: `explicit_rights_are_what_a_file_gets` |
//! | the type of a symbolic link in `fd_readdir` | `UNKNOWN` | `SYMBOLIC_LINK` | an `UNKNOWN` entry is looked up with `path_filestat_get` (not following links) | `tests/dir.rs`: `entries_carry_their_type` |
//! | `fd_renumber(from, to)` | a `dup2`: `from` stays open | `from` is released | `fd_close(from)` after a successful renumbering | `tests/fd.rs`: `renumbering_moves_an_fd_onto_another_number` |
//! | `poll_oneoff` with a relative clock timeout of 0 | waits forever (0 means "no timeout" to Wasmer, 1 means at once) | fires at once | the timeout is sent as 1 ns | `tests/poll.rs`: `a_zero_timeout_fires_at_once` |
//! | `poll_oneoff` with several clock subscriptions | waits for the last one's timeout, then fires them all | the earliest fires | only the earliest clock is passed on, as a relative monotonic timeout | `tests/poll.rs`: `the_earliest_of_two_timeouts_fires` |
//! | `poll_oneoff` with an fd that is not open | the whole call fails with `BADF` | that subscription's event carries `BADF` | on that error path only, each fd is checked (`fd_fdstat_get`) and the events of those not open are returned | `tests/poll.rs`: `an_fd_that_is_not_open_is_an_event_with_badf` |
//! | `fd_write` to an event fd | reads the buffer as `u64`s in place, failing with `unknown` (79) when it is not 8-byte aligned | any buffer | [`EventFd::write`](crate::fd::EventFd::write) writes from an aligned counter | `tests/event.rs`: `writes_add_up_and_a_read_takes_all` |

use wasix_sys::{
    Advice, Ciovec, Clockid, Dircookie, Errno, Fd, Filedelta, Filesize, Filestat, Fstflags, Iovec, Lookupflags, Oflags,
    Pointersize, Rights, Size, Subclockflags, Timestamp, Whence,
};

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

/// `clock_time_set`, refusing the clocks the seed cannot set before Wasmer would move them.
///
/// # Safety
/// As for [`wasix_sys::clock_time_set`].
pub(crate) unsafe fn clock_time_set(id: Clockid, timestamp: Timestamp) -> Errno {
    if id != Clockid::REALTIME {
        return Errno::INVAL;
    }
    // SAFETY: forwarded contract.
    unsafe { wasix_sys::clock_time_set(id, timestamp) }
}

/// `fd_prestat_dir_name`, reporting stdio (which Wasmer lists as a directory it cannot name) as no preopen.
///
/// # Safety
/// As for [`wasix_sys::fd_prestat_dir_name`].
pub(crate) unsafe fn fd_prestat_dir_name(fd: Fd, path: *mut u8, path_len: Pointersize) -> Errno {
    // SAFETY: forwarded contract.
    match unsafe { wasix_sys::fd_prestat_dir_name(fd, path, path_len) } {
        Errno::NOTDIR => Errno::BADF,
        other => other,
    }
}

/// `getcwd`, reporting a buffer too small for the path as the seed does (`OVERFLOW`, where Wasmer says
/// `RANGE`); Wasmer writes the needed length either way.
///
/// # Safety
/// As for [`wasix_sys::getcwd`].
pub(crate) unsafe fn getcwd(path: *mut u8, path_len: *mut Pointersize) -> Errno {
    // SAFETY: forwarded contract.
    match unsafe { wasix_sys::getcwd(path, path_len) } {
        Errno::RANGE => Errno::OVERFLOW,
        other => other,
    }
}

/// The longest path the seed's hosts accept (the simulator's, Linux's `PATH_MAX`).
const PATH_MAX: usize = 4096;
/// The longest file name (Linux's `NAME_MAX`).
const NAME_MAX: usize = 255;

/// Checks a path argument the way the seed's hosts do before resolving it: `NAMETOOLONG` beyond
/// [`PATH_MAX`], `ILSEQ` if not UTF-8, `INVAL` with a NUL byte; and, unless it is a symlink's target
/// (`beneath` false; a target is stored as given), `NOENT` if empty, `NAMETOOLONG` with a component beyond
/// [`NAME_MAX`], `NOTCAPABLE` if it is absolute or its `..`s climb above the directory it starts in. Lexical only: a symlink inside the directory that leads
/// out of it is Wasmer's to resolve (see the conformance expectations).
///
/// # Safety
/// `path` must be valid for reading `len` bytes.
unsafe fn check_path(path: *const u8, len: usize, beneath: bool) -> Result<(), Errno> {
    if path.is_null() {
        // Let the host report the pointer.
        return Ok(());
    }
    // SAFETY: per the caller.
    let bytes = unsafe { core::slice::from_raw_parts(path, len) };
    if bytes.is_empty() && beneath {
        return Err(Errno::NOENT);
    }
    let long_name = || bytes.split(|&b| b == b'/').any(|c| c.len() > NAME_MAX);
    if bytes.len() > PATH_MAX || beneath && long_name() {
        return Err(Errno::NAMETOOLONG);
    }
    if core::str::from_utf8(bytes).is_err() {
        return Err(Errno::ILSEQ);
    }
    if bytes.contains(&0) {
        return Err(Errno::INVAL);
    }
    if beneath {
        if bytes.starts_with(b"/") {
            return Err(Errno::NOTCAPABLE);
        }
        let mut depth = 0usize;
        for component in bytes.split(|&b| b == b'/') {
            match component {
                b"" | b"." => {}
                b".." => depth = depth.checked_sub(1).ok_or(Errno::NOTCAPABLE)?,
                _ => depth += 1,
            }
        }
    }
    Ok(())
}

/// `e`, or `NOTCAPABLE` where Wasmer said `ACCES` for an fd lacking `needed` (asked of the host only on
/// that error path).
#[cold]
fn missing_right(fd: Fd, needed: Rights, e: Errno) -> Errno {
    if e == Errno::ACCES && fdstat(fd).is_some_and(|st| !st.fs_rights_base.contains(needed)) {
        Errno::NOTCAPABLE
    } else {
        e
    }
}

/// The result of a call on `fd` that needs `needed`, with `ACCES` for a missing right made `NOTCAPABLE`.
#[inline]
fn with_right(fd: Fd, needed: Rights, e: Errno) -> Errno {
    if e == Errno::ACCES {
        missing_right(fd, needed, e)
    } else {
        e
    }
}

/// Defines `host::$name`: the raw call on fd `$fd`, whose `ACCES` for a missing `$right` becomes
/// `NOTCAPABLE`; path arguments (`$path, $len`) are checked first ([`check_path`]).
macro_rules! rights_checked {
    ($(
        $name:ident($fd:ident: Fd $(, $arg:ident: $ty:ty)* $(,)?) needs $right:ident
        $(, path $path:ident $len:ident)*;
    )*) => {$(
        #[doc = concat!("`", stringify!($name), "` with the Wasmer translations of the module table.")]
        ///
        /// # Safety
        #[doc = concat!("As for [`wasix_sys::", stringify!($name), "`].")]
        #[inline]
        pub(crate) unsafe fn $name($fd: Fd $(, $arg: $ty)*) -> Errno {
            $(
                // SAFETY: forwarded contract: the path is valid for its length.
                if let Err(e) = unsafe { check_path($path, $len, true) } {
                    return e;
                }
            )*
            // SAFETY: forwarded contract.
            with_right($fd, Rights::$right, unsafe { wasix_sys::$name($fd $(, $arg)*) })
        }
    )*};
}

rights_checked! {
    fd_read(fd: Fd, iovs: *const Iovec, iovs_len: usize, ret: *mut Size) needs FD_READ;
    fd_write(fd: Fd, iovs: *const Ciovec, iovs_len: usize, ret: *mut Size) needs FD_WRITE;
    fd_pread(fd: Fd, iovs: *const Iovec, iovs_len: usize, offset: Filesize, ret: *mut Size) needs FD_READ;
    fd_pwrite(fd: Fd, iovs: *const Ciovec, iovs_len: usize, offset: Filesize, ret: *mut Size) needs FD_WRITE;
    fd_tell(fd: Fd, ret: *mut Filesize) needs FD_TELL;
    fd_fdstat_set_flags(fd: Fd, flags: wasix_sys::Fdflags) needs FD_FDSTAT_SET_FLAGS;
    fd_filestat_get(fd: Fd, ret: *mut Filestat) needs FD_FILESTAT_GET;
    fd_filestat_set_size(fd: Fd, size: Filesize) needs FD_FILESTAT_SET_SIZE;
    fd_filestat_set_times(fd: Fd, atim: Timestamp, mtim: Timestamp, flags: Fstflags) needs FD_FILESTAT_SET_TIMES;
    fd_sync(fd: Fd) needs FD_SYNC;
    fd_datasync(fd: Fd) needs FD_DATASYNC;
    fd_allocate(fd: Fd, offset: Filesize, len: Filesize) needs FD_ALLOCATE;
    path_create_directory(fd: Fd, path: *const u8, path_len: usize) needs PATH_CREATE_DIRECTORY, path path path_len;
    path_remove_directory(fd: Fd, path: *const u8, path_len: usize) needs PATH_REMOVE_DIRECTORY, path path path_len;
    path_unlink_file(fd: Fd, path: *const u8, path_len: usize) needs PATH_UNLINK_FILE, path path path_len;
    path_filestat_get(fd: Fd, flags: Lookupflags, path: *const u8, path_len: usize, ret: *mut Filestat)
        needs PATH_FILESTAT_GET, path path path_len;
    path_filestat_set_times(
        fd: Fd, flags: Lookupflags, path: *const u8, path_len: usize, atim: Timestamp, mtim: Timestamp, fst: Fstflags,
    ) needs PATH_FILESTAT_SET_TIMES, path path path_len;
    path_rename(fd: Fd, old: *const u8, old_len: usize, new_fd: Fd, new: *const u8, new_len: usize)
        needs PATH_RENAME_SOURCE, path old old_len, path new new_len;
    path_link(
        fd: Fd, old_flags: Lookupflags, old: *const u8, old_len: usize, new_fd: Fd, new: *const u8, new_len: usize,
    ) needs PATH_LINK_SOURCE, path old old_len, path new new_len;
}

/// The `fdstat` of `fd` (`None` if `fd_fdstat_get` fails).
fn fdstat(fd: Fd) -> Option<wasix_sys::Fdstat> {
    let mut stat = core::mem::MaybeUninit::uninit();
    // SAFETY: `stat` is valid for the `fdstat` written on success.
    if unsafe { wasix_sys::fd_fdstat_get(fd, stat.as_mut_ptr()) } != Errno::SUCCESS {
        return None;
    }
    // SAFETY: `SUCCESS` means `stat` was written.
    Some(unsafe { stat.assume_init() })
}

/// `fd_readdir`, refusing a directory without `FD_READDIR` (which Wasmer does not check) before the call.
///
/// # Safety
/// As for [`wasix_sys::fd_readdir`].
pub(crate) unsafe fn fd_readdir(
    fd: Fd,
    buf: *mut u8,
    buf_len: Pointersize,
    cookie: Dircookie,
    ret: *mut Size,
) -> Errno {
    // Only a directory is refused here: for anything else Wasmer's own `NOTDIR` is the answer.
    if fdstat(fd).is_some_and(|st| {
        st.fs_filetype == wasix_sys::Filetype::DIRECTORY && !st.fs_rights_base.contains(Rights::FD_READDIR)
    }) {
        return Errno::NOTCAPABLE;
    }
    // SAFETY: forwarded contract.
    with_right(fd, Rights::FD_READDIR, unsafe { wasix_sys::fd_readdir(fd, buf, buf_len, cookie, ret) })
}

/// `path_open`, narrowing the new fd to the rights asked for: Wasmer grants more (`FD_SEEK`, `FD_TELL`,
/// `FD_ADVISE`, …) than a guest asked for.
///
/// # Safety
/// As for [`wasix_sys::path_open`].
pub(crate) unsafe fn path_open(
    fd: Fd,
    dirflags: Lookupflags,
    path: *const u8,
    path_len: usize,
    oflags: Oflags,
    base: Rights,
    inheriting: Rights,
    fdflags: wasix_sys::Fdflags,
    ret: *mut Fd,
) -> Errno {
    // SAFETY: forwarded contract: the path is valid for its length.
    if let Err(e) = unsafe { check_path(path, path_len, true) } {
        return e;
    }
    // SAFETY: forwarded contract.
    let e = unsafe { wasix_sys::path_open(fd, dirflags, path, path_len, oflags, base, inheriting, fdflags, ret) };
    if e != Errno::SUCCESS {
        return with_right(fd, Rights::PATH_OPEN, e);
    }
    // SAFETY: `SUCCESS` means `ret` holds the new fd.
    let new = unsafe { ret.read() };
    if let Some(st) = fdstat(new) {
        let (granted, granted_inheriting) = (st.fs_rights_base, st.fs_rights_inheriting);
        if !(base.contains(granted) && inheriting.contains(granted_inheriting)) {
            // SAFETY: no pointers. Narrowing only removes rights, which Wasmer allows.
            unsafe { wasix_sys::fd_fdstat_set_rights(new, granted & base, granted_inheriting & inheriting) };
        }
    }
    Errno::SUCCESS
}

/// The subscriptions to give Wasmer in place of `subs` (`None`: `subs` as they are). Wasmer waits for the
/// last clock subscription's timeout and then fires every clock subscription, and takes a relative timeout
/// of 0 as "no timeout". So when there is more than one clock, or a zero timeout, only the clock that
/// fires first is passed on, as a relative monotonic timeout of at least 1 ns, with its own userdata.
/// Clocks other than realtime and monotonic are passed on unchanged (Wasmer refuses them itself).
fn clocks_for_wasmer(subs: &[wasix_sys::Subscription]) -> Option<Vec<wasix_sys::Subscription>> {
    use wasix_sys::{SubscriptionClock, SubscriptionU};
    let remaining = |c: &SubscriptionClock| -> Option<u64> {
        if !matches!(c.id, Clockid::REALTIME | Clockid::MONOTONIC) {
            return None;
        }
        if !c.flags.contains(Subclockflags::SUBSCRIPTION_CLOCK_ABSTIME) {
            return Some(c.timeout);
        }
        let mut now = 0;
        // SAFETY: `now` is valid for the timestamp.
        (unsafe { wasix_sys::clock_time_get(c.id, 1, &mut now) } == Errno::SUCCESS)
            .then(|| c.timeout.saturating_sub(now))
    };
    let clocks: Vec<(usize, Option<u64>)> =
        subs.iter().enumerate().filter_map(|(i, s)| s.u.as_clock().map(|c| (i, remaining(&c)))).collect();
    let zero = subs.iter().any(|s| {
        s.u.as_clock().is_some_and(|c| c.timeout == 0 && !c.flags.contains(Subclockflags::SUBSCRIPTION_CLOCK_ABSTIME))
    });
    if !(zero || clocks.len() > 1) || clocks.iter().any(|(_, r)| r.is_none()) {
        return None;
    }
    let (first, wait) = clocks.iter().filter_map(|&(i, r)| r.map(|r| (i, r))).min_by_key(|&(_, r)| r)?;
    let first_clock = subs[first].u.as_clock()?;
    Some(
        subs.iter()
            .enumerate()
            .filter_map(|(i, s)| match s.u.as_clock() {
                None => Some(*s),
                Some(_) if i == first => Some(wasix_sys::Subscription {
                    userdata: s.userdata,
                    u: SubscriptionU::clock(SubscriptionClock {
                        id: Clockid::MONOTONIC,
                        timeout: wait.max(1),
                        flags: Subclockflags::empty(),
                        ..first_clock
                    }),
                }),
                Some(_) => None,
            })
            .collect(),
    )
}

/// The type of directory entry `name` of `dir`: Wasmer's `fd_readdir` reports symbolic links as `UNKNOWN`,
/// so an `UNKNOWN` entry is looked up (without following it).
pub(crate) fn dirent_type(dir: Fd, name: &[u8], reported: wasix_sys::Filetype) -> wasix_sys::Filetype {
    if reported != wasix_sys::Filetype::UNKNOWN {
        return reported;
    }
    let mut stat = core::mem::MaybeUninit::<Filestat>::uninit();
    // SAFETY: `name` is valid for its length and `stat` for the `filestat` written on success.
    let e = unsafe {
        wasix_sys::path_filestat_get(dir, Lookupflags::empty(), name.as_ptr(), name.len(), stat.as_mut_ptr())
    };
    if e == Errno::SUCCESS {
        // SAFETY: `SUCCESS` means `stat` was written.
        unsafe { stat.assume_init() }.filetype
    } else {
        reported
    }
}

/// `path_symlink`: the link's path checked like every path ([`check_path`]), the target only for being
/// well formed (a symlink may point anywhere; following it is what the sandbox refuses).
///
/// # Safety
/// As for [`wasix_sys::path_symlink`].
pub(crate) unsafe fn path_symlink(old: *const u8, old_len: usize, fd: Fd, new: *const u8, new_len: usize) -> Errno {
    // SAFETY: forwarded contract: both paths are valid for their lengths.
    if let Err(e) = unsafe { check_path(old, old_len, false).and_then(|()| check_path(new, new_len, true)) } {
        return e;
    }
    // SAFETY: forwarded contract.
    with_right(fd, Rights::PATH_SYMLINK, unsafe { wasix_sys::path_symlink(old, old_len, fd, new, new_len) })
}

/// `path_readlink`, with a target that does not fit reported as a full buffer (see the module table).
///
/// # Safety
/// As for [`wasix_sys::path_readlink`].
pub(crate) unsafe fn path_readlink(
    fd: Fd,
    path: *const u8,
    path_len: usize,
    buf: *mut u8,
    buf_len: Pointersize,
    ret: *mut Size,
) -> Errno {
    // SAFETY: forwarded contract: the path is valid for its length.
    if let Err(e) = unsafe { check_path(path, path_len, true) } {
        return e;
    }
    // SAFETY: forwarded contract.
    match unsafe { wasix_sys::path_readlink(fd, path, path_len, buf, buf_len, ret) } {
        Errno::OVERFLOW => match Size::try_from(buf_len) {
            Ok(full) => {
                // SAFETY: forwarded contract: `ret` is valid for a `Size`.
                unsafe { ret.write(full) };
                Errno::SUCCESS
            }
            Err(_) => Errno::OVERFLOW,
        },
        other => with_right(fd, Rights::PATH_READLINK, other),
    }
}

/// `fd_advise`, refusing advice the interface does not define (Wasmer accepts anything).
///
/// # Safety
/// As for [`wasix_sys::fd_advise`].
pub(crate) unsafe fn fd_advise(fd: Fd, offset: Filesize, len: Filesize, advice: Advice) -> Errno {
    if advice.name().is_none() {
        return Errno::INVAL;
    }
    // SAFETY: forwarded contract.
    with_right(fd, Rights::FD_ADVISE, unsafe { wasix_sys::fd_advise(fd, offset, len, advice) })
}

/// `fd_seek`, refusing a position before the start without moving the offset (see the module table).
///
/// # Safety
/// As for [`wasix_sys::fd_seek`].
pub(crate) unsafe fn fd_seek(fd: Fd, offset: Filedelta, whence: Whence, ret: *mut Filesize) -> Errno {
    if whence == Whence::CUR && offset < 0 {
        let mut now = 0;
        // SAFETY: `now` is valid for the `filesize` written on success.
        match unsafe { fd_tell(fd, &mut now) } {
            Errno::SUCCESS if now < offset.unsigned_abs() => return Errno::INVAL,
            Errno::SUCCESS => {}
            other => return other,
        }
    }
    // SAFETY: forwarded contract.
    match unsafe { wasix_sys::fd_seek(fd, offset, whence, ret) } {
        Errno::IO if whence == Whence::END && offset < 0 => Errno::INVAL,
        other => with_right(fd, Rights::FD_SEEK, other),
    }
}

/// `fd_renumber`, releasing `from` as the seed does (Wasmer's leaves it open, as `dup2` would).
///
/// # Safety
/// As for [`wasix_sys::fd_renumber`].
pub(crate) unsafe fn fd_renumber(from: Fd, to: Fd) -> Errno {
    // SAFETY: forwarded contract.
    match unsafe { wasix_sys::fd_renumber(from, to) } {
        Errno::SUCCESS if from != to => {
            // SAFETY: the caller gave up `from` to the renumbering, which the seed would have released.
            let _ = unsafe { wasix_sys::fd_close(from) };
            Errno::SUCCESS
        }
        other => other,
    }
}

/// `poll_oneoff`, with a relative clock timeout of 0 sent as 1 ns: Wasmer takes 0 for "no timeout" and
/// would wait forever where the seed returns at once. The subscriptions are copied only in that case.
///
/// # Safety
/// As for [`wasix_sys::poll_oneoff`].
pub(crate) unsafe fn poll_oneoff(
    subscriptions: *const wasix_sys::Subscription,
    events: *mut wasix_sys::Event,
    count: Size,
    ret: *mut Size,
) -> Errno {
    let all = match usize::try_from(count) {
        // SAFETY: forwarded contract: `subscriptions` holds `count` records (a null pointer is the host's to
        // report).
        Ok(n) if !subscriptions.is_null() => unsafe { core::slice::from_raw_parts(subscriptions, n) },
        _ => &[],
    };
    let e = match clocks_for_wasmer(all) {
        // SAFETY: forwarded contract.
        None => unsafe { wasix_sys::poll_oneoff(subscriptions, events, count, ret) },
        // SAFETY: `adjusted` holds its length of records, no more than `count`; the rest is forwarded.
        Some(adjusted) => unsafe { wasix_sys::poll_oneoff(adjusted.as_ptr(), events, adjusted.len() as Size, ret) },
    };
    if e != Errno::BADF {
        return e;
    }
    // Wasmer fails the whole call for an fd that is not open; the seed reports it in that subscription's
    // event. Only on this error path: find those fds and return their events (they are ready at once).
    let mut n = 0;
    for s in all {
        let (fd, r#type) = match (s.u.as_fd_read(), s.u.as_fd_write()) {
            (Some(sub), _) => (sub.file_descriptor, wasix_sys::Eventtype::FD_READ),
            (_, Some(sub)) => (sub.file_descriptor, wasix_sys::Eventtype::FD_WRITE),
            _ => continue,
        };
        let mut stat = core::mem::MaybeUninit::uninit();
        // SAFETY: `stat` is valid for the `fdstat` written on success.
        if unsafe { wasix_sys::fd_fdstat_get(fd, stat.as_mut_ptr()) } == Errno::BADF {
            let event = wasix_sys::Event { userdata: s.userdata, error: Errno::BADF, r#type, ..Default::default() };
            // SAFETY: `events` is valid for `count` events (forwarded contract) and `n < count`.
            unsafe { events.add(n).write(event) };
            n += 1;
        }
    }
    if n == 0 {
        return e;
    }
    // SAFETY: `ret` is valid for the count (forwarded contract).
    unsafe { ret.write(n as Size) };
    Errno::SUCCESS
}
