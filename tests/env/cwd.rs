//! The current directory: `set_current_dir` then `current_dir` round-trips, relative changes, paths longer
//! than the first buffer `current_dir` tries (the host reports the length it needs), and the errno of each
//! bad target.

use std::path::Path;
use wasix::env;
use wasix::io::Errno;
use wasix_conformance::with_scratch;

#[test]
fn the_current_directory_round_trips() {
    with_scratch(|dir| {
        env::set_current_dir(dir.path()).unwrap();
        assert_eq!(env::current_dir().unwrap(), Path::new(dir.path()));
    });
}

#[test]
fn relative_changes_start_from_the_current_directory() {
    with_scratch(|dir| {
        dir.create_dir("sub").unwrap();
        dir.create_dir("sub/inner").unwrap();
        env::set_current_dir(dir.path()).unwrap();
        env::set_current_dir("sub/inner").unwrap();
        assert_eq!(env::current_dir().unwrap(), Path::new(dir.path()).join("sub/inner"));
        env::set_current_dir("..").unwrap();
        assert_eq!(env::current_dir().unwrap(), Path::new(dir.path()).join("sub"));
    });
}

#[test]
fn a_current_directory_longer_than_the_first_buffer_is_read_whole() {
    with_scratch(|dir| {
        let mut path = String::new();
        for _ in 0..5 {
            path.push_str(&"d".repeat(100));
            dir.create_dir(&path).unwrap();
            path.push('/');
        }
        let full = format!("{}/{}", dir.path(), path.trim_end_matches('/'));
        assert!(full.len() > 500);
        env::set_current_dir(&full).unwrap();
        assert_eq!(env::current_dir().unwrap(), Path::new(&full));
    });
}

#[test]
fn changing_to_what_is_not_a_directory_fails() {
    with_scratch(|dir| {
        dir.write("f", b"").unwrap();
        let file = format!("{}/f", dir.path());
        assert_eq!(env::set_current_dir(&file), Err(Errno::NOTDIR));
        assert_eq!(env::set_current_dir(format!("{}/missing", dir.path())), Err(Errno::NOENT));
        assert_eq!(env::set_current_dir(""), Err(Errno::NOENT));
    });
}

#[cfg(not(target_family = "wasm"))]
mod sim {
    use std::path::Path;
    use wasix::env;
    use wasix::sim::Config;

    #[test]
    fn a_new_process_starts_at_the_root_and_keeps_its_own_directory() {
        let host = tempfile::tempdir().unwrap();
        std::fs::create_dir(host.path().join("a")).unwrap();
        let (one, two) = (
            Config::new().preopen(host.path(), "/data").build().unwrap(),
            Config::new().preopen(host.path(), "/data").build().unwrap(),
        );
        one.run(|| {
            assert_eq!(env::current_dir().unwrap(), Path::new("/"));
            env::set_current_dir("/data/a").unwrap();
        });
        two.run(|| assert_eq!(env::current_dir().unwrap(), Path::new("/")));
        one.run(|| assert_eq!(env::current_dir().unwrap(), Path::new("/data/a")));
        assert_ne!(std::env::current_dir().unwrap(), host.path().join("a"), "the host's own cwd is untouched");
    }
}
