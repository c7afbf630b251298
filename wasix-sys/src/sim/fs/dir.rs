//! Open directories (the simulator half of `wasix::fs::dir`): the capability handle every path below a
//! directory fd is resolved through, its preopen name, and the listing `fd_readdir` keeps for its cookies
//! (see [`super::read_dir`]).

use super::super::errno::from_host;
use super::read_dir::Item;
use crate::Errno;
use std::os::fd::{AsFd, OwnedFd};
use std::sync::{Arc, Mutex};

/// An open directory.
#[derive(Debug)]
pub(crate) struct Directory {
    /// The capability handle.
    pub dir: cap_std::fs::Dir,
    /// The name the guest sees for a preopen (`fd_prestat_dir_name`); `None` for directories opened later.
    pub preopen: Option<String>,
    /// The listing cookies refer to.
    pub(super) listing: Mutex<Option<Arc<[Item]>>>,
}

impl Directory {
    pub fn new(dir: cap_std::fs::Dir, preopen: Option<String>) -> Self {
        Directory { dir, preopen, listing: Mutex::new(None) }
    }

    /// The directory itself opened read-only, for the calls a capability handle cannot serve: a preopen's
    /// handle is a path-only (`O_PATH`) fd, which cannot be listed, synced or have its times set.
    pub fn readable(&self) -> Result<OwnedFd, Errno> {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        rustix::fs::openat(self.dir.as_fd(), ".", flags, Mode::empty()).map_err(from_host)
    }
}
