//! On a host terminal the simulator's `tty_set` really changes the terminal: the `tty` example, run with a
//! pseudo-terminal as its stdio (the default instance inherits the host's stdio), switches echo and
//! canonical input off, and the terminal itself reports them off afterwards.

#![cfg(not(target_family = "wasm"))] // The simulator and host terminals exist only natively.

use rustix::fs::{Mode, OFlags};
use rustix::pty::{grantpt, openpt, ptsname, unlockpt, OpenptFlags};
use rustix::termios::{tcgetattr, LocalModes};
use std::io::Read;
use std::process::{Command, Stdio};

#[test]
fn raw_mode_switches_echo_and_line_buffering_off_on_the_host_terminal() {
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).unwrap();
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let name = ptsname(&master, Vec::new()).unwrap();
    let slave = rustix::fs::open(name.as_c_str(), OFlags::RDWR | OFlags::NOCTTY, Mode::empty()).unwrap();
    let before = tcgetattr(&slave).unwrap();
    assert!(before.local_modes.contains(LocalModes::ECHO | LocalModes::ICANON), "a new pty is cooked");

    let mut child = Command::new(env!("CARGO_BIN_EXE_tty"))
        .arg("raw")
        .stdin(Stdio::from(slave.try_clone().unwrap()))
        .stdout(Stdio::from(slave.try_clone().unwrap()))
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    assert!(child.wait().unwrap().success());

    let after = tcgetattr(&slave).unwrap();
    assert!(!after.local_modes.contains(LocalModes::ECHO), "echo is off on the terminal");
    assert!(!after.local_modes.contains(LocalModes::ICANON), "canonical input is off on the terminal");

    let mut out = [0u8; 512];
    let n = std::fs::File::from(master).read(&mut out).unwrap();
    let out = String::from_utf8_lossy(&out[..n]);
    assert!(out.contains("stdin_tty=true stdout_tty=true echo=false line_buffered=false"), "{out}");
}
