//! Which rights each kind of fd can have.
//!
//! A new fd gets the rights asked for, narrowed to the inheriting rights of the fd it comes from and to
//! the rights its file type can use, as WASI hosts do: a regular file never holds `path_open`, a
//! directory never holds `fd_read`. Event counters get [`STREAM`], sockets [`SOCKET`], pipe ends the half of it for their
//! direction ([`PIPE_READ`], [`PIPE_WRITE`]), inheriting the same. Stdio and preopens get the rights
//! `CONVENTIONS.md` lists (set up in [`super::config`]). Which right each *call* needs is the seed's rule,
//! [`crate::seed::needs`].

use crate::{Filetype, Rights};

/// What a regular file (or a device opened by path) can use.
pub(crate) const FILE: Rights = Rights::FD_DATASYNC
    .union(Rights::FD_READ)
    .union(Rights::FD_SEEK)
    .union(Rights::FD_FDSTAT_SET_FLAGS)
    .union(Rights::FD_SYNC)
    .union(Rights::FD_TELL)
    .union(Rights::FD_WRITE)
    .union(Rights::FD_ADVISE)
    .union(Rights::FD_ALLOCATE)
    .union(Rights::FD_FILESTAT_GET)
    .union(Rights::FD_FILESTAT_SET_SIZE)
    .union(Rights::FD_FILESTAT_SET_TIMES)
    .union(Rights::POLL_FD_READWRITE);

/// What a directory can use.
pub(crate) const DIR: Rights = Rights::FD_DATASYNC
    .union(Rights::FD_FDSTAT_SET_FLAGS)
    .union(Rights::FD_SYNC)
    .union(Rights::FD_ADVISE)
    .union(Rights::PATH_CREATE_DIRECTORY)
    .union(Rights::PATH_CREATE_FILE)
    .union(Rights::PATH_LINK_SOURCE)
    .union(Rights::PATH_LINK_TARGET)
    .union(Rights::PATH_OPEN)
    .union(Rights::FD_READDIR)
    .union(Rights::PATH_READLINK)
    .union(Rights::PATH_RENAME_SOURCE)
    .union(Rights::PATH_RENAME_TARGET)
    .union(Rights::PATH_FILESTAT_GET)
    .union(Rights::PATH_FILESTAT_SET_SIZE)
    .union(Rights::PATH_FILESTAT_SET_TIMES)
    .union(Rights::FD_FILESTAT_GET)
    .union(Rights::FD_FILESTAT_SET_TIMES)
    .union(Rights::PATH_SYMLINK)
    .union(Rights::PATH_REMOVE_DIRECTORY)
    .union(Rights::PATH_UNLINK_FILE)
    .union(Rights::POLL_FD_READWRITE);

/// What fds opened below a directory can inherit.
pub(crate) const DIR_INHERITING: Rights = DIR.union(FILE);

/// What a pipe end or an event counter can use.
pub(crate) const STREAM: Rights = Rights::FD_READ
    .union(Rights::FD_WRITE)
    .union(Rights::FD_FDSTAT_SET_FLAGS)
    .union(Rights::FD_FILESTAT_GET)
    .union(Rights::POLL_FD_READWRITE);

/// The rights of a pipe's read end: [`STREAM`] without `FD_WRITE`.
pub(crate) const PIPE_READ: Rights = STREAM.difference(Rights::FD_WRITE);

/// The rights of a pipe's write end: [`STREAM`] without `FD_READ`.
pub(crate) const PIPE_WRITE: Rights = STREAM.difference(Rights::FD_READ);

/// Stdin's rights: `FD_READ`, `POLL_FD_READWRITE`, `FD_FDSTAT_SET_FLAGS`, `FD_FILESTAT_GET`.
pub(crate) const STDIN: Rights =
    Rights::FD_READ.union(Rights::POLL_FD_READWRITE).union(Rights::FD_FDSTAT_SET_FLAGS).union(Rights::FD_FILESTAT_GET);

/// Stdout's and stderr's rights: [`STDIN`]'s with `FD_WRITE` for `FD_READ`.
pub(crate) const STDOUT: Rights = STDIN.difference(Rights::FD_READ).union(Rights::FD_WRITE);

/// What a socket can use: [`STREAM`] and every `sock_*` right, base and inheriting, for sockets from
/// `sock_open` and (within the listener's inheriting rights) from `sock_accept`.
pub(crate) const SOCKET: Rights = STREAM
    .union(Rights::SOCK_SHUTDOWN)
    .union(Rights::SOCK_ACCEPT)
    .union(Rights::SOCK_CONNECT)
    .union(Rights::SOCK_LISTEN)
    .union(Rights::SOCK_BIND)
    .union(Rights::SOCK_RECV)
    .union(Rights::SOCK_SEND)
    .union(Rights::SOCK_ADDR_LOCAL)
    .union(Rights::SOCK_ADDR_REMOTE)
    .union(Rights::SOCK_RECV_FROM)
    .union(Rights::SOCK_SEND_TO);

/// The base and inheriting rights a file type can use.
pub(crate) fn of_type(filetype: Filetype) -> (Rights, Rights) {
    if filetype == Filetype::DIRECTORY {
        (DIR, DIR_INHERITING)
    } else {
        (FILE, Rights::empty())
    }
}
