//! Networking: TCP and UDP over IPv4 and IPv6, as std's `net` ([`TcpListener`], [`TcpStream`],
//! [`UdpSocket`]) and socket2 ([`Socket`], every call and option of the ABI), and name lookup
//! ([`lookup_host`]). Addresses are std's ([`SocketAddr`], [`Ipv4Addr`], [`Ipv6Addr`]); the seed's records
//! and their byte orders are converted in one place (`addr.rs`). Input that names addresses goes through
//! [`ToSocketAddrs`]: an address, `"host:port"` or `(host, port)`, resolving names with [`lookup_host`].
//!
//! Errors are the host's [`Errno`](crate::io::Errno): `CONNREFUSED` for a closed port, `AGAIN` for a
//! non-blocking call that would wait or a read timeout that passed, `PIPE` for a send after
//! `shutdown(Write)`, `NOTSUP` for `listen` on UDP. Natively the simulator serves the calls over host
//! sockets (an instance from `sim::Config::new` reaches loopback only); on Wasmer (`wasmer run --net`) the
//! host profile presents the seed's semantics where Wasmer's differ (socket type numbers, byte orders,
//! timeouts), and Wasmer's own limits remain (no linger, no UDP timeouts: `tests/expectations.toml`).
//!
//! ```
//! use std::io::{Read, Write};
//! use std::net::Shutdown;
//! use wasix::net::{TcpListener, TcpStream};
//!
//! wasix::sim::Config::new().build().unwrap().run(|| {
//!     let listener = TcpListener::bind("127.0.0.1:0").unwrap();
//!     let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
//!     let (mut server, peer) = listener.accept().unwrap();
//!     assert_eq!(peer, client.local_addr().unwrap());
//!     client.write_all(b"hello").unwrap();
//!     client.shutdown(Shutdown::Write).unwrap();
//!     let mut got = String::new();
//!     server.read_to_string(&mut got).unwrap();
//!     assert_eq!(got, "hello");
//! });
//! ```
//!
//! # References
//! - std's `std::net`, socket2's `Socket`
//! - the `sock_*` functions and `resolve` of [`wasix_sys`]

mod addr;
mod lookup;
mod socket;
#[cfg(target_os = "wasi")]
mod std_os;
mod sys;
mod tcp;
mod udp;

pub use lookup::{lookup_host, LookupHost, ToSocketAddrs};
pub use socket::Socket;
pub use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, SocketAddrV4, SocketAddrV6};
pub use tcp::{Incoming, TcpListener, TcpStream};
pub use udp::UdpSocket;
pub use wasix_sys::{AddressFamily, Riflags, Roflags, SockProto, SockStatus, SockType};
