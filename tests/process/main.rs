//! The current process: its id, yielding, and exit codes.

use wasix::process;

#[test]
fn the_process_has_a_stable_id() {
    assert_eq!(process::id().unwrap(), process::id().unwrap());
}

#[test]
fn yielding_succeeds() {
    process::yield_now().unwrap();
}

#[cfg(not(target_family = "wasm"))]
#[test]
fn exit_ends_the_process_with_its_code() {
    use wasix::sim::{Config, Exit};

    let sim = Config::new().build().unwrap();
    assert_eq!(sim.run_main(|| process::exit(42)), Exit(42));
    assert_eq!(sim.run_main(|| process::exit(0)), Exit(0));
    assert_eq!(sim.run_main(|| ()), Exit(0));
    assert_eq!(sim.run(process::id), Ok(sim.pid()));
}

#[test]
fn a_process_nothing_started_has_no_parent() {
    assert_eq!(process::parent_id(), Ok(0));
}
