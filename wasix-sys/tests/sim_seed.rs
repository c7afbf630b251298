//! The simulator enforces the seed's rules exactly as `wasix_sys::seed` writes them: every path example of
//! `seed::path::EXAMPLES`, and every rule of `seed::needs::TABLE` (plus the rules that depend on arguments:
//! `fd_seek`, `path_open`, `poll_oneoff`). The host profile's tests in `wasix` walk the same lists.

#![cfg(not(target_family = "wasm"))] // The simulator exists only natively.

mod common;

use common::*;
use wasix_sys::seed::needs::{self, Need, Rule};
use wasix_sys::seed::path::{Use, EXAMPLES};
use wasix_sys::*;

/// Calls the function a path example is for: `path_create_directory` below [`ROOT`], `path_symlink`'s
/// target, or `chdir`.
fn use_path(bytes: &[u8], use_: Use, n: usize) -> Errno {
    let link = format!("link{n}");
    // SAFETY: `bytes` and `link` are valid for their lengths.
    unsafe {
        match use_ {
            Use::Beneath => path_create_directory(ROOT, bytes.as_ptr(), bytes.len()),
            Use::Stored => path_symlink(bytes.as_ptr(), bytes.len(), ROOT, link.as_ptr(), link.len()),
            Use::WorkingDirectory => chdir(bytes.as_ptr(), bytes.len()),
        }
    }
}

#[test]
fn every_path_example_holds_in_the_simulator() {
    let (_tmp, sim) = sandbox();
    sim.run(|| {
        // What the examples that pass the checks need to exist, so that they then succeed.
        for dir in ["a", "a/b", "x"] {
            mkdir(ROOT, dir).unwrap();
        }
        for (n, &(bytes, use_, want)) in EXAMPLES.iter().enumerate() {
            let got = ok(use_path(bytes, use_, n));
            assert_eq!(got, want, "{:?} as {use_:?}", String::from_utf8_lossy(bytes));
        }
    });
}

/// The function parameters of `call` in the ABI facts.
fn abi_params(call: &str) -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../witx/abi/wasix_64v1.json");
    let abi: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).expect(path)).unwrap();
    let f = abi["functions"].as_array().unwrap().iter().find(|f| f["name"] == call);
    let params = f.unwrap_or_else(|| panic!("{call} is not a WASIX function"))["params"].as_array().unwrap();
    params.iter().map(|p| p["name"].as_str().unwrap().to_owned()).collect()
}

/// A regular file or directory below [`ROOT`] opened with every right, then narrowed to `base`.
fn fd_with(dir: bool, base: Rights) -> Fd {
    let fd = if dir { open(ROOT, "d", Oflags::DIRECTORY).unwrap() } else { open(ROOT, "f", Oflags::CREAT).unwrap() };
    let have = fdstat(fd).unwrap();
    // SAFETY: no pointers.
    ok(unsafe { fd_fdstat_set_rights(fd, base & have.fs_rights_base, have.fs_rights_inheriting) }).unwrap();
    fd
}

/// Calls `rule.call` with the fd of `rule.fd` being `fd` and every other fd [`ROOT`] (with every right);
/// every path argument starts with `prefix`.
fn invoke(rule: &Rule, fd: Fd, prefix: &str) -> Errno {
    invoke_with(rule, fd, ROOT, prefix)
}

/// [`invoke`] with `other` as the call's other fd.
fn invoke_with(rule: &Rule, fd: Fd, other: Fd, prefix: &str) -> Errno {
    let (old, new) = if rule.fd == "new_fd" { (other, fd) } else { (fd, other) };
    let mut byte = [0u8; 8];
    let iov = Iovec { buf: byte.as_mut_ptr(), buf_len: byte.len() };
    let ciov = Ciovec { buf: byte.as_ptr(), buf_len: 1 };
    let (mut size, mut filesize, mut stat) = (0, 0, Filestat::default());
    let names = ["new", ".", "f", "l", "s", "e", "g", "h", "t", "u"].map(|n| format!("{prefix}{n}"));
    let [new_dir, dot, f, l, s, e, g, h, t, u] = names.each_ref().map(|n| (n.as_ptr(), n.len()));
    // SAFETY: every pointer is valid for what the call reads or writes.
    unsafe {
        match rule.call {
            "fd_advise" => fd_advise(fd, 0, 1, Advice::NORMAL),
            "fd_allocate" => fd_allocate(fd, 0, 1),
            "fd_datasync" => fd_datasync(fd),
            "fd_fdstat_set_flags" => fd_fdstat_set_flags(fd, Fdflags::empty()),
            "fd_filestat_get" => fd_filestat_get(fd, &mut stat),
            "fd_filestat_set_size" => fd_filestat_set_size(fd, 1),
            "fd_filestat_set_times" => fd_filestat_set_times(fd, 0, 0, Fstflags::MTIM_NOW),
            "fd_pread" => fd_pread(fd, &iov, 1, 0, &mut size),
            "fd_pwrite" => fd_pwrite(fd, &ciov, 1, 0, &mut size),
            "fd_read" => fd_read(fd, &iov, 1, &mut size),
            "fd_readdir" => fd_readdir(fd, byte.as_mut_ptr(), byte.len(), 0, &mut size),
            "fd_sync" => fd_sync(fd),
            "fd_tell" => fd_tell(fd, &mut filesize),
            "fd_write" => fd_write(fd, &ciov, 1, &mut size),
            "path_create_directory" => path_create_directory(fd, new_dir.0, new_dir.1),
            "path_filestat_get" => path_filestat_get(fd, Lookupflags::empty(), dot.0, dot.1, &mut stat),
            "path_filestat_set_times" => {
                path_filestat_set_times(fd, Lookupflags::empty(), dot.0, dot.1, 0, 0, Fstflags::MTIM_NOW)
            }
            "path_link" => path_link(old, Lookupflags::empty(), f.0, f.1, new, l.0, l.1),
            "path_readlink" => path_readlink(fd, s.0, s.1, byte.as_mut_ptr(), byte.len(), &mut size),
            "path_remove_directory" => path_remove_directory(fd, e.0, e.1),
            "path_rename" => path_rename(old, g.0, g.1, new, h.0, h.1),
            "path_symlink" => path_symlink(t.0, t.1, fd, u.0, u.1),
            "path_unlink_file" => path_unlink_file(fd, g.0, g.1),
            other => panic!("no invocation for {other}"),
        }
    }
}

