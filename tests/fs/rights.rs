//! Rights: a call without its right is `NOTCAPABLE`, rights can only be removed, and files opened through
//! a directory hold no more than its inheriting rights.

use std::io::{Read, Write};
use wasix::fd::{self, Rights};
use wasix::fs::{File, OpenOptions};
use wasix::io::Errno;
use wasix_conformance::with_scratch;

#[test]
fn a_file_opened_for_reading_cannot_be_written() {
    with_scratch(|dir| {
        dir.write("f", b"data").unwrap();
        let file = File::open(dir, "f").unwrap();
        let (base, _) = file.rights().unwrap();
        assert!(base.contains(Rights::FD_READ) && !base.contains(Rights::FD_WRITE), "{base:?}");
        assert_eq!(fd::write(&file, b"x"), Err(Errno::NOTCAPABLE));
        assert_eq!(file.write_at(b"x", 0), Err(Errno::NOTCAPABLE));
        assert_eq!(file.set_len(0), Err(Errno::NOTCAPABLE));
    });
}

#[test]
fn a_file_opened_for_writing_cannot_be_read() {
    with_scratch(|dir| {
        let file = OpenOptions::new().write(true).create(true).open(dir, "f").unwrap();
        let (base, _) = file.rights().unwrap();
        assert!(base.contains(Rights::FD_WRITE) && !base.contains(Rights::FD_READ), "{base:?}");
        assert_eq!(fd::read(&file, &mut [0; 4]), Err(Errno::NOTCAPABLE));
        assert_eq!(file.read_at(&mut [0; 4], 0), Err(Errno::NOTCAPABLE));
    });
}

#[test]
fn rights_can_be_removed_but_not_added_back() {
    with_scratch(|dir| {
        let mut file = File::options().read(true).write(true).create(true).open(dir, "f").unwrap();
        let (base, inheriting) = file.rights().unwrap();
        file.restrict_rights(base - Rights::FD_WRITE, inheriting).unwrap();
        assert_eq!(file.rights().unwrap().0, base - Rights::FD_WRITE);
        assert_eq!(file.write(b"x").map_err(|e| Errno::from_io_error(&e)), Err(Some(Errno::NOTCAPABLE)));
        assert_eq!(file.restrict_rights(base, inheriting), Err(Errno::NOTCAPABLE));
        assert_eq!(file.rights().unwrap().0, base - Rights::FD_WRITE, "a refused change changes nothing");
        let mut buf = Vec::new();
        file.read_to_end(&mut buf).unwrap();
    });
}

#[test]
fn a_directory_without_a_path_right_refuses_that_call() {
    with_scratch(|dir| {
        dir.create_dir("sub").unwrap();
        dir.write("sub/f", b"x").unwrap();
        let sub = dir.open_dir("sub").unwrap();
        let stat = fd::fdstat(&sub).unwrap();
        let without = |right: Rights| {
            let d = sub.try_clone().unwrap();
            fd::set_rights(&d, stat.rights_base - right, stat.rights_inheriting).unwrap();
            d
        };
        assert_eq!(without(Rights::PATH_CREATE_DIRECTORY).create_dir("x"), Err(Errno::NOTCAPABLE));
        assert_eq!(without(Rights::PATH_OPEN).open("f").map(drop), Err(Errno::NOTCAPABLE));
        assert_eq!(without(Rights::PATH_UNLINK_FILE).remove_file("f"), Err(Errno::NOTCAPABLE));
        assert_eq!(without(Rights::PATH_FILESTAT_GET).metadata("f").map(drop), Err(Errno::NOTCAPABLE));
        assert_eq!(without(Rights::PATH_SYMLINK).symlink("f", "l"), Err(Errno::NOTCAPABLE));
        assert_eq!(without(Rights::FD_READDIR).read_dir().next().map(|e| e.map(drop)), Some(Err(Errno::NOTCAPABLE)));
        // The clones shared nothing but the directory: `sub` keeps every right.
        assert_eq!(fd::fdstat(&sub).unwrap().rights_base, stat.rights_base);
    });
}

#[test]
fn opened_files_get_no_more_than_the_inheriting_rights() {
    with_scratch(|dir| {
        dir.write("f", b"x").unwrap();
        let stat = fd::fdstat(dir.dir()).unwrap();
        let narrow = dir.try_clone().unwrap();
        fd::set_rights(&narrow, stat.rights_base, stat.rights_inheriting - Rights::FD_WRITE).unwrap();
        let file = File::open(&narrow, "f").unwrap();
        assert!(!file.rights().unwrap().0.contains(Rights::FD_WRITE));
        // Asking for more than is inheritable gets the inheritable part (or nothing at all).
        match OpenOptions::new().read(true).write(true).open(&narrow, "f") {
            Ok(file) => assert!(!file.rights().unwrap().0.contains(Rights::FD_WRITE)),
            Err(e) => assert_eq!(e, Errno::NOTCAPABLE),
        }
    });
}

#[test]
fn explicit_rights_are_what_a_file_gets() {
    with_scratch(|dir| {
        dir.write("f", b"x").unwrap();
        let file = OpenOptions::new()
            .read(true)
            .rights(Rights::FD_READ | Rights::FD_FILESTAT_GET, Rights::empty())
            .open(dir, "f")
            .unwrap();
        let (base, inheriting) = file.rights().unwrap();
        assert!(base.contains(Rights::FD_READ | Rights::FD_FILESTAT_GET), "{base:?}");
        assert!(!base.contains(Rights::FD_SEEK), "{base:?}");
        assert!(inheriting.is_empty(), "{inheriting:?}");
        assert_eq!(file.tell(), Err(Errno::NOTCAPABLE));
    });
}

#[test]
fn setting_flags_needs_its_right() {
    with_scratch(|dir| {
        let file = File::create(dir, "f").unwrap();
        let (base, inheriting) = file.rights().unwrap();
        file.restrict_rights(base - Rights::FD_FDSTAT_SET_FLAGS, inheriting).unwrap();
        assert_eq!(file.set_flags(fd::Fdflags::APPEND), Err(Errno::NOTCAPABLE));
    });
}
