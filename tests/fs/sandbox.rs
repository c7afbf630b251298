//! The sandbox: no path given to the public API reaches outside the directory it is resolved in, whatever
//! the trick (`..`, absolute paths, symlinks out, symlink loops), and malformed paths (NUL bytes, bytes
//! that are not UTF-8, overlong names) each fail with their own errno.

use wasix::fs::{self, File, OpenOptions};
use wasix::io::Errno;
use wasix_conformance::{bytes_path, with_scratch};

/// Every way of reaching `path` through the public API fails with `NOTCAPABLE`.
fn assert_unreachable(dir: &wasix::fs::Dir, path: &str) {
    let notcapable = Err(Errno::NOTCAPABLE);
    assert_eq!(File::open(dir, path).map(drop), notcapable, "open {path}");
    assert_eq!(OpenOptions::new().write(true).create(true).open(dir, path).map(drop), notcapable, "create {path}");
    assert_eq!(dir.open_dir(path).map(drop), notcapable, "open_dir {path}");
    assert_eq!(dir.metadata(path).map(drop), notcapable, "metadata {path}");
    assert_eq!(dir.create_dir(path), notcapable, "create_dir {path}");
    assert_eq!(dir.remove_file(path), notcapable, "remove_file {path}");
    assert_eq!(dir.remove_dir(path), notcapable, "remove_dir {path}");
    assert_eq!(dir.rename(path, dir, "x"), notcapable, "rename from {path}");
    assert_eq!(dir.hard_link(path, dir, "x"), notcapable, "link from {path}");
    assert_eq!(dir.symlink("x", path), notcapable, "symlink at {path}");
}

#[test]
fn dot_dot_cannot_leave_the_directory() {
    with_scratch(|dir| {
        dir.create_dir("sub").unwrap();
        dir.create_dir("sub/a").unwrap();
        let sub = dir.open_dir("sub").unwrap();
        for path in ["..", "../x", "../../../../etc/passwd", "a/../../x", "./../x"] {
            assert_unreachable(&sub, path);
        }
        // Inside the directory `..` is fine.
        sub.write("f", b"ok").unwrap();
        dir.create_dir("sub/inner").unwrap();
        assert_eq!(sub.read("inner/../f").unwrap(), b"ok");
    });
}

#[test]
fn absolute_paths_are_refused() {
    with_scratch(|dir| {
        for path in ["/", "/etc/passwd", "/scratch", "/tmp/x"] {
            assert_unreachable(dir, path);
        }
    });
}

#[test]
fn symlinks_out_of_the_directory_cannot_be_followed() {
    with_scratch(|dir| {
        dir.create_dir("sub").unwrap();
        let sub = dir.open_dir("sub").unwrap();
        // Creating links that climb out is allowed; following them is not.
        sub.symlink("../..", "up").unwrap();
        sub.symlink("..", "parent").unwrap();
        sub.symlink("../../../../etc/passwd", "passwd").unwrap();
        for path in ["up/x", "parent/sub", "passwd"] {
            assert_eq!(File::open(&sub, path).map(drop), Err(Errno::NOTCAPABLE), "{path}");
            assert_eq!(sub.metadata(path).map(drop), Err(Errno::NOTCAPABLE), "{path}");
        }
        assert_eq!(sub.open_dir("up").map(drop), Err(Errno::NOTCAPABLE));
        assert_eq!(sub.create_dir("up/new"), Err(Errno::NOTCAPABLE));
        // The links themselves are there.
        assert_eq!(sub.read_link("up").unwrap().to_str(), Some("../.."));
        assert!(sub.symlink_metadata("passwd").unwrap().is_symlink());
    });
}

/// A symlink with an absolute target could never be followed inside the sandbox; preview1 hosts refuse to
/// make one, and so does the seed's path rule for a stored target.
#[test]
fn symlinks_with_absolute_targets_are_refused() {
    with_scratch(|dir| {
        assert_eq!(dir.symlink("/etc", "etc"), Err(Errno::NOTCAPABLE));
        assert_eq!(dir.symlink("/", "root"), Err(Errno::NOTCAPABLE));
        assert_eq!(dir.symlink_metadata("etc").map(drop), Err(Errno::NOENT));
    });
}

#[test]
fn symlink_loops_are_loop() {
    with_scratch(|dir| {
        dir.symlink("self", "self").unwrap();
        dir.symlink("b", "a").unwrap();
        dir.symlink("a", "b").unwrap();
        for path in ["self", "a", "b/x"] {
            assert_eq!(File::open(dir, path).map(drop), Err(Errno::LOOP), "{path}");
            assert_eq!(dir.metadata(path).map(drop), Err(Errno::LOOP), "{path}");
        }
    });
}

#[test]
fn nul_bytes_in_paths_are_inval() {
    with_scratch(|dir| {
        dir.write("f", b"").unwrap();
        assert_eq!(File::open(dir, "f\0").map(drop), Err(Errno::INVAL));
        assert_eq!(dir.metadata("f\0/../f").map(drop), Err(Errno::INVAL));
        assert_eq!(dir.create_dir("a\0b"), Err(Errno::INVAL));
        assert_eq!(dir.symlink("f", "l\0"), Err(Errno::INVAL));
        assert_eq!(dir.rename("f", dir, "g\0"), Err(Errno::INVAL));
    });
}

#[test]
fn paths_that_are_not_utf8_are_ilseq() {
    with_scratch(|dir| {
        let bad = bytes_path(b"bad-\xff\xfe");
        assert_eq!(File::create(dir, bad).map(drop), Err(Errno::ILSEQ));
        assert_eq!(dir.create_dir(bad), Err(Errno::ILSEQ));
        assert_eq!(dir.metadata(bad).map(drop), Err(Errno::ILSEQ));
        assert_eq!(fs::symlink(bad, dir, "l"), Err(Errno::ILSEQ));
    });
}

#[test]
fn overlong_names_and_paths_are_nametoolong() {
    with_scratch(|dir| {
        let name = "n".repeat(300);
        assert_eq!(File::create(dir, &name).map(drop), Err(Errno::NAMETOOLONG));
        assert_eq!(dir.create_dir(&name), Err(Errno::NAMETOOLONG));
        let path = "d/".repeat(3000);
        assert_eq!(dir.metadata(&path).map(drop), Err(Errno::NAMETOOLONG));
    });
}

#[test]
fn empty_paths_are_noent() {
    with_scratch(|dir| {
        assert_eq!(File::open(dir, "").map(drop), Err(Errno::NOENT));
        assert_eq!(dir.create_dir(""), Err(Errno::NOENT));
        assert_eq!(dir.metadata("").map(drop), Err(Errno::NOENT));
    });
}
