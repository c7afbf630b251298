//! Files and directories through the raw functions: rights, `fd_readdir` paging, file I/O and metadata,
//! links and renames, what paths out of the preopen leave unchanged on the host, and the current directory.

#![cfg(not(target_family = "wasm"))] // The simulator exists only natively.

mod common;

use common::*;
use std::collections::HashMap;
use wasix_sys::*;

#[test]
fn missing_rights_are_notcapable_and_rights_only_shrink() {
    let (_tmp, sim) = sandbox();
    sim.run(|| {
        let fd = open_with(ROOT, Lookupflags::empty(), "f", Oflags::CREAT, Rights::FD_READ, Fdflags::empty()).unwrap();
        assert_eq!(fdstat(fd).unwrap().fs_rights_base, Rights::FD_READ);
        assert_eq!(write(fd, b"x"), Err(Errno::NOTCAPABLE));
        assert_eq!(read(fd, 4).unwrap(), b"");
        // SAFETY: no pointers.
        unsafe {
            assert_eq!(
                fd_fdstat_set_rights(fd, Rights::FD_READ | Rights::FD_WRITE, Rights::empty()),
                Errno::NOTCAPABLE
            );
            assert_eq!(fd_fdstat_set_rights(fd, Rights::empty(), Rights::FD_READ), Errno::NOTCAPABLE);
            assert_eq!(fd_fdstat_set_rights(fd, Rights::empty(), Rights::empty()), Errno::SUCCESS);
            assert_eq!(fd_fdstat_set_rights(fd, Rights::FD_READ, Rights::empty()), Errno::NOTCAPABLE);
        }
        assert_eq!(read(fd, 4), Err(Errno::NOTCAPABLE));
        let mut size = 0;
        // SAFETY: valid out-pointer.
        assert_eq!(unsafe { fd_tell(fd, &mut size) }, Errno::NOTCAPABLE);

        // A directory whose inheriting rights are read-only hands out read-only files.
        mkdir(ROOT, "d").unwrap();
        let d = open(ROOT, "d", Oflags::DIRECTORY).unwrap();
        let st = fdstat(d).unwrap();
        assert_eq!(st.fs_filetype, Filetype::DIRECTORY);
        assert!(!st.fs_rights_base.contains(Rights::FD_READ), "a directory cannot read");
        assert!(st.fs_rights_base.contains(Rights::PATH_OPEN | Rights::FD_READDIR));
        let only_read = Rights::FD_READ | Rights::FD_SEEK;
        // SAFETY: no pointers.
        assert_eq!(unsafe { fd_fdstat_set_rights(d, st.fs_rights_base, only_read) }, Errno::SUCCESS);
        let f = open(d, "g", Oflags::CREAT).unwrap();
        let st = fdstat(f).unwrap();
        assert_eq!((st.fs_rights_base, st.fs_rights_inheriting), (only_read, Rights::empty()));
        assert_eq!(write(f, b"x"), Err(Errno::NOTCAPABLE));

        // A file never holds directory rights, and a directory without a right cannot use it.
        let all = fdstat(open(ROOT, "f", Oflags::empty()).unwrap()).unwrap();
        assert!(all.fs_rights_base.contains(Rights::FD_READ | Rights::FD_WRITE | Rights::FD_SEEK));
        assert!(!all.fs_rights_base.contains(Rights::PATH_OPEN));
        // SAFETY: no pointers.
        assert_eq!(unsafe { fd_fdstat_set_rights(d, Rights::FD_READDIR, Rights::all()) }, Errno::NOTCAPABLE);
        // SAFETY: no pointers.
        assert_eq!(unsafe { fd_fdstat_set_rights(d, Rights::FD_READDIR, only_read) }, Errno::SUCCESS);
        assert_eq!(open(d, "g", Oflags::empty()), Err(Errno::NOTCAPABLE));
        assert_eq!(mkdir(d, "sub"), Err(Errno::NOTCAPABLE));
        assert_eq!(open(f, "x", Oflags::empty()), Err(Errno::NOTDIR), "a file is no directory, whatever its rights");
    });
}

