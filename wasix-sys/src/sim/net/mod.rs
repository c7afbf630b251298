//! The simulator half of `wasix::net`: sockets over real host sockets (TCP and UDP, IPv4 and IPv6), and
//! name resolution through the host's resolver. One file per concern, as the safe module will have them:
//! [`socket`] (open, bind, listen, accept, connect, shutdown, status, addresses), [`io`] (receiving and
//! sending, `sock_send_file`), [`options`], [`multicast`], [`addr`] (the seed's address records) and
//! [`resolve`].
//!
//! # Sockets as fds
//! A socket is an fd of kind `Kind::Socket`: its own host socket (close-on-exec, blocking unless asked), its
//! family, type and protocol, and the state `sock_status` reports. `fd_read`, `fd_write` (`PIPE` after a
//! shutdown, never a SIGPIPE), `fd_close`, `fd_fdstat_get` (file type `socket_stream` or `socket_dgram`),
//! `fd_fdstat_set_flags` (`NONBLOCK` is the host socket's `O_NONBLOCK`, so a call that would block is
//! `AGAIN`), `fd_filestat_get`, `fd_dup`, `fd_renumber` and `poll_oneoff` (through the host poller) work on
//! it as on a pipe. A socket never holds the rights of the calls for files (`fd_seek`, `fd_pread`, …:
//! `NOTCAPABLE`), and is no directory for the path calls (`NOTDIR`). A socket call on an fd that is not a
//! socket is `NOTSOCK`, before any rights are looked at.
//!
//! Rights: a socket from `sock_open` gets [`rights::SOCKET`](super::rights::SOCKET), base and inheriting:
//! `fd_read`, `fd_write`, `poll_fd_readwrite`, `fd_fdstat_set_flags`, `fd_filestat_get` and every `sock_*`
//! right; one from `sock_accept` the same within the listener's inheriting rights. Each call needs what
//! `seed::needs::SOCKET_TABLE` says.
//!
//! # What `sock_open` makes
//! `address_family::inet4` and `inet6` only: `unix` is `AFNOSUPPORT`, since the seed's `addr_unix` holds 16
//! bytes, too few for a socket path, and no call takes a path (Wasmer refuses these addresses too);
//! `unspec` is `AFNOSUPPORT` as well, an unknown family `INVAL`. Types `socket_stream` and `socket_dgram`;
//! `socket_raw` and `socket_seqpacket` are `NOTSUP` (raw sockets need host privileges, IP has no
//! sequenced-packet protocol), an unknown type `INVAL`. Protocols `ip` (the type's default), `tcp` and `udp`
//! (a protocol that does not fit the type is the host's `PROTONOSUPPORT`); any other named protocol is
//! `PROTONOSUPPORT`, an unnamed value `INVAL`.
//!
//! # Status
//! `sock_status` is `opening` for a socket that has no local address yet and while a non-blocking
//! connection is in progress (`sock_connect` returned `INPROGRESS`), `opened` once it has one (bound, by
//! `sock_bind` or implicitly by a connection, `sock_listen` or a first datagram), `failed` when its last
//! connection attempt failed (`sock_get_opt_size(last_error)` says why), and `closed` once both directions
//! are shut down.
//!
//! # Blocking and timeouts
//! Calls block as the host's do unless the fd is `NONBLOCK`. `recv_timeout` and `send_timeout` are the host
//! socket's (a receive or send that times out is `AGAIN`, as on POSIX; the host keeps them in its clock
//! ticks, so one reads back rounded up by a few milliseconds); `connect_timeout` and
//! `accept_timeout` are kept by the simulator and bound a blocking `sock_connect` or `sock_accept`
//! (`TIMEDOUT`; a connection that timed out leaves the socket `failed`).
//!
//! # Options
//! | option | `_flag` | `_time` | `_size` | host option |
//! |---|---|---|---|---|
//! | `noop` | set: nothing; get: false | set: nothing; get: none | set: nothing; get: 0 | — |
//! | `reuse_port` | ✓ | | | `SO_REUSEPORT` |
//! | `reuse_addr` | ✓ | | | `SO_REUSEADDR` |
//! | `no_delay` | ✓ | | | `TCP_NODELAY` |
//! | `dont_route` | ✓ | | | `SO_DONTROUTE` |
//! | `only_v6` | ✓ | | | `IPV6_V6ONLY` |
//! | `broadcast` | ✓ | | | `SO_BROADCAST` |
//! | `multicast_loop_v4` | ✓ | | | `IP_MULTICAST_LOOP` |
//! | `multicast_loop_v6` | ✓ | | | `IPV6_MULTICAST_LOOP` |
//! | `promiscuous` | `NOTSUP` | | | (needs a raw packet socket and host privileges) |
//! | `listening` | get only | | | `SO_ACCEPTCONN` |
//! | `keep_alive` | ✓ | | | `SO_KEEPALIVE` |
//! | `oob_inline` | ✓ | | | `SO_OOBINLINE` |
//! | `linger` | | ✓ (whole seconds, rounded up) | | `SO_LINGER` |
//! | `recv_timeout` | | ✓ (microseconds, rounded up) | | `SO_RCVTIMEO` |
//! | `send_timeout` | | ✓ (microseconds, rounded up) | | `SO_SNDTIMEO` |
//! | `connect_timeout` | | ✓ | | kept by the simulator |
//! | `accept_timeout` | | ✓ | | kept by the simulator |
//! | `recv_buf_size` | | | ✓ (the host reports what it allocated: Linux doubles it) | `SO_RCVBUF` |
//! | `send_buf_size` | | | ✓ (likewise) | `SO_SNDBUF` |
//! | `recv_lowat` | | | ✓ | `SO_RCVLOWAT` |
//! | `send_lowat` | | | ✓ (Linux cannot set it: `NOPROTOOPT`) | `SO_SNDLOWAT` |
//! | `ttl` | | | ✓ | `IP_TTL`, `IPV6_UNICAST_HOPS` on IPv6 |
//! | `multicast_ttl_v4` | | | ✓ | `IP_MULTICAST_TTL` |
//! | `type` | | | get only: the `sock_type` value | `SO_TYPE` |
//! | `proto` | | | get only: the `sock_proto` value (`tcp`, `udp`) | `SO_PROTOCOL` |
//! | `last_error` | | | get only: the pending `errno` value (0: none) | `SO_ERROR` |
//!
//! An option used with a function of another column, setting a get-only option, and an unknown option are
//! `INVAL`; so are a flag other than 0 or 1, an `option_timestamp` with an unknown tag, `some(0)` for the
//! host's timeouts (use `none` to turn them off) and a size the host option cannot hold. The host's answer
//! passes through otherwise (`only_v6` on an IPv4 socket is `NOPROTOOPT`, `no_delay` on UDP `NOTSUP`).
//!
//! # Receiving and sending
//! `riflags::recv_peek` and `recv_waitall` are the host's `MSG_PEEK` and `MSG_WAITALL`;
//! `recv_data_truncated` asks for what datagrams do anyway (the rest of a datagram longer than the buffers
//! is dropped), and `roflags::recv_data_truncated` reports that it was. Unknown `riflags` bits are `INVAL`;
//! the seed names no `siflags`, so any bit set is `INVAL`. `sock_send_file` sends from a file at an offset
//! without moving the file's own offset; on a blocking socket it returns once `count` bytes are sent or the
//! file ends.
//!
//! # Network policy
//! [`Config::network`](super::Config::network) says what an instance may reach (see
//! [`Network`](super::Network)): the host's network (the default instance, as `wasmer run --net`), only
//! loopback (the default of `Config::new`, for tests), or nothing. Checked before the host sees an address.
//!
//! # The virtual LAN
//! Instances bridged to the same network (`port_bridge`) reach each other at the addresses on their ports
//! (see `sim/port/lan.rs`): [`bind_lan`] and [`route`] map virtual addresses to loopback sockets, [`shown`]
//! maps them back for the addresses reported.

