//! The simulator through the raw functions: what the foundation serves, and an errno (never a panic or a
//! crash) for each class of bad input: unknown fds, enum values, null pointers, short buffers, missing
//! rights.

#![cfg(not(target_family = "wasm"))] // The simulator and the host toolchain exist only natively.

use std::ptr::{null, null_mut};
use wasix_sys::sim::{Config, Exit, Stdio};
use wasix_sys::*;

fn sim() -> wasix_sys::sim::Sim {
    Config::new().stdin(Stdio::bytes("typed input")).stdout(Stdio::capture()).build().unwrap()
}

#[test]
fn args_and_environ_are_nul_terminated_strings() {
    let sim = Config::new().args(["prog", "", "two words"]).env("A", "1").env("EMPTY", "").build().unwrap();
    sim.run(|| {
        let (mut argc, mut argv_size) = (0, 0);
        // SAFETY: valid out-pointers.
        assert_eq!(unsafe { args_sizes_get(&mut argc, &mut argv_size) }, Errno::SUCCESS);
        assert_eq!((argc, argv_size), (3, 5 + 1 + 10));
        let mut ptrs = vec![null_mut::<u8>(); argc as usize];
        let mut buf = vec![0xffu8; argv_size as usize];
        // SAFETY: both buffers are sized by args_sizes_get.
        assert_eq!(unsafe { args_get(ptrs.as_mut_ptr(), buf.as_mut_ptr()) }, Errno::SUCCESS);
        assert_eq!(buf, b"prog\0\0two words\0");
        assert_eq!(ptrs[2], buf.as_mut_ptr().wrapping_add(6));

        let (mut count, mut size) = (0, 0);
        // SAFETY: valid out-pointers.
        assert_eq!(unsafe { environ_sizes_get(&mut count, &mut size) }, Errno::SUCCESS);
        let mut ptrs = vec![null_mut::<u8>(); count as usize];
        let mut buf = vec![0u8; size as usize];
        // SAFETY: both buffers are sized by environ_sizes_get.
        assert_eq!(unsafe { environ_get(ptrs.as_mut_ptr(), buf.as_mut_ptr()) }, Errno::SUCCESS);
        assert_eq!(buf, b"A=1\0EMPTY=\0");
    });
}

#[test]
fn null_out_pointers_are_fault() {
    sim().run(|| {
        // SAFETY: null pointers are what is being tested; the simulator checks them.
        unsafe {
            assert_eq!(args_sizes_get(null_mut(), null_mut()), Errno::FAULT);
            assert_eq!(clock_time_get(Clockid::MONOTONIC, 1, null_mut()), Errno::FAULT);
            assert_eq!(clock_res_get(Clockid::MONOTONIC, null_mut()), Errno::FAULT);
            assert_eq!(fd_fdstat_get(FD_STDOUT, null_mut()), Errno::FAULT);
            assert_eq!(proc_id(null_mut()), Errno::FAULT);
            assert_eq!(random_get(null_mut(), 8), Errno::FAULT);
            assert_eq!(random_get(null_mut(), 0), Errno::SUCCESS);
            let mut n = 0;
            assert_eq!(fd_write(FD_STDOUT, null(), 1, &mut n), Errno::FAULT);
            assert_eq!(fd_write(FD_STDOUT, null(), 0, &mut n), Errno::SUCCESS);
            assert_eq!(n, 0);
        }
    });
}

#[test]
fn a_null_path_with_a_length_is_fault() {
    let sim = Config::new().preopen(std::env::temp_dir(), "/").build().unwrap();
    sim.run(|| {
        // SAFETY: a null path with a length is what is being tested.
        let e = unsafe { path_create_directory(3, null(), 4) };
        assert_eq!(e, Errno::FAULT);
    });
}

#[test]
fn unknown_fds_are_badf() {
    sim().run(|| {
        let mut stat = Fdstat::default();
        let mut prestat = Prestat::default();
        let mut n = 0;
        let iov = Ciovec { buf: b"x".as_ptr(), buf_len: 1 };
        // SAFETY: valid pointers; only the fd is bad.
        unsafe {
            for fd in [3, 4, 1000, u32::MAX] {
                assert_eq!(fd_fdstat_get(fd, &mut stat), Errno::BADF, "{fd}");
                assert_eq!(fd_write(fd, &iov, 1, &mut n), Errno::BADF, "{fd}");
                assert_eq!(fd_close(fd), Errno::BADF, "{fd}");
                assert_eq!(fd_prestat_get(fd, &mut prestat), Errno::BADF, "{fd}");
            }
            assert_eq!(fd_prestat_get(FD_STDOUT, &mut prestat), Errno::BADF);
        }
    });
}

