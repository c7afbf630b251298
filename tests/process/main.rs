//! Processes: the current one (its id, yielding, exit codes), children started by name (`spawn`: a real
//! child program on both sides), and the simulator's own programs (`sim`).

#[cfg(not(target_family = "wasm"))]
mod sim;
mod spawn;

use wasix::process;

/// Taken by every test that starts children: `join_any` takes any child of the process, so tests that
/// start children run one at a time (natively they share the default instance).
static CHILDREN: Lock = Lock(std::sync::Mutex::new(()));

struct Lock(std::sync::Mutex<()>);

impl Lock {
    fn lock(&self) -> std::sync::MutexGuard<'_, ()> {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// A command for this package's `wasix-child` program with `args` (see `child.rs`).
fn child(args: &[&str]) -> process::Command {
    let mut cmd = process::Command::new(env!("CARGO_BIN_EXE_wasix-child"));
    cmd.args(args);
    cmd
}

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
