//! The virtual fd table: WASIX fd numbers (never host fd numbers) mapping to typed entries with rights
//! and fd flags. Thread-safe: lookups share a read lock, changes take the write lock, so a `close`,
//! `dup` or `renumber` is atomic with respect to every other thread.

use super::stdio::StdioStream;
use crate::{Errno, Fd, Fdflags, Fdstat, Filetype, Rights};
use std::sync::atomic::{AtomicU16, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

/// Highest number of simultaneously open fds per instance (`MFILE` beyond).
const MAX_FDS: usize = 1 << 16;

/// What an fd refers to.
#[derive(Debug)]
pub(crate) enum Kind {
    /// Standard input, output or error.
    Stdio(StdioStream),
    /// A directory: a capability handle every path below it is resolved through.
    Dir(Directory),
}

/// An open directory.
#[derive(Debug)]
pub(crate) struct Directory {
    /// The capability handle.
    #[allow(dead_code)] // Path resolution lands with the filesystem functions.
    pub dir: cap_std::fs::Dir,
    /// The name the guest sees for a preopen (`fd_prestat_dir_name`); `None` for directories opened later.
    pub preopen: Option<String>,
}

/// One fd: its target, rights and flags.
#[derive(Debug)]
pub(crate) struct Entry {
    pub kind: Kind,
    rights_base: AtomicU64,
    rights_inheriting: AtomicU64,
    flags: AtomicU16,
}

impl Entry {
    pub fn new(kind: Kind, base: Rights, inheriting: Rights, flags: Fdflags) -> Self {
        Entry {
            kind,
            rights_base: AtomicU64::new(base.bits()),
            rights_inheriting: AtomicU64::new(inheriting.bits()),
            flags: AtomicU16::new(flags.bits()),
        }
    }

    /// `NOTCAPABLE` unless the fd holds every right in `needed`.
    #[inline]
    pub fn require(&self, needed: Rights) -> Result<(), Errno> {
        let have = Rights::from_bits_retain(self.rights_base.load(Ordering::Relaxed));
        if have.contains(needed) {
            Ok(())
        } else {
            Err(Errno::NOTCAPABLE)
        }
    }

    /// The file type of the entry.
    pub fn filetype(&self) -> Filetype {
        match &self.kind {
            Kind::Stdio(_) => Filetype::CHARACTER_DEVICE,
            Kind::Dir(_) => Filetype::DIRECTORY,
        }
    }

    /// The entry's `fdstat`.
    pub fn fdstat(&self) -> Fdstat {
        Fdstat {
            fs_filetype: self.filetype(),
            fs_flags: Fdflags::from_bits_retain(self.flags.load(Ordering::Relaxed)),
            fs_rights_base: Rights::from_bits_retain(self.rights_base.load(Ordering::Relaxed)),
            fs_rights_inheriting: Rights::from_bits_retain(self.rights_inheriting.load(Ordering::Relaxed)),
        }
    }
}

/// The table.
#[derive(Debug, Default)]
pub(crate) struct FdTable {
    slots: RwLock<Vec<Option<Arc<Entry>>>>,
}

impl FdTable {
    /// The entry at `fd`, or `BADF`.
    #[inline]
    pub fn get(&self, fd: Fd) -> Result<Arc<Entry>, Errno> {
        let slots = self.slots.read().unwrap_or_else(|e| e.into_inner());
        slots.get(fd as usize).and_then(Option::clone).ok_or(Errno::BADF)
    }

    /// Puts `entry` at the lowest free number.
    pub fn insert(&self, entry: Entry) -> Result<Fd, Errno> {
        let mut slots = self.slots.write().unwrap_or_else(|e| e.into_inner());
        let entry = Some(Arc::new(entry));
        let fd = match slots.iter().position(Option::is_none) {
            Some(free) => {
                slots[free] = entry;
                free
            }
            None if slots.len() < MAX_FDS => {
                slots.push(entry);
                slots.len() - 1
            }
            None => return Err(Errno::MFILE),
        };
        Fd::try_from(fd).map_err(|_| Errno::MFILE)
    }

    /// Removes `fd`, returning its entry (`BADF` if it is not open). The host resource is released when the
    /// last in-flight call using it finishes.
    pub fn remove(&self, fd: Fd) -> Result<Arc<Entry>, Errno> {
        let mut slots = self.slots.write().unwrap_or_else(|e| e.into_inner());
        slots.get_mut(fd as usize).and_then(Option::take).ok_or(Errno::BADF)
    }
}
