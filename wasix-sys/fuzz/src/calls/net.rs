//! The `net` group: sockets (`sock_open` and every call on a socket: bind, listen, accept, connect,
//! receiving and sending, `sock_send_file`, shutdown, status, addresses, options, multicast groups) and
//! `resolve`.
//!
//! Nothing blocks and nothing leaves loopback: every socket is made non-blocking when it is created (see
//! `Harness::created`), the instance's network policy is `Config::new`'s loopback-only one, and the only
//! ports an input names are 0, ports its own sockets were bound to, and port 1 (closed). Addresses that
//! are not loopback ones are refused by the policy before the host sees them. `linger` is only ever set to
//! 0 or none, so no close waits for unsent data.

use crate::guest::{Bytes, Ciovecs, Iovecs, ListShape, Out, OutPtr, ReadBuf, WriteBuf};
use crate::values::{Bits, FdRef, Num, Pick};
use crate::{Exec, Harness};
use arbitrary::Arbitrary;
use wasix_sys::{
    Addr, AddrIp4, AddrIp4Port, AddrIp6, AddrIp6Port, AddrPort, AddressFamily, Bool, Errno, Fd, Fdflags, Filesize,
    OptionTimestamp, Riflags, Roflags, Sdflags, Size, SockOption, SockProto, SockStatus, SockType,
};

#[derive(Arbitrary, Debug)]
pub enum NetCall {
    Open { af: Pick, ty: Pick, proto: Pick, out: OutPtr },
    Bind { fd: FdRef, addr: AddrGen },
    Listen { fd: FdRef, backlog: u32 },
    Accept { fd: FdRef, flags: Bits, fd_out: OutPtr, addr_out: OutPtr },
    Connect { fd: FdRef, addr: AddrGen },
    Recv { fd: FdRef, shape: ListShape, bufs: Vec<ReadBuf>, flags: Bits, n: OutPtr, ro: OutPtr },
    RecvFrom { fd: FdRef, shape: ListShape, bufs: Vec<ReadBuf>, flags: Bits, n: OutPtr, ro: OutPtr, from: OutPtr },
    Send { fd: FdRef, shape: ListShape, bufs: Vec<WriteBuf>, flags: u16, out: OutPtr },
    SendTo { fd: FdRef, shape: ListShape, bufs: Vec<WriteBuf>, flags: u16, addr: AddrGen, out: OutPtr },
    SendFile { out_fd: FdRef, in_fd: FdRef, offset: Num, count: Num, out: OutPtr },
    Shutdown { fd: FdRef, how: Bits },
    Status { fd: FdRef, out: OutPtr },
    AddrLocal { fd: FdRef, out: OutPtr },
    AddrPeer { fd: FdRef, out: OutPtr },
    SetFlag { fd: FdRef, opt: Pick, flag: u8 },
    GetFlag { fd: FdRef, opt: Pick, out: OutPtr },
    SetTime { fd: FdRef, opt: Pick, time: TimeGen },
    GetTime { fd: FdRef, opt: Pick, out: OutPtr },
    SetSize { fd: FdRef, opt: Pick, size: Num },
    GetSize { fd: FdRef, opt: Pick, out: OutPtr },
    Multicast4 { fd: FdRef, join: bool, group: [u8; 4], iface: [u8; 4], null: u8 },
    Multicast6 { fd: FdRef, join: bool, group: [u16; 8], iface: u32, null: bool },
    Resolve { name: NameGen, port: u16, room: u8, addrs_null: bool, out: OutPtr },
    /// `http_request` to [`url`] (port 1 of loopback, or a malformed URL), any method, headers and gzip;
    /// then the body is ended (`http_status` of the response fd, or closing `request`): the request fails at
    /// once, nothing listens there, and its worker ends.
    HttpRequest { url: UrlGen, method: Vec<u8>, headers: Vec<u8>, gzip: u8, out: OutPtr, status: bool },
    /// `http_status` of any fd.
    HttpStatus { fd: FdRef, out: OutPtr },
    /// `ws_connect` to [`url`].
    WsConnect { url: UrlGen, out: OutPtr },
}