#[test]
fn unknown_clocks_are_inval_and_only_realtime_can_be_set() {
    sim().run(|| {
        let mut t = 0;
        // SAFETY: valid out-pointers.
        unsafe {
            assert_eq!(clock_time_get(Clockid::from_raw(4), 1, &mut t), Errno::INVAL);
            assert_eq!(clock_res_get(Clockid::from_raw(u32::MAX), &mut t), Errno::INVAL);
            assert_eq!(clock_time_set(Clockid::from_raw(9), 0), Errno::INVAL);
            assert_eq!(clock_time_set(Clockid::MONOTONIC, 0), Errno::INVAL);
            assert_eq!(clock_time_set(Clockid::PROCESS_CPUTIME_ID, 0), Errno::INVAL);
            for id in [Clockid::REALTIME, Clockid::MONOTONIC, Clockid::PROCESS_CPUTIME_ID, Clockid::THREAD_CPUTIME_ID] {
                assert_eq!(clock_res_get(id, &mut t), Errno::SUCCESS);
                assert!(t > 0, "{id:?} resolution");
                assert_eq!(clock_time_get(id, 1, &mut t), Errno::SUCCESS);
            }
            let year_2000 = 946_684_800_000_000_000;
            assert_eq!(clock_time_set(Clockid::REALTIME, year_2000), Errno::SUCCESS);
            assert_eq!(clock_time_get(Clockid::REALTIME, 1, &mut t), Errno::SUCCESS);
            assert!((year_2000..year_2000 + 60_000_000_000).contains(&t), "{t}");
        }
    });
    // The host's clock, and every other instance's, did not move.
    let mut t = 0;
    // SAFETY: valid out-pointer.
    unsafe { clock_time_get(Clockid::REALTIME, 1, &mut t) };
    assert!(t > 1_600_000_000_000_000_000);
}

#[test]
fn stdio_reads_writes_and_rights() {
    let sim = sim();
    sim.run(|| {
        let mut n = 0;
        let bufs = [Ciovec { buf: b"hel".as_ptr(), buf_len: 3 }, Ciovec { buf: b"lo\n".as_ptr(), buf_len: 3 }];
        let mut a = [0u8; 5];
        let mut b = [0u8; 64];
        let iovs = [Iovec { buf: a.as_mut_ptr(), buf_len: 5 }, Iovec { buf: b.as_mut_ptr(), buf_len: 64 }];
        // SAFETY: all pointers valid for their lengths.
        unsafe {
            assert_eq!(fd_write(FD_STDOUT, bufs.as_ptr(), 2, &mut n), Errno::SUCCESS);
            assert_eq!(n, 6);
            assert_eq!(fd_read(FD_STDIN, iovs.as_ptr(), 2, &mut n), Errno::SUCCESS);
            assert_eq!(n, 11);
            assert_eq!(fd_read(FD_STDIN, iovs.as_ptr(), 2, &mut n), Errno::SUCCESS);
            assert_eq!(n, 0, "end of input");
            // stdin cannot be written, stdout cannot be read.
            assert_eq!(fd_write(FD_STDIN, bufs.as_ptr(), 2, &mut n), Errno::NOTCAPABLE);
            assert_eq!(fd_read(FD_STDOUT, iovs.as_ptr(), 2, &mut n), Errno::NOTCAPABLE);
        }
        assert_eq!(&a, b"typed");
        assert_eq!(&b[..6], b" input");
    });
    assert_eq!(sim.stdout(), b"hello\n");
}

