//! Streams and waiting through the raw functions: pipes and event counters across threads with
//! `poll_oneoff`, clock timeouts, `fd_dup`/`fd_renumber`, randomized fd numbers and the tty.

#![cfg(not(target_family = "wasm"))] // The simulator exists only natively.

mod common;

use common::*;
use std::time::{Duration, Instant};
use wasix_sys::sim::{Config, Stdio, Terminal};
use wasix_sys::*;

fn now(clock: Clockid) -> Timestamp {
    let mut t = 0;
    // SAFETY: valid out-pointer.
    assert_eq!(unsafe { clock_time_get(clock, 1, &mut t) }, Errno::SUCCESS);
    t
}

#[test]
fn pipes_carry_data_between_threads_and_wake_poll() {
    let sim = Config::new().build().unwrap();
    sim.run(|| {
        let (r, w) = pipe();
        assert_eq!(fdstat(r).unwrap().fs_filetype, Filetype::UNKNOWN);
        // Nothing to read yet: only the write end is ready.
        let events = poll(&[sub_read(1, r), sub_write(2, w)]).unwrap();
        assert_eq!(events.iter().map(|e| (e.userdata, e.r#type)).collect::<Vec<_>>(), [(2, Eventtype::FD_WRITE)]);
        let writer = {
            let sim = sim.clone();
            std::thread::spawn(move || {
                sim.run(|| {
                    std::thread::sleep(Duration::from_millis(50));
                    write(w, b"ping").unwrap();
                })
            })
        };
        let started = Instant::now();
        let events = poll(&[sub_read(7, r)]).unwrap();
        assert!(started.elapsed() >= Duration::from_millis(40));
        assert_eq!(events.len(), 1);
        assert_eq!((events[0].userdata, events[0].error, events[0].fd_readwrite.nbytes), (7, Errno::SUCCESS, 1));
        assert_eq!(read(r, 16).unwrap(), b"ping");
        writer.join().unwrap();
        // The ends are one-way, as POSIX's and Wasmer's are.
        assert_eq!(write(r, b"back"), Err(Errno::NOTCAPABLE));
        assert_eq!(read(w, 16), Err(Errno::NOTCAPABLE));
        close(w).unwrap();
        let events = poll(&[sub_read(1, r)]).unwrap();
        assert!(events[0].fd_readwrite.flags.contains(Eventrwflags::FD_READWRITE_HANGUP));
        assert_eq!(read(r, 16).unwrap(), b"", "end of stream");
    });
}

#[test]
fn events_count_and_semaphores_count_down() {
    let sim = Config::new().build().unwrap();
    sim.run(|| {
        let counter = event(5, Eventfdflags::empty());
        write(counter, &3u64.to_ne_bytes()).unwrap();
        assert_eq!(read(counter, 8).unwrap(), 8u64.to_ne_bytes());
        assert_eq!(read(counter, 4), Err(Errno::INVAL), "an event is read 8 bytes at a time");

        let sem = event(2, Eventfdflags::SEMAPHORE);
        assert_eq!(read(sem, 8).unwrap(), 1u64.to_ne_bytes());
        assert_eq!(read(sem, 8).unwrap(), 1u64.to_ne_bytes());
        // SAFETY: no pointers.
        assert_eq!(unsafe { fd_fdstat_set_flags(sem, Fdflags::NONBLOCK) }, Errno::SUCCESS);
        assert_eq!(read(sem, 8), Err(Errno::AGAIN));
        // A post from another thread wakes a poll on it.
        let poster = {
            let sim = sim.clone();
            std::thread::spawn(move || {
                sim.run(|| {
                    std::thread::sleep(Duration::from_millis(30));
                    write(sem, &1u64.to_ne_bytes()).unwrap();
                })
            })
        };
        let events = poll(&[sub_read(9, sem)]).unwrap();
        assert_eq!((events[0].userdata, events[0].error), (9, Errno::SUCCESS));
        poster.join().unwrap();
        assert_eq!(read(sem, 8).unwrap(), 1u64.to_ne_bytes());

        let mut fd = 0;
        // SAFETY: valid out-pointer.
        unsafe {
            assert_eq!(fd_event(u64::MAX, Eventfdflags::empty(), &mut fd), Errno::INVAL);
            assert_eq!(fd_event(0, Eventfdflags::from_bits_retain(0x80), &mut fd), Errno::INVAL);
        }
    });
}

#[test]
fn clock_subscriptions_relative_and_absolute() {
    let sim = Config::new().build().unwrap();
    sim.run(|| {
        let start = Instant::now();
        let events = poll(&[sub_clock(1, Clockid::MONOTONIC, 30_000_000, Subclockflags::empty())]).unwrap();
        assert!(start.elapsed() >= Duration::from_millis(30));
        assert_eq!((events[0].userdata, events[0].r#type, events[0].error), (1, Eventtype::CLOCK, Errno::SUCCESS));

        let start = Instant::now();
        let at = now(Clockid::MONOTONIC) + 30_000_000;
        let events = poll(&[
            sub_clock(2, Clockid::MONOTONIC, at, Subclockflags::SUBSCRIPTION_CLOCK_ABSTIME),
            sub_clock(3, Clockid::MONOTONIC, 10_000_000_000, Subclockflags::empty()),
        ])
        .unwrap();
        assert!(start.elapsed() >= Duration::from_millis(29));
        assert_eq!(events.iter().map(|e| e.userdata).collect::<Vec<_>>(), [2]);

        // The instance's realtime clock, moved by clock_time_set, is the one an absolute deadline uses.
        // SAFETY: no pointers.
        assert_eq!(unsafe { clock_time_set(Clockid::REALTIME, 1_000_000_000_000_000_000) }, Errno::SUCCESS);
        let at = now(Clockid::REALTIME) + 20_000_000;
        let start = Instant::now();
        poll(&[sub_clock(4, Clockid::REALTIME, at, Subclockflags::SUBSCRIPTION_CLOCK_ABSTIME)]).unwrap();
        let waited = start.elapsed();
        assert!(waited >= Duration::from_millis(19) && waited < Duration::from_secs(5), "{waited:?}");

        // A deadline already past fires at once.
        let events = poll(&[sub_clock(5, Clockid::MONOTONIC, 0, Subclockflags::empty())]).unwrap();
        assert_eq!(events[0].userdata, 5);
    });
}

#[test]
fn poll_reports_bad_subscriptions_in_events() {
    let (_tmp, sim) = sandbox();
    sim.run(|| {
        assert_eq!(poll(&[]), Err(Errno::INVAL));
        let f = open_with(
            ROOT,
            Lookupflags::empty(),
            "f",
            Oflags::CREAT,
            Rights::FD_READ | Rights::FD_WRITE,
            Fdflags::empty(),
        )
        .unwrap();
        let g = open(ROOT, "f", Oflags::empty()).unwrap();
        write(g, b"12345").unwrap();
        // SAFETY: valid out-pointer.
        unsafe { fd_seek(g, 1, Whence::SET, &mut 0) };
        let events = poll(&[
            sub_read(1, 999),
            sub_read(2, f),
            sub_read(3, g),
            sub_write(4, g),
            sub_clock(5, Clockid::from_raw(77), 0, Subclockflags::empty()),
            sub_clock(6, Clockid::THREAD_CPUTIME_ID, 0, Subclockflags::empty()),
        ])
        .unwrap();
        let got: Vec<_> = events.iter().map(|e| (e.userdata, e.error, e.fd_readwrite.nbytes)).collect();
        assert_eq!(
            got,
            [
                (1, Errno::BADF, 0),
                (2, Errno::NOTCAPABLE, 0),
                (3, Errno::SUCCESS, 4),
                (4, Errno::SUCCESS, 0),
                (5, Errno::INVAL, 0),
                (6, Errno::NOTSUP, 0)
            ]
        );
        let mut n = 0;
        // SAFETY: a null subscription list with a count is what is tested.
        assert_eq!(unsafe { poll_oneoff(std::ptr::null(), std::ptr::null_mut(), 1, &mut n) }, Errno::FAULT);
    });
}

#[test]
fn dup_shares_the_offset_and_renumber_replaces() {
    let (_tmp, sim) = sandbox();
    sim.run(|| {
        let f = open(ROOT, "f", Oflags::CREAT).unwrap();
        let mut d = 0;
        // SAFETY: valid out-pointer.
        assert_eq!(unsafe { fd_dup(f, &mut d) }, Errno::SUCCESS);
        write(f, b"abc").unwrap();
        let mut at = 0;
        // SAFETY: valid out-pointer.
        assert_eq!(unsafe { fd_tell(d, &mut at) }, Errno::SUCCESS);
        assert_eq!(at, 3, "a duplicate shares the offset");
        // Rights are per fd.
        // SAFETY: no pointers.
        assert_eq!(unsafe { fd_fdstat_set_rights(d, Rights::FD_READ, Rights::empty()) }, Errno::SUCCESS);
        assert!(fdstat(f).unwrap().fs_rights_base.contains(Rights::FD_WRITE));
        let (r, w) = pipe();
        // SAFETY: no pointers.
        unsafe {
            assert_eq!(fd_renumber(w, f), Errno::SUCCESS);
            // The seed has no `dup2`: only an fd that is open can be replaced.
            assert_eq!(fd_renumber(r, 60_000), Errno::BADF, "to a number not open");
            assert_eq!(fd_renumber(r, 1 << 20), Errno::BADF, "beyond the table");
            assert_eq!(fd_renumber(12345, 3), Errno::BADF);
            assert_eq!(fd_renumber(d, d), Errno::SUCCESS);
        }
        assert_eq!(fdstat(w), Err(Errno::BADF));
        write(f, b"through the pipe").unwrap();
        assert_eq!(read(r, 64).unwrap(), b"through the pipe");
        close(d).unwrap();
    });
}

#[test]
fn randomized_fd_numbers() {
    let (_tmp, sim) = sandbox_with(Config::new().randomize_fds(true));
    sim.run(|| {
        let fds: Vec<Fd> = (0..16).map(|_| open(ROOT, ".", Oflags::DIRECTORY).unwrap()).collect();
        assert!(fds.iter().all(|&fd| fd < 1 << 31 && fd > 3));
        let lowest_free: Vec<Fd> = (4..20).collect();
        assert_ne!(fds, lowest_free);
        for fd in fds {
            close(fd).unwrap();
        }
        assert_eq!(fdstat(ROOT).unwrap().fs_filetype, Filetype::DIRECTORY, "preopens stay where they are");
    });
}

fn tty() -> Result<Tty, Errno> {
    let mut t = Tty::default();
    // SAFETY: valid out-pointer.
    ok(unsafe { tty_get(&mut t) })?;
    Ok(t)
}

#[test]
fn virtual_tty_round_trips_and_shapes_memory_stdin() {
    let terminal = Terminal { cols: 120, rows: 40, ..Terminal::default() };
    let sim = Config::new().stdin(Stdio::bytes("one\ntwo\n")).tty(terminal).build().unwrap();
    sim.run(|| {
        let t = tty().unwrap();
        assert_eq!((t.cols, t.rows, t.width, t.height), (120, 40, 800, 600));
        assert_eq!([t.stdin_tty, t.stdout_tty, t.echo, t.line_buffered], [Bool::TRUE; 4]);
        // Line buffered and echoing: one line per read, echoed to stdout.
        assert_eq!(read(FD_STDIN, 64).unwrap(), b"one\n");
        let mut set = Tty { cols: 10, echo: Bool::FALSE, line_buffered: Bool::FALSE, ..t };
        // SAFETY: valid pointer.
        assert_eq!(unsafe { tty_set(&mut set) }, Errno::SUCCESS);
        let t = tty().unwrap();
        assert_eq!((t.cols, t.echo, t.line_buffered), (10, Bool::FALSE, Bool::FALSE));
        set.echo = Bool::from_raw(2);
        // SAFETY: valid pointer.
        assert_eq!(unsafe { tty_set(&mut set) }, Errno::INVAL);
        // SAFETY: null pointers are what is tested.
        unsafe {
            assert_eq!(tty_get(std::ptr::null_mut()), Errno::FAULT);
            assert_eq!(tty_set(std::ptr::null_mut()), Errno::FAULT);
        }
        assert_eq!(read(FD_STDIN, 64).unwrap(), b"two\n");
    });
    assert_eq!(sim.stdout(), b"one\n");
    // Without a configured terminal, in-memory stdio is no tty.
    Config::new().build().unwrap().run(|| {
        let t = tty().unwrap();
        assert_eq!([t.stdin_tty, t.stdout_tty, t.stderr_tty], [Bool::FALSE; 3]);
    });
}

/// An iovec list is guest data: a null buffer of length 0 is a valid entry (C's `writev` accepts it), and
/// a bad entry or total gets its errno before any host buffer exists. Each of these aborted the host
/// process once, when lengths were read through `IoSlice`'s deref.
#[test]
fn hostile_iovec_lists_get_their_errno_and_never_abort() {
    let (_tmp, sim) = sandbox();
    sim.run(|| {
        let f = open(ROOT, "f", Oflags::CREAT).unwrap();
        let data = *b"abc";
        let mut n = 0;
        let null_empty = Ciovec { buf: std::ptr::null(), buf_len: 0 };
        let written = [null_empty, Ciovec { buf: data.as_ptr(), buf_len: 3 }, null_empty];
        // SAFETY: every entry is either null with length 0 or valid for its length.
        assert_eq!(unsafe { fd_write(f, written.as_ptr(), written.len(), &mut n) }, Errno::SUCCESS);
        assert_eq!(n, 3);
        // SAFETY: as above, at an offset.
        assert_eq!(unsafe { fd_pwrite(f, written.as_ptr(), written.len(), 3, &mut n) }, Errno::SUCCESS);
        let mut buf = [0u8; 6];
        let (head, tail) = buf.split_at_mut(2);
        let read = [
            Iovec { buf: std::ptr::null_mut(), buf_len: 0 },
            Iovec { buf: head.as_mut_ptr(), buf_len: 2 },
            Iovec { buf: tail.as_mut_ptr(), buf_len: 4 },
        ];
        // SAFETY: every entry is either null with length 0 or valid for writing its length.
        assert_eq!(unsafe { fd_pread(f, read.as_ptr(), read.len(), 0, &mut n) }, Errno::SUCCESS);
        assert_eq!((n, &buf), (6, b"abcabc"));
        // SAFETY: one null entry of length 0.
        assert_eq!(unsafe { fd_read(f, read.as_ptr(), 1, &mut n) }, Errno::SUCCESS);
        assert_eq!(n, 0);

        // A list that cannot be used in place (not aligned for a `ciovec`) is read as data too.
        let mut raw = [0u8; size_of::<Ciovec>() + 1];
        // SAFETY: `raw` has room for one ciovec at offset 1; the write needs no alignment.
        unsafe { raw.as_mut_ptr().add(1).cast::<Ciovec>().write_unaligned(Ciovec { buf: data.as_ptr(), buf_len: 3 }) };
        // SAFETY: the list is valid (unaligned) for one ciovec over `data`.
        assert_eq!(unsafe { fd_write(f, raw.as_ptr().add(1).cast(), 1, &mut n) }, Errno::SUCCESS);
        assert_eq!(n, 3);

        // Lengths never become slices before they are checked: the buffers below are never touched.
        let dangling = std::ptr::NonNull::<u8>::dangling().as_ptr();
        let overflowing = [Ciovec { buf: dangling, buf_len: usize::MAX }, Ciovec { buf: dangling, buf_len: 2 }];
        let too_big = [Ciovec { buf: dangling, buf_len: 1 << 31 }, Ciovec { buf: dangling, buf_len: 1 << 31 }];
        let null_with_len = [Ciovec { buf: std::ptr::null(), buf_len: 1 }];
        for (list, want) in
            [(&overflowing[..], Errno::OVERFLOW), (&too_big, Errno::INVAL), (&null_with_len, Errno::FAULT)]
        {
            // SAFETY: the lists are readable; the simulator refuses them before reading any buffer.
            unsafe {
                assert_eq!(fd_write(f, list.as_ptr(), list.len(), &mut n), want, "fd_write {list:?}");
                assert_eq!(fd_pwrite(f, list.as_ptr(), list.len(), 0, &mut n), want, "fd_pwrite {list:?}");
                let as_iovecs = list.as_ptr().cast::<Iovec>();
                assert_eq!(fd_read(f, as_iovecs, list.len(), &mut n), want, "fd_read {list:?}");
                assert_eq!(fd_pread(f, as_iovecs, list.len(), 0, &mut n), want, "fd_pread {list:?}");
            }
        }
        // A list whose own size overflows, or a null list with entries.
        // SAFETY: refused before the list is read.
        unsafe {
            assert_eq!(fd_write(f, written.as_ptr(), usize::MAX / 2, &mut n), Errno::OVERFLOW);
            assert_eq!(fd_write(f, std::ptr::null(), 1, &mut n), Errno::FAULT);
        }
        // Nothing was written by the refused calls.
        assert_eq!(stat(ROOT, "f", Lookupflags::empty()).unwrap().size, 6);
    });
}

/// `poll_oneoff`'s lists are guest data too: wasm memory does not require alignment, so neither does the
/// simulator (they were `FAULT` when read as Rust slices).
#[test]
fn poll_lists_need_no_alignment() {
    let (_tmp, sim) = sandbox();
    sim.run(|| {
        let sub = sub_clock(7, Clockid::MONOTONIC, 0, Subclockflags::empty());
        let mut subs = vec![0u8; size_of::<Subscription>() + 1];
        let mut events = vec![0u8; size_of::<Event>() + 1];
        let mut n = 0;
        // SAFETY: both buffers have room for one record at offset 1; the accesses need no alignment.
        unsafe {
            subs.as_mut_ptr().add(1).cast::<Subscription>().write_unaligned(sub);
            let (in_, out) = (subs.as_ptr().add(1).cast::<Subscription>(), events.as_mut_ptr().add(1).cast::<Event>());
            assert_eq!(poll_oneoff(in_, out, 1, &mut n), Errno::SUCCESS);
            let event = out.read_unaligned();
            assert_eq!((n, event.userdata, event.r#type), (1, 7, Eventtype::CLOCK));
        }
    });
}

/// Duplicates share one open description and its flags: two threads switching `APPEND` on two of them at
/// the same time must leave the recorded flags (`fd_fdstat_get`) and the host's (how a write lands) in
/// agreement. Once they could disagree either way, each change being a read-modify-write of both.
#[test]
fn concurrent_flag_changes_on_duplicates_stay_consistent() {
    let (_tmp, sim) = sandbox();
    sim.run(|| {
        let a = open(ROOT, "f", Oflags::CREAT).unwrap();
        write(a, b"x").unwrap();
        let mut b = 0;
        // SAFETY: valid out-pointer.
        ok(unsafe { fd_dup(a, &mut b) }).unwrap();
        let mut mismatches = 0;
        for round in 0..2000 {
            let start = std::sync::Barrier::new(2);
            std::thread::scope(|scope| {
                for (fd, flags) in [(a, Fdflags::APPEND), (b, Fdflags::empty())] {
                    let (sim, start) = (&sim, &start);
                    // Alternate which thread sets which value, so neither always wins.
                    let flags = if round % 2 == 0 { flags } else { Fdflags::APPEND - flags };
                    scope.spawn(move || {
                        sim.run(|| {
                            start.wait();
                            // SAFETY: no pointers.
                            assert_eq!(unsafe { fd_fdstat_set_flags(fd, flags) }, Errno::SUCCESS);
                        })
                    });
                }
            });
            let recorded = fdstat(a).unwrap().fs_flags.contains(Fdflags::APPEND);
            // Where a write at offset 0 lands tells the host's flag: at the end with APPEND.
            let mut at = 0;
            // SAFETY: valid out-pointer.
            ok(unsafe { fd_seek(a, 0, Whence::SET, &mut at) }).unwrap();
            let before = stat(ROOT, "f", Lookupflags::empty()).unwrap().size;
            write(a, b"y").unwrap();
            let host = stat(ROOT, "f", Lookupflags::empty()).unwrap().size > before;
            mismatches += usize::from(recorded != host);
        }
        assert_eq!(mismatches, 0, "recorded and host APPEND flags disagreed");
    });
}

/// Subscriptions on one host fd share one host poll entry: more of them than the host's fd limit
/// (`RLIMIT_NOFILE`, which bounds the entries of one host `poll`) all fire, where the whole call once
/// failed with `INVAL`. A read and a write subscription on one fd report only what each asked for.
#[test]
fn many_subscriptions_on_one_fd_share_one_host_entry() {
    let (_tmp, sim) = sandbox();
    sim.run(|| {
        let counter = event(1, Eventfdflags::empty());
        // Past the soft limit (unlimited: a million), at most two million.
        let soft = rustix::process::getrlimit(rustix::process::Resource::Nofile).current.unwrap_or(1 << 20);
        let n = usize::try_from(soft).unwrap_or(usize::MAX).saturating_add(1).min(1 << 21);
        let subs: Vec<Subscription> = (0..n as u64).map(|i| sub_read(i, counter)).collect();
        let events = poll(&subs).unwrap();
        assert_eq!(events.len(), n);
        assert!(events.iter().all(|e| e.error == Errno::SUCCESS && e.r#type == Eventtype::FD_READ));

        // An empty counter is writable but not readable.
        let empty = event(0, Eventfdflags::empty());
        let events = poll(&[sub_read(1, empty), sub_write(2, empty)]).unwrap();
        assert_eq!(events.iter().map(|e| (e.userdata, e.error)).collect::<Vec<_>>(), [(2, Errno::SUCCESS)]);
    });
}
