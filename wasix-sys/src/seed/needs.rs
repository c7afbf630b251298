//! Which rights each call needs of its fd, as the seed's `rights` docs say: one [`Need`] per call (and per
//! fd, for the calls taking two), named after the call.
//!
//! Most calls need their namesake right. The seed adds: `fd_pread`/`fd_pwrite` need `fd_seek` besides
//! `fd_read`/`fd_write` ("if `rights::fd_seek` is set, includes the right to invoke `fd_pread`"); `fd_seek`
//! implies `fd_tell`, so [`FD_TELL`] is met by either, and so is an `fd_seek` that leaves the offset where
//! it is ([`fd_seek`]); `path_open` needs more with some flags ([`path_open`], [`path_open_inheriting`]); a poll subscription needs
//! `poll_fd_readwrite` plus the right of the event it waits for ([`poll_oneoff`]). [`TABLE`] lists every
//! fixed rule of the file and stream calls, and
//! [`SOCKET_TABLE`] those of the socket calls, for tests to walk. What a new fd may hold is [`path_open_grants`].

use crate::{Eventtype, Fdflags, Filedelta, Oflags, Rights, Whence};

/// What a call needs of its fd's base rights.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Need {
    /// Every one of these rights.
    All(Rights),
    /// At least one of these rights.
    Any(Rights),
}

impl Need {
    /// Whether base rights `have` meet the need.
    #[inline]
    pub const fn met_by(self, have: Rights) -> bool {
        match self {
            Need::All(r) => have.contains(r),
            Need::Any(r) => have.intersects(r),
        }
    }

    /// The rights the need is about.
    pub const fn rights(self) -> Rights {
        match self {
            Need::All(r) | Need::Any(r) => r,
        }
    }
}

/// One fixed rule of [`TABLE`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// The witx name of the call.
    pub call: &'static str,
    /// The witx name of the fd parameter the rule is about.
    pub fd: &'static str,
    /// What that fd needs.
    pub need: Need,
}