pub(crate) mod addr;
pub(crate) mod io;
pub(crate) mod multicast;
pub(crate) mod options;
pub(crate) mod resolve;
pub(crate) mod socket;

use super::fdtable::{Entry, Kind};
use super::port::lan::{Lan, Proto};
use super::state::State;
use super::Network;
use crate::seed::needs::Need;
use crate::{Errno, Fd};
use socket::Socket;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// The socket of an fd: `BADF` if it is not open, `NOTSOCK` if it is no socket, `NOTCAPABLE` without
/// `need`. The entry is returned with it, so the fd's description stays alive while the call uses it.
pub(crate) fn socket_fd(s: &State, fd: Fd, need: Need) -> Result<Arc<Entry>, Errno> {
    let entry = s.fds.get(fd)?;
    if !matches!(entry.kind(), Kind::Socket(_)) {
        return Err(Errno::NOTSOCK);
    }
    entry.require(need)?;
    Ok(entry)
}

/// The socket of an entry [`socket_fd`] returned.
pub(crate) fn socket_of(entry: &Entry) -> &Socket {
    match entry.kind() {
        Kind::Socket(sock) => sock,
        _ => unreachable!("socket_fd returns only sockets"),
    }
}

/// Whether `ip` is a loopback address (an IPv4-mapped IPv6 one included).
fn is_loopback(ip: IpAddr) -> bool {
    ip.to_canonical().is_loopback()
}

