//! Many threads opening, duplicating, renumbering and closing fds at once: every close succeeds exactly
//! once, and (natively, on Linux) no host fd is left open afterwards. Its own binary, so that no other test
//! opens host fds while they are counted. On wasm it needs `wasm32-wasip1-threads` (see `fd/pipe.rs`).

use wasix::fd::{self, AsRawFd};
use wasix::fs::File;
use wasix_conformance::{spawn, with_scratch};

/// The host fds this process has open (Linux); `None` elsewhere.
fn host_fds() -> Option<usize> {
    std::fs::read_dir("/proc/self/fd").ok().map(|d| d.count())
}

#[test]
#[cfg_attr(target_family = "wasm", ignore = "needs threads: wasm32-wasip1-threads with --include-ignored")]
fn concurrent_open_dup_renumber_close_leak_nothing() {
    let before = host_fds();
    with_scratch(|dir| {
        for t in 0..8 {
            dir.write(format!("f{t}"), b"x").unwrap();
        }
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let dir = dir.try_clone().unwrap();
                spawn(move || {
                    for _ in 0..200 {
                        let file = File::open(&dir, format!("f{t}")).unwrap();
                        let dup = fd::dup(&file).unwrap();
                        let mut target = fd::dup(&file).unwrap();
                        let number = target.as_raw_fd();
                        fd::renumber(dup, &mut target).unwrap();
                        assert_eq!(target.as_raw_fd(), number);
                        assert_eq!(file.read_at(&mut [0; 1], 0), Ok(1));
                        fd::close(target).unwrap();
                        fd::close(file.into()).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
    });
    assert_eq!(host_fds(), before, "host fds leaked");
}