/// The rule's fd is a directory for the path calls and `fd_readdir`.
fn on_dir(rule: &Rule) -> bool {
    rule.call.starts_with("path_") || rule.call == "fd_readdir"
}

/// Sets up what [`invoke`] works on, inside `d` (the directory the path calls get) and at the root.
fn populate() {
    mkdir(ROOT, "d").unwrap();
    mkdir(ROOT, "d/e").unwrap();
    mkdir(ROOT, "e").unwrap();
    for file in ["f", "g", "d/f", "d/g"] {
        close(open(ROOT, file, Oflags::CREAT).unwrap()).unwrap();
    }
    symlink("f", ROOT, "d/s").unwrap();
    symlink("f", ROOT, "s").unwrap();
}

/// The rights to take away to break `need`: each right of an `All` need on its own, every right of an
/// `Any` need at once.
fn breaking(need: Need) -> Vec<Rights> {
    match need {
        Need::All(r) => r.iter().collect(),
        Need::Any(r) => vec![r],
    }
}

#[test]
fn every_rights_rule_is_enforced_by_the_simulator() {
    for rule in needs::TABLE {
        assert!(abi_params(rule.call).iter().any(|p| p == rule.fd), "{} has no parameter {}", rule.call, rule.fd);
        for missing in breaking(rule.need) {
            let (_tmp, sim) = sandbox();
            sim.run(|| {
                populate();
                let without = fd_with(on_dir(rule), Rights::all() - missing);
                assert_eq!(invoke(rule, without, ""), Errno::NOTCAPABLE, "{} without {missing:?}", rule.call);
                let with = fd_with(on_dir(rule), Rights::all());
                assert_ne!(invoke(rule, with, ""), Errno::NOTCAPABLE, "{} with every right", rule.call);
            });
        }
    }
}

#[test]
fn an_any_rule_is_met_by_each_of_its_rights() {
    let (_tmp, sim) = sandbox();
    sim.run(|| {
        populate();
        let Need::Any(rights) = needs::FD_TELL else { panic!("fd_tell needs any of its rights") };
        for one in rights.iter() {
            let rule = needs::TABLE.iter().find(|r| r.call == "fd_tell").unwrap();
            assert_eq!(invoke(rule, fd_with(false, one), ""), Errno::SUCCESS, "fd_tell with only {one:?}");
        }
    });
}

