//! Shared helpers of the conformance suite.
//!
//! The suite is written once against the public `wasix` API and runs natively on the simulator and as
//! `wasm32-wasip1` on a real WASIX host (DESIGN §8). A test that holds on every host runs in whatever
//! process it finds itself in and assumes nothing about it (not the pid, not the arguments the harness
//! passes, not what stdout is connected to). A test that needs its own arguments, environment, stdio or
//! clock runs in a scoped simulator instance and is native-only (`#[cfg(not(target_family = "wasm"))]`).

use wasix::fd::{BorrowedFd, RawFd};

/// An fd number no test process has open: far above anything a host hands out to a fresh process.
pub const NOT_OPEN: RawFd = 0x3fff_fff0;

/// [`NOT_OPEN`] as a borrowed fd, for checking that calls on an fd that is not open fail with `BADF`.
pub fn not_open() -> BorrowedFd<'static> {
    // SAFETY: `BorrowedFd`'s contract is there so a borrow never aliases an I/O object something else
    // owns; no test process has `NOT_OPEN` open, so there is no object to alias, and every call on it only
    // returns `BADF`.
    unsafe { BorrowedFd::borrow_raw(NOT_OPEN) }
}

/// A fresh, empty directory for one test: natively the preopen `/scratch` of a scoped simulator instance
/// over a new host temporary directory; on wasm a new, uniquely named directory under the host's
/// `/scratch` (a preopen of that name, or the directory `scratch` under the preopen `/`, which is how
/// Wasmer shows `--volume HOST:/scratch`).
#[derive(Debug)]
pub struct Scratch {
    dir: wasix::fs::Dir,
    path: String,
}

impl Scratch {
    /// The directory.
    pub fn dir(&self) -> &wasix::fs::Dir {
        &self.dir
    }

    /// Its absolute guest path, for `chdir` and for checking `getcwd`.
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl wasix::fd::AsFd for Scratch {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.dir.as_fd()
    }
}

impl std::ops::Deref for Scratch {
    type Target = wasix::fs::Dir;

    fn deref(&self) -> &wasix::fs::Dir {
        &self.dir
    }
}

/// Runs `test` with a fresh [`Scratch`] directory (natively inside its own simulator instance, so it also
/// has its own fd table and current directory).
pub fn with_scratch<R>(test: impl FnOnce(&Scratch) -> R) -> R {
    #[cfg(not(target_family = "wasm"))]
    {
        let host = tempfile::tempdir().expect("a host temporary directory");
        let sim = wasix::sim::Config::new().preopen(host.path(), "/scratch").build().expect("a scoped instance");
        sim.run(|| {
            // Opened below the preopen, as on wasm (the preopen itself is left alone).
            let preopen = wasix::fd::preopens().flatten().find(|p| p.name() == "/scratch").expect("/scratch");
            let dir = wasix::fs::open_dir(&preopen, ".").expect("the /scratch preopen");
            test(&Scratch { dir, path: "/scratch".to_owned() })
        })
    }
    #[cfg(target_family = "wasm")]
    {
        // The preopens are used in place: a dup of one is never closed on Wasmer 7.4.2.
        let preopen = |name: &str| wasix::fd::preopens().flatten().find(|p| p.name() == name);
        let base = match (preopen("/scratch"), preopen("/")) {
            (Some(scratch), _) => wasix::fs::open_dir(&scratch, "."),
            (None, Some(root)) => wasix::fs::open_dir(&root, "scratch"),
            (None, None) => Err(wasix::io::Errno::NOENT),
        }
        .expect("a /scratch volume (wasmer run --volume HOST:/scratch)");
        let name = format!("t{:016x}", wasix::random::u64().expect("random bytes"));
        base.create_dir(&name).expect("a fresh directory under /scratch");
        let dir = base.open_dir(&name).expect("the fresh directory");
        test(&Scratch { dir, path: format!("/scratch/{name}") })
    }
}

/// Runs `f` on a new thread through `wasix::thread::spawn`: natively in the caller's simulator instance
/// (as a thread spawned through WASIX is), on Wasmer as a WASIX thread of the test's process.
pub fn spawn<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> wasix::thread::JoinHandle<T> {
    wasix::thread::spawn(f)
}

/// A path from raw bytes, which need not be UTF-8 (for the `ILSEQ` cases).
pub fn bytes_path(bytes: &[u8]) -> &std::path::Path {
    #[cfg(not(target_os = "wasi"))]
    use std::os::unix::ffi::OsStrExt;
    #[cfg(target_os = "wasi")]
    use std::os::wasi::ffi::OsStrExt;
    std::path::Path::new(std::ffi::OsStr::from_bytes(bytes))
}
pub mod http_server;
