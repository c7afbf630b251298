//! A socket's life (the simulator half of `wasix::net::socket`): `sock_open`, `sock_bind`, `sock_listen`,
//! `sock_accept`, `sock_connect`, `sock_shutdown`, `sock_status`, `sock_addr_local` and `sock_addr_peer`,
//! and [`Socket`], what an fd of kind `Kind::Socket` holds. The rules are the module docs' (`sim/net`).

use super::super::errno::from_host;
use super::super::fdtable::{Entry, Kind};
use super::super::{mem, rights, state, status};
use super::{addr, bind_address, bind_loopback_if_unbound, reach, socket_fd, socket_of};
use crate::seed::needs;
use crate::{AddrPort, AddressFamily, Errno, Fd, Fdflags, Filetype, Sdflags, Size, SockProto, SockStatus, SockType};
use rustix::event::{PollFd, PollFlags};
use rustix::net::{AddressFamily as HostFamily, Shutdown, SocketFlags, SocketType};
use std::os::fd::{AsFd, OwnedFd};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// Where a socket's connection stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Progress {
    /// No connection attempt pending or failed.
    Idle,
    /// A non-blocking connection is in progress.
    Connecting,
    /// The last connection attempt failed.
    Failed(Errno),
}

/// What the simulator keeps of a socket beside the host's: the state `sock_status` reports.
#[derive(Debug)]
struct Track {
    progress: Progress,
    shut: Sdflags,
}

/// `u64::MAX` in a timeout slot: no timeout.
const NO_TIMEOUT: u64 = u64::MAX;

/// A host socket and what the simulator keeps beside it.
#[derive(Debug)]
pub(crate) struct Socket {
    pub fd: OwnedFd,
    /// `inet4` or `inet6`.
    pub family: AddressFamily,
    /// `socket_stream` or `socket_dgram`.
    pub socktype: SockType,
    /// `tcp` or `udp`.
    pub proto: SockProto,
    track: Mutex<Track>,
    /// Nanoseconds, or [`NO_TIMEOUT`].
    connect_timeout: AtomicU64,
    accept_timeout: AtomicU64,
    /// Known to have a local address (it keeps one once it has one), so a send need not ask the host.
    pub(crate) bound: AtomicBool,
    /// Its place on the virtual LAN, once bound there (`sim/port/lan.rs`).
    pub(crate) lan: std::sync::OnceLock<super::super::port::lan::Binding>,
}

/// Which of the simulator's own timeouts.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Timeout {
    Connect,
    Accept,
}

impl Socket {
    /// A socket taken over from a host fd (a `proc_exec` handover): its own bookkeeping starts afresh
    /// (no connect in progress, no connect or accept timeout), and it counts as bound.
    pub(crate) fn adopt(fd: OwnedFd, family: AddressFamily, socktype: SockType, proto: SockProto) -> Self {
        let socket = Socket::new(fd, family, socktype, proto);
        socket.bound.store(true, std::sync::atomic::Ordering::Relaxed);
        socket
    }

    fn new(fd: OwnedFd, family: AddressFamily, socktype: SockType, proto: SockProto) -> Self {
        Socket {
            fd,
            family,
            socktype,
            proto,
            track: Mutex::new(Track { progress: Progress::Idle, shut: Sdflags::empty() }),
            connect_timeout: AtomicU64::new(NO_TIMEOUT),
            bound: AtomicBool::new(false),
            lan: std::sync::OnceLock::new(),
            accept_timeout: AtomicU64::new(NO_TIMEOUT),
        }
    }

    /// The WASIX file type.
    pub fn filetype(&self) -> Filetype {
        if self.socktype == SockType::SOCKET_STREAM {
            Filetype::SOCKET_STREAM
        } else {
            Filetype::SOCKET_DGRAM
        }
    }

    fn track(&self) -> std::sync::MutexGuard<'_, Track> {
        self.track.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn set_progress(&self, p: Progress) {
        self.track().progress = p;
    }

    /// One of the simulator's timeouts.
    pub fn timeout(&self, which: Timeout) -> Option<Duration> {
        let slot = match which {
            Timeout::Connect => &self.connect_timeout,
            Timeout::Accept => &self.accept_timeout,
        };
        match slot.load(Ordering::Relaxed) {
            NO_TIMEOUT => None,
            ns => Some(Duration::from_nanos(ns)),
        }
    }