/// The address to bind to under the instance's policy: `NOTSUP` without a network; with loopback only, the
/// unspecified address becomes the family's loopback address and any other non-loopback one is `ACCES`.
pub(crate) fn bind_address(s: &State, mut a: SocketAddr) -> Result<SocketAddr, Errno> {
    match s.network {
        Network::None => Err(Errno::NOTSUP),
        Network::Host => Ok(a),
        Network::Loopback => {
            if a.ip().is_unspecified() {
                a.set_ip(loopback_of(a));
                Ok(a)
            } else if is_loopback(a.ip()) {
                Ok(a)
            } else {
                Err(Errno::ACCES)
            }
        }
    }
}

/// Whether the instance's policy lets a socket reach `a`: `NOTSUP` without a network, `NETUNREACH` for a
/// non-loopback address with loopback only.
pub(crate) fn reach(s: &State, a: SocketAddr) -> Result<(), Errno> {
    match s.network {
        Network::None => Err(Errno::NOTSUP),
        Network::Host => Ok(()),
        Network::Loopback if is_loopback(a.ip()) => Ok(()),
        Network::Loopback => Err(Errno::NETUNREACH),
    }
}

/// The loopback address of `a`'s family.
fn loopback_of(a: SocketAddr) -> IpAddr {
    match a {
        SocketAddr::V4(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
        SocketAddr::V6(_) => IpAddr::V6(Ipv6Addr::LOCALHOST),
    }
}

/// Under a loopback-only policy, binds a socket that has no local address yet to its family's loopback
/// address (any port), before a call that would bind it to every interface (`listen`, a first datagram).
pub(crate) fn bind_loopback_if_unbound(s: &State, sock: &Socket) -> Result<(), Errno> {
    if s.network != Network::Loopback || sock.bound.load(Ordering::Relaxed) {
        return Ok(());
    }
    let local = addr::from_host(rustix::net::getsockname(&sock.fd).map_err(super::errno::from_host)?)?;
    if local.port() == 0 && local.ip().is_unspecified() {
        let ip = loopback_of(local);
        rustix::net::bind(&sock.fd, &SocketAddr::new(ip, 0)).map_err(super::errno::from_host)?;
    }
    // A socket keeps its local address: later sends need not ask again.
    sock.bound.store(true, Ordering::Relaxed);
    Ok(())
}

/// The virtual LAN the instance's port is on, when bridged (one relaxed load when it is not).
fn lan(s: &State) -> Option<Lan> {
    if !s.port.bridged() {
        return None;
    }
    let port = s.port.state();
    let bridge = port.bridge.as_ref()?;
    let mut key = bridge.network.clone();
    key.push(0);
    key.extend_from_slice(&bridge.token);
    Some(Lan { switch: s.switch.clone(), key: key.into(), addrs: port.addrs.clone() })
}

fn proto_of(sock: &Socket) -> Proto {
    if sock.socktype == crate::SockType::SOCKET_STREAM {
        Proto::Tcp
    } else {
        Proto::Udp
    }
}

/// Binds `sock` on the host to loopback (any port) and maps it on `lan` at `virts` and `port` (the host's
/// port for 0); it reports `local` (one of them, or the unspecified address) as its own.
fn bind_on_lan(lan: &Lan, sock: &Socket, local: IpAddr, virts: Vec<IpAddr>, port: u16) -> Result<(), Errno> {
    let loopback = if virts[0].is_ipv4() && sock.family == crate::AddressFamily::INET4 {
        IpAddr::V4(Ipv4Addr::LOCALHOST)
    } else if sock.family == crate::AddressFamily::INET6 {
        IpAddr::V6(Ipv6Addr::LOCALHOST)
    } else {
        return Err(Errno::AFNOSUPPORT);
    };
    rustix::net::bind(&sock.fd, &SocketAddr::new(loopback, 0)).map_err(super::errno::from_host)?;
    let real = addr::from_host(rustix::net::getsockname(&sock.fd).map_err(super::errno::from_host)?)?;
    let port = if port == 0 { real.port() } else { port };
    let local = SocketAddr::new(local, port);
    let virts = virts.into_iter().map(|ip| SocketAddr::new(ip, port)).collect();
    let binding = lan.bind(proto_of(sock), local, virts, real)?;
    sock.bound.store(true, Ordering::Relaxed);
    sock.lan.set(binding).map_err(|_| Errno::INVAL)
}

/// `sock_bind` of `a` on the virtual LAN, if `a` is one of the port's addresses (or the unspecified
/// address while it has addresses of that family); `None` when the LAN has nothing to do with it.
pub(crate) fn bind_lan(s: &State, sock: &Socket, a: SocketAddr) -> Option<Result<(), Errno>> {
    let lan = lan(s)?;
    let ip = a.ip().to_canonical();
    let virts = if ip.is_unspecified() { lan.addresses_like(ip) } else { vec![ip] };
    if virts.is_empty() || !(ip.is_unspecified() || lan.owns(ip)) {
        return None;
    }
    Some(bind_on_lan(&lan, sock, ip, virts, a.port()))
}

/// Where traffic for `to` goes.
pub(crate) enum Route {
    /// Not on the LAN: to `to` itself, under the network policy.
    Direct,
    /// On the LAN, to this host address.
    Lan(SocketAddr),
    /// On the LAN, but nothing answers there.
    Nowhere,
}

/// Where `sock`'s traffic for `to` goes (see [`Route`]); a socket not bound yet that sends on the LAN is
/// bound there first (at the port's first address of that family).
pub(crate) fn route(s: &State, sock: &Socket, to: SocketAddr) -> Result<Route, Errno> {
    let Some(lan) = lan(s) else { return Ok(Route::Direct) };
    if !lan.covers(to.ip()) {
        return Ok(Route::Direct);
    }
    if sock.lan.get().is_none() {
        let local = addr::from_host(rustix::net::getsockname(&sock.fd).map_err(super::errno::from_host)?)?;
        if local.port() != 0 {
            // Bound on the host outside the LAN: its traffic cannot enter it.
            return Err(Errno::NETUNREACH);
        }
        let Some(&first) = lan.addresses_like(to.ip()).first() else { return Err(Errno::NETUNREACH) };
        bind_on_lan(&lan, sock, first, vec![first], 0)?;
    }
    Ok(match lan.lookup(proto_of(sock), to) {
        Some(real) => Route::Lan(real),
        None => Route::Nowhere,
    })
}

/// The address to report for host address `real` seen by `sock` (a peer's or its own): the virtual one
/// when `sock` is on the LAN and `real` has one.
#[inline]
pub(crate) fn shown(sock: &Socket, real: SocketAddr) -> SocketAddr {
    match sock.lan.get() {
        None => real,
        Some(binding) => binding.virtual_of(real).unwrap_or(real),
    }
}
