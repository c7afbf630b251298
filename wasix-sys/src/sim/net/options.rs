//! Socket options (the simulator half of `wasix::net::options`): `sock_set_opt_flag`, `sock_get_opt_flag`,
//! `sock_set_opt_time`, `sock_get_opt_time`, `sock_set_opt_size` and `sock_get_opt_size`, each option mapped
//! to its host option as the table in the module docs (`sim/net`) says.

use super::super::errno::{from_host, from_io};
use super::super::{mem, state, status};
use super::socket::{Socket, Timeout};
use super::{socket_fd, socket_of};
use crate::seed::needs::Need;
use crate::{AddressFamily, Bool, Errno, Fd, Filesize, OptionTimestamp, Rights, SockOption};
use rustix::net::sockopt;
use std::os::fd::{AsFd, AsRawFd};
use std::time::Duration;

/// The options need no right (the seed has none for them).
const NO_RIGHT: Need = Need::All(Rights::empty());

/// `getsockopt` of an `int` option rustix has no function for.
fn get_int(sock: &Socket, level: i32, name: i32) -> Result<i32, Errno> {
    let mut v: libc::c_int = 0;
    let mut len = size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: `v` and `len` are valid for the host to write an `int` and its length.
    let r = unsafe { libc::getsockopt(sock.fd.as_raw_fd(), level, name, (&raw mut v).cast(), &mut len) };
    if r == 0 {
        Ok(v)
    } else {
        Err(from_io(&std::io::Error::last_os_error()))
    }
}

/// `setsockopt` of an `int` option rustix has no function for.
fn set_int(sock: &Socket, level: i32, name: i32, v: i32) -> Result<(), Errno> {
    let len = size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: `v` is valid for the host to read an `int` of `len` bytes.
    let r = unsafe { libc::setsockopt(sock.fd.as_raw_fd(), level, name, (&raw const v).cast(), len) };
    if r == 0 {
        Ok(())
    } else {
        Err(from_io(&std::io::Error::last_os_error()))
    }
}

fn host<T>(r: rustix::io::Result<T>) -> Result<T, Errno> {
    r.map_err(from_host)
}

pub(crate) unsafe fn sock_set_opt_flag(fd: Fd, sockopt: SockOption, flag: Bool) -> Errno {
    status(state::with(|s| {
        let entry = socket_fd(s, fd, NO_RIGHT)?;
        let sock = socket_of(&entry);
        let on = match flag {
            Bool::FALSE => false,
            Bool::TRUE => true,
            _ => return Err(Errno::INVAL),
        };
        let fd = sock.fd.as_fd();
        match sockopt {
            SockOption::NOOP => Ok(()),
            SockOption::REUSE_PORT => host(sockopt::set_socket_reuseport(fd, on)),
            SockOption::REUSE_ADDR => host(sockopt::set_socket_reuseaddr(fd, on)),
            SockOption::NO_DELAY => host(sockopt::set_tcp_nodelay(fd, on)),
            SockOption::DONT_ROUTE => set_int(sock, libc::SOL_SOCKET, libc::SO_DONTROUTE, on.into()),
            SockOption::ONLY_V6 => host(sockopt::set_ipv6_v6only(fd, on)),
            SockOption::BROADCAST => host(sockopt::set_socket_broadcast(fd, on)),
            SockOption::MULTICAST_LOOP_V4 => host(sockopt::set_ip_multicast_loop(fd, on)),
            SockOption::MULTICAST_LOOP_V6 => host(sockopt::set_ipv6_multicast_loop(fd, on)),
            SockOption::KEEP_ALIVE => host(sockopt::set_socket_keepalive(fd, on)),
            SockOption::OOB_INLINE => host(sockopt::set_socket_oobinline(fd, on)),
            SockOption::PROMISCUOUS => Err(Errno::NOTSUP),
            _ => Err(Errno::INVAL),
        }
    }))
}

