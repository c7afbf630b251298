//! The simulator's own programs (`Config::program`): native children in their own instances, `exec` in
//! place, the log, preopens and the working directory, signals and panics.

use std::io::{Read, Write};
use std::time::Duration;
use wasix::fd::{self, AsRawFd};
use wasix::io::{BusError, Errno};
use wasix::process::{self, Command, Stdio};
use wasix::sim::{Config, Exit};

fn echo() {
    let mut buf = [0; 4096];
    loop {
        match fd::read(fd::stdin(), &mut buf).unwrap() {
            0 => break,
            n => assert_eq!(fd::write(fd::stdout(), &buf[..n]).unwrap(), n),
        }
    }
}

#[test]
fn a_native_child_echoes_through_pipes() {
    let sim = Config::new().program("echo", echo).build().unwrap();
    sim.run(|| {
        let mut child = Command::new("echo").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(b"over the pipe").unwrap();
        let mut got = String::new();
        child.stdout.take().unwrap().read_to_string(&mut got).unwrap();
        assert_eq!(got, "over the pipe");
        assert!(child.wait().unwrap().success());
    });
}

#[test]
fn children_know_their_parent_and_the_parent_its_children() {
    let sim = Config::new()
        .program("ids", || {
            let line = format!("{} {}", process::id().unwrap(), process::parent_id().unwrap());
            fd::write(fd::stdout(), line.as_bytes()).unwrap();
        })
        .build()
        .unwrap();
    sim.run(|| {
        let out = Command::new("ids").output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let (pid, parent) = text.split_once(' ').unwrap();
        assert_eq!(parent.parse::<u32>().unwrap(), sim.pid());
        assert_ne!(pid.parse::<u32>().unwrap(), sim.pid());
    });
}

#[test]
fn exec_runs_the_new_program_in_place_and_keeps_fds() {
    let sim = Config::new()
        .program("second", || {
            let args = wasix::env::args().unwrap();
            let fd: u32 = args[1].parse().unwrap();
            // SAFETY: only written to; the fd was kept open across the exec.
            let kept = unsafe { fd::BorrowedFd::borrow_raw(fd) };
            fd::write(kept, b"written after exec").unwrap();
            process::exit(9);
        })
        .build()
        .unwrap();
    let (mut reader, writer) = sim.run(|| fd::pipe().unwrap());
    let exit = sim.run_main(|| {
        let _owned = writer; // Dropped as exec unwinds this program: the fd stays open all the same.
        let e = process::exec("second", [_owned.as_raw_fd().to_string()]);
        unreachable!("exec returned {e}");
    });
    assert_eq!(exit, Exit(9));
    let mut buf = [0; 64];
    let n = sim.run(|| reader.read(&mut buf)).unwrap();
    assert_eq!(&buf[..n], b"written after exec");
}

#[test]
fn a_failed_exec_ends_the_process_with_the_errno() {
    let sim = Config::new().build().unwrap();
    let exit = sim.run_main(|| {
        let e = process::exec("no-such-program", ["x"]);
        unreachable!("exec returned {e}");
    });
    assert_eq!(exit, Exit(u32::from(Errno::NOENT.raw())));
}

#[test]
fn log_mode_streams_go_to_the_instance_log() {
    let sim =
        Config::new().program("talk", || assert_eq!(fd::write(fd::stdout(), b"to the log"), Ok(10))).build().unwrap();
    sim.run(|| {
        assert!(Command::new("talk").stdout(Stdio::log()).status().unwrap().success());
    });
    assert_eq!(sim.log(), b"to the log");
}

#[test]
fn a_panicking_child_exits_with_101() {
    let sim = Config::new().program("boom", || panic!("the child panics (expected)")).build().unwrap();
    sim.run(|| assert_eq!(Command::new("boom").stderr(Stdio::null()).status().unwrap().code(), 101));
}

#[test]
fn a_signalled_child_ends_with_the_signal_code() {
    let sim = Config::new()
        .program("sleeper", || {
            for _ in 0..3000 {
                wasix::thread::sleep(Duration::from_millis(10)).unwrap();
            }
        })
        .build()
        .unwrap();
    sim.run(|| {
        let mut child = Command::new("sleeper").spawn().unwrap();
        wasix::signal::send(child.id(), wasix::signal::Signal::Term).unwrap();
        assert_eq!(child.wait().unwrap().code(), 128 + 15);
        assert_eq!(wasix::signal::send(child.id(), wasix::signal::Signal::Term), Err(Errno::SRCH), "joined");
        assert_eq!(wasix::signal::send(0, wasix::signal::Signal::Term), Err(Errno::SRCH));
    });
}

#[test]
fn preopens_chroot_and_the_working_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let other = tempfile::tempdir().unwrap();
    let sim = Config::new()
        .preopen(dir.path(), "/data")
        .preopen(other.path(), "/other")
        .program("where", || {
            let cwd = wasix::env::current_dir().unwrap();
            let names: Vec<String> = wasix::fd::preopens().map(|p| p.unwrap().name().to_owned()).collect();
            fd::write(fd::stdout(), format!("{} {}", cwd.display(), names.join(",")).as_bytes()).unwrap();
        })
        .build()
        .unwrap();
    sim.run(|| {
        let out = |cmd: &mut Command| String::from_utf8(cmd.output().unwrap().stdout).unwrap();
        assert_eq!(out(&mut Command::new("where")), "/ /data,/other");
        assert_eq!(out(Command::new("where").current_dir("/data/sub")), "/data/sub /data,/other");
        assert_eq!(out(Command::new("where").preopen("/other").chroot(true)), "/ /other");
        let bus = |cmd: &mut Command| cmd.spawn().unwrap_err().get_ref().unwrap().downcast_ref::<BusError>().copied();
        assert_eq!(bus(Command::new("where").preopen("/nowhere")), Some(BusError::BAD_REQUEST));
        assert_eq!(bus(Command::new("where").chroot(true)), Some(BusError::BAD_REQUEST));
        assert_eq!(bus(Command::new("where").current_dir("/data/missing")), Some(BusError::BAD_REQUEST));
        assert_eq!(bus(&mut Command::new("unregistered")), Some(BusError::INVALID_WAPM));
    });
}

#[test]
fn a_scoped_instance_runs_no_host_program_unless_allowed() {
    let _one = super::CHILDREN.lock(); // It starts a host child.
    let sim = Config::new().build().unwrap();
    let err = sim.run(|| Command::new("/bin/true").spawn().unwrap_err());
    assert_eq!(err.get_ref().unwrap().downcast_ref::<BusError>(), Some(&BusError::INVALID_WAPM));
    let sim = Config::new().host_programs(true).build().unwrap();
    sim.run(|| assert!(Command::new("/bin/true").status().unwrap().success()));
}

#[test]
fn fork_in_a_scoped_instance_is_notsup() {
    let sim = Config::new().build().unwrap();
    // SAFETY: refused before anything is copied.
    sim.run(|| assert_eq!(unsafe { process::fork() }, Err(Errno::NOTSUP)));
}
