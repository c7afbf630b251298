//! The simulator's side of the seed's address records: the conversions themselves are
//! [`crate::seed::addr`]'s (written once, shared with the safe layer); here only the host's own addresses.

pub(crate) use crate::seed::addr::{
    addr as to_addr, addr_port as to_addr_port, ipv4 as ip4_from, ipv6 as ip6_from, socket_addr as from_addr_port,
};
use crate::Errno;
use std::net::SocketAddr;

/// A host socket address as a `std` one (`AFNOSUPPORT` for other families, which the simulator's sockets
/// never have).
pub(crate) fn from_host(a: rustix::net::SocketAddrAny) -> Result<SocketAddr, Errno> {
    SocketAddr::try_from(a).map_err(|_| Errno::AFNOSUPPORT)
}