    /// Sets one of the simulator's timeouts (`None`: none; `u64::MAX` nanoseconds is none too).
    pub fn set_timeout(&self, which: Timeout, ns: Option<u64>) {
        let slot = match which {
            Timeout::Connect => &self.connect_timeout,
            Timeout::Accept => &self.accept_timeout,
        };
        slot.store(ns.unwrap_or(NO_TIMEOUT), Ordering::Relaxed);
    }

    /// What `last_error` reports: the host's pending error (taking it, as `SO_ERROR` does; a connection in
    /// progress that it ends is then failed), else the error of the last failed connection.
    pub fn last_error(&self) -> Result<Option<Errno>, Errno> {
        let mut track = self.track();
        match rustix::net::sockopt::socket_error(&self.fd).map_err(from_host)? {
            Err(e) => {
                let e = from_host(e);
                if track.progress == Progress::Connecting {
                    track.progress = Progress::Failed(e);
                }
                Ok(Some(e))
            }
            Ok(()) => Ok(match track.progress {
                Progress::Failed(e) => Some(e),
                _ => None,
            }),
        }
    }

    /// The status `sock_status` reports (see the module docs).
    fn status(&self) -> Result<SockStatus, Errno> {
        let mut track = self.track();
        if track.shut.contains(Sdflags::RD | Sdflags::WR) {
            return Ok(SockStatus::CLOSED);
        }
        if track.progress == Progress::Connecting {
            let mut p = [PollFd::new(&self.fd, PollFlags::OUT)];
            let zero = rustix::time::Timespec { tv_sec: 0, tv_nsec: 0 };
            match rustix::event::poll(&mut p, Some(&zero)) {
                Ok(0) | Err(rustix::io::Errno::INTR) => return Ok(SockStatus::OPENING),
                Ok(_) => {}
                Err(e) => return Err(from_host(e)),
            }
            track.progress = match rustix::net::sockopt::socket_error(&self.fd).map_err(from_host)? {
                Ok(()) => Progress::Idle,
                Err(e) => Progress::Failed(from_host(e)),
            };
        }
        if let Progress::Failed(_) = track.progress {
            return Ok(SockStatus::FAILED);
        }
        let local = addr::from_host(rustix::net::getsockname(&self.fd).map_err(from_host)?)?;
        Ok(if local.port() == 0 { SockStatus::OPENING } else { SockStatus::OPENED })
    }
}

/// Whether a host error of `connect` is the connection's failure (rather than a refused argument or a
/// connection already under way).
fn fails_the_connection(e: Errno) -> bool {
    !matches!(e, Errno::INVAL | Errno::AFNOSUPPORT | Errno::ALREADY | Errno::ISCONN | Errno::INTR | Errno::BADF)
}

pub(crate) unsafe fn sock_open(af: AddressFamily, socktype: SockType, sock_proto: SockProto, ret: *mut Fd) -> Errno {
    status(state::with(|s| {
        let family = match af {
            AddressFamily::INET4 => HostFamily::INET,
            AddressFamily::INET6 => HostFamily::INET6,
            AddressFamily::UNSPEC | AddressFamily::UNIX => return Err(Errno::AFNOSUPPORT),
            _ => return Err(Errno::INVAL),
        };
        let host_type = match socktype {
            SockType::SOCKET_STREAM => SocketType::STREAM,
            SockType::SOCKET_DGRAM => SocketType::DGRAM,
            SockType::SOCKET_RAW | SockType::SOCKET_SEQPACKET => return Err(Errno::NOTSUP),
            _ => return Err(Errno::INVAL),
        };
        let protocol = match sock_proto {
            SockProto::IP => None,
            SockProto::TCP => Some(rustix::net::ipproto::TCP),
            SockProto::UDP => Some(rustix::net::ipproto::UDP),
            p if p.name().is_some() => return Err(Errno::PROTONOSUPPORT),
            _ => return Err(Errno::INVAL),
        };
        if ret.is_null() {
            return Err(Errno::FAULT);
        }
        let fd = rustix::net::socket_with(family, host_type, SocketFlags::CLOEXEC, protocol).map_err(from_host)?;
        let proto = if socktype == SockType::SOCKET_STREAM { SockProto::TCP } else { SockProto::UDP };
        let sock = Socket::new(fd, af, socktype, proto);
        let new =
            s.fds.insert(Entry::new(Kind::Socket(Box::new(sock)), rights::SOCKET, rights::SOCKET, Fdflags::empty()))?;
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, new) }.inspect_err(|_| drop(s.fds.remove(new)))
    }))
}

