//! The fd table across a host `exec` (`proc_exec` of a host executable in the default instance): the
//! simulator's fds are its own numbers over host fds, so the table is handed to the new program, when it
//! runs the simulator too, through the environment variable [`FDS_VAR`]. Each fd with a host object
//! (files, directories, pipes, event counters, sockets, inherited stdio) keeps its number, kind, rights
//! and fd flags, its host fd made inheritable; the new program's default instance rebuilds its table from
//! the variable (and drops it from its environment). Fds with no host object (in-memory or null stdio)
//! are not handed over, and fds that shared an open file description come out as separate ones with
//! the same host object (they still share the host's offset, as POSIX `dup`s do). Sockets start with
//! fresh simulator bookkeeping (see `Socket::adopt`).
//!
//! The format: entries separated by `,`, each `fd:kind:host_fd:base:inheriting:flags[:extra]`, with
//! `kind` one of `stdio` (host_fd is 0, 1 or 2), `file` (extra: the filetype), `dir` (extra: the preopen
//! name in hex, or empty), `pipe`, `event`, `socket` (extra: `family.type.proto`).

use super::super::fdtable::{Entry, FdTable, Kind};
use super::super::fs::dir::Directory;
use super::super::net::socket::Socket;
use super::super::state::State;
use super::super::stdio::StdioStream;
use crate::{AddressFamily, Fd, Fdflags, Filetype, Rights, SockProto, SockType};
use std::fmt::Write;
use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd};
use std::sync::Arc;

/// The variable carrying the table.
pub(crate) const FDS_VAR: &str = "WASIX_SIM_FDS";

/// The table of `s`, encoded; every host fd in it is made inheritable (the caller is about to exec).
pub(crate) fn encode(s: &State) -> String {
    let mut out = String::new();
    for (fd, entry) in s.fds.numbered() {
        let (kind, extra) = match entry.kind() {
            Kind::Stdio(StdioStream::Inherit(n)) => ("stdio", n.to_string()),
            Kind::Stdio(_) => continue,
            Kind::File { filetype, .. } => ("file", filetype.raw().to_string()),
            Kind::Dir(d) => ("dir", d.preopen.as_deref().unwrap_or("").bytes().map(|b| format!("{b:02x}")).collect()),
            Kind::Pipe(_) => ("pipe", String::new()),
            Kind::Event(_) => ("event", String::new()),
            Kind::Socket(sock) => {
                ("socket", format!("{}.{}.{}", sock.family.raw(), sock.socktype.raw(), sock.proto.raw()))
            }
            #[allow(unreachable_patterns)]
            _ => continue,
        };
        let Some(host) = entry.kind().host_fd() else { continue };
        if kind != "stdio" && rustix::io::fcntl_setfd(host, rustix::io::FdFlags::empty()).is_err() {
            continue;
        }
        let host = if kind == "stdio" { extra.parse().unwrap_or(0) } else { host.as_raw_fd() };
        let _ = write!(
            out,
            "{}{fd}:{kind}:{host}:{}:{}:{}:{extra}",
            if out.is_empty() { "" } else { "," },
            entry.base().bits(),
            entry.inheriting().bits(),
            entry.desc.flags().bits()
        );
    }
    out
}

/// The table `encoded` describes (entries that do not parse, or whose host fd is not open, are left out).
pub(crate) fn decode(encoded: &str) -> FdTable {
    let table = FdTable::default();
    for item in encoded.split(',') {
        if let Some((fd, entry)) = entry(item) {
            let _ = table.insert_at(fd, entry);
        }
    }
    table
}

fn entry(item: &str) -> Option<(Fd, Entry)> {
    let mut f = item.splitn(7, ':');
    let fd: Fd = f.next()?.parse().ok()?;
    let kind = f.next()?;
    let host: i32 = f.next()?.parse().ok()?;
    let base = Rights::from_bits_retain(f.next()?.parse().ok()?);
    let inheriting = Rights::from_bits_retain(f.next()?.parse().ok()?);
    let flags = Fdflags::from_bits_retain(f.next()?.parse().ok()?);
    let extra = f.next().unwrap_or("");
    if kind == "stdio" {
        let n = u8::try_from(host).ok().filter(|n| *n < 3)?;
        return Some((fd, Entry::new(Kind::Stdio(StdioStream::Inherit(n)), base, inheriting, flags)));
    }
    // The host fd must be open (and is this process's from now on).
    // SAFETY: only asked for its flags; a number that is not open is an error, not a use.
    rustix::io::fcntl_getfd(unsafe { std::os::fd::BorrowedFd::borrow_raw(host) }).ok()?;
    // SAFETY: the host fd was handed over by the program this one replaced, for this table alone.
    let owned = unsafe { OwnedFd::from_raw_fd(host) };
    let _ = rustix::io::fcntl_setfd(owned.as_fd(), rustix::io::FdFlags::CLOEXEC);
    let kind = match kind {
        "file" => Kind::File { fd: owned, filetype: Filetype::from_raw(extra.parse().ok()?) },
        "pipe" => Kind::Pipe(owned),
        "event" => Kind::Event(owned),
        "dir" => {
            let name = (0..extra.len() / 2)
                .map(|i| u8::from_str_radix(extra.get(2 * i..2 * i + 2)?, 16).ok())
                .collect::<Option<Vec<u8>>>()?;
            let name = (!name.is_empty()).then(|| String::from_utf8(name).ok()).flatten();
            Kind::Dir(Arc::new(Directory::new(cap_std::fs::Dir::from_std_file(std::fs::File::from(owned)), name)))
        }
        "socket" => {
            let mut p = extra.split('.');
            let family = AddressFamily::from_raw(p.next()?.parse().ok()?);
            let socktype = SockType::from_raw(p.next()?.parse().ok()?);
            let proto = SockProto::from_raw(p.next()?.parse().ok()?);
            Kind::Socket(Box::new(Socket::adopt(owned, family, socktype, proto)))
        }
        _ => return None,
    };
    Some((fd, Entry::new(kind, base, inheriting, flags)))
}