#[test]
fn fdstat_of_stdio_and_preopens() {
    let dir = std::env::temp_dir();
    let sim = Config::new().preopen(&dir, "/tmp").preopen(&dir, "/data").build().unwrap();
    sim.run(|| {
        let mut stat = Fdstat::default();
        // SAFETY: valid out-pointers and buffers.
        unsafe {
            assert_eq!(fd_fdstat_get(FD_STDOUT, &mut stat), Errno::SUCCESS);
            assert_eq!(stat.fs_filetype, Filetype::CHARACTER_DEVICE);
            assert!(stat.fs_rights_base.contains(Rights::FD_WRITE));
            assert!(!stat.fs_rights_base.contains(Rights::FD_READ));
            assert_eq!(fd_fdstat_get(3, &mut stat), Errno::SUCCESS);
            assert_eq!(stat.fs_filetype, Filetype::DIRECTORY);

            let mut prestat = Prestat::default();
            assert_eq!(fd_prestat_get(4, &mut prestat), Errno::SUCCESS);
            assert_eq!(prestat.as_dir(), Some(PrestatDir { pr_name_len: 5 }));
            let mut name = [0u8; 8];
            // A short buffer (a zero-length one too) is NAMETOOLONG, as preview1 hosts answer.
            assert_eq!(fd_prestat_dir_name(4, name.as_mut_ptr(), 4), Errno::NAMETOOLONG);
            assert_eq!(fd_prestat_dir_name(4, name.as_mut_ptr(), 0), Errno::NAMETOOLONG);
            assert_eq!(fd_prestat_dir_name(4, name.as_mut_ptr(), 8), Errno::SUCCESS);
            assert_eq!(&name[..5], b"/data");
            assert_eq!(fd_prestat_dir_name(4, null_mut(), 8), Errno::FAULT);

            assert_eq!(fd_close(3), Errno::SUCCESS);
            assert_eq!(fd_close(3), Errno::BADF);
            assert_eq!(fd_prestat_get(3, &mut prestat), Errno::BADF);
        }
    });
}

#[test]
fn fd_table_is_consistent_under_concurrent_close() {
    let dir = std::env::temp_dir();
    let mut config = Config::new();
    for i in 0..64 {
        config = config.preopen(&dir, format!("/p{i}"));
    }
    let sim = config.build().unwrap();
    let closed: Vec<u32> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let sim = sim.clone();
                // Every thread tries to close every preopen; each fd must be closed exactly once.
                // SAFETY: fd_close takes no pointers.
                let close = |fd| unsafe { fd_close(fd) };
                s.spawn(move || sim.run(|| (3..67).filter(|&fd| close(fd) == Errno::SUCCESS).count()))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap() as u32).collect()
    });
    assert_eq!(closed.iter().sum::<u32>(), 64);
}

#[test]
fn proc_exit_ends_only_the_scoped_process() {
    let sim = sim();
    let mut pid = 0;
    // SAFETY: valid out-pointer; proc_exit takes no pointers.
    let exit = sim.run_main(|| unsafe {
        assert_eq!(proc_id(&mut pid), Errno::SUCCESS);
        proc_exit(42)
    });
    assert_eq!(exit, Exit(42));
    assert_eq!(pid, sim.pid());
    assert_eq!(Config::new().build().unwrap().run_main(|| ()), Exit(0));
}

#[test]
fn random_fills_the_buffer() {
    let mut a = [0u8; 64];
    let mut b = [0u8; 64];
    // SAFETY: valid buffers.
    unsafe {
        assert_eq!(random_get(a.as_mut_ptr(), a.len()), Errno::SUCCESS);
        assert_eq!(random_get(b.as_mut_ptr(), b.len()), Errno::SUCCESS);
    }
    assert_ne!(a, b);
    assert_ne!(a, [0; 64]);
}

#[test]
fn errno_names_messages_and_unknown_values() {
    assert_eq!(Errno::NOENT.name(), Some("noent"));
    assert_eq!(Errno::NOENT.message(), Some("No such file or directory."));
    assert_eq!(Errno::NOENT.to_string(), "No such file or directory (errno::noent)");
    assert_eq!(format!("{:?}", Errno::_2BIG), "Errno::_2BIG");
    let unknown = Errno::from_raw(79);
    assert_eq!(unknown.name(), None);
    assert_eq!(unknown.to_string(), "unknown errno 79");
    assert_eq!(format!("{unknown:?}"), "Errno(79)");
    assert_eq!(BusError::from_raw(1000).name(), None);
    assert_eq!(Signal::from_raw(200).name(), None);
    let e: &dyn core::error::Error = &Errno::BADF;
    assert!(!e.to_string().is_empty());
}

#[test]
fn variants_keep_their_payload_and_flags_keep_unknown_bits() {
    let t = OptionTimestamp::some(5);
    assert_eq!(t.tag, OptionTimestamp::TAG_SOME);
    assert_eq!(t.as_some(), Some(5));
    assert_eq!(t.as_none(), None);
    assert_eq!(format!("{t:?}"), "OptionTimestamp::some(5)");
    let mut odd = t;
    odd.tag = 9;
    assert_eq!(odd.as_some(), None);
    assert_eq!(format!("{odd:?}"), "OptionTimestamp { tag: 9 }");
    let flags = Fdflags::from_bits_retain(0x8001);
    assert!(flags.contains(Fdflags::APPEND));
    assert_eq!(flags.bits(), 0x8001);
}