/// Reads directory `fd` with buffers of `sizes` in turn, restarting each read at the last complete
/// entry. Returns every entry as (name, its cookie, the cookie after it).
fn read_dir_paged(fd: Fd, mut sizes: impl Iterator<Item = usize>) -> Vec<(String, u64, u64)> {
    let mut entries = Vec::new();
    let mut cookie = DIRCOOKIE_START;
    loop {
        let len = sizes.next().unwrap();
        let mut buf = vec![0u8; len];
        let mut used = 0;
        // SAFETY: valid buffer and out-pointer.
        assert_eq!(unsafe { fd_readdir(fd, buf.as_mut_ptr(), len, cookie, &mut used) }, Errno::SUCCESS);
        let used = used as usize;
        let mut at = 0;
        while at + size_of::<Dirent>() <= used {
            let h = &buf[at..at + size_of::<Dirent>()];
            let next = u64::from_ne_bytes(h[0..8].try_into().unwrap());
            let namlen = u32::from_ne_bytes(h[16..20].try_into().unwrap()) as usize;
            let start = at + size_of::<Dirent>();
            if start + namlen > used {
                break; // Cut off: read it again from `cookie`.
            }
            entries.push((String::from_utf8(buf[start..start + namlen].to_vec()).unwrap(), cookie, next));
            cookie = next;
            at = start + namlen;
        }
        if used < len {
            return entries;
        }
    }
}

#[test]
fn readdir_pages_through_a_thousand_entries_with_tiny_buffers() {
    let (tmp, sim) = sandbox();
    for i in 0..1000 {
        std::fs::write(tmp.path().join(format!("box/{i:04}")), "").unwrap();
    }
    sim.run(|| {
        let d = open(ROOT, ".", Oflags::DIRECTORY).unwrap();
        let first = read_dir_paged(d, (32..=64).cycle());
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (name, ..) in &first {
            *seen.entry(name).or_default() += 1;
        }
        assert_eq!(seen.len(), 1002, "every name, plus . and ..");
        assert!(seen.values().all(|&n| n == 1), "each name exactly once");
        assert!(seen.contains_key(".") && seen.contains_key(".."));
        // Cookies are stable: starting again at 0 gives the same entries at the same cookies, and
        // starting at any cookie gives the entry that was there.
        let again = read_dir_paged(d, std::iter::repeat(4096));
        assert_eq!(first, again);
        for (name, cookie, _) in first.iter().step_by(97) {
            let mut buf = [0u8; 64];
            let mut used = 0;
            // SAFETY: valid buffer and out-pointer.
            assert_eq!(unsafe { fd_readdir(d, buf.as_mut_ptr(), 64, *cookie, &mut used) }, Errno::SUCCESS);
            let namlen = u32::from_ne_bytes(buf[16..20].try_into().unwrap()) as usize;
            assert_eq!(&buf[24..24 + namlen], name.as_bytes());
        }
        // Past the end: nothing.
        let mut used = 1;
        let mut buf = [0u8; 64];
        // SAFETY: valid buffer and out-pointer.
        assert_eq!(unsafe { fd_readdir(d, buf.as_mut_ptr(), 64, 5000, &mut used) }, Errno::SUCCESS);
        assert_eq!(used, 0);
        let f = open(ROOT, "0001", Oflags::empty()).unwrap();
        // SAFETY: valid buffer and out-pointer.
        assert_eq!(unsafe { fd_readdir(f, buf.as_mut_ptr(), 64, 0, &mut used) }, Errno::NOTDIR);
    });
}