pub(crate) unsafe fn sock_get_opt_flag(fd: Fd, sockopt: SockOption, ret: *mut Bool) -> Errno {
    status(state::with(|s| {
        let entry = socket_fd(s, fd, NO_RIGHT)?;
        let sock = socket_of(&entry);
        let fd = sock.fd.as_fd();
        let on = match sockopt {
            SockOption::NOOP => false,
            SockOption::REUSE_PORT => host(sockopt::socket_reuseport(fd))?,
            SockOption::REUSE_ADDR => host(sockopt::socket_reuseaddr(fd))?,
            SockOption::NO_DELAY => host(sockopt::tcp_nodelay(fd))?,
            SockOption::DONT_ROUTE => get_int(sock, libc::SOL_SOCKET, libc::SO_DONTROUTE)? != 0,
            SockOption::ONLY_V6 => host(sockopt::ipv6_v6only(fd))?,
            SockOption::BROADCAST => host(sockopt::socket_broadcast(fd))?,
            SockOption::MULTICAST_LOOP_V4 => host(sockopt::ip_multicast_loop(fd))?,
            SockOption::MULTICAST_LOOP_V6 => host(sockopt::ipv6_multicast_loop(fd))?,
            SockOption::KEEP_ALIVE => host(sockopt::socket_keepalive(fd))?,
            SockOption::OOB_INLINE => host(sockopt::socket_oobinline(fd))?,
            SockOption::LISTENING => host(sockopt::socket_acceptconn(fd))?,
            SockOption::PROMISCUOUS => return Err(Errno::NOTSUP),
            _ => return Err(Errno::INVAL),
        };
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, if on { Bool::TRUE } else { Bool::FALSE }) }
    }))
}

/// Nanoseconds as an `option_timestamp`'s `some` (saturating).
fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

pub(crate) unsafe fn sock_set_opt_time(fd: Fd, sockopt: SockOption, timeout: *const OptionTimestamp) -> Errno {
    status(state::with(|s| {
        let entry = socket_fd(s, fd, NO_RIGHT)?;
        let sock = socket_of(&entry);
        // SAFETY: in-pointer per the ABI contract.
        let t = unsafe { mem::read(timeout)? };
        let t = match (t.as_none(), t.as_some()) {
            (Some(_), _) => None,
            (_, Some(ns)) => Some(ns),
            _ => return Err(Errno::INVAL),
        };
        let fd = sock.fd.as_fd();
        let host_timeout = |id| match t {
            Some(0) => Err(Errno::INVAL),
            _ => host(sockopt::set_socket_timeout(fd, id, t.map(Duration::from_nanos))),
        };
        match sockopt {
            SockOption::NOOP => Ok(()),
            SockOption::RECV_TIMEOUT => host_timeout(sockopt::Timeout::Recv),
            SockOption::SEND_TIMEOUT => host_timeout(sockopt::Timeout::Send),
            SockOption::LINGER => {
                let secs = t.map(|ns| Duration::from_secs(ns.div_ceil(1_000_000_000).min(i32::MAX as u64)));
                host(sockopt::set_socket_linger(fd, secs))
            }
            SockOption::CONNECT_TIMEOUT | SockOption::ACCEPT_TIMEOUT => {
                let which = if sockopt == SockOption::CONNECT_TIMEOUT { Timeout::Connect } else { Timeout::Accept };
                sock.set_timeout(which, t);
                Ok(())
            }
            _ => Err(Errno::INVAL),
        }
    }))
}

