//! Starting a real child program (`wasix-child`, this package's binary: natively a host executable the
//! default instance may run, on Wasmer the `.wasm` at the same path, which the runner mounts), its pipes,
//! exit codes, joins and signals.

use super::{child, CHILDREN};
use std::io::{Read, Write};
use std::time::{Duration, Instant};
use wasix::io::{BusError, Errno};
use wasix::process::{self, Command, Stdio};

#[test]
fn a_child_echoes_a_mebibyte_through_its_pipes() {
    let _one = CHILDREN.lock();
    let mut child = child(&["echo"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    let data: Vec<u8> = (0..1 << 20).map(|i: u32| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    // Write and read in turns of 16 KiB, so neither side waits on a full pipe.
    let mut got = Vec::with_capacity(data.len());
    let mut buf = vec![0; 64 * 1024];
    for chunk in data.chunks(16 * 1024) {
        stdin.write_all(chunk).unwrap();
        let want = got.len() + chunk.len();
        while got.len() < want {
            let n = stdout.read(&mut buf).unwrap();
            assert_ne!(n, 0, "the child ended early");
            got.extend_from_slice(&buf[..n]);
        }
    }
    drop(stdin);
    assert_eq!(stdout.read(&mut buf).unwrap(), 0, "end-of-file once stdin closes");
    assert!(got == data, "every byte comes back");
    assert_eq!(child.wait().unwrap().code(), 0);
}

#[test]
fn exit_codes_arrive() {
    let _one = CHILDREN.lock();
    for code in [0, 1, 42] {
        assert_eq!(child(&["exit", &code.to_string()]).status().unwrap().code(), code);
    }
}

#[test]
fn exit_code_255_arrives() {
    let _one = CHILDREN.lock();
    assert_eq!(child(&["exit", "255"]).status().unwrap().code(), 255);
}

#[test]
fn arguments_arrive_in_order() {
    let _one = CHILDREN.lock();
    let out = child(&["args", "one", "two words", "3"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(out.stdout, b"one\ntwo words\n3\n");
}

#[test]
fn join_any_takes_whichever_child_ends() {
    let _one = CHILDREN.lock();
    let a = child(&["exit", "5"]).spawn().unwrap().id();
    let b = child(&["exit", "6"]).spawn().unwrap().id();
    let mut seen = [process::join_any().unwrap(), process::join_any().unwrap()];
    seen.sort_by_key(|(pid, _)| *pid);
    let mut want = [(a, 5), (b, 6)];
    want.sort();
    assert_eq!(seen.iter().map(|(p, s)| (*p, s.code())).collect::<Vec<_>>(), want);
    assert_eq!(process::join_any(), Err(Errno::CHILD), "none left");
}

#[test]
fn a_hundred_children_are_spawned_and_joined() {
    let _one = CHILDREN.lock();
    let mut pids = Vec::new();
    for i in 0..100u32 {
        pids.push((child(&["exit", &(i % 7).to_string()]).stdout(Stdio::null()).spawn().unwrap().id(), i % 7));
    }
    for (pid, code) in pids {
        assert_eq!(process::join(pid).unwrap().code(), code);
    }
    assert_eq!(process::join_any(), Err(Errno::CHILD), "none left behind");
    #[cfg(not(target_family = "wasm"))]
    assert_eq!(host_children(), "", "no host process left, zombie or running");
}

/// The host's children of this test process (every thread's `/proc/self/task/*/children`).
#[cfg(not(target_family = "wasm"))]
fn host_children() -> String {
    let tasks = std::fs::read_dir("/proc/self/task").unwrap();
    tasks
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("children")).ok())
        .collect::<String>()
        .trim()
        .to_owned()
}

#[test]
fn a_killed_child_ends_with_the_signal_code() {
    let _one = CHILDREN.lock();
    let started = Instant::now();
    let mut child = child(&["sleep"]).spawn().unwrap();
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), 128 + 9, "killed by `kill` (9)");
    assert!(started.elapsed() < Duration::from_secs(30));
}

#[test]
fn exec_keeps_an_fd_open_across() {
    let _one = CHILDREN.lock();
    assert_eq!(child(&["fd", "77"]).status().unwrap().code(), 1, "the check sees a closed fd");
    assert_eq!(child(&["exec-keeps-fd"]).status().unwrap().code(), 0, "the fd the old program opened is open");
}

#[test]
fn joining_a_pid_that_is_no_child_is_child() {
    let _one = CHILDREN.lock();
    assert_eq!(process::join(process::id().unwrap()), Err(Errno::CHILD));
    assert_eq!(process::join(0x7fff_fff0), Err(Errno::CHILD));
}

#[test]
fn a_child_knows_its_parent() {
    let _one = CHILDREN.lock();
    let out = child(&["parent"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let (_, parent) = text.split_once(' ').unwrap();
    assert_eq!(parent.parse::<u32>().unwrap(), process::id().unwrap());
}

#[test]
fn an_unknown_program_is_invalid_wapm() {
    let err = Command::new("/no/such/program.wasm").spawn().unwrap_err();
    assert_eq!(bus_error(&err), Some(BusError::INVALID_WAPM));
}

#[test]
fn arguments_that_cannot_be_passed_are_inval() {
    let err = child(&["args", "two\nlines"]).spawn().unwrap_err();
    assert_eq!(Errno::from_io_error(&err), Some(Errno::INVAL));
    let err = child(&["args", "nul\0byte"]).spawn().unwrap_err();
    assert_eq!(Errno::from_io_error(&err), Some(Errno::INVAL));
    assert_eq!(process::exec("x", ["a\nb"]), Errno::INVAL);
}

#[test]
fn an_empty_program_name_is_a_bad_request() {
    let err = Command::new("").spawn().unwrap_err();
    assert_eq!(bus_error(&err), Some(BusError::BAD_REQUEST));
}

/// The `BusError` an error from `spawn` carries.
fn bus_error(err: &std::io::Error) -> Option<BusError> {
    err.get_ref().and_then(|e| e.downcast_ref::<BusError>()).copied()
}
