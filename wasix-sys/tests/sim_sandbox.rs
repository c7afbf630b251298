//! The sandbox under a race: a symlink swapped between a directory inside the preopen and one outside while
//! paths through it are being resolved never leads out. The sandbox's other rules (`..`, absolute paths,
//! symlinks out, loops, malformed paths) are tested through the public API in `tests/fs/sandbox.rs`; what
//! only the raw functions show is in `sim_fs.rs` and `sim_raw.rs`.

#![cfg(not(target_family = "wasm"))] // The simulator exists only natively.

mod common;

use common::*;
use wasix_sys::*;

/// A symlink swapped between a directory inside and one outside while paths through it are opened: no
/// open ever reads the outside file.
#[test]
fn swapping_symlinks_never_lead_out() {
    let (tmp, sim) = sandbox();
    let inside = tmp.path().join("box");
    std::fs::create_dir(inside.join("real")).unwrap();
    std::fs::write(inside.join("real/secret"), "inside").unwrap();
    let outside = tmp.path().to_owned();
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            for i in 0.. {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                let target = if i % 2 == 0 { std::path::PathBuf::from("real") } else { outside.clone() };
                let tmp_link = inside.join("swap.new");
                let _ = std::fs::remove_file(&tmp_link);
                std::os::unix::fs::symlink(target, &tmp_link).unwrap();
                std::fs::rename(&tmp_link, inside.join("swap")).unwrap();
            }
        });
        sim.run(|| {
            let mut inside_reads = 0;
            // At least 2,000 opens, and on until one went inside (a loaded machine may starve the swapper
            // for a while), bounded in count and time.
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
            for n in 0..200_000 {
                if n >= 2000 && (inside_reads > 0 || std::time::Instant::now() > deadline) {
                    break;
                }
                match open(ROOT, "swap/secret", Oflags::empty()) {
                    Ok(fd) => {
                        assert_eq!(read(fd, 16).unwrap(), b"inside");
                        close(fd).unwrap();
                        inside_reads += 1;
                    }
                    Err(e) => assert!(matches!(e, Errno::NOTCAPABLE | Errno::NOENT), "{e:?}"),
                }
            }
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            assert!(inside_reads > 0);
        });
    });
}
