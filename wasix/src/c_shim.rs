//! The raw calls, as the safe layer makes them, exported to C for `wasix-libc-shim` (DESIGN §7; compiled
//! only with this crate's `c-shim` feature, which the shim turns on).
//!
//! Each `wasix_host_<name>` has the seed's signature of `<name>` (the C side declares it with
//! `__typeof__(__wasix_<name>)`, the generated header's own prototype) and calls `crate::host::<name>`:
//! natively the simulator, on wasm the Wasmer profile (`host/wasmer/`), whose errnos then go through the
//! profile's `errno` mapping like every safe call's. So the C functions get the seed's
//! semantics on every host from the one profile, and never a second copy of a Wasmer fact: the list below
//! holds names and signatures only (the compiler holds each to the raw function it forwards to).
//!
//! These are the only unmangled symbols the crate defines, and only under the feature.

#![allow(unsafe_code)] // Every item forwards a raw call with the caller's pointers.

use crate::host;
use wasix_sys::*;

/// Defines `wasix_host_$name` for each function, forwarding to `host::$name` ([`export`] by return type).
macro_rules! forward {
    ($( fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ident; )*) => {$(
        export! { $name ($($arg: $ty),*) -> $ret }
    )*};
}

/// One export, its symbol spelled by `concat!` in `export_name`: an errno is mapped as every safe call's
/// is, a bus error passed on, and a call that never returns may unwind (`C-unwind`).
macro_rules! export {
    ($name:ident ($($arg:ident: $ty:ty),*) -> Errno) => {
        #[doc = concat!("`", stringify!($name), "` with the host profile's translations, for C.")]
        ///
        /// # Safety
        #[doc = concat!("As for [`wasix_sys::", stringify!($name), "`].")]
        #[export_name = concat!("wasix_host_", stringify!($name))]
        pub unsafe extern "C" fn $name($($arg: $ty),*) -> Errno {
            // SAFETY: forwarded contract.
            host::errno(unsafe { host::$name($($arg),*) })
        }
    };
    ($name:ident ($($arg:ident: $ty:ty),*) -> BusError) => {
        #[doc = concat!("`", stringify!($name), "` with the host profile's translations, for C.")]
        ///
        /// # Safety
        #[doc = concat!("As for [`wasix_sys::", stringify!($name), "`].")]
        #[export_name = concat!("wasix_host_", stringify!($name))]
        pub unsafe extern "C" fn $name($($arg: $ty),*) -> BusError {
            // SAFETY: forwarded contract.
            unsafe { host::$name($($arg),*) }
        }
    };
    ($name:ident ($($arg:ident: $ty:ty),*) -> Never) => {
        #[doc = concat!("`", stringify!($name), "` with the host profile's translations, for C (it never returns;")]
        /// natively it unwinds to `Sim::run_main` in a scoped instance, hence `C-unwind`).
        ///
        /// # Safety
        #[doc = concat!("As for [`wasix_sys::", stringify!($name), "`].")]
        #[export_name = concat!("wasix_host_", stringify!($name))]
        pub unsafe extern "C-unwind" fn $name($($arg: $ty),*) -> ! {
            // SAFETY: forwarded contract.
            unsafe { host::$name($($arg),*) }
        }
    };
}