/// A URL for the HTTP calls: never one that reaches a listener (a fuzzed server that never answers would
/// hang the call), so only port 1 of loopback, or bytes with no `:` (no scheme, no port: malformed).
#[derive(Arbitrary, Clone, Debug)]
pub enum UrlGen {
    ClosedPort { scheme: u8, v6: bool, path: Vec<u8> },
    Malformed(Vec<u8>),
}

impl UrlGen {
    fn bytes(&self) -> Vec<u8> {
        match self {
            UrlGen::ClosedPort { scheme, v6, path } => {
                let scheme = ["http", "https", "ws", "wss", "ftp"][usize::from(*scheme % 5)];
                let host = if *v6 { "[::1]" } else { "127.0.0.1" };
                let mut url = format!("{scheme}://{host}:1/").into_bytes();
                url.extend(path.iter().filter(|&&b| b != b':'));
                url
            }
            UrlGen::Malformed(bytes) => bytes.iter().copied().filter(|&b| b != b':').collect(),
        }
    }
}

/// A port an address names.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum PortGen {
    Zero,
    /// One of the ports the input's own sockets were bound to.
    Learned(u8),
    /// Port 1, which nothing listens on.
    Closed,
}

/// An `addr_port` argument.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum AddrGen {
    Loopback {
        v6: bool,
        port: PortGen,
    },
    /// `0.0.0.0` or `::` (bound as loopback by the policy).
    Unspecified {
        v6: bool,
        port: PortGen,
    },
    /// `::ffff:127.0.0.1`.
    MappedLoopback {
        port: PortGen,
    },
    /// Not loopback (TEST-NET-1, the documentation prefix): the policy refuses it.
    Elsewhere {
        v6: bool,
    },
    /// Any tag, payload zero.
    Tag(u8),
    Null,
}

/// An `option_timestamp` argument.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum TimeGen {
    None,
    Some(u32),
    Zero,
    BadTag(u8),
    Null,
}

/// A host name for `resolve` (only loopback names and numeric addresses are ever answered).
#[derive(Arbitrary, Clone, Debug)]
pub enum NameGen {
    Localhost,
    Below(u8),
    Numeric([u8; 4]),
    Numeric6([u16; 8]),
    Elsewhere,
    Long(u16),
    Raw(Vec<u8>),
    Null(u8),
}

const OPTIONS: [u32; 27] =
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26];

fn option(p: &Pick) -> SockOption {
    SockOption::from_raw(p.of(&OPTIONS) as u8)
}

impl PortGen {
    fn get(self, h: &Harness) -> u16 {
        match self {
            PortGen::Zero => 0,
            PortGen::Learned(i) if !h.ports.is_empty() => h.ports[usize::from(i) % h.ports.len()],
            PortGen::Learned(_) | PortGen::Closed => 1,
        }
    }
}

impl AddrGen {
    /// The record (`None` for a null pointer).
    fn record(self, h: &Harness) -> Option<AddrPort> {
        let v4 = |a: [u8; 4], port| {
            AddrPort::inet4(AddrIp4Port { port, addr: AddrIp4 { n0: a[0], n1: a[1], h0: a[2], h1: a[3] } })
        };
        let v6 = |s: [u16; 8], port| {
            let [n0, n1, n2, n3, h0, h1, h2, h3] = s;
            AddrPort::inet6(AddrIp6Port { port, addr: AddrIp6 { n0, n1, n2, n3, h0, h1, h2, h3 } })
        };
        Some(match self {
            AddrGen::Loopback { v6: false, port } => v4([127, 0, 0, 1], port.get(h)),
            AddrGen::Loopback { v6: true, port } => v6([0, 0, 0, 0, 0, 0, 0, 1], port.get(h)),
            AddrGen::Unspecified { v6: false, port } => v4([0; 4], port.get(h)),
            AddrGen::Unspecified { v6: true, port } => v6([0; 8], port.get(h)),
            AddrGen::MappedLoopback { port } => v6([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1], port.get(h)),
            AddrGen::Elsewhere { v6: false } => v4([192, 0, 2, 1], 9),
            AddrGen::Elsewhere { v6: true } => v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1], 9),
            AddrGen::Tag(t) => AddrPort { tag: t, ..AddrPort::default() },
            AddrGen::Null => return None,
        })
    }
}

