//! With the default instance denied (`deny_default_instance`), a `std::thread` spawned inside `Sim::run`,
//! which does not inherit the instance, can no longer reach the host's current directory through the
//! default instance's preopen, and its `proc_exit` panics instead of ending the test runner. Its own
//! binary: the switch is process-wide.

#![cfg(not(target_family = "wasm"))] // The simulator exists only natively.

use wasix_sys::sim::{deny_default_instance, Config};
use wasix_sys::*;

fn prestat_of_fd_3() -> Errno {
    let mut prestat = Prestat::dir(Default::default());
    // SAFETY: valid out-pointer.
    unsafe { fd_prestat_get(3, &mut prestat) }
}

#[test]
fn a_thread_outside_every_instance_gets_an_empty_one() {
    deny_default_instance();
    let sim = Config::new().build().unwrap();
    sim.run(|| {
        let outside = std::thread::spawn(|| {
            let (mut argc, mut size) = (9, 9);
            // SAFETY: valid out-pointers.
            unsafe { args_sizes_get(&mut argc, &mut size) };
            (prestat_of_fd_3(), argc)
        });
        // The default instance would have had the host's current directory at fd 3.
        assert_eq!(outside.join().unwrap(), (Errno::BADF, 0));
        let exiting = std::thread::spawn(|| {
            // SAFETY: no pointers.
            unsafe { proc_exit(3) }
        });
        assert!(exiting.join().is_err(), "proc_exit outside every instance panicked instead of exiting");
    });
}
