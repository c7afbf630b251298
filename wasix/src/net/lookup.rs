//! Names to addresses: [`lookup_host`] over `resolve`, and [`ToSocketAddrs`], the input the std-like types
//! accept (a [`SocketAddr`], `"host:port"`, `(host, port)`), resolving names through [`lookup_host`].

use super::sys;
use crate::io::{Errno, Result};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

/// The addresses [`lookup_host`] found, in the host's order.
pub type LookupHost = std::vec::IntoIter<SocketAddr>;

/// `resolve(host, port)`—The addresses `host` has, each with `port`.
///
/// ```
/// wasix::sim::Config::new().build().unwrap().run(|| {
///     let mut addrs = wasix::net::lookup_host("localhost", 80).unwrap();
///     assert!(addrs.any(|a| a.ip().is_loopback()));
/// });
/// ```
///
/// # References
/// - [`wasix_sys::resolve`]
/// - std's `ToSocketAddrs` for `(&str, u16)`, POSIX `getaddrinfo`
#[doc(alias = "resolve", alias = "getaddrinfo")]
pub fn lookup_host(host: &str, port: u16) -> Result<LookupHost> {
    let ips = sys::resolve(host, port)?;
    Ok(ips.into_iter().map(|ip| SocketAddr::new(ip, port)).collect::<Vec<_>>().into_iter())
}

/// What can name one or more socket addresses: addresses themselves, `(ip, port)`, and host names with a
/// port (`"example.org:80"`, `("example.org", 80)`), looked up with [`lookup_host`] unless they are IP
/// addresses already. As std's `ToSocketAddrs`, but resolving through the WASIX host.
pub trait ToSocketAddrs {
    /// The addresses, in order.
    type Iter: Iterator<Item = SocketAddr>;

    /// The addresses `self` names; `INVAL` for a string that is not `host:port`.
    fn to_socket_addrs(&self) -> Result<Self::Iter>;
}

/// The iterator of one address.
fn one(addr: SocketAddr) -> Result<std::option::IntoIter<SocketAddr>> {
    Ok(Some(addr).into_iter())
}

impl ToSocketAddrs for SocketAddr {
    type Iter = std::option::IntoIter<SocketAddr>;
    fn to_socket_addrs(&self) -> Result<Self::Iter> {
        one(*self)
    }
}

impl ToSocketAddrs for SocketAddrV4 {
    type Iter = std::option::IntoIter<SocketAddr>;
    fn to_socket_addrs(&self) -> Result<Self::Iter> {
        one((*self).into())
    }
}

impl ToSocketAddrs for SocketAddrV6 {
    type Iter = std::option::IntoIter<SocketAddr>;
    fn to_socket_addrs(&self) -> Result<Self::Iter> {
        one((*self).into())
    }
}

impl ToSocketAddrs for (IpAddr, u16) {
    type Iter = std::option::IntoIter<SocketAddr>;
    fn to_socket_addrs(&self) -> Result<Self::Iter> {
        one((*self).into())
    }
}

impl ToSocketAddrs for (Ipv4Addr, u16) {
    type Iter = std::option::IntoIter<SocketAddr>;
    fn to_socket_addrs(&self) -> Result<Self::Iter> {
        one((*self).into())
    }
}

impl ToSocketAddrs for (Ipv6Addr, u16) {
    type Iter = std::option::IntoIter<SocketAddr>;
    fn to_socket_addrs(&self) -> Result<Self::Iter> {
        one((*self).into())
    }
}

impl ToSocketAddrs for (&str, u16) {
    type Iter = LookupHost;
    fn to_socket_addrs(&self) -> Result<Self::Iter> {
        let (host, port) = *self;
        match host.parse::<IpAddr>() {
            Ok(ip) => Ok(vec![SocketAddr::new(ip, port)].into_iter()),
            Err(_) => lookup_host(host, port),
        }
    }
}