/// A pointer to `record`, or null.
fn at<T>(record: &Option<T>) -> *const T {
    record.as_ref().map_or(std::ptr::null(), |r| r as *const T)
}

impl NameGen {
    /// The bytes and whether the pointer is null.
    fn bytes(&self) -> (Vec<u8>, bool) {
        match self {
            NameGen::Localhost => (b"localhost".to_vec(), false),
            NameGen::Below(n) => (format!("n{n}.localhost.").into_bytes(), false),
            NameGen::Numeric(a) => (std::net::Ipv4Addr::from(*a).to_string().into_bytes(), false),
            NameGen::Numeric6(s) => (std::net::Ipv6Addr::from(*s).to_string().into_bytes(), false),
            NameGen::Elsewhere => (b"example.com".to_vec(), false),
            NameGen::Long(n) => (vec![b'a'; usize::from(*n) % 600], false),
            NameGen::Raw(b) => (b.clone(), false),
            NameGen::Null(n) => (vec![0; usize::from(*n)], true),
        }
    }
}

impl NetCall {
    /// Learns the local port of `fd` if it has one, for later addresses.
    fn learn(h: &mut Harness, fd: Fd) {
        let mut a = AddrPort::default();
        // SAFETY: a valid out-pointer (a harness query).
        if unsafe { wasix_sys::sock_addr_local(fd, &mut a) } != Errno::SUCCESS {
            return;
        }
        let port = a.as_inet4().map(|v| v.port).or(a.as_inet6().map(|v| v.port)).unwrap_or(0);
        if port != 0 && !h.ports.contains(&port) && h.ports.len() < 32 {
            h.ports.push(port);
        }
    }
}

