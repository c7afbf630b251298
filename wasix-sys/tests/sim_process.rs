//! `proc_spawn`, `proc_join` and `proc_exec` at the raw level: each bad input's exact `bus_error` or errno,
//! and no host fd or child left behind by spawns that fail or succeed (one test, so the count of host fds
//! is not disturbed by another test of this binary).

#![cfg(not(target_family = "wasm"))] // The simulator exists only natively.

use wasix_sys::sim::Config;
use wasix_sys::*;

/// `proc_spawn(name, args)` with `modes`, no preopens, the caller's working directory.
fn spawn(name: &[u8], args: &[u8], chroot: Bool, modes: [StdioMode; 3], ret: *mut ProcessHandles) -> BusError {
    // SAFETY: valid strings with their lengths; `ret` is valid or null.
    unsafe {
        proc_spawn(
            name.as_ptr(),
            name.len(),
            chroot,
            args.as_ptr(),
            args.len(),
            b"".as_ptr(),
            0,
            modes[0],
            modes[1],
            modes[2],
            b"".as_ptr(),
            0,
            ret,
        )
    }
}

fn host_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

#[test]
fn bad_input_has_its_answer_and_nothing_leaks() {
    // SAFETY: `proc_exit` takes no pointers.
    let exit = || unsafe { proc_exit(255) };
    let sim = Config::new().program("ok", || ()).program("exit", exit).build().unwrap();
    let piped = [StdioMode::PIPED; 3];
    let mut h = ProcessHandles::default();
    sim.run(|| {
        let before = host_fds();
        for _ in 0..20 {
            assert_eq!(spawn(b"ok", b"", Bool::FALSE, [StdioMode::from_raw(4); 3], &mut h), BusError::BAD_REQUEST);
            assert_eq!(spawn(b"ok", b"", Bool::from_raw(2), piped, &mut h), BusError::BAD_REQUEST);
            assert_eq!(spawn(b"ok", b"", Bool::FALSE, piped, std::ptr::null_mut()), BusError::MEMORY_ACCESS_VIOLATION);
            assert_eq!(spawn(b"", b"", Bool::FALSE, piped, &mut h), BusError::BAD_REQUEST);
            assert_eq!(spawn(b"o\0k", b"", Bool::FALSE, piped, &mut h), BusError::BAD_REQUEST);
            assert_eq!(spawn(&[b'a'; 5000], b"", Bool::FALSE, piped, &mut h), BusError::BAD_REQUEST);
            assert_eq!(spawn(b"ok", b"ok\0x", Bool::FALSE, piped, &mut h), BusError::BAD_REQUEST);
            assert_eq!(spawn(b"missing", b"", Bool::FALSE, piped, &mut h), BusError::INVALID_WAPM);
            assert_eq!(spawn(b"ok", b"", Bool::TRUE, piped, &mut h), BusError::BAD_REQUEST, "chroot, no preopen");
            // SAFETY: a null name with a length.
            let e = unsafe {
                proc_spawn(
                    std::ptr::null(),
                    2,
                    Bool::FALSE,
                    b"".as_ptr(),
                    0,
                    b"".as_ptr(),
                    0,
                    piped[0],
                    piped[1],
                    piped[2],
                    b"".as_ptr(),
                    0,
                    &mut h,
                )
            };
            assert_eq!(e, BusError::MEMORY_ACCESS_VIOLATION);
        }
        for _ in 0..20 {
            assert_eq!(spawn(b"exit", b"", Bool::FALSE, piped, &mut h), BusError::SUCCESS);
            let (mut pid, mut code) = (h.bid, 0);
            // SAFETY: valid pointers.
            assert_eq!(unsafe { proc_join(&mut pid, &mut code) }, Errno::SUCCESS);
            assert_eq!((pid, code), (h.bid, 255));
            for fd in [h.stdin, h.stdout, h.stderr] {
                // SAFETY: no pointers.
                assert_eq!(unsafe { fd_close(fd.as_some().unwrap()) }, Errno::SUCCESS);
            }
        }
        assert_eq!(host_fds(), before, "no host fd left behind");
        let (mut any, mut code) = (u32::MAX, 0);
        // SAFETY: valid pointers; then a null exit-code pointer.
        unsafe {
            assert_eq!(proc_join(&mut any, &mut code), Errno::CHILD);
            assert_eq!(proc_join(std::ptr::null_mut(), &mut code), Errno::FAULT);
            assert_eq!(proc_join(&mut any, std::ptr::null_mut()), Errno::FAULT);
        }
    });
}

#[test]
fn proc_parent_answers_for_itself_and_its_children_only() {
    let sim = Config::new().program("ok", || ()).build().unwrap();
    sim.run(|| {
        let mut h = ProcessHandles::default();
        assert_eq!(spawn(b"ok", b"", Bool::FALSE, [StdioMode::NULL; 3], &mut h), BusError::SUCCESS);
        let mut parent = 0;
        // SAFETY: valid out-pointers.
        unsafe {
            assert_eq!(proc_parent(h.bid, &mut parent), Errno::SUCCESS);
            assert_eq!(parent, sim.pid());
            let (mut pid, mut code) = (h.bid, 9);
            assert_eq!(proc_join(&mut pid, &mut code), Errno::SUCCESS);
            assert_eq!(code, 0);
            assert_eq!(proc_parent(h.bid, &mut parent), Errno::BADF, "joined: no longer a child");
        }
    });
}