#[test]
fn file_data_offsets_and_metadata() {
    let (tmp, sim) = sandbox();
    sim.run(|| {
        let f = open(ROOT, "data", Oflags::CREAT | Oflags::EXCL).unwrap();
        assert_eq!(open(ROOT, "data", Oflags::CREAT | Oflags::EXCL), Err(Errno::EXIST));
        assert_eq!(write(f, b"hello world").unwrap(), 11);
        let mut at = 0;
        let mut n = 0;
        let mut buf = [0u8; 5];
        let iov = Iovec { buf: buf.as_mut_ptr(), buf_len: 5 };
        let patch = Ciovec { buf: b"W".as_ptr(), buf_len: 1 };
        // SAFETY: valid iovecs and out-pointers.
        unsafe {
            assert_eq!(fd_tell(f, &mut at), Errno::SUCCESS);
            assert_eq!(at, 11);
            assert_eq!(fd_pread(f, &iov, 1, 6, &mut n), Errno::SUCCESS);
            assert_eq!((n, &buf), (5, b"world"));
            assert_eq!(fd_pwrite(f, &patch, 1, 6, &mut n), Errno::SUCCESS);
            assert_eq!(fd_seek(f, -5, Whence::END, &mut at), Errno::SUCCESS);
            assert_eq!(at, 6);
            assert_eq!(fd_seek(f, -1, Whence::SET, &mut at), Errno::INVAL);
            assert_eq!(fd_seek(f, 0, Whence::from_raw(7), &mut at), Errno::INVAL);
        }
        assert_eq!(read(f, 16).unwrap(), b"World");
        let mut st = Filestat::default();
        // SAFETY: valid out-pointers.
        unsafe {
            assert_eq!(fd_filestat_set_size(f, 3), Errno::SUCCESS);
            assert_eq!(fd_filestat_get(f, &mut st), Errno::SUCCESS);
            assert_eq!((st.size, st.filetype, st.nlink), (3, Filetype::REGULAR_FILE, 1));
            assert_eq!(fd_allocate(f, 0, 100), Errno::SUCCESS);
            assert_eq!(fd_advise(f, 0, 0, Advice::SEQUENTIAL), Errno::SUCCESS);
            assert_eq!(fd_advise(f, 0, 0, Advice::from_raw(9)), Errno::INVAL);
            assert_eq!(fd_sync(f), Errno::SUCCESS);
            assert_eq!(fd_datasync(f), Errno::SUCCESS);
            let t = 1_000_000_000_123;
            assert_eq!(fd_filestat_set_times(f, t, t, Fstflags::ATIM | Fstflags::MTIM), Errno::SUCCESS);
            assert_eq!(fd_filestat_get(f, &mut st), Errno::SUCCESS);
            assert_eq!((st.size, st.atim, st.mtim), (100, t, t));
            assert_eq!(fd_filestat_set_times(f, 0, 0, Fstflags::ATIM | Fstflags::ATIM_NOW), Errno::INVAL);
            let path = "data";
            let t2 = 2_000_000_000_000;
            let e = path_filestat_set_times(ROOT, Lookupflags::SYMLINK_FOLLOW, path.as_ptr(), 4, 0, t2, Fstflags::MTIM);
            assert_eq!(e, Errno::SUCCESS);
        }
        let by_path = stat(ROOT, "data", Lookupflags::empty()).unwrap();
        assert_eq!((by_path.ino, by_path.mtim, by_path.atim), (st.ino, 2_000_000_000_000, 1_000_000_000_123));
        // Appending writes land at the end whatever the offset.
        let a = open_with(ROOT, Lookupflags::empty(), "data", Oflags::TRUNC, Rights::all(), Fdflags::APPEND).unwrap();
        assert_eq!(fdstat(a).unwrap().fs_flags, Fdflags::APPEND);
        write(a, b"ab").unwrap();
        // SAFETY: no pointers.
        unsafe {
            assert_eq!(fd_seek(a, 0, Whence::SET, &mut at), Errno::SUCCESS);
            assert_eq!(fd_fdstat_set_flags(a, Fdflags::empty()), Errno::SUCCESS);
            assert_eq!(fd_fdstat_set_flags(a, Fdflags::SYNC), Errno::NOTSUP);
        }
        write(a, b"X").unwrap();
        assert_eq!(std::fs::read(tmp.path().join("box/data")).unwrap(), b"Xb");
        // A directory is not read or written as a file.
        assert_eq!(
            open_with(ROOT, Lookupflags::empty(), ".", Oflags::empty(), Rights::FD_WRITE, Fdflags::empty()),
            Err(Errno::ISDIR)
        );
        assert_eq!(open(ROOT, "data", Oflags::DIRECTORY), Err(Errno::NOTDIR));
    });
}

