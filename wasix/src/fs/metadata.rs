//! What `fd_filestat_get` and `path_filestat_get` report ([`Metadata`]), and the times the `*_set_times`
//! calls set ([`FileTimes`]).

use crate::conv;
use crate::io::Result;
use std::time::SystemTime;
use wasix_sys::{Filestat, Filetype, Fstflags, Timestamp};

/// A file's metadata: type, size, link count, identity and times.
#[doc(alias = "filestat")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Metadata {
    raw: Filestat,
}

// Like `std::fs::Metadata`, a length with no emptiness test: a file's size is not a collection's.
#[allow(clippy::len_without_is_empty)]
impl Metadata {
    #[inline]
    pub(crate) fn from_raw(raw: Filestat) -> Self {
        Metadata { raw }
    }

    /// The file's type.
    #[inline]
    pub fn file_type(&self) -> Filetype {
        self.raw.filetype
    }

    /// Whether it is a directory.
    #[inline]
    pub fn is_dir(&self) -> bool {
        self.raw.filetype == Filetype::DIRECTORY
    }

    /// Whether it is a regular file.
    #[inline]
    pub fn is_file(&self) -> bool {
        self.raw.filetype == Filetype::REGULAR_FILE
    }

    /// Whether it is a symbolic link (only [`symlink_metadata`](super::symlink_metadata) can say so).
    #[inline]
    pub fn is_symlink(&self) -> bool {
        self.raw.filetype == Filetype::SYMBOLIC_LINK
    }

    /// The size in bytes.
    #[inline]
    pub fn len(&self) -> u64 {
        self.raw.size
    }

    /// The device the file lives on.
    #[inline]
    pub fn dev(&self) -> u64 {
        self.raw.dev
    }

    /// The file's serial number on its device.
    #[inline]
    pub fn ino(&self) -> u64 {
        self.raw.ino
    }

    /// The number of hard links to the file.
    #[inline]
    pub fn nlink(&self) -> u64 {
        self.raw.nlink
    }

    /// The last data access.
    #[inline]
    pub fn accessed(&self) -> SystemTime {
        conv::system_time(self.raw.atim)
    }

    /// The last data modification.
    #[inline]
    pub fn modified(&self) -> SystemTime {
        conv::system_time(self.raw.mtim)
    }

    /// The last status change (of data or metadata; not the creation time).
    #[inline]
    pub fn changed(&self) -> SystemTime {
        conv::system_time(self.raw.ctim)
    }
}

/// What to set a time to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SetTime {
    /// The host's realtime clock at the moment of the call.
    Now,
    /// This time.
    At(SystemTime),
}

/// The times to set on a file, for [`File::set_times`](super::File::set_times) and
/// [`set_times`](super::set_times); times left unset are not changed.
///
/// A time before 1970 fails with `INVAL` when it is set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FileTimes {
    accessed: Option<SetTime>,
    modified: Option<SetTime>,
}

impl FileTimes {
    /// Changes nothing until a time is set.
    #[inline]
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the last access time to `t`.
    #[inline]
    pub fn set_accessed(mut self, t: SystemTime) -> Self {
        self.accessed = Some(SetTime::At(t));
        self
    }

    /// Sets the last modification time to `t`.
    #[inline]
    pub fn set_modified(mut self, t: SystemTime) -> Self {
        self.modified = Some(SetTime::At(t));
        self
    }

    /// Sets the last access time to the host's time when the call is made (`ATIM_NOW`).
    #[doc(alias = "ATIM_NOW")]
    #[inline]
    pub fn set_accessed_now(mut self) -> Self {
        self.accessed = Some(SetTime::Now);
        self
    }

    /// Sets the last modification time to the host's time when the call is made (`MTIM_NOW`).
    #[doc(alias = "MTIM_NOW")]
    #[inline]
    pub fn set_modified_now(mut self) -> Self {
        self.modified = Some(SetTime::Now);
        self
    }

    /// The `(atim, mtim, fst_flags)` arguments of the `*_filestat_set_times` calls.
    pub(crate) fn to_raw(self) -> Result<(Timestamp, Timestamp, Fstflags)> {
        let one = |t: Option<SetTime>, at: Fstflags, now: Fstflags| match t {
            None => Ok((0, Fstflags::empty())),
            Some(SetTime::Now) => Ok((0, now)),
            Some(SetTime::At(t)) => Ok((conv::realtime(t)?, at)),
        };
        let (atim, aflags) = one(self.accessed, Fstflags::ATIM, Fstflags::ATIM_NOW)?;
        let (mtim, mflags) = one(self.modified, Fstflags::MTIM, Fstflags::MTIM_NOW)?;
        Ok((atim, mtim, aflags | mflags))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::Errno;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn file_times_set_only_what_is_asked() {
        let t = UNIX_EPOCH + Duration::from_secs(3);
        assert_eq!(FileTimes::new().to_raw(), Ok((0, 0, Fstflags::empty())));
        assert_eq!(FileTimes::new().set_accessed(t).to_raw(), Ok((3_000_000_000, 0, Fstflags::ATIM)));
        assert_eq!(FileTimes::new().set_modified_now().to_raw(), Ok((0, 0, Fstflags::MTIM_NOW)));
        let before_1970 = FileTimes::new().set_modified(UNIX_EPOCH - Duration::from_secs(1));
        assert_eq!(before_1970.to_raw(), Err(Errno::INVAL));
    }
}
