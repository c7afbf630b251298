//! The native backend's contract: the simulator's function for every raw function, by witx name, grouped
//! by the `wasix` subsystem it serves (as mio's `sys/mod.rs` lists what a backend provides). The generated
//! wrappers call `backend::<name>`, so each must exist here with the ABI's exact signature, or the crate does
//! not compile; a function is defined in `sim/<subsystem>/<file>.rs`, the mirror of
//! `wasix::<subsystem>::<file>`, or, while it is not served, in `sim/not_served.rs`.

// wasix::env: arguments, environment, current directory.
pub(crate) use super::env::{args_get, args_sizes_get, chdir, environ_get, environ_sizes_get, getcwd};
// wasix::time.
pub(crate) use super::time::{clock_res_get, clock_time_get, clock_time_set};
// wasix::random.
pub(crate) use super::random::random_get;
// wasix::process.
pub(crate) use super::process::child::proc_join;
pub(crate) use super::process::exec::proc_exec;
pub(crate) use super::process::fork::proc_fork;
pub(crate) use super::process::spawn::proc_spawn;
pub(crate) use super::process::{proc_exit, proc_id, proc_parent, sched_yield};
// wasix::signal.
pub(crate) use super::signal::{callback_signal, proc_raise, proc_raise_interval, proc_signal, thread_signal};
// wasix::fd.
pub(crate) use super::fd::dup::{fd_dup, fd_renumber};
pub(crate) use super::fd::event::fd_event;
pub(crate) use super::fd::fdstat::{fd_fdstat_get, fd_fdstat_set_flags, fd_fdstat_set_rights};
pub(crate) use super::fd::ops::{fd_close, fd_read, fd_write};
pub(crate) use super::fd::pipe::fd_pipe;
pub(crate) use super::fd::preopen::{fd_prestat_dir_name, fd_prestat_get};
// wasix::fs.
pub(crate) use super::fs::file::{
    fd_advise, fd_allocate, fd_datasync, fd_filestat_get, fd_filestat_set_size, fd_filestat_set_times, fd_pread,
    fd_pwrite, fd_seek, fd_sync, fd_tell,
};
pub(crate) use super::fs::open::path_open;
pub(crate) use super::fs::path::{
    path_create_directory, path_filestat_get, path_filestat_set_times, path_link, path_readlink, path_remove_directory,
    path_rename, path_symlink, path_unlink_file,
};
pub(crate) use super::fs::read_dir::fd_readdir;
// wasix::net.
pub(crate) use super::net::io::{sock_recv, sock_recv_from, sock_send, sock_send_file, sock_send_to};
pub(crate) use super::net::multicast::{
    sock_join_multicast_v4, sock_join_multicast_v6, sock_leave_multicast_v4, sock_leave_multicast_v6,
};
pub(crate) use super::net::options::{
    sock_get_opt_flag, sock_get_opt_size, sock_get_opt_time, sock_set_opt_flag, sock_set_opt_size, sock_set_opt_time,
};
pub(crate) use super::net::resolve::resolve;
pub(crate) use super::net::socket::{
    sock_accept, sock_addr_local, sock_addr_peer, sock_bind, sock_connect, sock_listen, sock_open, sock_shutdown,
    sock_status,
};
// wasix::http and wasix::ws.
pub(crate) use super::http::request::{http_request, http_status};
pub(crate) use super::http::ws::ws_connect;
// wasix::bus.
pub(crate) use super::bus::call::{bus_call, bus_subcall, call_close, call_fault, call_reply};
pub(crate) use super::bus::local::{bus_close, bus_open_local};
pub(crate) use super::bus::poll::bus_poll;
pub(crate) use super::bus::remote::bus_open_remote;
// wasix::poll.
pub(crate) use super::poll::poll_oneoff;
// wasix::port.
pub(crate) use super::port::{
    port_addr_add, port_addr_clear, port_addr_list, port_addr_remove, port_bridge, port_dhcp_acquire, port_gateway_set,
    port_mac, port_route_add, port_route_clear, port_route_list, port_route_remove, port_unbridge,
};
// wasix::tty.
pub(crate) use super::tty::{tty_get, tty_set};
// wasix::thread and wasix::sync.
pub(crate) use super::sync::futex::{futex_wait, futex_wake, futex_wake_all};
pub(crate) use super::thread::local::{thread_local_create, thread_local_destroy, thread_local_get, thread_local_set};
pub(crate) use super::thread::spawn::{
    callback_reactor, callback_thread, callback_thread_local_destroy, thread_exit, thread_id, thread_join, thread_spawn,
};
pub(crate) use super::thread::{thread_parallelism, thread_sleep};

// Not served yet (planned) or at all (unsupported); see the support table.
// The stack snapshots (unsupported).
pub(crate) use super::not_served::{stack_checkpoint, stack_restore};
