//! The host facade (DESIGN §10): safe code makes every raw call as `host::<name>`, and this module decides
//! what that is on the host the crate runs on, so every safe API has the seed's semantics on every host.
//!
//! `host` re-exports all of `wasix_sys`; on wasm the Wasmer 7.x profile, [`wasmer`], shadows exactly the
//! functions it adapts (an explicit `use` wins over a glob), so its `use` line below is its table of
//! contents, and a new host quirk touches the profile alone, never a call site. Natively the simulator
//! implements the seed, so the raw functions are used as they are. Every errno a raw call returns goes
//! through [`errno`] (via `conv::result`).
//!
//! The profile also builds natively for this crate's unit tests, which walk the seed's rules through it.

pub(crate) use wasix_sys::*;

#[cfg(any(target_family = "wasm", test))]
#[cfg_attr(not(target_family = "wasm"), allow(dead_code, unused_imports))]
mod wasmer;

#[cfg(target_family = "wasm")]
pub(crate) use wasmer::HTTP_TRANSPORT;
#[cfg(target_family = "wasm")]
pub(crate) use wasmer::{
    callback_signal, clock_time_set, dirent_type, errno, fd_advise, fd_allocate, fd_datasync, fd_fdstat_set_flags,
    fd_filestat_get, fd_filestat_set_size, fd_filestat_set_times, fd_pread, fd_prestat_dir_name, fd_pwrite, fd_read,
    fd_readdir, fd_renumber, fd_seek, fd_sync, fd_tell, fd_write, futex_wait, getcwd, path_create_directory,
    path_filestat_get, path_filestat_set_times, path_link, path_open, path_readlink, path_remove_directory,
    path_rename, path_symlink, path_unlink_file, poll_oneoff, proc_exec, proc_fork, proc_join, proc_parent, proc_raise,
    proc_raise_interval, proc_signal, proc_spawn, resolve, signal_from_host, sock_accept, sock_addr_local,
    sock_addr_peer, sock_bind, sock_connect, sock_get_opt_size, sock_listen, sock_open, sock_recv, sock_recv_from,
    sock_send, sock_send_file, sock_send_to, sock_shutdown, thread_exit, thread_join, thread_local_create,
    thread_local_get, thread_local_set, thread_signal, thread_spawn,
};

#[cfg(not(target_family = "wasm"))]
pub(crate) use native::{dirent_type, errno, signal_from_host, HTTP_TRANSPORT};

/// What the profile adds to the raw calls, natively: nothing.
#[cfg(not(target_family = "wasm"))]
mod native {
    /// The simulator reports every entry's type.
    #[inline(always)]
    pub(crate) fn dirent_type(_dir: wasix_sys::Fd, _name: &[u8], reported: wasix_sys::Filetype) -> wasix_sys::Filetype {
        reported
    }

    /// The simulator numbers signals as the seed does.
    #[inline(always)]
    pub(crate) fn signal_from_host(sig: wasix_sys::Signal) -> wasix_sys::Signal {
        sig
    }

    /// The simulator serves `http_request`, `http_status` and `ws_connect`.
    pub(crate) const HTTP_TRANSPORT: crate::http::Transport = crate::http::Transport::Host;

    /// The simulator returns only errno values the seed defines.
    #[inline(always)]
    pub(crate) fn errno(e: wasix_sys::Errno) -> wasix_sys::Errno {
        e
    }
}
