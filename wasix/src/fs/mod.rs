//! Files and directories: [`File`], [`OpenOptions`], [`Dir`] with [`ReadDir`], [`Metadata`] and
//! [`FileTimes`], and the path calls (links, symlinks, renames, removal) as free functions.
//!
//! WASIX has no ambient authority: every path is resolved relative to a directory the program holds, and
//! never leaves it (`..` above it, absolute paths and symlinks out of it are refused). Programs start from
//! the directories the host preopened: [`Dir::preopened`] (or [`fd::preopens`](crate::fd::preopens)).
//! The free functions take that directory as anything [`AsFd`](crate::fd::AsFd); [`Dir`]'s methods are
//! the same calls.
//!
//! ```
//! use std::io::Write;
//! use wasix::fs::{self, Dir, File};
//!
//! let scratch = tempfile::tempdir().unwrap();
//! wasix::sim::Config::new().preopen(scratch.path(), "/scratch").build().unwrap().run(|| {
//!     let dir = Dir::preopened("/scratch").unwrap();
//!     File::create(&dir, "a.txt").unwrap().write_all(b"contents").unwrap();
//!     fs::symlink("a.txt", &dir, "link").unwrap();
//!     assert_eq!(fs::read_link(&dir, "link").unwrap().to_str(), Some("a.txt"));
//!     assert_eq!(fs::metadata(&dir, "link").unwrap().len(), 8);
//!     assert!(fs::symlink_metadata(&dir, "link").unwrap().is_symlink());
//!     fs::remove_file(&dir, "link").unwrap();
//!     assert_eq!(fs::read(&dir, "../escape"), Err(wasix::io::Errno::NOTCAPABLE));
//! });
//! ```

mod dir;
mod file;
mod metadata;
mod open;
mod path;
mod read_dir;
#[cfg(target_os = "wasi")]
mod std_os;

pub use dir::Dir;
pub use file::File;
pub use metadata::{FileTimes, Metadata};
pub use open::{open_dir, OpenOptions};
pub use path::{
    create_dir, hard_link, metadata, read, read_link, remove_dir, remove_file, rename, set_symlink_times, set_times,
    symlink, symlink_metadata, write,
};
pub use read_dir::{read_dir, DirEntry, ReadDir};
pub use wasix_sys::{Advice, Filetype as FileType};
