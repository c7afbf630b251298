//! Directories: creating and removing them, listing them (paging through many entries with buffers of
//! every size, resuming at a cookie), and the preopens as `Dir`s.

use std::collections::BTreeSet;
use wasix::fs::{self, Dir, FileType, ReadDir};
use wasix::io::Errno;
use wasix_conformance::with_scratch;

/// The names a listing yields, sorted.
fn names(list: ReadDir<'_>) -> BTreeSet<String> {
    list.map(|e| e.unwrap().into_name().into_string().unwrap()).collect()
}

#[test]
fn directories_are_created_listed_and_removed() {
    with_scratch(|dir| {
        dir.create_dir("a").unwrap();
        dir.create_dir("a/b").unwrap();
        dir.write("a/f", b"x").unwrap();
        let a = dir.open_dir("a").unwrap();
        assert_eq!(names(a.read_dir()), BTreeSet::from(["b".to_owned(), "f".to_owned()]));
        assert_eq!(dir.remove_dir("a"), Err(Errno::NOTEMPTY));
        a.remove_dir("b").unwrap();
        a.remove_file("f").unwrap();
        dir.remove_dir("a").unwrap();
        assert_eq!(dir.metadata("a").map(drop), Err(Errno::NOENT));
        assert!(names(dir.read_dir()).is_empty());
    });
}

#[test]
fn an_empty_directory_lists_nothing() {
    with_scratch(|dir| {
        assert_eq!(dir.read_dir().count(), 0);
        assert_eq!(ReadDir::with_capacity(dir.dir(), 1).count(), 0);
    });
}

#[test]
fn entries_carry_their_type() {
    with_scratch(|dir| {
        dir.create_dir("d").unwrap();
        dir.write("f", b"").unwrap();
        dir.symlink("f", "l").unwrap();
        let mut types: Vec<(String, FileType)> = dir
            .read_dir()
            .map(|e| e.unwrap())
            .map(|e| (e.name().to_str().unwrap().to_owned(), e.file_type()))
            .collect();
        types.sort();
        assert_eq!(
            types,
            [
                ("d".to_owned(), FileType::DIRECTORY),
                ("f".to_owned(), FileType::REGULAR_FILE),
                ("l".to_owned(), FileType::SYMBOLIC_LINK)
            ]
        );
    });
}

#[test]
fn a_thousand_entries_page_through_buffers_of_every_size() {
    with_scratch(|dir| {
        // Names of different lengths, so entries are cut short at every possible byte.
        let expected: BTreeSet<String> = (0..1000).map(|i| format!("entry-{i}-{}", "x".repeat(i % 37))).collect();
        for name in &expected {
            dir.write(name, b"").unwrap();
        }
        assert_eq!(names(dir.read_dir()), expected);
        for capacity in [1, 7, 24, 25, 40, 64, 333] {
            assert_eq!(names(ReadDir::with_capacity(dir.dir(), capacity)), expected, "capacity {capacity}");
        }
    });
}

#[test]
fn a_listing_resumes_at_an_entry_cookie() {
    with_scratch(|dir| {
        for i in 0..20 {
            dir.write(format!("f{i:02}"), b"").unwrap();
        }
        let all: Vec<_> = dir.read_dir().map(|e| e.unwrap()).collect();
        assert_eq!(all.len(), 20);
        let mut list = ReadDir::with_capacity(dir.dir(), 64);
        list.seek(all[9].cookie());
        let rest: Vec<_> = list.map(|e| e.unwrap().into_name()).collect();
        let expected: Vec<_> = all[10..].iter().map(|e| e.name().to_owned()).collect();
        assert_eq!(rest, expected);
        let mut again = dir.read_dir();
        again.seek(0);
        assert_eq!(again.count(), 20);
    });
}

#[test]
fn creating_an_existing_directory_is_exist() {
    with_scratch(|dir| {
        dir.create_dir("d").unwrap();
        assert_eq!(dir.create_dir("d"), Err(Errno::EXIST));
        dir.write("f", b"").unwrap();
        assert_eq!(dir.create_dir("f"), Err(Errno::EXIST));
        assert_eq!(dir.create_dir("missing/d"), Err(Errno::NOENT));
    });
}

#[test]
fn removing_the_wrong_kind_fails() {
    with_scratch(|dir| {
        dir.create_dir("d").unwrap();
        dir.write("f", b"").unwrap();
        assert_eq!(dir.remove_file("d"), Err(Errno::ISDIR));
        assert_eq!(dir.remove_dir("f"), Err(Errno::NOTDIR));
        assert_eq!(dir.remove_file("missing"), Err(Errno::NOENT));
        assert_eq!(dir.remove_dir("missing"), Err(Errno::NOENT));
    });
}

#[test]
fn path_calls_on_a_file_are_notdir() {
    with_scratch(|dir| {
        let file = dir.create("f").unwrap();
        assert_eq!(fs::create_dir(&file, "x"), Err(Errno::NOTDIR));
        assert_eq!(fs::metadata(&file, "x").map(drop), Err(Errno::NOTDIR));
        assert_eq!(fs::read_dir(&file).next().map(|e| e.map(drop)), Some(Err(Errno::NOTDIR)));
    });
}

#[test]
fn an_unknown_preopen_is_noent() {
    assert_eq!(Dir::preopened("/surely/not/preopened").map(drop), Err(Errno::NOENT));
}

/// Needs a preopen (the simulator's default instance and `wasmer run --volume` both give one).
#[test]
fn every_preopen_opens_as_a_dir_and_stays_open() {
    let preopens: Vec<_> = wasix::fd::preopens().collect::<Result<_, _>>().unwrap();
    for preopen in &preopens {
        let dir = Dir::from_preopen(preopen).unwrap();
        assert!(dir.metadata(".").unwrap().is_dir());
        assert!(fs::open_dir(preopen, ".").unwrap().metadata(".").unwrap().is_dir());
        drop(dir);
        assert_eq!(wasix::fd::preopen_name(preopen.fd()).as_deref(), Ok(preopen.name()));
    }
}

/// Needs a preopen, like the test above.
#[test]
fn every_preopen_can_be_listed() {
    let preopens: Vec<_> = wasix::fd::preopens().collect::<Result<_, _>>().unwrap();
    for preopen in &preopens {
        let listing: Result<Vec<_>, _> = fs::read_dir(preopen).collect();
        assert!(listing.is_ok(), "{}: {listing:?}", preopen.name());
        let dup = Dir::from_preopen(preopen).unwrap();
        let listing: Result<Vec<_>, _> = dup.read_dir().collect();
        assert!(listing.is_ok(), "a dup of {}: {listing:?}", preopen.name());
    }
}

/// A `Dir` taken from a preopen owns a duplicate: closing it releases that fd and nothing else.
#[test]
fn a_dir_from_a_preopen_closes_its_own_fd() {
    use wasix::fd::{AsRawFd, BorrowedFd};
    let preopen = wasix::fd::preopens().next().expect("a preopen").unwrap();
    let dir = Dir::from_preopen(&preopen).unwrap();
    let number = dir.as_raw_fd();
    assert_ne!(number, preopen.fd().as_raw_fd());
    wasix::fd::close(dir.into()).unwrap();
    // SAFETY: `number` was just closed; it is borrowed only to see that it is.
    assert_eq!(wasix::fd::fdstat(unsafe { BorrowedFd::borrow_raw(number) }).map(drop), Err(Errno::BADF));
    assert!(wasix::fd::fdstat(preopen.fd()).is_ok());
}
