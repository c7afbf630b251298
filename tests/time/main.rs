//! Clocks: reading, resolution, setting, and the errno of each bad input.

use std::time::{Duration, SystemTime};
use wasix::io::Errno;
use wasix::time::{self, Clock};

/// The clocks every host serves.
const CLOCKS: [Clock; 4] = [Clock::REALTIME, Clock::MONOTONIC, Clock::PROCESS_CPUTIME_ID, Clock::THREAD_CPUTIME_ID];

/// A clock id the interface does not define.
const UNKNOWN: Clock = Clock::from_raw(99);

#[test]
fn every_clock_reads_and_has_a_resolution() {
    for clock in CLOCKS {
        time::now(clock).unwrap_or_else(|e| panic!("now({clock:?}): {e}"));
        let res = time::resolution(clock).unwrap_or_else(|e| panic!("resolution({clock:?}): {e}"));
        assert!(res > Duration::ZERO, "resolution({clock:?}) is zero");
    }
}

#[test]
fn realtime_is_after_2020() {
    let since_epoch = time::now(Clock::REALTIME).unwrap();
    assert!(since_epoch > Duration::from_secs(1_577_836_800), "{since_epoch:?}");
}

#[test]
fn system_now_agrees_with_std() {
    let ours = time::system_now().unwrap();
    let std = SystemTime::now();
    let apart = std.duration_since(ours).unwrap_or_else(|e| e.duration());
    assert!(apart < Duration::from_secs(60), "{ours:?} vs {std:?}");
}

#[test]
fn monotonic_never_goes_back() {
    let mut last = time::now(Clock::MONOTONIC).unwrap();
    for _ in 0..1000 {
        let now = time::now(Clock::MONOTONIC).unwrap();
        assert!(now >= last, "{now:?} < {last:?}");
        last = now;
    }
}

#[test]
fn unknown_clocks_are_inval() {
    assert_eq!(time::now(UNKNOWN), Err(Errno::INVAL));
    assert_eq!(time::resolution(UNKNOWN), Err(Errno::INVAL));
    assert_eq!(time::set_time(UNKNOWN, Duration::from_secs(1)), Err(Errno::INVAL));
}

#[test]
fn clocks_other_than_realtime_cannot_be_set() {
    for clock in [Clock::MONOTONIC, Clock::PROCESS_CPUTIME_ID, Clock::THREAD_CPUTIME_ID] {
        assert_eq!(time::set_time(clock, Duration::from_secs(1)), Err(Errno::INVAL), "{clock:?}");
    }
}

#[test]
fn times_beyond_the_abi_overflow() {
    assert_eq!(time::set_time(Clock::REALTIME, Duration::MAX), Err(Errno::OVERFLOW));
}

/// Setting the realtime clock moves the process's clock, so it runs in its own instance.
#[cfg(not(target_family = "wasm"))]
#[test]
fn setting_realtime_moves_it() {
    let sim = wasix::sim::Config::new().build().unwrap();
    sim.run(|| {
        let target = Duration::from_secs(2_000_000_000);
        time::set_time(Clock::REALTIME, target).unwrap();
        let now = time::now(Clock::REALTIME).unwrap();
        assert!(now >= target && now < target + Duration::from_secs(60), "{now:?}");
        assert!(time::system_now().unwrap() >= SystemTime::UNIX_EPOCH + target);
    });
}

#[cfg(not(target_family = "wasm"))]
#[test]
fn an_instance_starts_at_its_configured_realtime() {
    let start = SystemTime::UNIX_EPOCH + Duration::from_secs(86_400);
    let sim = wasix::sim::Config::new().realtime(start).build().unwrap();
    let now = sim.run(time::system_now).unwrap();
    assert!(now >= start && now < start + Duration::from_secs(60), "{now:?}");
}
