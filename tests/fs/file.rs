//! Files: round-trips through `Read`/`Write`, vectored and positional I/O, seek and tell, length, sync,
//! advice and allocation, metadata and times, open options and their errnos.

use std::io::{IoSlice, IoSliceMut, Read, Seek, SeekFrom, Write};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use wasix::fs::{Advice, File, FileTimes, FileType, OpenOptions};
use wasix::io::Errno;
use wasix_conformance::with_scratch;

#[test]
fn written_bytes_read_back() {
    with_scratch(|dir| {
        let mut file = File::create(dir, "a").unwrap();
        file.write_all(b"hello, world").unwrap();
        drop(file);
        let mut text = String::new();
        File::open(dir, "a").unwrap().read_to_string(&mut text).unwrap();
        assert_eq!(text, "hello, world");
        assert_eq!(dir.read("a").unwrap(), b"hello, world");
    });
}

#[test]
fn large_files_round_trip() {
    with_scratch(|dir| {
        let data: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
        dir.write("big", &data).unwrap();
        assert_eq!(dir.read("big").unwrap(), data);
        assert_eq!(dir.metadata("big").unwrap().len(), data.len() as u64);
    });
}

#[test]
fn vectored_io_gathers_and_scatters_in_order() {
    with_scratch(|dir| {
        let mut file = File::options().read(true).write(true).create(true).open(dir, "v").unwrap();
        let n = file.write_vectored(&[IoSlice::new(b"ab"), IoSlice::new(b""), IoSlice::new(b"cde")]).unwrap();
        assert_eq!(n, 5);
        file.rewind().unwrap();
        let (mut x, mut y) = ([0; 1], [0; 8]);
        let n = file.read_vectored(&mut [IoSliceMut::new(&mut x), IoSliceMut::new(&mut y)]).unwrap();
        assert_eq!((n, &x, &y[..4]), (5, b"a", &b"bcde"[..]));
    });
}

#[test]
fn seek_and_tell_move_the_offset() {
    with_scratch(|dir| {
        let mut file = File::options().read(true).write(true).create(true).open(dir, "s").unwrap();
        file.write_all(b"0123456789").unwrap();
        assert_eq!(file.tell(), Ok(10));
        assert_eq!(file.seek(SeekFrom::Start(2)), Ok(2));
        assert_eq!(file.seek(SeekFrom::Current(3)), Ok(5));
        assert_eq!(file.seek(SeekFrom::End(-1)), Ok(9));
        assert_eq!(file.stream_position().unwrap(), 9);
        let mut one = [0];
        file.read_exact(&mut one).unwrap();
        assert_eq!(&one, b"9");
        // Past the end is allowed; a write there leaves a hole of zeros.
        assert_eq!(file.seek(SeekFrom::End(2)), Ok(12));
        file.write_all(b"!").unwrap();
        assert_eq!(dir.read("s").unwrap(), b"0123456789\0\0!");
    });
}

#[test]
fn seeking_before_the_start_is_inval() {
    with_scratch(|dir| {
        let file = File::create(dir, "s").unwrap();
        assert_eq!(file.seek(SeekFrom::Current(-1)), Err(Errno::INVAL));
        assert_eq!(file.seek(SeekFrom::End(-100)), Err(Errno::INVAL));
        assert_eq!(file.seek(SeekFrom::Start(u64::MAX)), Err(Errno::INVAL));
        assert_eq!(file.tell(), Ok(0));
    });
}

#[test]
fn positional_io_leaves_the_offset_alone() {
    with_scratch(|dir| {
        let file = File::options().read(true).write(true).create(true).open(dir, "p").unwrap();
        assert_eq!(file.write_at(b"world", 6), Ok(5));
        assert_eq!(file.write_at(b"hello ", 0), Ok(6));
        assert_eq!(file.tell(), Ok(0));
        let mut buf = [0; 5];
        assert_eq!(file.read_at(&mut buf, 6), Ok(5));
        assert_eq!(&buf, b"world");
        let (mut a, mut b) = ([0; 2], [0; 3]);
        assert_eq!(file.read_vectored_at(&mut [IoSliceMut::new(&mut a), IoSliceMut::new(&mut b)], 0), Ok(5));
        assert_eq!((&a, &b), (b"he", b"llo"));
        assert_eq!(file.write_vectored_at(&[IoSlice::new(b"H"), IoSlice::new(b"E")], 0), Ok(2));
        assert_eq!(file.read_at(&mut buf, 100), Ok(0));
        assert_eq!(file.tell(), Ok(0));
        assert_eq!(dir.read("p").unwrap(), b"HEllo world");
    });
}

