//! Links: hard links, symlinks and reading them, renames within and across directories, unlinking, and
//! the follow/no-follow lookups.

use wasix::fs::{self, File, OpenOptions};
use wasix::io::Errno;
use wasix_conformance::with_scratch;

#[test]
fn a_hard_link_is_the_same_file() {
    with_scratch(|dir| {
        dir.write("a", b"shared").unwrap();
        dir.create_dir("sub").unwrap();
        let sub = dir.open_dir("sub").unwrap();
        dir.hard_link("a", &sub, "b").unwrap();
        assert_eq!(sub.read("b").unwrap(), b"shared");
        let (a, b) = (dir.metadata("a").unwrap(), sub.metadata("b").unwrap());
        assert_eq!((a.nlink(), b.nlink()), (2, 2));
        assert_eq!((a.dev(), a.ino()), (b.dev(), b.ino()));
        dir.remove_file("a").unwrap();
        assert_eq!(sub.metadata("b").unwrap().nlink(), 1);
        assert_eq!(dir.hard_link("missing", &sub, "c"), Err(Errno::NOENT));
        assert_eq!(sub.hard_link("b", &sub, "b"), Err(Errno::EXIST));
    });
}

#[test]
fn symlinks_point_where_they_were_told() {
    with_scratch(|dir| {
        dir.write("target", b"through the link").unwrap();
        dir.symlink("target", "link").unwrap();
        assert_eq!(dir.read_link("link").unwrap().to_str(), Some("target"));
        assert_eq!(dir.read("link").unwrap(), b"through the link");
        assert!(dir.symlink_metadata("link").unwrap().is_symlink());
        assert!(dir.metadata("link").unwrap().is_file());
        assert_eq!(dir.symlink("elsewhere", "link"), Err(Errno::EXIST));
        dir.remove_file("link").unwrap();
        assert_eq!(dir.read("target").unwrap(), b"through the link");
    });
}

#[test]
fn long_symlink_targets_are_read_whole() {
    with_scratch(|dir| {
        // Longer than the first buffer `read_link` tries, in components a host accepts.
        let target = vec!["abcdefghij"; 60].join("/");
        dir.symlink(&target, "long").unwrap();
        assert_eq!(dir.read_link("long").unwrap().to_str(), Some(target.as_str()));
        for len in [255, 256, 257, 511, 512, 513] {
            let target = "t".repeat(len - 1) + "/";
            let name = format!("l{len}");
            dir.symlink(&target, &name).unwrap();
            assert_eq!(dir.read_link(&name).unwrap().to_str(), Some(target.as_str()), "{len}");
        }
    });
}

#[test]
fn a_dangling_symlink_is_noent_when_followed() {
    with_scratch(|dir| {
        dir.symlink("nowhere", "dangling").unwrap();
        assert_eq!(dir.metadata("dangling").map(drop), Err(Errno::NOENT));
        assert!(dir.symlink_metadata("dangling").unwrap().is_symlink());
        assert_eq!(dir.read_link("dangling").unwrap().to_str(), Some("nowhere"));
    });
}

#[test]
fn reading_a_link_that_is_not_a_symlink_is_inval() {
    with_scratch(|dir| {
        dir.write("plain", b"").unwrap();
        assert_eq!(dir.read_link("plain").map(drop), Err(Errno::INVAL));
        assert_eq!(dir.read_link("missing").map(drop), Err(Errno::NOENT));
    });
}

#[test]
fn not_following_a_final_symlink_refuses_to_open_it() {
    with_scratch(|dir| {
        dir.write("target", b"x").unwrap();
        dir.symlink("target", "link").unwrap();
        let mut nofollow = OpenOptions::new();
        nofollow.read(true).follow_symlinks(false);
        assert_eq!(nofollow.open(dir, "target").map(drop), Ok(()));
        let err = nofollow.open(dir, "link").map(drop).unwrap_err();
        assert!(err == Errno::LOOP || err == Errno::NOTCAPABLE, "{err:?}");
    });
}

#[test]
fn renames_move_within_and_across_directories() {
    with_scratch(|dir| {
        dir.write("a", b"1").unwrap();
        dir.rename("a", dir, "b").unwrap();
        assert_eq!(dir.metadata("a").map(drop), Err(Errno::NOENT));
        dir.create_dir("sub").unwrap();
        let sub = dir.open_dir("sub").unwrap();
        dir.rename("b", &sub, "c").unwrap();
        assert_eq!(sub.read("c").unwrap(), b"1");
        sub.rename("c", dir, "sub2").unwrap();
        dir.rename("sub", dir, "moved").unwrap();
        assert!(dir.metadata("moved").unwrap().is_dir());
    });
}

#[test]
fn a_rename_replaces_the_target() {
    with_scratch(|dir| {
        dir.write("new", b"new").unwrap();
        dir.write("old", b"old").unwrap();
        fs::rename(dir, "new", dir, "old").unwrap();
        assert_eq!(dir.read("old").unwrap(), b"new");
        assert_eq!(dir.rename("missing", dir, "x"), Err(Errno::NOENT));
    });
}

#[test]
fn a_directory_cannot_replace_a_file_nor_move_into_itself() {
    with_scratch(|dir| {
        dir.create_dir("d").unwrap();
        dir.write("f", b"").unwrap();
        assert_eq!(dir.rename("d", dir, "f"), Err(Errno::NOTDIR));
        assert_eq!(dir.rename("f", dir, "d"), Err(Errno::ISDIR));
        assert_eq!(dir.rename("d", dir, "d/inner"), Err(Errno::INVAL));
    });
}

#[test]
fn an_unlinked_open_file_stays_readable() {
    with_scratch(|dir| {
        dir.write("f", b"still here").unwrap();
        let file = File::open(dir, "f").unwrap();
        dir.remove_file("f").unwrap();
        let mut buf = [0; 10];
        assert_eq!(file.read_at(&mut buf, 0), Ok(10));
        assert_eq!(&buf, b"still here");
    });
}