forward! {
    fn clock_time_get(id: Clockid, precision: Timestamp, ret: *mut Timestamp) -> Errno;
    fn fd_close(fd: Fd) -> Errno;
    fn fd_read(fd: Fd, iovs: *const Iovec, iovs_len: usize, ret: *mut Size) -> Errno;
    fn fd_write(fd: Fd, iovs: *const Ciovec, iovs_len: usize, ret: *mut Size) -> Errno;
    fn fd_pipe(ret0: *mut Fd, ret1: *mut Fd) -> Errno;
    fn fd_dup(fd: Fd, ret: *mut Fd) -> Errno;
    fn fd_renumber(fd: Fd, to: Fd) -> Errno;
    fn fd_event(initial_val: u64, flags: Eventfdflags, ret: *mut Fd) -> Errno;
    fn fd_fdstat_get(fd: Fd, ret: *mut Fdstat) -> Errno;
    fn fd_fdstat_set_flags(fd: Fd, flags: Fdflags) -> Errno;
    fn getcwd(path: *mut u8, path_len: *mut Pointersize) -> Errno;
    fn chdir(path: *const u8, path_len: usize) -> Errno;
    fn tty_get(state: *mut Tty) -> Errno;
    fn tty_set(state: *mut Tty) -> Errno;
    fn futex_wait(futex: *mut u32, expected: u32, timeout: *const OptionTimestamp, ret: *mut Bool) -> Errno;
    fn futex_wake(futex: *mut u32, ret: *mut Bool) -> Errno;
    fn futex_wake_all(futex: *mut u32, ret: *mut Bool) -> Errno;
    fn poll_oneoff(r#in: *const Subscription, out: *mut Event, nsubscriptions: Size, ret: *mut Size) -> Errno;
    fn proc_id(ret: *mut Pid) -> Errno;
    fn proc_parent(pid: Pid, ret: *mut Pid) -> Errno;
    fn proc_exit(rval: Exitcode) -> Never;
    fn proc_signal(pid: Pid, signal: Signal) -> Errno;
    fn proc_raise(sig: Signal) -> Errno;
    fn proc_raise_interval(sig: Signal, interval: Timestamp, repeat: Bool) -> Errno;
    fn proc_fork(copy_memory: Bool, ret: *mut Pid) -> Errno;
    fn proc_exec(name: *const u8, name_len: usize, args: *const u8, args_len: usize) -> Never;
    fn proc_spawn(
        name: *const u8, name_len: usize, chroot: Bool, args: *const u8, args_len: usize, preopen: *const u8,
        preopen_len: usize, stdin: StdioMode, stdout: StdioMode, stderr: StdioMode, working_dir: *const u8,
        working_dir_len: usize, ret: *mut ProcessHandles,
    ) -> BusError;
    fn proc_join(pid: *mut Pid, ret: *mut Exitcode) -> Errno;
    fn sock_open(af: AddressFamily, socktype: SockType, sock_proto: SockProto, ret: *mut Fd) -> Errno;
    fn sock_bind(fd: Fd, addr: *const AddrPort) -> Errno;
    fn sock_listen(fd: Fd, backlog: Size) -> Errno;
    fn sock_accept(fd: Fd, flags: Fdflags, ret0: *mut Fd, ret1: *mut AddrPort) -> Errno;
    fn sock_connect(fd: Fd, addr: *const AddrPort) -> Errno;
    fn sock_send(fd: Fd, si_data: *const Ciovec, si_data_len: usize, si_flags: Siflags, ret: *mut Size) -> Errno;
    fn sock_recv(
        fd: Fd, ri_data: *const Iovec, ri_data_len: usize, ri_flags: Riflags, ret0: *mut Size, ret1: *mut Roflags,
    ) -> Errno;
    fn sock_send_to(
        fd: Fd, si_data: *const Ciovec, si_data_len: usize, si_flags: Siflags, addr: *const AddrPort, ret: *mut Size,
    ) -> Errno;
    fn sock_recv_from(
        fd: Fd, ri_data: *const Iovec, ri_data_len: usize, ri_flags: Riflags, ret0: *mut Size, ret1: *mut Roflags,
        ret2: *mut AddrPort,
    ) -> Errno;
    fn sock_shutdown(fd: Fd, how: Sdflags) -> Errno;
    fn sock_set_opt_flag(fd: Fd, sockopt: SockOption, flag: Bool) -> Errno;
    fn sock_get_opt_flag(fd: Fd, sockopt: SockOption, ret: *mut Bool) -> Errno;
    fn sock_set_opt_time(fd: Fd, sockopt: SockOption, timeout: *const OptionTimestamp) -> Errno;
    fn sock_get_opt_time(fd: Fd, sockopt: SockOption, ret: *mut OptionTimestamp) -> Errno;
    fn sock_set_opt_size(fd: Fd, sockopt: SockOption, size: Filesize) -> Errno;
    fn sock_get_opt_size(fd: Fd, sockopt: SockOption, ret: *mut Filesize) -> Errno;
    fn sock_addr_local(fd: Fd, ret: *mut AddrPort) -> Errno;
    fn sock_addr_peer(fd: Fd, ret: *mut AddrPort) -> Errno;
    fn resolve(host: *const u8, host_len: usize, port: u16, addrs: *mut Addr, naddrs: Size, ret: *mut Size) -> Errno;
}