pub(crate) unsafe fn sock_bind(fd: Fd, addr: *const AddrPort) -> Errno {
    status(state::with(|s| {
        let entry = socket_fd(s, fd, needs::SOCK_BIND)?;
        // SAFETY: in-pointer per the ABI contract.
        let a = addr::from_addr_port(&unsafe { mem::read(addr)? })?;
        if let Some(on_lan) = super::bind_lan(s, socket_of(&entry), a) {
            return on_lan;
        }
        let a = bind_address(s, a)?;
        rustix::net::bind(&socket_of(&entry).fd, &a).map_err(from_host)
    }))
}

pub(crate) unsafe fn sock_listen(fd: Fd, backlog: Size) -> Errno {
    status(state::with(|s| {
        let entry = socket_fd(s, fd, needs::SOCK_LISTEN)?;
        let sock = socket_of(&entry);
        if s.network == super::Network::None {
            return Err(Errno::NOTSUP);
        }
        if sock.socktype != SockType::SOCKET_STREAM {
            return Err(Errno::NOTSUP);
        }
        bind_loopback_if_unbound(s, sock)?;
        // The host caps the backlog (at `somaxconn`); 0 is the smallest queue it keeps.
        rustix::net::listen(&sock.fd, i32::try_from(backlog).unwrap_or(i32::MAX)).map_err(from_host)
    }))
}

/// Waits until `sock` is ready for `flags` or `timeout` passes (`TIMEDOUT`).
fn wait_for(sock: &Socket, flags: PollFlags, timeout: Duration) -> Result<(), Errno> {
    let ts = rustix::time::Timespec {
        tv_sec: i64::try_from(timeout.as_secs()).unwrap_or(i64::MAX),
        tv_nsec: timeout.subsec_nanos().into(),
    };
    let mut p = [PollFd::new(&sock.fd, flags)];
    match rustix::event::poll(&mut p, Some(&ts)).map_err(from_host)? {
        0 => Err(Errno::TIMEDOUT),
        _ => Ok(()),
    }
}

pub(crate) unsafe fn sock_accept(fd: Fd, flags: Fdflags, ret0: *mut Fd, ret1: *mut AddrPort) -> Errno {
    status(state::with(|s| {
        let entry = socket_fd(s, fd, needs::SOCK_ACCEPT)?;
        let sock = socket_of(&entry);
        if !Fdflags::NONBLOCK.contains(flags) {
            return Err(Errno::INVAL);
        }
        if ret0.is_null() || ret1.is_null() {
            return Err(Errno::FAULT);
        }
        if let (false, Some(t)) = (entry.desc.flags().contains(Fdflags::NONBLOCK), sock.timeout(Timeout::Accept)) {
            wait_for(sock, PollFlags::IN, t)?;
        }
        let mut host_flags = SocketFlags::CLOEXEC;
        host_flags.set(SocketFlags::NONBLOCK, flags.contains(Fdflags::NONBLOCK));
        let (new, peer) = rustix::net::acceptfrom_with(&sock.fd, host_flags).map_err(from_host)?;
        let peer = match peer {
            Some(p) => addr::from_host(p)?,
            None => addr::from_host(rustix::net::getpeername(&new).map_err(from_host)?.ok_or(Errno::NOTCONN)?)?,
        };
        let peer = super::shown(sock, peer);
        let accepted = Socket::new(new, sock.family, sock.socktype, sock.proto);
        if let Some(listener) = sock.lan.get() {
            let _ = accepted.lan.set(listener.accepted());
        }
        let granted = rights::SOCKET & entry.inheriting();
        let new = s.fds.insert(Entry::new(Kind::Socket(Box::new(accepted)), granted, granted, flags))?;
        // SAFETY: out-pointers per the ABI contract (checked non-null above).
        unsafe { mem::write2(ret0, new, ret1, addr::to_addr_port(peer)) }.inspect_err(|_| drop(s.fds.remove(new)))
    }))
}

pub(crate) unsafe fn sock_connect(fd: Fd, addr: *const AddrPort) -> Errno {
    status(state::with(|s| {
        let entry = socket_fd(s, fd, needs::SOCK_CONNECT)?;
        let sock = socket_of(&entry);
        // SAFETY: in-pointer per the ABI contract.
        let a = addr::from_addr_port(&unsafe { mem::read(addr)? })?;
        let a = match super::route(s, sock, a)? {
            super::Route::Direct => {
                reach(s, a)?;
                a
            }
            super::Route::Lan(real) => real,
            super::Route::Nowhere => return Err(Errno::CONNREFUSED),
        };
        let blocking = !entry.desc.flags().contains(Fdflags::NONBLOCK);
        match (blocking, sock.timeout(Timeout::Connect)) {
            (true, Some(t)) => connect_within(&entry, sock, a, t),
            _ => connect(sock, a),
        }
    }))
}

