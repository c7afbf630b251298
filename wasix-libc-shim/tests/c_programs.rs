//! The C test programs of `tests/c/` (ordinary C programs over `<wasix/posix.h>`, their `main` renamed
//! `wasix_ctest_<file>` by `build.rs`), each run as the main of a scoped simulator instance: a program
//! passes when it exits with 0; otherwise its exit code is the line of the first check that failed, and
//! its stderr says which. The same programs are built for wasm32 and run on Wasmer by
//! `scripts/build-c-shim-wasm` (see the README).

#![cfg(not(target_family = "wasm"))] // The simulator exists only natively.

use std::ffi::{c_char, c_int, CString};
use wasix_libc_shim as _;
use wasix_sys::sim::{Config, Exit, Sim, Stdio, Terminal};

extern "C-unwind" {
    fn wasix_ctest_pipe_dup2() -> c_int;
    fn wasix_ctest_cwd(argc: c_int, argv: *mut *mut c_char) -> c_int;
    fn wasix_ctest_tty(argc: c_int, argv: *mut *mut c_char) -> c_int;
    fn wasix_ctest_eventfd_poll() -> c_int;
    fn wasix_ctest_signals() -> c_int;
    fn wasix_ctest_tcp_echo() -> c_int;
    fn wasix_ctest_udp() -> c_int;
    fn wasix_ctest_getaddrinfo() -> c_int;
    fn wasix_ctest_spawn(argc: c_int, argv: *mut *mut c_char) -> c_int;
    fn wasix_ctest_spawn_child() -> c_int;
}

/// Ends the simulated process with a C `main`'s return value, as the C runtime does.
fn exit_with(code: c_int) -> ! {
    // SAFETY: no pointers; in a scoped instance it unwinds to `Sim::run_main`.
    unsafe { wasix_sys::proc_exit(code as u32) }
}

/// Runs `main` as the program in `sim` and asserts it exits with 0, showing its stderr if not.
fn assert_passes(sim: &Sim, main: impl FnOnce() -> c_int) {
    let exit = sim.run_main(|| exit_with(main()));
    let stderr = String::from_utf8_lossy(&sim.stderr()).into_owned();
    assert_eq!(exit, Exit(0), "the C program failed at that line: {stderr}");
}

/// A C `argv` (NUL-terminated strings, then NULL) for the duration of `f`.
fn with_argv<R>(args: &[&str], f: impl FnOnce(c_int, *mut *mut c_char) -> R) -> R {
    let owned: Vec<CString> = args.iter().map(|a| CString::new(*a).unwrap()).collect();
    let mut ptrs: Vec<*mut c_char> = owned.iter().map(|s| s.as_ptr().cast_mut()).collect();
    ptrs.push(core::ptr::null_mut());
    f(c_int::try_from(args.len()).unwrap(), ptrs.as_mut_ptr())
}

fn sim() -> Config {
    Config::new().stderr(Stdio::capture())
}

#[test]
fn pipe_and_dup2() {
    // SAFETY: the C program takes no arguments.
    assert_passes(&sim().build().unwrap(), || unsafe { wasix_ctest_pipe_dup2() });
}

#[test]
fn chdir_and_getcwd() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let sim = sim().preopen(dir.path(), "/scratch").build().unwrap();
    // SAFETY: `with_argv` passes a valid argv.
    assert_passes(&sim, || with_argv(&["cwd", "/scratch"], |c, v| unsafe { wasix_ctest_cwd(c, v) }));
}

#[test]
fn tcgetattr_and_tcsetattr_on_a_terminal() {
    let terminal = Terminal { echo: true, line_buffered: true, ..Terminal::default() };
    let sim = sim().stdin(Stdio::bytes(*b"")).tty(terminal).build().unwrap();
    // SAFETY: `with_argv` passes a valid argv.
    assert_passes(&sim, || with_argv(&["tty", "tty"], |c, v| unsafe { wasix_ctest_tty(c, v) }));
}

#[test]
fn without_a_terminal_tcgetattr_is_enotty() {
    let sim = sim().stdin(Stdio::bytes(*b"")).build().unwrap();
    // SAFETY: `with_argv` passes a valid argv.
    assert_passes(&sim, || with_argv(&["tty"], |c, v| unsafe { wasix_ctest_tty(c, v) }));
}

#[test]
fn eventfd_with_poll_and_futexes() {
    // SAFETY: the C program takes no arguments.
    assert_passes(&sim().build().unwrap(), || unsafe { wasix_ctest_eventfd_poll() });
}

#[test]
fn signal_handlers_with_raise_and_alarm() {
    // SAFETY: the C program takes no arguments.
    assert_passes(&sim().build().unwrap(), || unsafe { wasix_ctest_signals() });
}

#[test]
fn tcp_echo() {
    // SAFETY: the C program takes no arguments.
    assert_passes(&sim().build().unwrap(), || unsafe { wasix_ctest_tcp_echo() });
}

#[test]
fn udp() {
    // SAFETY: the C program takes no arguments.
    assert_passes(&sim().build().unwrap(), || unsafe { wasix_ctest_udp() });
}

#[test]
fn getaddrinfo_localhost() {
    // SAFETY: the C program takes no arguments.
    assert_passes(&sim().build().unwrap(), || unsafe { wasix_ctest_getaddrinfo() });
}

#[test]
fn posix_spawn_with_piped_stdio_and_waitpid() {
    let sim = sim()
        // SAFETY: the C program takes no arguments.
        .program("spawn_child", || exit_with(unsafe { wasix_ctest_spawn_child() }))
        .build()
        .unwrap();
    // SAFETY: `with_argv` passes a valid argv.
    assert_passes(&sim, || with_argv(&["spawn", "spawn_child"], |c, v| unsafe { wasix_ctest_spawn(c, v) }));
}