impl ToSocketAddrs for (String, u16) {
    type Iter = LookupHost;
    fn to_socket_addrs(&self) -> Result<Self::Iter> {
        (self.0.as_str(), self.1).to_socket_addrs()
    }
}

impl ToSocketAddrs for str {
    type Iter = LookupHost;
    fn to_socket_addrs(&self) -> Result<Self::Iter> {
        if let Ok(addr) = self.parse::<SocketAddr>() {
            return Ok(vec![addr].into_iter());
        }
        let (host, port) = self.rsplit_once(':').ok_or(Errno::INVAL)?;
        let port = port.parse::<u16>().map_err(|_| Errno::INVAL)?;
        (host, port).to_socket_addrs()
    }
}

impl ToSocketAddrs for String {
    type Iter = LookupHost;
    fn to_socket_addrs(&self) -> Result<Self::Iter> {
        self.as_str().to_socket_addrs()
    }
}

impl<'a> ToSocketAddrs for &'a [SocketAddr] {
    type Iter = std::iter::Copied<std::slice::Iter<'a, SocketAddr>>;
    fn to_socket_addrs(&self) -> Result<Self::Iter> {
        Ok(self.iter().copied())
    }
}

impl<T: ToSocketAddrs + ?Sized> ToSocketAddrs for &T {
    type Iter = T::Iter;
    fn to_socket_addrs(&self) -> Result<Self::Iter> {
        (**self).to_socket_addrs()
    }
}

/// `f` on each address `addrs` names in turn: its first success, else the last error (`INVAL` when it
/// names none), as std's `each_addr`.
pub(crate) fn each_addr<A: ToSocketAddrs, T>(addrs: A, mut f: impl FnMut(&SocketAddr) -> Result<T>) -> Result<T> {
    let mut last = Errno::INVAL;
    for addr in addrs.to_socket_addrs()? {
        match f(&addr) {
            Ok(value) => return Ok(value),
            Err(e) => last = e,
        }
    }
    Err(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_addresses_need_no_lookup() {
        let want: SocketAddr = "127.0.0.1:80".parse().unwrap();
        assert_eq!("127.0.0.1:80".to_socket_addrs().unwrap().collect::<Vec<_>>(), [want]);
        assert_eq!(("127.0.0.1", 80).to_socket_addrs().unwrap().collect::<Vec<_>>(), [want]);
        assert_eq!((Ipv4Addr::LOCALHOST, 80).to_socket_addrs().unwrap().collect::<Vec<_>>(), [want]);
        let v6: SocketAddr = "[::1]:9".parse().unwrap();
        assert_eq!("[::1]:9".to_socket_addrs().unwrap().collect::<Vec<_>>(), [v6]);
        assert_eq!(("::1", 9).to_socket_addrs().unwrap().collect::<Vec<_>>(), [v6]);
        assert_eq!((&[want, v6][..]).to_socket_addrs().unwrap().count(), 2);
    }

    #[test]
    fn strings_without_a_port_are_inval() {
        assert_eq!("localhost".to_socket_addrs().err(), Some(Errno::INVAL));
        assert_eq!("localhost:http".to_socket_addrs().err(), Some(Errno::INVAL));
        assert_eq!("localhost:65536".to_socket_addrs().err(), Some(Errno::INVAL));
    }

    #[test]
    fn each_addr_returns_the_first_success_or_the_last_error() {
        let addrs: [SocketAddr; 2] = ["127.0.0.1:1".parse().unwrap(), "127.0.0.1:2".parse().unwrap()];
        assert_eq!(each_addr(&addrs[..], |a| if a.port() == 2 { Ok(a.port()) } else { Err(Errno::AGAIN) }), Ok(2));
        assert_eq!(each_addr(&addrs[..], |_| Err::<(), _>(Errno::CONNREFUSED)), Err(Errno::CONNREFUSED));
        let none: &[SocketAddr] = &[];
        assert_eq!(each_addr(none, |_| Ok(())), Err(Errno::INVAL));
    }
}