#[test]
fn rules_that_depend_on_arguments_are_enforced_by_the_simulator() {
    let (_tmp, sim) = sandbox();
    sim.run(|| {
        populate();
        let mut at = 0;
        // fd_seek: moving needs FD_SEEK; asking where the offset is is fd_tell's need.
        let tell_only = fd_with(false, Rights::FD_TELL);
        // SAFETY: valid out-pointers.
        unsafe {
            assert_eq!(fd_seek(tell_only, 0, Whence::CUR, &mut at), Errno::SUCCESS);
            assert_eq!(fd_seek(tell_only, 1, Whence::SET, &mut at), Errno::NOTCAPABLE);
        }
        assert_eq!(needs::fd_seek(1, Whence::SET), Need::All(Rights::FD_SEEK));
        // path_open: each open flag's extra right of the directory's base rights.
        let cases = [
            (Oflags::CREAT, Rights::PATH_CREATE_FILE),
            (Oflags::TRUNC, Rights::PATH_FILESTAT_SET_SIZE),
            (Oflags::empty(), Rights::PATH_OPEN),
        ];
        for (oflags, right) in cases {
            assert!(needs::path_open(oflags).rights().contains(right));
            let dir = fd_with(true, Rights::all() - right);
            let got = open_with(dir, Lookupflags::empty(), "f", oflags, Rights::FD_READ, Fdflags::empty());
            assert_eq!(got, Err(Errno::NOTCAPABLE), "path_open {oflags:?} without {right:?}");
        }
        // The synchronisation flags' rights are asked of the directory's inheriting rights, not its base, and
        // not of the rights asked for: a program asking for reading only opens with `SYNC`.
        for (fdflags, right) in [(Fdflags::DSYNC, Rights::FD_DATASYNC), (Fdflags::SYNC, Rights::FD_SYNC)] {
            assert_eq!(needs::path_open_inheriting(fdflags), Need::All(right));
            let lacking_base = fd_with(true, Rights::all() - right);
            let got = open_with(lacking_base, Lookupflags::empty(), "f", Oflags::empty(), Rights::FD_READ, fdflags);
            assert!(got.is_ok(), "path_open {fdflags:?} from a directory without {right:?} in its base: {got:?}");
            let lacking_inheriting = open(ROOT, "d", Oflags::DIRECTORY).unwrap();
            let st = fdstat(lacking_inheriting).unwrap();
            // SAFETY: no pointers.
            let narrowed =
                unsafe { fd_fdstat_set_rights(lacking_inheriting, st.fs_rights_base, st.fs_rights_inheriting - right) };
            assert_eq!(narrowed, Errno::SUCCESS);
            let got =
                open_with(lacking_inheriting, Lookupflags::empty(), "f", Oflags::empty(), Rights::FD_READ, fdflags);
            assert_eq!(got, Err(Errno::NOTCAPABLE), "path_open {fdflags:?} without {right:?} to inherit");
        }
        // poll_oneoff: POLL_FD_READWRITE and the event's right, reported in the subscription's event.
        for (sub, right) in [(sub_read as fn(u64, Fd) -> Subscription, Rights::FD_READ), (sub_write, Rights::FD_WRITE)]
        {
            for missing in [right, Rights::POLL_FD_READWRITE] {
                let fd = fd_with(false, Rights::all() - missing);
                let events = poll(&[sub(1, fd)]).unwrap();
                assert_eq!(events[0].error, Errno::NOTCAPABLE, "poll without {missing:?}");
            }
        }
    });
}

/// A `./` path given with a preopen is taken against the current directory, which lands below some
/// preopen's fd found by name (here the full-rights dup `spare` of the preopen); the rights that count are
/// still those of the fd the caller passed. A preopen narrowed to reading once opened `./f` writable
/// through its dup's rights.
#[test]
fn dot_slash_paths_are_held_to_the_rights_of_the_fd_passed() {
    let path_rules = needs::TABLE.iter().filter(|r| r.call.starts_with("path_"));
    for rule in path_rules {
        let (_tmp, sim) = sandbox();
        sim.run(|| {
            populate();
            let mut spare = 0;
            // SAFETY: valid out-pointer; no pointers.
            unsafe {
                ok(fd_dup(ROOT, &mut spare)).unwrap();
                ok(fd_fdstat_set_rights(ROOT, Rights::all() - rule.need.rights(), Rights::FD_READ)).unwrap();
            }
            let narrowed = ROOT;
            let other = if rule.fd == "new_fd" { "fd" } else { "new_fd" };
            // The call's other fd (if it has one) is `spare` then, with every right.
            let got = invoke_with(rule, narrowed, spare, "./");
            assert_eq!(got, Errno::NOTCAPABLE, "{} ({}, {other} with every right) through ./", rule.call, rule.fd);
        });
    }
    let (tmp, sim) = sandbox();
    sim.run(|| {
        populate();
        write(open(ROOT, "f", Oflags::empty()).unwrap(), b"kept").unwrap();
        let mut spare = 0;
        // SAFETY: valid out-pointer; no pointers.
        unsafe {
            ok(fd_dup(ROOT, &mut spare)).unwrap();
            ok(fd_fdstat_set_rights(ROOT, Rights::PATH_OPEN, Rights::FD_READ)).unwrap();
        }
        for path in ["./f", "f"] {
            let fd = open_with(ROOT, Lookupflags::empty(), path, Oflags::empty(), Rights::all(), Fdflags::empty());
            let fd = fd.unwrap();
            let st = fdstat(fd).unwrap();
            assert_eq!((st.fs_rights_base, st.fs_rights_inheriting), (Rights::FD_READ, Rights::empty()), "{path}");
            assert_eq!(write(fd, b"overwritten"), Err(Errno::NOTCAPABLE), "{path}");
        }
    });
    assert_eq!(std::fs::read(tmp.path().join("box/f")).unwrap(), b"kept");
}
