//! The simulator's instances (native only): processes running in parallel, each in its own instance, see
//! only their own arguments, environment, stdout and clocks, and `run_main` returns the exit code.

#![cfg(not(target_family = "wasm"))]

use std::io::Write;
use std::sync::Barrier;
use std::time::{Duration, SystemTime};
use wasix::sim::{Config, Exit, Sim, Stdio};
use wasix::time::{self, Clock};

/// What one simulated process is given, and so must see.
struct Setup {
    name: String,
    var: String,
    /// Where its realtime clock starts.
    realtime: Duration,
}

fn build(setup: &Setup) -> Sim {
    Config::new()
        .args([setup.name.as_str(), "--id"])
        .env("WHO", &setup.var)
        .stdout(Stdio::capture())
        .realtime(SystemTime::UNIX_EPOCH + setup.realtime)
        .build()
        .unwrap()
}

/// Asserts that a realtime reading is `at`, give or take a minute of test run time.
fn assert_near(now: Duration, at: Duration) {
    assert!(now >= at && now < at + Duration::from_secs(60), "realtime {now:?}, expected {at:?}");
}

/// One day, by which every process moves its clock.
const DAY: Duration = Duration::from_secs(86_400);

#[test]
fn parallel_instances_see_only_their_own_state() {
    const N: u64 = 8;
    let setups: Vec<Setup> = (0..N)
        .map(|i| Setup {
            name: format!("proc-{i}"),
            var: format!("value-{i}"),
            realtime: Duration::from_secs(1_000_000 * (i + 1)),
        })
        .collect();
    let sims: Vec<Sim> = setups.iter().map(build).collect();
    let all_set = Barrier::new(N as usize);
    std::thread::scope(|s| {
        for (sim, setup) in sims.iter().zip(&setups) {
            let all_set = &all_set;
            s.spawn(move || {
                sim.run(|| {
                    let start = time::now(Clock::REALTIME);
                    let set = time::set_time(Clock::REALTIME, setup.realtime + DAY);
                    // Every process sets its clock before any checks it; nothing before the barrier
                    // panics, so a failing process cannot leave the others waiting.
                    all_set.wait();
                    assert_near(start.unwrap(), setup.realtime);
                    assert_eq!(set, Ok(()));
                    assert_near(time::now(Clock::REALTIME).unwrap(), setup.realtime + DAY);
                    assert_eq!(wasix::env::args().unwrap(), [setup.name.as_str(), "--id"]);
                    assert_eq!(wasix::env::var("WHO").unwrap().as_deref(), Some(setup.var.as_str()));
                    assert_eq!(wasix::process::id().unwrap(), sim.pid());
                    write!(wasix::fd::Stdout, "I am {}", setup.name).unwrap();
                })
            });
        }
    });
    for (sim, setup) in sims.iter().zip(&setups) {
        assert_eq!(sim.stdout(), format!("I am {}", setup.name).as_bytes());
    }
    let mut pids: Vec<u32> = sims.iter().map(Sim::pid).collect();
    pids.sort_unstable();
    pids.dedup();
    assert_eq!(pids.len(), N as usize, "process ids are unique");
}

#[test]
fn setting_a_clock_in_an_instance_leaves_the_default_instance_alone() {
    let sim = Config::new().build().unwrap();
    sim.run(|| time::set_time(Clock::REALTIME, Duration::from_secs(42)).unwrap());
    let outside = time::system_now().unwrap();
    let apart = SystemTime::now().duration_since(outside).unwrap_or_else(|e| e.duration());
    assert!(apart < Duration::from_secs(60), "the default instance's clock moved to {outside:?}");
    sim.run(|| assert_near(time::now(Clock::REALTIME).unwrap(), Duration::from_secs(42)));
}

#[test]
fn run_main_returns_the_exit_code() {
    let sim = Config::new().stdout(Stdio::capture()).build().unwrap();
    let exit = sim.run_main(|| {
        wasix::fd::write(wasix::fd::stdout(), b"before").unwrap();
        wasix::process::exit(17);
    });
    assert_eq!(exit, Exit(17));
    assert_eq!(sim.stdout(), b"before");
    assert_eq!(sim.run_main(|| ()), Exit(0));
}

#[test]
fn exit_codes_of_parallel_processes_do_not_mix() {
    let exits: Vec<Exit> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8u32)
            .map(|code| s.spawn(move || Config::new().build().unwrap().run_main(|| wasix::process::exit(code))))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(exits, (0..8).map(Exit).collect::<Vec<_>>());
}

#[test]
fn instances_nest_and_restore() {
    let outer = Config::new().arg("outer").build().unwrap();
    let inner = Config::new().arg("inner").build().unwrap();
    outer.run(|| {
        assert_eq!(wasix::env::args().unwrap(), ["outer"]);
        inner.run(|| assert_eq!(wasix::env::args().unwrap(), ["inner"]));
        assert_eq!(wasix::env::args().unwrap(), ["outer"]);
    });
}