#[test]
fn set_len_truncates_and_extends_with_zeros() {
    with_scratch(|dir| {
        let file = File::options().read(true).write(true).create(true).open(dir, "l").unwrap();
        (&file).write_all(b"abcdef").unwrap();
        file.set_len(3).unwrap();
        assert_eq!(file.metadata().unwrap().len(), 3);
        file.set_len(5).unwrap();
        assert_eq!(dir.read("l").unwrap(), b"abc\0\0");
    });
}

#[test]
fn sync_advise_and_allocate_succeed_on_a_writable_file() {
    with_scratch(|dir| {
        let file = File::create(dir, "f").unwrap();
        (&file).write_all(b"data").unwrap();
        file.sync_all().unwrap();
        file.sync_data().unwrap();
        for advice in [Advice::NORMAL, Advice::SEQUENTIAL, Advice::RANDOM, Advice::WILLNEED, Advice::DONTNEED] {
            file.advise(0, 4, advice).unwrap_or_else(|e| panic!("{advice:?}: {e}"));
        }
        file.allocate(0, 100).unwrap();
        assert!(file.metadata().unwrap().len() >= 100);
    });
}

#[test]
fn an_unknown_advice_is_inval() {
    with_scratch(|dir| {
        let file = File::create(dir, "f").unwrap();
        assert_eq!(file.advise(0, 1, Advice::from_raw(200)), Err(Errno::INVAL));
    });
}

#[test]
fn metadata_describes_files_and_directories() {
    with_scratch(|dir| {
        dir.write("f", b"12345").unwrap();
        dir.create_dir("d").unwrap();
        let f = dir.metadata("f").unwrap();
        assert!(f.is_file() && !f.is_dir() && !f.is_symlink());
        assert_eq!((f.file_type(), f.len(), f.nlink()), (FileType::REGULAR_FILE, 5, 1));
        let d = dir.metadata("d").unwrap();
        assert!(d.is_dir());
        assert_eq!(d.file_type(), FileType::DIRECTORY);
        let open = File::open(dir, "f").unwrap().metadata().unwrap();
        assert_eq!((open.len(), open.file_type()), (5, FileType::REGULAR_FILE));
        assert_eq!(dir.metadata("missing"), Err(Errno::NOENT));
    });
}

#[test]
fn times_are_recent_and_can_be_set() {
    with_scratch(|dir| {
        let before = SystemTime::now() - Duration::from_secs(60);
        let file = File::create(dir, "t").unwrap();
        let meta = file.metadata().unwrap();
        assert!(meta.modified() > before, "{:?}", meta.modified());

        let past = UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        let later = past + Duration::from_secs(3600);
        file.set_times(FileTimes::new().set_accessed(past).set_modified(later)).unwrap();
        let meta = file.metadata().unwrap();
        assert_eq!((meta.accessed(), meta.modified()), (past, later));

        dir.set_times("t", FileTimes::new().set_modified(past)).unwrap();
        assert_eq!(dir.metadata("t").unwrap().modified(), past);
        assert_eq!(dir.metadata("t").unwrap().accessed(), past, "an unset time is left alone");

        dir.set_times("t", FileTimes::new().set_modified_now()).unwrap();
        assert!(dir.metadata("t").unwrap().modified() > before);
        file.set_modified(later).unwrap();
        assert_eq!(dir.metadata("t").unwrap().modified(), later);
    });
}

#[test]
fn times_before_1970_are_inval() {
    with_scratch(|dir| {
        let file = File::create(dir, "t").unwrap();
        let before_epoch = UNIX_EPOCH - Duration::from_secs(1);
        assert_eq!(file.set_times(FileTimes::new().set_accessed(before_epoch)), Err(Errno::INVAL));
    });
}

#[test]
fn create_new_refuses_an_existing_file() {
    with_scratch(|dir| {
        File::create_new(dir, "n").unwrap();
        assert_eq!(File::create_new(dir, "n").map(drop), Err(Errno::EXIST));
    });
}

#[test]
fn opening_a_missing_file_is_noent() {
    with_scratch(|dir| {
        assert_eq!(File::open(dir, "missing").map(drop), Err(Errno::NOENT));
        assert_eq!(File::open(dir, "missing/deeper").map(drop), Err(Errno::NOENT));
    });
}