impl Exec for NetCall {
    fn exec(&self, h: &mut Harness) {
        let live = h.live.clone();
        let fd = |r: &FdRef| r.resolve(&live);
        match self {
            NetCall::Open { af, ty, proto, out } => {
                let af = AddressFamily::from_raw(af.of(&[0, 1, 2, 3]) as u8);
                let ty = SockType::from_raw(ty.of(&[0, 1, 2, 3]) as u8);
                let proto = SockProto::from_raw(proto.of(&[0, 6, 17, 1, 262]) as u16);
                let mut new = Out::<Fd>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::sock_open(af, ty, proto, new.ptr()) };
                h.result("sock_open", e, &new);
                if let (Errno::SUCCESS, Some(new)) = (e, new.get()) {
                    h.created(new);
                }
            }
            NetCall::Bind { fd: f, addr } => {
                let (f, a) = (fd(f), addr.record(h));
                // SAFETY: a valid record or null.
                let e = unsafe { wasix_sys::sock_bind(f, at(&a)) };
                h.errno("sock_bind", e);
                Self::learn(h, f);
            }
            NetCall::Listen { fd: f, backlog } => {
                let f = fd(f);
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::sock_listen(f, *backlog) };
                h.errno("sock_listen", e);
                Self::learn(h, f);
            }
            NetCall::Accept { fd: f, flags, fd_out, addr_out } => {
                let flags = Fdflags::from_bits_retain(flags.of(Fdflags::all().bits().into()) as u16);
                let (mut new, mut from) = (Out::<Fd>::new(*fd_out), Out::<AddrPort>::new(*addr_out));
                // SAFETY: harness out-pointers or null.
                let e = unsafe { wasix_sys::sock_accept(fd(f), flags, new.ptr(), from.ptr()) };
                h.result("sock_accept", e, &new);
                h.result("sock_accept", e, &from);
                if let (Errno::SUCCESS, Some(new)) = (e, new.get()) {
                    h.created(new);
                }
            }
            NetCall::Connect { fd: f, addr } => {
                let (f, a) = (fd(f), addr.record(h));
                // SAFETY: a valid record or null.
                let e = unsafe { wasix_sys::sock_connect(f, at(&a)) };
                h.errno("sock_connect", e);
            }
            NetCall::Recv { fd: f, shape, bufs, flags, n, ro } => {
                let mut iovs = Iovecs::new(*shape, bufs);
                let flags = Riflags::from_bits_retain(flags.of(Riflags::all().bits().into()) as u16);
                let (mut got, mut ro) = (Out::<Size>::new(*n), Out::<Roflags>::new(*ro));
                // SAFETY: the list and every buffer are the harness's, valid for their lengths (or null).
                let e =
                    unsafe { wasix_sys::sock_recv(fd(f), iovs.list.ptr(), iovs.list.len, flags, got.ptr(), ro.ptr()) };
                h.result("sock_recv", e, &got);
                h.result("sock_recv", e, &ro);
                if let Some(n) = got.get().filter(|_| e == Errno::SUCCESS) {
                    assert!(u128::from(n) <= iovs.capacity, "sock_recv reported {n} bytes");
                }
            }
            NetCall::RecvFrom { fd: f, shape, bufs, flags, n, ro, from } => {
                let mut iovs = Iovecs::new(*shape, bufs);
                let flags = Riflags::from_bits_retain(flags.of(Riflags::all().bits().into()) as u16);
                let (mut got, mut ro) = (Out::<Size>::new(*n), Out::<Roflags>::new(*ro));
                let mut from = Out::<AddrPort>::new(*from);
                // SAFETY: as for `sock_recv`.
                let e = unsafe {
                    wasix_sys::sock_recv_from(
                        fd(f),
                        iovs.list.ptr(),
                        iovs.list.len,
                        flags,
                        got.ptr(),
                        ro.ptr(),
                        from.ptr(),
                    )
                };
                h.result("sock_recv_from", e, &got);
                h.result("sock_recv_from", e, &ro);
                h.result("sock_recv_from", e, &from);
                if let Some(n) = got.get().filter(|_| e == Errno::SUCCESS) {
                    assert!(u128::from(n) <= iovs.capacity, "sock_recv_from reported {n} bytes");
                }
            }
            NetCall::Send { fd: f, shape, bufs, flags, out } => {
                let mut iovs = Ciovecs::new(*shape, bufs);
                let mut n = Out::<Size>::new(*out);
                // SAFETY: as for `sock_recv`.
                let e = unsafe { wasix_sys::sock_send(fd(f), iovs.list.ptr(), iovs.list.len, *flags, n.ptr()) };
                h.result("sock_send", e, &n);
                if let Some(n) = n.get().filter(|_| e == Errno::SUCCESS) {
                    assert!(u128::from(n) <= Ciovecs::total(bufs), "sock_send reported {n} bytes");
                }
            }
            NetCall::SendTo { fd: f, shape, bufs, flags, addr, out } => {
                let f = fd(f);
                let mut iovs = Ciovecs::new(*shape, bufs);
                let a = addr.record(h);
                let mut n = Out::<Size>::new(*out);
                // SAFETY: as for `sock_recv`; a valid record or null.
                let e = unsafe { wasix_sys::sock_send_to(f, iovs.list.ptr(), iovs.list.len, *flags, at(&a), n.ptr()) };
                h.result("sock_send_to", e, &n);
                if let Some(n) = n.get().filter(|_| e == Errno::SUCCESS) {
                    assert!(u128::from(n) <= Ciovecs::total(bufs), "sock_send_to reported {n} bytes");
                }
                Self::learn(h, f);
            }
            NetCall::SendFile { out_fd, in_fd, offset, count, out } => {
                let mut n = Out::<Filesize>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::sock_send_file(fd(out_fd), fd(in_fd), offset.get(), count.get(), n.ptr()) };
                h.result("sock_send_file", e, &n);
                if let Some(n) = n.get().filter(|_| e == Errno::SUCCESS) {
                    assert!(n <= count.get(), "sock_send_file sent {n} bytes of {}", count.get());
                }
            }
            NetCall::Shutdown { fd: f, how } => {
                let how = Sdflags::from_bits_retain(how.of(Sdflags::all().bits().into()) as u8);
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::sock_shutdown(fd(f), how) };
                h.errno("sock_shutdown", e);
            }
            NetCall::Status { fd: f, out } => {
                let mut st = Out::<SockStatus>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::sock_status(fd(f), st.ptr()) };
                h.result("sock_status", e, &st);
                if let Some(st) = st.get().filter(|_| e == Errno::SUCCESS) {
                    assert!(st.name().is_some(), "sock_status reported {st:?}");
                }
            }
            NetCall::AddrLocal { fd: f, out } => {
                let mut a = Out::<AddrPort>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::sock_addr_local(fd(f), a.ptr()) };
                h.result("sock_addr_local", e, &a);
            }
            NetCall::AddrPeer { fd: f, out } => {
                let mut a = Out::<AddrPort>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::sock_addr_peer(fd(f), a.ptr()) };
                h.result("sock_addr_peer", e, &a);
            }
            NetCall::SetFlag { fd: f, opt, flag } => {
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::sock_set_opt_flag(fd(f), option(opt), Bool::from_raw(*flag % 3)) };
                h.errno("sock_set_opt_flag", e);
            }
            NetCall::GetFlag { fd: f, opt, out } => {
                let mut b = Out::<Bool>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::sock_get_opt_flag(fd(f), option(opt), b.ptr()) };
                h.result("sock_get_opt_flag", e, &b);
            }
            NetCall::SetTime { fd: f, opt, time } => {
                let opt = option(opt);
                let t = match *time {
                    // A lingering close could wait for unsent data: only 0 (reset at once) is fuzzed.
                    TimeGen::Some(_) if opt == SockOption::LINGER => Some(OptionTimestamp::some(0)),
                    TimeGen::Some(ns) => Some(OptionTimestamp::some(u64::from(ns))),
                    TimeGen::None => Some(OptionTimestamp::none(0)),
                    TimeGen::Zero => Some(OptionTimestamp::some(0)),
                    TimeGen::BadTag(t) => Some(OptionTimestamp { tag: t.max(2), ..OptionTimestamp::none(0) }),
                    TimeGen::Null => None,
                };
                // SAFETY: a valid record or null.
                let e = unsafe { wasix_sys::sock_set_opt_time(fd(f), opt, at(&t)) };
                h.errno("sock_set_opt_time", e);
            }
            NetCall::GetTime { fd: f, opt, out } => {
                let mut t = Out::<OptionTimestamp>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::sock_get_opt_time(fd(f), option(opt), t.ptr()) };
                h.result("sock_get_opt_time", e, &t);
            }
            NetCall::SetSize { fd: f, opt, size } => {
                // SAFETY: no pointers.
                let e = unsafe { wasix_sys::sock_set_opt_size(fd(f), option(opt), size.get()) };
                h.errno("sock_set_opt_size", e);
            }
            NetCall::GetSize { fd: f, opt, out } => {
                let mut n = Out::<Filesize>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::sock_get_opt_size(fd(f), option(opt), n.ptr()) };
                h.result("sock_get_opt_size", e, &n);
            }
            NetCall::Multicast4 { fd: f, join, group, iface, null } => {
                let ip4 = |a: [u8; 4]| AddrIp4 { n0: a[0], n1: a[1], h0: a[2], h1: a[3] };
                let (g, i) = (Some(ip4(*group)).filter(|_| null & 1 == 0), Some(ip4(*iface)).filter(|_| null & 2 == 0));
                // SAFETY: valid records or null.
                let e = unsafe {
                    if *join {
                        wasix_sys::sock_join_multicast_v4(fd(f), at(&g), at(&i))
                    } else {
                        wasix_sys::sock_leave_multicast_v4(fd(f), at(&g), at(&i))
                    }
                };
                h.errno("sock_join_multicast_v4", e);
            }
            NetCall::Multicast6 { fd: f, join, group, iface, null } => {
                let [n0, n1, n2, n3, h0, h1, h2, h3] = *group;
                let g = Some(AddrIp6 { n0, n1, n2, n3, h0, h1, h2, h3 }).filter(|_| !null);
                // SAFETY: a valid record or null.
                let e = unsafe {
                    if *join {
                        wasix_sys::sock_join_multicast_v6(fd(f), at(&g), *iface)
                    } else {
                        wasix_sys::sock_leave_multicast_v6(fd(f), at(&g), *iface)
                    }
                };
                h.errno("sock_join_multicast_v6", e);
            }
            NetCall::HttpRequest { url, method, headers, gzip, out, status } => {
                let (u, m, hd) = (url.bytes(), method, headers);
                let mut handles = Out::<wasix_sys::HttpHandles>::new(*out);
                // SAFETY: the harness's buffers with their lengths and an out-pointer (or null).
                let e = unsafe {
                    wasix_sys::http_request(
                        u.as_ptr(),
                        u.len(),
                        m.as_ptr(),
                        m.len(),
                        hd.as_ptr(),
                        hd.len(),
                        wasix_sys::Bool::from_raw(*gzip),
                        handles.ptr(),
                    )
                };
                h.result("http_request", e, &handles);
                if let Some(got) = handles.get().filter(|_| e == Errno::SUCCESS) {
                    for fd in [got.request, got.response, got.headers] {
                        h.created(fd);
                    }
                    // End the body, as a guest does, so the worker sends the request (and fails at once).
                    if *status {
                        let mut st = wasix_sys::HttpStatus::default();
                        // SAFETY: a valid out-pointer.
                        let e = unsafe { wasix_sys::http_status(got.response, &mut st) };
                        h.errno("http_status", e);
                    } else {
                        // SAFETY: no pointers.
                        let e = unsafe { wasix_sys::fd_close(got.request) };
                        h.errno("fd_close", e);
                    }
                }
            }
            NetCall::HttpStatus { fd: f, out } => {
                let mut st = Out::<wasix_sys::HttpStatus>::new(*out);
                // SAFETY: a harness out-pointer or null.
                let e = unsafe { wasix_sys::http_status(fd(f), st.ptr()) };
                h.result("http_status", e, &st);
            }
            NetCall::WsConnect { url, out } => {
                let u = url.bytes();
                let mut p = Out::<Fd>::new(*out);
                // SAFETY: the URL's bytes with their length and an out-pointer (or null).
                let e = unsafe { wasix_sys::ws_connect(u.as_ptr(), u.len(), p.ptr()) };
                h.result("ws_connect", e, &p);
                if let Some(new) = p.get().filter(|_| e == Errno::SUCCESS) {
                    h.created(new);
                }
            }
            NetCall::Resolve { name, port, room, addrs_null, out } => {
                let (bytes, null) = name.bytes();
                let mut b = Bytes::input(&bytes, null);
                let room = usize::from(*room % 9);
                let mut addrs = vec![Addr::default(); room.max(1)];
                let p = if *addrs_null { std::ptr::null_mut() } else { addrs.as_mut_ptr() };
                let mut n = Out::<Size>::new(*out);
                // SAFETY: the name's bytes (or null) with their length; `addrs` has room for `room` entries.
                let e = unsafe { wasix_sys::resolve(b.ptr(), b.len, *port, p, room as Size, n.ptr()) };
                h.result("resolve", e, &n);
                if let Some(n) = n.get().filter(|_| e == Errno::SUCCESS) {
                    assert!(n as usize <= room, "resolve wrote {n} entries into room for {room}");
                }
            }
        }
    }
}
