//! Bad input and misuse: families and types the host cannot open, a closed port, `listen` on UDP, sends
//! after a shutdown, and calls on sockets in the wrong state.

use crate::{closed_port, connected_pair, LOOPBACKS};
use std::io::Write;
use std::time::Duration;
use wasix::fd::{self, Rights};
use wasix::io::Errno;
use wasix::net::{AddressFamily, Shutdown, SockProto, SockType, Socket, TcpListener, TcpStream};

fn open(family: AddressFamily, ty: SockType) -> Result<Socket, Errno> {
    Socket::new(family, ty, SockProto::IP)
}

#[test]
fn unknown_families_and_types_are_inval() {
    assert_eq!(open(AddressFamily::from_raw(9), SockType::SOCKET_STREAM).err(), Some(Errno::INVAL));
    assert_eq!(open(AddressFamily::INET4, SockType::from_raw(9)).err(), Some(Errno::INVAL));
}

#[test]
fn families_and_types_the_host_cannot_open_are_refused() {
    assert_eq!(open(AddressFamily::UNIX, SockType::SOCKET_STREAM).err(), Some(Errno::AFNOSUPPORT));
    assert_eq!(open(AddressFamily::UNSPEC, SockType::SOCKET_STREAM).err(), Some(Errno::AFNOSUPPORT));
    assert_eq!(open(AddressFamily::INET4, SockType::SOCKET_RAW).err(), Some(Errno::NOTSUP));
    assert_eq!(open(AddressFamily::INET4, SockType::SOCKET_SEQPACKET).err(), Some(Errno::NOTSUP));
}

#[test]
fn connecting_to_a_closed_port_is_connrefused() {
    for at in LOOPBACKS {
        let to = closed_port(at);
        assert_eq!(TcpStream::connect(to).err(), Some(Errno::CONNREFUSED), "{at}");
        assert_eq!(TcpStream::connect_timeout(&to, Duration::from_secs(5)).err(), Some(Errno::CONNREFUSED), "{at}");
    }
}

#[test]
fn udp_sockets_cannot_listen() {
    let u = open(AddressFamily::INET4, SockType::SOCKET_DGRAM).unwrap();
    u.bind(&"127.0.0.1:0".parse().unwrap()).unwrap();
    assert_eq!(u.listen(1), Err(Errno::NOTSUP));
}

#[test]
fn a_send_after_shutting_down_writing_is_pipe() {
    let (_listener, mut client, _server) = connected_pair(LOOPBACKS[0]);
    client.shutdown(Shutdown::Write).unwrap();
    let err = client.write(b"late").unwrap_err();
    assert_eq!(Errno::from_io_error(&err), Some(Errno::PIPE), "{err}");
}

#[test]
fn a_zero_connect_timeout_is_inval() {
    let listener = TcpListener::bind(LOOPBACKS[0]).unwrap();
    let to = listener.local_addr().unwrap();
    assert_eq!(TcpStream::connect_timeout(&to, Duration::ZERO).err(), Some(Errno::INVAL));
}

#[test]
fn an_unconnected_stream_has_no_peer() {
    let s = open(AddressFamily::INET4, SockType::SOCKET_STREAM).unwrap();
    assert_eq!(s.peer_addr().err(), Some(Errno::NOTCONN));
}

#[test]
fn a_socket_without_a_calls_right_refuses_it_with_notcapable() {
    let (_listener, client, _server) = connected_pair(LOOPBACKS[0]);
    let st = fd::fdstat(&client).unwrap();
    assert!(st.rights_base.contains(Rights::SOCK_SEND | Rights::SOCK_RECV | Rights::SOCK_SHUTDOWN), "{st:?}");
    let without = st.rights_base - Rights::SOCK_SEND - Rights::SOCK_SHUTDOWN - Rights::SOCK_ADDR_REMOTE;
    fd::set_rights(&client, without, st.rights_inheriting).unwrap();
    let err = (&client).write(b"x").unwrap_err();
    assert_eq!(Errno::from_io_error(&err), Some(Errno::NOTCAPABLE), "{err}");
    assert_eq!(client.shutdown(Shutdown::Write).err(), Some(Errno::NOTCAPABLE));
    assert_eq!(client.peer_addr().err(), Some(Errno::NOTCAPABLE));
    assert!(client.local_addr().is_ok(), "the rights left still serve");
}
