//! The sandbox: no path a guest passes reaches a host file outside its preopen, whatever it is made of
//! (`..`, absolute paths, symlinks out, symlinks swapped while it is being resolved), and malformed paths
//! get their errno.

#![cfg(not(target_family = "wasm"))] // The simulator exists only natively.

mod common;

use common::*;
use wasix_sys::*;

#[test]
fn dot_dot_and_absolute_paths_stay_inside() {
    let (tmp, sim) = sandbox();
    sim.run(|| {
        mkdir(ROOT, "a").unwrap();
        for path in ["../secret", "a/../../secret", "/etc/passwd", "a/../../box/../secret", ".."] {
            assert_eq!(open(ROOT, path, Oflags::empty()), Err(Errno::NOTCAPABLE), "{path}");
            assert_eq!(stat(ROOT, path, Lookupflags::SYMLINK_FOLLOW).err(), Some(Errno::NOTCAPABLE), "{path}");
        }
        // A `./` path climbing above its directory breaks the seed's path rule before the current
        // directory is consulted (as the host profile refuses it on Wasmer).
        assert_eq!(open(ROOT, "./../secret", Oflags::empty()), Err(Errno::NOTCAPABLE));
        assert_eq!(mkdir(ROOT, "../evil"), Err(Errno::NOTCAPABLE));
        // SAFETY: valid paths.
        unsafe {
            let (from, to) = ("../secret", "stolen");
            assert_eq!(path_rename(ROOT, from.as_ptr(), from.len(), ROOT, to.as_ptr(), to.len()), Errno::NOTCAPABLE);
            assert_eq!(
                path_link(ROOT, Lookupflags::empty(), from.as_ptr(), from.len(), ROOT, to.as_ptr(), to.len()),
                Errno::NOTCAPABLE
            );
            assert_eq!(path_unlink_file(ROOT, from.as_ptr(), from.len()), Errno::NOTCAPABLE);
        }
        assert_eq!(open(ROOT, "../created", Oflags::CREAT), Err(Errno::NOTCAPABLE));
    });
    assert_eq!(std::fs::read_to_string(tmp.path().join("secret")).unwrap(), "outside");
    assert!(!tmp.path().join("evil").exists() && !tmp.path().join("created").exists());
    assert!(!tmp.path().join("box/stolen").exists());
}

#[test]
fn symlinks_out_are_made_but_never_followed_out() {
    let (_tmp, sim) = sandbox();
    sim.run(|| {
        symlink("/etc", ROOT, "etc").unwrap();
        symlink("../..", ROOT, "up").unwrap();
        symlink("..", ROOT, "parent").unwrap();
        symlink("../secret", ROOT, "secret-link").unwrap();
        for path in ["etc/passwd", "etc", "up/secret", "parent/secret", "secret-link"] {
            assert_eq!(open(ROOT, path, Oflags::empty()), Err(Errno::NOTCAPABLE), "{path}");
            assert_eq!(stat(ROOT, path, Lookupflags::SYMLINK_FOLLOW).err(), Some(Errno::NOTCAPABLE), "{path}");
        }
        // Without symlink_follow the final link itself is what the call sees.
        let st = stat(ROOT, "etc", Lookupflags::empty()).unwrap();
        assert_eq!(st.filetype, Filetype::SYMBOLIC_LINK);
        let no_follow = open_with(ROOT, Lookupflags::empty(), "etc", Oflags::empty(), Rights::all(), Fdflags::empty());
        assert_eq!(no_follow, Err(Errno::LOOP));
        let mut buf = [0u8; 64];
        let mut n = 0;
        // SAFETY: valid path, buffer and out-pointer.
        let e = unsafe { path_readlink(ROOT, "up".as_ptr(), 2, buf.as_mut_ptr(), buf.len(), &mut n) };
        assert_eq!((e, &buf[..n as usize]), (Errno::SUCCESS, &b"../.."[..]));
        // A short buffer gets the target cut off.
        // SAFETY: as above.
        let e = unsafe { path_readlink(ROOT, "etc".as_ptr(), 3, buf.as_mut_ptr(), 2, &mut n) };
        assert_eq!((e, &buf[..n as usize]), (Errno::SUCCESS, &b"/e"[..]));
    });
}

#[test]
fn symlink_loops_are_loop() {
    let (_tmp, sim) = sandbox();
    sim.run(|| {
        symlink("loop2", ROOT, "loop1").unwrap();
        symlink("loop1", ROOT, "loop2").unwrap();
        symlink("self", ROOT, "self").unwrap();
        for path in ["loop1", "self", "loop2/x"] {
            assert_eq!(open(ROOT, path, Oflags::empty()), Err(Errno::LOOP), "{path}");
        }
    });
}

#[test]
fn malformed_paths_get_their_errno() {
    let (_tmp, sim) = sandbox();
    sim.run(|| {
        assert_eq!(open(ROOT, "a\0b", Oflags::CREAT), Err(Errno::INVAL));
        assert_eq!(mkdir(ROOT, "\0"), Err(Errno::INVAL));
        let bad = [b'f', 0xff, 0xfe];
        let mut fd = 0;
        // SAFETY: valid (non-UTF-8) path bytes and out-pointer.
        let e = unsafe {
            path_open(
                ROOT,
                Lookupflags::empty(),
                bad.as_ptr(),
                3,
                Oflags::CREAT,
                Rights::all(),
                Rights::all(),
                Fdflags::empty(),
                &mut fd,
            )
        };
        assert_eq!(e, Errno::ILSEQ);
        assert_eq!(open(ROOT, &"n".repeat(300), Oflags::CREAT), Err(Errno::NAMETOOLONG));
        assert_eq!(open(ROOT, &"d/".repeat(2500), Oflags::empty()), Err(Errno::NAMETOOLONG));
        assert_eq!(open(ROOT, "", Oflags::empty()), Err(Errno::NOENT));
        // SAFETY: a null path with a length is what is being tested.
        let e = unsafe { path_create_directory(ROOT, std::ptr::null(), 4) };
        assert_eq!(e, Errno::FAULT);
    });
}

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
            for _ in 0..2000 {
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
