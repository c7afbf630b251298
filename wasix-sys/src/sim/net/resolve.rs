//! `resolve` (the simulator half of `wasix::net::resolve`): a host name and port to IP addresses, through
//! the host's resolver (`ToSocketAddrs`, so `getaddrinfo`), each address once, in the resolver's order.
//!
//! At most `naddrs` entries are written (the rest are dropped, as "fills the output buffer as much as
//! possible" says), and `ret` is the number written. The port only goes to the resolver, since an `addr`
//! has none. A name that is empty is `INVAL`, longer than 253 bytes (DNS's limit) `NAMETOOLONG`, not UTF-8
//! `ILSEQ`, holding a NUL byte `INVAL`; one the resolver does not know `NOENT`. The network policy applies
//! (see `Network`): no network is `NOTSUP`; with loopback only, numeric addresses and `localhost` names are
//! answered (their loopback addresses) and any other name is `NOENT`, never looked up. `localhost` itself
//! goes to the host's resolver (its hosts file answers it); a name below it (`a.localhost`) is answered as
//! RFC 6761 says, `127.0.0.1` and `::1`, without the host, whose resolver might ask a name server.

use super::super::errno::from_host;
use super::super::{mem, state, status, Network};
use super::addr;
use crate::{Addr, Errno, Size};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, ToSocketAddrs};

/// The longest name DNS can carry.
const MAX_NAME: usize = 253;

/// Whether `name` is `localhost` (`Some(true)`) or a name below it (`Some(false)`), with or without the
/// final dot (RFC 6761).
fn localhost(name: &str) -> Option<bool> {
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    if name == "localhost" {
        Some(true)
    } else if name.ends_with(".localhost") {
        Some(false)
    } else {
        None
    }
}

pub(crate) unsafe fn resolve(
    host: *const u8,
    host_len: usize,
    port: u16,
    addrs: *mut Addr,
    naddrs: Size,
    ret: *mut Size,
) -> Errno {
    status(state::with(|s| {
        if s.network == Network::None {
            return Err(Errno::NOTSUP);
        }
        // SAFETY: the guest passes `host_len` bytes per the ABI contract.
        let name = unsafe { mem::slice(host, host_len)? };
        if name.is_empty() || name.contains(&0) {
            return Err(Errno::INVAL);
        }
        if name.len() > MAX_NAME {
            return Err(Errno::NAMETOOLONG);
        }
        let name = std::str::from_utf8(name).map_err(|_| Errno::ILSEQ)?;
        if (addrs.is_null() && naddrs > 0) || ret.is_null() {
            return Err(Errno::FAULT);
        }
        let numeric = name.parse::<IpAddr>().ok();
        let below_localhost = localhost(name) == Some(false);
        if s.network == Network::Loopback && numeric.is_none() && localhost(name).is_none() {
            return Err(Errno::NOENT);
        }
        let found: Vec<IpAddr> = match numeric {
            Some(ip) => vec![ip],
            None if below_localhost && s.network == Network::Loopback => {
                vec![IpAddr::V4(Ipv4Addr::LOCALHOST), IpAddr::V6(Ipv6Addr::LOCALHOST)]
            }
            None => (name, port)
                .to_socket_addrs()
                .map_err(|e| {
                    e.raw_os_error().map_or(Errno::NOENT, |raw| from_host(rustix::io::Errno::from_raw_os_error(raw)))
                })?
                .map(|a| a.ip())
                .collect(),
        };
        let mut unique: Vec<Addr> = Vec::new();
        for ip in found {
            if s.network == Network::Loopback && !ip.to_canonical().is_loopback() {
                continue;
            }
            let a = addr::to_addr(ip);
            if !unique.contains(&a) {
                unique.push(a);
            }
        }
        unique.truncate(naddrs as usize);
        // SAFETY: `addrs` is valid for `naddrs` entries per the ABI contract; at most that many are written.
        unsafe { mem::write_list(addrs, &unique)? };
        // SAFETY: out-pointer per the ABI contract.
        unsafe { mem::write(ret, unique.len() as Size) }
    }))
}