/// Defines the constants and [`TABLE`].
macro_rules! rules {
    ($(#[$tdoc:meta])* $table:ident; $($(#[$doc:meta])* $konst:ident = $call:ident($fd:ident) $kind:ident($($right:ident)|+);)*) => {
        $(
            $(#[$doc])*
            pub const $konst: Need = Need::$kind(Rights::empty()$(.union(Rights::$right))+);
        )*
        $(#[$tdoc])*
        pub const $table: &[Rule] = &[$(Rule { call: stringify!($call), fd: stringify!($fd), need: $konst }),*];
    };
}

rules! {
    /// Every fixed rule of the file and stream calls, in witx order of the calls.
    TABLE;
    /// `fd_advise`.
    FD_ADVISE = fd_advise(fd) All(FD_ADVISE);
    /// `fd_allocate`.
    FD_ALLOCATE = fd_allocate(fd) All(FD_ALLOCATE);
    /// `fd_datasync`.
    FD_DATASYNC = fd_datasync(fd) All(FD_DATASYNC);
    /// `fd_fdstat_set_flags`.
    FD_FDSTAT_SET_FLAGS = fd_fdstat_set_flags(fd) All(FD_FDSTAT_SET_FLAGS);
    /// `fd_filestat_get`.
    FD_FILESTAT_GET = fd_filestat_get(fd) All(FD_FILESTAT_GET);
    /// `fd_filestat_set_size`.
    FD_FILESTAT_SET_SIZE = fd_filestat_set_size(fd) All(FD_FILESTAT_SET_SIZE);
    /// `fd_filestat_set_times`.
    FD_FILESTAT_SET_TIMES = fd_filestat_set_times(fd) All(FD_FILESTAT_SET_TIMES);
    /// `fd_pread`: reading at an offset needs `fd_seek` too.
    FD_PREAD = fd_pread(fd) All(FD_READ | FD_SEEK);
    /// `fd_pwrite`: writing at an offset needs `fd_seek` too.
    FD_PWRITE = fd_pwrite(fd) All(FD_WRITE | FD_SEEK);
    /// `fd_read`.
    FD_READ = fd_read(fd) All(FD_READ);
    /// `fd_readdir`.
    FD_READDIR = fd_readdir(fd) All(FD_READDIR);
    /// `fd_sync`.
    FD_SYNC = fd_sync(fd) All(FD_SYNC);
    /// `fd_tell`: `fd_tell`, or `fd_seek`, which implies it.
    FD_TELL = fd_tell(fd) Any(FD_TELL | FD_SEEK);
    /// `fd_write`.
    FD_WRITE = fd_write(fd) All(FD_WRITE);
    /// `path_create_directory`.
    PATH_CREATE_DIRECTORY = path_create_directory(fd) All(PATH_CREATE_DIRECTORY);
    /// `path_filestat_get`.
    PATH_FILESTAT_GET = path_filestat_get(fd) All(PATH_FILESTAT_GET);
    /// `path_filestat_set_times`.
    PATH_FILESTAT_SET_TIMES = path_filestat_set_times(fd) All(PATH_FILESTAT_SET_TIMES);
    /// `path_link`, of the source directory.
    PATH_LINK_SOURCE = path_link(old_fd) All(PATH_LINK_SOURCE);
    /// `path_link`, of the target directory.
    PATH_LINK_TARGET = path_link(new_fd) All(PATH_LINK_TARGET);
    /// `path_readlink`.
    PATH_READLINK = path_readlink(fd) All(PATH_READLINK);
    /// `path_remove_directory`.
    PATH_REMOVE_DIRECTORY = path_remove_directory(fd) All(PATH_REMOVE_DIRECTORY);
    /// `path_rename`, of the source directory.
    PATH_RENAME_SOURCE = path_rename(fd) All(PATH_RENAME_SOURCE);
    /// `path_rename`, of the target directory.
    PATH_RENAME_TARGET = path_rename(new_fd) All(PATH_RENAME_TARGET);
    /// `path_symlink`.
    PATH_SYMLINK = path_symlink(fd) All(PATH_SYMLINK);
    /// `path_unlink_file`.
    PATH_UNLINK_FILE = path_unlink_file(fd) All(PATH_UNLINK_FILE);
}

rules! {
    /// Every fixed rule of the socket calls, in witx order of the calls: each needs the `sock_*` right
    /// named after it, and the calls that move data need `fd_read` or `fd_write` too, which the seed calls
    /// "the right to invoke `fd_read` and `sock_recv`" ("`fd_write` and `sock_send`"). `sock_status`, the
    /// options and the multicast groups have no right of their own and need none.
    SOCKET_TABLE;
    /// `sock_shutdown`.
    SOCK_SHUTDOWN = sock_shutdown(fd) All(SOCK_SHUTDOWN);
    /// `sock_addr_local`.
    SOCK_ADDR_LOCAL = sock_addr_local(fd) All(SOCK_ADDR_LOCAL);
    /// `sock_addr_peer`: the right is called `sock_addr_remote`.
    SOCK_ADDR_PEER = sock_addr_peer(fd) All(SOCK_ADDR_REMOTE);
    /// `sock_bind`.
    SOCK_BIND = sock_bind(fd) All(SOCK_BIND);
    /// `sock_listen`.
    SOCK_LISTEN = sock_listen(fd) All(SOCK_LISTEN);
    /// `sock_accept`.
    SOCK_ACCEPT = sock_accept(fd) All(SOCK_ACCEPT);
    /// `sock_connect`.
    SOCK_CONNECT = sock_connect(fd) All(SOCK_CONNECT);
    /// `sock_recv`: `sock_recv` and `fd_read`.
    SOCK_RECV = sock_recv(fd) All(SOCK_RECV | FD_READ);
    /// `sock_recv_from`: `sock_recv_from` and `fd_read`.
    SOCK_RECV_FROM = sock_recv_from(fd) All(SOCK_RECV_FROM | FD_READ);
    /// `sock_send`: `sock_send` and `fd_write`.
    SOCK_SEND = sock_send(fd) All(SOCK_SEND | FD_WRITE);
    /// `sock_send_to`: `sock_send_to` and `fd_write`.
    SOCK_SEND_TO = sock_send_to(fd) All(SOCK_SEND_TO | FD_WRITE);
    /// `sock_send_file`, of the socket: as `sock_send`.
    SOCK_SEND_FILE_OUT = sock_send_file(out_fd) All(SOCK_SEND | FD_WRITE);
    /// `sock_send_file`, of the file: reading at an offset, as `fd_pread`.
    SOCK_SEND_FILE_IN = sock_send_file(in_fd) All(FD_READ | FD_SEEK);
}

/// `fd_seek`: moving the offset needs `fd_seek`; asking where it is (`whence::cur`, offset 0) is
/// [`FD_TELL`]'s need.
#[inline]
pub fn fd_seek(offset: Filedelta, whence: Whence) -> Need {
    if offset == 0 && whence == Whence::CUR {
        FD_TELL
    } else {
        Need::All(Rights::FD_SEEK)
    }
}

/// `path_open`, of the directory's base rights: `path_open`, plus `path_create_file` for `oflags::creat`
/// and `path_filestat_set_size` for `oflags::trunc`. The synchronisation flags are asked of its inheriting
/// rights ([`path_open_inheriting`]).
pub fn path_open(oflags: Oflags) -> Need {
    let mut r = Rights::PATH_OPEN;
    r.set(Rights::PATH_CREATE_FILE, oflags.contains(Oflags::CREAT));
    r.set(Rights::PATH_FILESTAT_SET_SIZE, oflags.contains(Oflags::TRUNC));
    Need::All(r)
}

/// `path_open`, of the directory's inheriting rights: `fd_datasync` for `fdflags::dsync`, `fd_sync` for
/// `fdflags::rsync` or `fdflags::sync`. The seed's words ("if `path_open` is set, includes the right to
/// invoke `path_open` with `fdflags::dsync`") leave open which set of the directory holds them; preview1
/// hosts ask the rights the new fd could inherit, so programs that ask for reading and writing only still
/// open a file with `O_SYNC`, and so does this rule.
pub fn path_open_inheriting(fdflags: Fdflags) -> Need {
    let mut r = Rights::empty();
    r.set(Rights::FD_DATASYNC, fdflags.contains(Fdflags::DSYNC));
    r.set(Rights::FD_SYNC, fdflags.intersects(Fdflags::RSYNC | Fdflags::SYNC));
    Need::All(r)
}

/// The rights of the fd `path_open` opens: those asked for (base and inheriting), never more than the
/// inheriting rights of the directory fd the caller passed, whatever directory the path is finally
/// resolved in (a host may narrow them further to what the file's type can use).
#[inline]
pub const fn path_open_grants(base: Rights, inheriting: Rights, dir_inheriting: Rights) -> (Rights, Rights) {
    (base.intersection(dir_inheriting), inheriting.intersection(dir_inheriting))
}

/// `poll_oneoff`, of a subscription's fd: `poll_fd_readwrite` plus `fd_read` for `eventtype::fd_read` or
/// `fd_write` for `eventtype::fd_write`; `None` for other event types, which have no fd.
pub fn poll_oneoff(r#type: Eventtype) -> Option<Need> {
    let event = match r#type {
        Eventtype::FD_READ => Rights::FD_READ,
        Eventtype::FD_WRITE => Rights::FD_WRITE,
        _ => return None,
    };
    Some(Need::All(event.union(Rights::POLL_FD_READWRITE)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_needs_every_right_and_any_one_of_them() {
        assert!(FD_PREAD.met_by(Rights::FD_READ | Rights::FD_SEEK | Rights::FD_WRITE));
        assert!(!FD_PREAD.met_by(Rights::FD_SEEK));
        assert!(FD_TELL.met_by(Rights::FD_TELL) && FD_TELL.met_by(Rights::FD_SEEK));
        assert!(!FD_TELL.met_by(Rights::FD_READ));
    }

    #[test]
    fn seeking_nowhere_is_telling() {
        assert_eq!(fd_seek(0, Whence::CUR), FD_TELL);
        assert_eq!(fd_seek(0, Whence::SET), Need::All(Rights::FD_SEEK));
        assert_eq!(fd_seek(-1, Whence::CUR), Need::All(Rights::FD_SEEK));
    }

    #[test]
    fn open_flags_add_their_rights() {
        let need = path_open(Oflags::CREAT | Oflags::TRUNC);
        let all = Rights::PATH_OPEN | Rights::PATH_CREATE_FILE | Rights::PATH_FILESTAT_SET_SIZE;
        assert_eq!(need, Need::All(all));
        assert_eq!(
            path_open_inheriting(Fdflags::SYNC | Fdflags::DSYNC),
            Need::All(Rights::FD_SYNC | Rights::FD_DATASYNC)
        );
        assert_eq!(poll_oneoff(Eventtype::CLOCK), None);
    }
}