pub(crate) unsafe fn sock_get_opt_time(fd: Fd, sockopt: SockOption, ret: *mut OptionTimestamp) -> Errno {
    status(state::with(|s| {
        let entry = socket_fd(s, fd, NO_RIGHT)?;
        let sock = socket_of(&entry);
        let fd = sock.fd.as_fd();
        let t = match sockopt {
            SockOption::NOOP => None,
            SockOption::RECV_TIMEOUT => host(sockopt::socket_timeout(fd, sockopt::Timeout::Recv))?,
            SockOption::SEND_TIMEOUT => host(sockopt::socket_timeout(fd, sockopt::Timeout::Send))?,
            SockOption::LINGER => host(sockopt::socket_linger(fd))?,
            SockOption::CONNECT_TIMEOUT => sock.timeout(Timeout::Connect),
            SockOption::ACCEPT_TIMEOUT => sock.timeout(Timeout::Accept),
            _ => return Err(Errno::INVAL),
        };
        let t = match t {
            Some(d) => OptionTimestamp::some(nanos(d)),
            None => OptionTimestamp::none(0),
        };
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, t) }
    }))
}

pub(crate) unsafe fn sock_set_opt_size(fd: Fd, sockopt: SockOption, size: Filesize) -> Errno {
    status(state::with(|s| {
        let entry = socket_fd(s, fd, NO_RIGHT)?;
        let sock = socket_of(&entry);
        let fd = sock.fd.as_fd();
        let int = i32::try_from(size).map_err(|_| Errno::INVAL);
        match sockopt {
            SockOption::NOOP => Ok(()),
            SockOption::RECV_BUF_SIZE => host(sockopt::set_socket_recv_buffer_size(fd, int? as usize)),
            SockOption::SEND_BUF_SIZE => host(sockopt::set_socket_send_buffer_size(fd, int? as usize)),
            SockOption::RECV_LOWAT => set_int(sock, libc::SOL_SOCKET, libc::SO_RCVLOWAT, int?),
            SockOption::SEND_LOWAT => set_int(sock, libc::SOL_SOCKET, libc::SO_SNDLOWAT, int?),
            SockOption::TTL if sock.family == AddressFamily::INET6 => {
                let hops = u8::try_from(size).map_err(|_| Errno::INVAL)?;
                host(sockopt::set_ipv6_unicast_hops(fd, Some(hops)))
            }
            SockOption::TTL => host(sockopt::set_ip_ttl(fd, int? as u32)),
            SockOption::MULTICAST_TTL_V4 => host(sockopt::set_ip_multicast_ttl(fd, int? as u32)),
            _ => Err(Errno::INVAL),
        }
    }))
}

pub(crate) unsafe fn sock_get_opt_size(fd: Fd, sockopt: SockOption, ret: *mut Filesize) -> Errno {
    status(state::with(|s| {
        let entry = socket_fd(s, fd, NO_RIGHT)?;
        let sock = socket_of(&entry);
        let fd = sock.fd.as_fd();
        let n: u64 = match sockopt {
            SockOption::NOOP => 0,
            SockOption::RECV_BUF_SIZE => host(sockopt::socket_recv_buffer_size(fd))? as u64,
            SockOption::SEND_BUF_SIZE => host(sockopt::socket_send_buffer_size(fd))? as u64,
            SockOption::RECV_LOWAT => get_int(sock, libc::SOL_SOCKET, libc::SO_RCVLOWAT)?.max(0) as u64,
            SockOption::SEND_LOWAT => get_int(sock, libc::SOL_SOCKET, libc::SO_SNDLOWAT)?.max(0) as u64,
            SockOption::TTL if sock.family == AddressFamily::INET6 => host(sockopt::ipv6_unicast_hops(fd))?.into(),
            SockOption::TTL => host(sockopt::ip_ttl(fd))?.into(),
            SockOption::MULTICAST_TTL_V4 => host(sockopt::ip_multicast_ttl(fd))?.into(),
            SockOption::TYPE => sock.socktype.raw().into(),
            SockOption::PROTO => sock.proto.raw().into(),
            SockOption::LAST_ERROR => sock.last_error()?.map_or(0, |e| e.raw().into()),
            _ => return Err(Errno::INVAL),
        };
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, n) }
    }))
}