#[test]
fn links_renames_and_removal() {
    let (tmp, sim) = sandbox();
    sim.run(|| {
        close(open(ROOT, "a", Oflags::CREAT).unwrap()).unwrap();
        mkdir(ROOT, "d").unwrap();
        assert_eq!(mkdir(ROOT, "d"), Err(Errno::EXIST));
        let (a, b, c, d) = ("a", "d/b", "c", "d");
        // SAFETY: valid paths.
        unsafe {
            assert_eq!(path_link(ROOT, Lookupflags::empty(), a.as_ptr(), 1, ROOT, b.as_ptr(), 3), Errno::SUCCESS);
            assert_eq!(path_link(ROOT, Lookupflags::SYMLINK_FOLLOW, a.as_ptr(), 1, ROOT, c.as_ptr(), 1), Errno::INVAL);
            assert_eq!(path_rename(ROOT, a.as_ptr(), 1, ROOT, c.as_ptr(), 1), Errno::SUCCESS);
            assert_eq!(path_remove_directory(ROOT, d.as_ptr(), 1), Errno::NOTEMPTY);
            assert_eq!(path_unlink_file(ROOT, d.as_ptr(), 1), Errno::ISDIR);
            assert_eq!(path_unlink_file(ROOT, b.as_ptr(), 3), Errno::SUCCESS);
            assert_eq!(path_remove_directory(ROOT, d.as_ptr(), 1), Errno::SUCCESS);
            assert_eq!(path_remove_directory(ROOT, c.as_ptr(), 1), Errno::NOTDIR);
        }
        assert_eq!(stat(ROOT, "c", Lookupflags::empty()).unwrap().nlink, 1);
        symlink("c", ROOT, "l").unwrap();
        // SAFETY: valid path.
        assert_eq!(unsafe { path_unlink_file(ROOT, "l".as_ptr(), 1) }, Errno::SUCCESS);
    });
    let names: Vec<_> = std::fs::read_dir(tmp.path().join("box")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, ["c"]);
}