#[test]
fn truncate_empties_and_append_appends() {
    with_scratch(|dir| {
        dir.write("f", b"old contents").unwrap();
        OpenOptions::new().write(true).truncate(true).open(dir, "f").unwrap().write_all(b"new").unwrap();
        assert_eq!(dir.read("f").unwrap(), b"new");
        let mut log = OpenOptions::new().append(true).open(dir, "f").unwrap();
        log.write_all(b"+1").unwrap();
        // Appending ignores the offset.
        log.rewind().unwrap();
        log.write_all(b"+2").unwrap();
        assert_eq!(dir.read("f").unwrap(), b"new+1+2");
        assert!(log.flags().unwrap().contains(wasix::fd::Fdflags::APPEND));
    });
}

#[test]
fn contradictory_options_are_inval() {
    with_scratch(|dir| {
        dir.write("f", b"x").unwrap();
        let inval = |o: &OpenOptions| o.open(dir, "f").map(drop);
        assert_eq!(inval(&OpenOptions::new()), Err(Errno::INVAL));
        assert_eq!(inval(OpenOptions::new().read(true).truncate(true)), Err(Errno::INVAL));
        assert_eq!(inval(OpenOptions::new().read(true).create(true)), Err(Errno::INVAL));
        assert_eq!(inval(OpenOptions::new().append(true).truncate(true)), Err(Errno::INVAL));
    });
}

#[test]
fn opening_a_directory_as_a_file_for_writing_is_isdir() {
    with_scratch(|dir| {
        dir.create_dir("d").unwrap();
        assert_eq!(OpenOptions::new().write(true).open(dir, "d").map(drop), Err(Errno::ISDIR));
        assert_eq!(dir.open_dir("d").map(drop), Ok(()));
        dir.write("f", b"").unwrap();
        assert_eq!(dir.open_dir("f").map(drop), Err(Errno::NOTDIR));
    });
}

#[test]
fn a_clone_shares_the_offset() {
    with_scratch(|dir| {
        let mut file = File::create(dir, "c").unwrap();
        let mut clone = file.try_clone().unwrap();
        file.write_all(b"ab").unwrap();
        clone.write_all(b"cd").unwrap();
        assert_eq!(file.tell(), Ok(4));
        assert_eq!(dir.read("c").unwrap(), b"abcd");
    });
}

#[test]
fn nonblock_can_be_set_and_read_back() {
    with_scratch(|dir| {
        let file = File::create(dir, "f").unwrap();
        file.set_flags(wasix::fd::Fdflags::NONBLOCK).unwrap();
        assert!(file.flags().unwrap().contains(wasix::fd::Fdflags::NONBLOCK));
        file.set_flags(wasix::fd::Fdflags::empty()).unwrap();
        assert!(!file.flags().unwrap().contains(wasix::fd::Fdflags::NONBLOCK));
    });
}

#[test]
fn file_calls_on_an_fd_that_is_not_open_are_badf() {
    use wasix::fd::FromRawFd;
    // SAFETY: `NOT_OPEN` is open nowhere; every call on it fails with BADF and the drop closes nothing.
    let ghost = std::mem::ManuallyDrop::new(unsafe { File::from_raw_fd(wasix_conformance::NOT_OPEN) });
    assert_eq!(ghost.read_at(&mut [0; 4], 0), Err(Errno::BADF));
    assert_eq!(ghost.write_at(b"x", 0), Err(Errno::BADF));
    assert_eq!(ghost.seek(SeekFrom::Start(0)), Err(Errno::BADF));
    assert_eq!(ghost.tell(), Err(Errno::BADF));
    assert_eq!(ghost.set_len(0), Err(Errno::BADF));
    assert_eq!(ghost.sync_all(), Err(Errno::BADF));
    assert_eq!(ghost.metadata().map(drop), Err(Errno::BADF));
    assert_eq!(ghost.allocate(0, 1), Err(Errno::BADF));
}

/// On wasm a `wasix::fs::File` and a `std::fs::File` are the same fd, handed back and forth.
#[cfg(target_os = "wasi")]
#[test]
fn std_files_convert_both_ways() {
    with_scratch(|dir| {
        let ours = File::create(dir, "s").unwrap();
        let mut theirs = std::fs::File::from(ours);
        theirs.write_all(b"via std").unwrap();
        let ours = File::from(theirs);
        assert_eq!(ours.metadata().unwrap().len(), 7);
    });
}
