//! Open directories (the simulator half of `wasix::fs::dir`): the capability handle every path below a
//! directory fd is resolved through, its preopen name, and the listing `fd_readdir` keeps for its cookies
//! (see [`super::read_dir`]).

use super::read_dir::Item;
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
}