/// A call on a path out of the preopen is refused and changes nothing on the host, also where the path names a
/// file that exists there (`../secret`).
#[test]
fn calls_on_paths_out_of_the_preopen_change_nothing_outside() {
    let (tmp, sim) = sandbox();
    sim.run(|| {
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

/// Without following, a symlink out of the preopen is the link itself: opening it is `LOOP` (the conformance
/// test for this also allows `NOTCAPABLE`), and reading it into a short buffer cuts the target off (`fs::read_link`
/// grows its buffer instead).
#[test]
fn without_following_a_symlink_out_is_the_link_itself() {
    let (_tmp, sim) = sandbox();
    sim.run(|| {
        symlink("../../../etc", ROOT, "etc").unwrap();
        let no_follow = open_with(ROOT, Lookupflags::empty(), "etc", Oflags::empty(), Rights::all(), Fdflags::empty());
        assert_eq!(no_follow, Err(Errno::LOOP));
        let mut buf = [0u8; 64];
        let mut n = 0;
        // A short buffer gets the target cut off.
        // SAFETY: valid path, buffer and out-pointer.
        let e = unsafe { path_readlink(ROOT, "etc".as_ptr(), 3, buf.as_mut_ptr(), 2, &mut n) };
        assert_eq!((e, &buf[..n as usize]), (Errno::SUCCESS, &b".."[..]));
    });
}

fn getcwd_string() -> Result<String, (Errno, usize)> {
    let mut buf = [0u8; 256];
    let mut len = buf.len();
    // SAFETY: valid buffer and in-out length.
    match unsafe { getcwd(buf.as_mut_ptr(), &mut len) } {
        Errno::SUCCESS => Ok(String::from_utf8(buf[..len].to_vec()).unwrap()),
        e => Err((e, len)),
    }
}

fn chdir_to(path: &str) -> Errno {
    // SAFETY: valid path.
    unsafe { chdir(path.as_ptr(), path.len()) }
}

#[test]
fn current_directory() {
    let (_tmp, sim) = sandbox();
    sim.run(|| {
        assert_eq!(getcwd_string().unwrap(), "/");
        mkdir(ROOT, "sub").unwrap();
        mkdir(ROOT, "sub/deeper").unwrap();
        close(open(ROOT, "file", Oflags::CREAT).unwrap()).unwrap();
        assert_eq!(chdir_to("file"), Errno::NOTDIR);
        assert_eq!(chdir_to("missing"), Errno::NOENT);
        assert_eq!(chdir_to("a\0"), Errno::INVAL);
        assert_eq!(chdir_to("sub/deeper"), Errno::SUCCESS);
        assert_eq!(chdir_to(".."), Errno::SUCCESS);
        assert_eq!(getcwd_string().unwrap(), "/sub");
        // A short buffer: OVERFLOW and the length needed.
        let mut buf = [0u8; 2];
        let mut len = 2;
        // SAFETY: valid buffer and in-out length.
        assert_eq!(unsafe { getcwd(buf.as_mut_ptr(), &mut len) }, Errno::OVERFLOW);
        assert_eq!(len, 4);
        let mut len = 4;
        let mut buf = [0xffu8; 4];
        // SAFETY: as above.
        assert_eq!(unsafe { getcwd(buf.as_mut_ptr(), &mut len) }, Errno::SUCCESS);
        assert_eq!(&buf, b"/sub");
        // SAFETY: a null length pointer is what is tested.
        assert_eq!(unsafe { getcwd(buf.as_mut_ptr(), std::ptr::null_mut()) }, Errno::FAULT);
        // `./` paths given with a preopen are taken against the current directory; others are not.
        let f = open(ROOT, "./x", Oflags::CREAT).unwrap();
        close(f).unwrap();
        assert!(stat(ROOT, "sub/x", Lookupflags::empty()).is_ok());
        assert_eq!(stat(ROOT, "x", Lookupflags::empty()).err(), Some(Errno::NOENT));
        assert_eq!(chdir_to("/"), Errno::SUCCESS);
        assert_eq!(getcwd_string().unwrap(), "/");
        // A `./` path climbing above its directory breaks the seed's path rule before the current directory
        // is consulted, as the host profile refuses it on Wasmer (`wasix_sys::seed::path`).
        assert_eq!(open(ROOT, "./../secret", Oflags::empty()), Err(Errno::NOTCAPABLE));
    });
}

/// A right an fd holds is a call that works. Preopens hold every right but their handles are path-only,
/// where the host refuses syncing, setting times and `F_SETFL` (they were `BADF`); a file holding
/// `FD_FILESTAT_SET_SIZE` or `FD_ALLOCATE` without `FD_WRITE` was opened read-only on the host (`INVAL`,
/// `BADF`); a directory asked to hold `FD_WRITE` but not `FD_READ` was opened with no access mode (`INVAL`).
#[test]
fn a_right_held_is_a_call_that_works() {
    let (tmp, sim) = sandbox();
    sim.run(|| {
        let sized = Rights::FD_FILESTAT_SET_SIZE | Rights::FD_ALLOCATE;
        let f = open_with(ROOT, Lookupflags::empty(), "f", Oflags::CREAT, sized, Fdflags::empty()).unwrap();
        // SAFETY: no pointers.
        unsafe {
            assert_eq!(fd_filestat_set_size(f, 5), Errno::SUCCESS);
            assert_eq!(fd_allocate(f, 0, 10), Errno::SUCCESS);
        }
        assert_eq!(write(f, b"x"), Err(Errno::NOTCAPABLE));
        mkdir(ROOT, "d").unwrap();
        let d = open_with(ROOT, Lookupflags::empty(), "d", Oflags::DIRECTORY, Rights::FD_WRITE, Fdflags::empty());
        assert_eq!(fdstat(d.unwrap()).unwrap().fs_filetype, Filetype::DIRECTORY);
        // Last, so nothing created afterwards moves the directory's modification time.
        // SAFETY: no pointers.
        unsafe {
            assert_eq!(fd_sync(ROOT), Errno::SUCCESS);
            assert_eq!(fd_datasync(ROOT), Errno::SUCCESS);
            assert_eq!(fd_filestat_set_times(ROOT, 0, 5_000_000_000, Fstflags::MTIM), Errno::SUCCESS);
            assert_eq!(fd_fdstat_set_flags(ROOT, Fdflags::NONBLOCK), Errno::SUCCESS);
        }
        assert_eq!(fdstat(ROOT).unwrap().fs_flags, Fdflags::NONBLOCK);
    });
    assert_eq!(std::fs::metadata(tmp.path().join("box/f")).unwrap().len(), 10);
    let mtime = std::fs::metadata(tmp.path().join("box")).unwrap().modified().unwrap();
    assert_eq!(mtime, std::time::UNIX_EPOCH + std::time::Duration::from_secs(5));
}

/// Where the seed is silent, as POSIX `open` and wasmtime's preview1 host answer: a directory opened
/// without `oflags::directory` with a write-like right is `ISDIR` even with a directory's own rights (a
/// preopen's); with read rights only it opens, as a directory with a directory's rights.
#[test]
fn a_directory_opened_for_writing_is_isdir_even_with_a_directorys_rights() {
    let (_tmp, sim) = sandbox();
    sim.run(|| {
        let preopen = fdstat(ROOT).unwrap();
        assert!(preopen.fs_rights_base.contains(Rights::FD_WRITE | Rights::FD_READDIR));
        let reopen =
            open_with(ROOT, Lookupflags::empty(), ".", Oflags::empty(), preopen.fs_rights_base, Fdflags::empty());
        assert_eq!(reopen, Err(Errno::ISDIR));
        let reading = Rights::FD_READ | Rights::FD_READDIR | Rights::PATH_OPEN;
        let fd = open_with(ROOT, Lookupflags::empty(), ".", Oflags::empty(), reading, Fdflags::empty()).unwrap();
        let st = fdstat(fd).unwrap();
        assert_eq!(st.fs_filetype, Filetype::DIRECTORY);
        assert!(!st.fs_rights_base.contains(Rights::FD_READ), "narrowed to a directory's rights");
        close(fd).unwrap();
    });
}

/// `path_open` makes the sandboxed `openat2` itself and hands to `cap-std` only what that cannot serve: a
/// followed symlink out of the preopen is still refused (`NOTCAPABLE`, cap-std's escape error, nothing opened
/// outside), creating or truncating a directory is `INVAL` as cap-std refuses it, and the flags the host file
/// gets follow from the rights (a write-like right opens it for writing, `APPEND` appends).
#[test]
fn the_direct_open_keeps_the_sandbox_and_the_open_rules() {
    let (tmp, sim) = sandbox();
    sim.run(|| {
        symlink("../secret", ROOT, "out").unwrap();
        let follow = Lookupflags::SYMLINK_FOLLOW;
        assert_eq!(
            open_with(ROOT, follow, "out", Oflags::empty(), Rights::FD_READ, Fdflags::empty()),
            Err(Errno::NOTCAPABLE)
        );
        assert_eq!(
            open_with(ROOT, follow, "sub/../../secret", Oflags::empty(), Rights::FD_READ, Fdflags::empty()),
            Err(Errno::NOTCAPABLE)
        );
        let dir_creat = Oflags::DIRECTORY | Oflags::CREAT;
        assert_eq!(open_with(ROOT, follow, "d", dir_creat, Rights::FD_READ, Fdflags::empty()), Err(Errno::INVAL));
        let dir_trunc = Oflags::DIRECTORY | Oflags::TRUNC;
        assert_eq!(open_with(ROOT, follow, ".", dir_trunc, Rights::FD_READ, Fdflags::empty()), Err(Errno::INVAL));
        let fd = open_with(ROOT, follow, "f", Oflags::CREAT, Rights::FD_FILESTAT_SET_SIZE, Fdflags::empty()).unwrap();
        // SAFETY: no pointers.
        assert_eq!(unsafe { fd_filestat_set_size(fd, 5) }, Errno::SUCCESS, "a write-like right opens for writing");
        close(fd).unwrap();
        let fd = open_with(ROOT, follow, "f", Oflags::empty(), Rights::FD_WRITE, Fdflags::APPEND).unwrap();
        let mut n = 0;
        // SAFETY: valid ciovec and out-pointer.
        assert_eq!(unsafe { fd_write(fd, &Ciovec { buf: b"x".as_ptr(), buf_len: 1 }, 1, &mut n) }, Errno::SUCCESS);
        close(fd).unwrap();
    });
    assert_eq!(std::fs::read(tmp.path().join("box/f")).unwrap(), b"\0\0\0\0\0x");
    assert!(!tmp.path().join("box/d").exists());
    assert_eq!(std::fs::read_to_string(tmp.path().join("secret")).unwrap(), "outside");
}