/// A host `connect`, recording how it went.
fn connect(sock: &Socket, a: std::net::SocketAddr) -> Result<(), Errno> {
    match rustix::net::connect(&sock.fd, &a).map_err(from_host) {
        Ok(()) => {
            sock.set_progress(Progress::Idle);
            Ok(())
        }
        Err(Errno::INPROGRESS) => {
            sock.set_progress(Progress::Connecting);
            Err(Errno::INPROGRESS)
        }
        Err(e) => {
            if fails_the_connection(e) {
                sock.set_progress(Progress::Failed(e));
            }
            Err(e)
        }
    }
}

/// A blocking `connect` bounded by `timeout`: made non-blocking for the call, then waited for.
fn connect_within(entry: &Entry, sock: &Socket, a: std::net::SocketAddr, timeout: Duration) -> Result<(), Errno> {
    let mut result = Ok(());
    entry.desc.change_flags(|flags| {
        let host = sock.fd.as_fd();
        let o = rustix::fs::fcntl_getfl(host).map_err(from_host)?;
        rustix::fs::fcntl_setfl(host, o | rustix::fs::OFlags::NONBLOCK).map_err(from_host)?;
        result = connect(sock, a);
        rustix::fs::fcntl_setfl(host, o).map_err(from_host)?;
        Ok(flags)
    })?;
    match result {
        Err(Errno::INPROGRESS) => {}
        other => return other,
    }
    if let Err(e) = wait_for(sock, PollFlags::OUT, timeout) {
        sock.set_progress(Progress::Failed(e));
        return Err(e);
    }
    match rustix::net::sockopt::socket_error(&sock.fd).map_err(from_host)? {
        Ok(()) => {
            sock.set_progress(Progress::Idle);
            Ok(())
        }
        Err(e) => {
            let e = from_host(e);
            sock.set_progress(Progress::Failed(e));
            Err(e)
        }
    }
}

pub(crate) unsafe fn sock_shutdown(fd: Fd, how: Sdflags) -> Errno {
    status(state::with(|s| {
        let entry = socket_fd(s, fd, needs::SOCK_SHUTDOWN)?;
        let sock = socket_of(&entry);
        let host = match how {
            Sdflags::RD => Shutdown::Read,
            Sdflags::WR => Shutdown::Write,
            h if h == Sdflags::RD | Sdflags::WR => Shutdown::Both,
            // No direction, or bits the seed does not name (Wasmer also refuses 0).
            _ => return Err(Errno::INVAL),
        };
        rustix::net::shutdown(&sock.fd, host).map_err(from_host)?;
        sock.track().shut |= how;
        Ok(())
    }))
}

pub(crate) unsafe fn sock_status(fd: Fd, ret: *mut SockStatus) -> Errno {
    status(state::with(|s| {
        let entry = socket_fd(s, fd, needs::Need::All(crate::Rights::empty()))?;
        let st = socket_of(&entry).status()?;
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, st) }
    }))
}

pub(crate) unsafe fn sock_addr_local(fd: Fd, ret: *mut AddrPort) -> Errno {
    status(state::with(|s| {
        let entry = socket_fd(s, fd, needs::SOCK_ADDR_LOCAL)?;
        let sock = socket_of(&entry);
        let local = match sock.lan.get() {
            Some(binding) => binding.local,
            None => addr::from_host(rustix::net::getsockname(&sock.fd).map_err(from_host)?)?,
        };
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, addr::to_addr_port(local)) }
    }))
}

pub(crate) unsafe fn sock_addr_peer(fd: Fd, ret: *mut AddrPort) -> Errno {
    status(state::with(|s| {
        let entry = socket_fd(s, fd, needs::SOCK_ADDR_PEER)?;
        let sock = socket_of(&entry);
        let peer = rustix::net::getpeername(&sock.fd).map_err(from_host)?.ok_or(Errno::NOTCONN)?;
        let peer = super::shown(sock, addr::from_host(peer)?);
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, addr::to_addr_port(peer)) }
    }))
}
