//! File attributes (the simulator half of `wasix::fs::metadata`): host file types and stat results as
//! WASIX `filetype` and `filestat`, and the `fstflags` time updates of `fd_filestat_set_times` and
//! `path_filestat_set_times`.

use crate::{Errno, Filestat, Filetype, Fstflags, Timestamp};
use cap_std::fs::{Metadata, MetadataExt};
use rustix::fs::FileType;

/// The WASIX file type of a host file type. WASIX has no FIFO type (`UNKNOWN`), and a Unix socket found
/// in the file system is reported as a stream socket, as WASI hosts do.
pub(crate) fn filetype(t: FileType) -> Filetype {
    match t {
        FileType::RegularFile => Filetype::REGULAR_FILE,
        FileType::Directory => Filetype::DIRECTORY,
        FileType::Symlink => Filetype::SYMBOLIC_LINK,
        FileType::CharacterDevice => Filetype::CHARACTER_DEVICE,
        FileType::BlockDevice => Filetype::BLOCK_DEVICE,
        FileType::Socket => Filetype::SOCKET_STREAM,
        _ => Filetype::UNKNOWN,
    }
}

/// Nanoseconds since the epoch (0 for times before it).
fn nanos(secs: i64, nsecs: i64) -> Timestamp {
    u64::try_from(i128::from(secs) * 1_000_000_000 + i128::from(nsecs)).unwrap_or(0)
}

/// The `filestat` of host metadata.
pub(crate) fn filestat(m: &Metadata) -> Filestat {
    Filestat {
        dev: m.dev(),
        ino: m.ino(),
        filetype: filetype(FileType::from_raw_mode(m.mode() as _)),
        nlink: m.nlink(),
        size: m.size(),
        atim: nanos(m.atime(), m.atime_nsec()),
        mtim: nanos(m.mtime(), m.mtime_nsec()),
        ctim: nanos(m.ctime(), m.ctime_nsec()),
    }
}

/// The `filestat` of a host `stat` result.
pub(crate) fn from_stat(st: &rustix::fs::Stat) -> Filestat {
    Filestat {
        dev: st.st_dev,
        ino: st.st_ino,
        filetype: filetype(FileType::from_raw_mode(st.st_mode)),
        nlink: st.st_nlink,
        size: u64::try_from(st.st_size).unwrap_or(0),
        atim: nanos(st.st_atime, st.st_atime_nsec as i64),
        mtim: nanos(st.st_mtime, st.st_mtime_nsec as i64),
        ctim: nanos(st.st_ctime, st.st_ctime_nsec as i64),
    }
}

/// One timestamp update.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SetTime {
    /// The time of the realtime clock when the call runs.
    Now,
    /// Nanoseconds since the epoch.
    At(Timestamp),
}

/// The updates `fst_flags` asks for: (access, modification), `None` to leave one alone. `INVAL` for a
/// time given both as a value and as "now", or for unknown flag bits.
pub(crate) fn set_times(
    atim: Timestamp,
    mtim: Timestamp,
    flags: Fstflags,
) -> Result<(Option<SetTime>, Option<SetTime>), Errno> {
    if !Fstflags::all().contains(flags) {
        return Err(Errno::INVAL);
    }
    let one = |value: Fstflags, now: Fstflags, t: Timestamp| match (flags.contains(value), flags.contains(now)) {
        (true, true) => Err(Errno::INVAL),
        (true, false) => Ok(Some(SetTime::At(t))),
        (false, true) => Ok(Some(SetTime::Now)),
        (false, false) => Ok(None),
    };
    Ok((one(Fstflags::ATIM, Fstflags::ATIM_NOW, atim)?, one(Fstflags::MTIM, Fstflags::MTIM_NOW, mtim)?))
}

impl SetTime {
    /// For `cap-fs-ext`'s path functions.
    pub fn spec(t: Option<SetTime>) -> Option<cap_fs_ext::SystemTimeSpec> {
        t.map(|t| match t {
            SetTime::Now => cap_fs_ext::SystemTimeSpec::SymbolicNow,
            SetTime::At(ns) => cap_fs_ext::SystemTimeSpec::Absolute(cap_std::time::SystemTime::from_std(
                std::time::UNIX_EPOCH + std::time::Duration::from_nanos(ns),
            )),
        })
    }

    /// For the host's `futimens`.
    pub fn timespec(t: Option<SetTime>) -> rustix::fs::Timespec {
        let (tv_sec, tv_nsec) = match t {
            None => (0, rustix::fs::UTIME_OMIT),
            Some(SetTime::Now) => (0, rustix::fs::UTIME_NOW),
            Some(SetTime::At(ns)) => ((ns / 1_000_000_000) as i64, (ns % 1_000_000_000) as _),
        };
        rustix::fs::Timespec { tv_sec, tv_nsec }
    }
}
