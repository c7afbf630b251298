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

    // The child has ended, so all it wrote is in the terminal's buffer, but one read may return only a
    // part of it (a line at a time): read until the buffer is empty.
    rustix::fs::fcntl_setfl(&master, rustix::fs::fcntl_getfl(&master).unwrap() | OFlags::NONBLOCK).unwrap();
    let mut master = std::fs::File::from(master);
    let (mut all, mut buf) = (Vec::new(), [0u8; 512]);
    while let Ok(n @ 1..) = master.read(&mut buf) {
        all.extend_from_slice(&buf[..n]);
    }
    let out = String::from_utf8_lossy(&all);
    assert!(out.contains("stdin_tty=true stdout_tty=true echo=false line_buffered=false"), "{out}");
}
