/*
 * internal.h: what the shim's C files share. The WASIX calls are made only through the wasix_host_*
 * functions, the Rust wasix crate's exports of its host facade (wasix/src/c_shim.rs): natively the
 * simulator, on wasm32 the Wasmer profile with every translation it holds. Each is declared with the
 * generated header's own prototype of the raw call (__typeof__), so no signature is written twice. The
 * generated __wasix_* functions themselves are never called from here: on wasm32 they are the raw imports,
 * without the profile.
 */
#ifndef WASIX_SHIM_INTERNAL_H
#define WASIX_SHIM_INTERNAL_H

#include <wasix/api.h>
#include <wasix/posix.h>

#include <errno.h>

#define WASIX_HOST(name) extern __typeof__(__wasix_##name) wasix_host_##name
WASIX_HOST(clock_time_get);
WASIX_HOST(fd_close);
WASIX_HOST(fd_read);
WASIX_HOST(fd_write);
WASIX_HOST(fd_pipe);
WASIX_HOST(fd_dup);
WASIX_HOST(fd_renumber);
WASIX_HOST(fd_event);
WASIX_HOST(fd_fdstat_get);
WASIX_HOST(fd_fdstat_set_flags);
WASIX_HOST(getcwd);
WASIX_HOST(chdir);
WASIX_HOST(tty_get);
WASIX_HOST(tty_set);
WASIX_HOST(futex_wait);
WASIX_HOST(futex_wake);
WASIX_HOST(futex_wake_all);
WASIX_HOST(poll_oneoff);
WASIX_HOST(proc_id);
WASIX_HOST(proc_parent);
_Noreturn WASIX_HOST(proc_exit);
WASIX_HOST(proc_signal);
WASIX_HOST(proc_raise);
WASIX_HOST(proc_raise_interval);
WASIX_HOST(proc_fork);
_Noreturn WASIX_HOST(proc_exec);
WASIX_HOST(proc_spawn);
WASIX_HOST(proc_join);
WASIX_HOST(sock_open);
WASIX_HOST(sock_bind);
WASIX_HOST(sock_listen);
WASIX_HOST(sock_accept);
WASIX_HOST(sock_connect);
WASIX_HOST(sock_send);
WASIX_HOST(sock_recv);
WASIX_HOST(sock_send_to);
WASIX_HOST(sock_recv_from);
WASIX_HOST(sock_shutdown);
WASIX_HOST(sock_set_opt_flag);
WASIX_HOST(sock_get_opt_flag);
WASIX_HOST(sock_set_opt_time);
WASIX_HOST(sock_get_opt_time);
WASIX_HOST(sock_set_opt_size);
WASIX_HOST(sock_get_opt_size);
WASIX_HOST(sock_addr_local);
WASIX_HOST(sock_addr_peer);
WASIX_HOST(resolve);
#undef WASIX_HOST

/* Sets (in Rust, through wasix::signal) whether the seed's signal `sig` is delivered to
 * wasix_shim_signal_dispatch (install != 0) or takes its default action; returns the WASIX errno. */
__wasix_errno_t wasix_shim_signal_route(__wasix_signal_t sig, int install);
/* Called by the Rust side with the seed's number of a signal routed to C. */
void wasix_shim_signal_dispatch(__wasix_signal_t sig);

/* errno.c: the POSIX errno of a WASIX one; failing with it (errno set, -1 returned). */
int wasix_shim_errno(__wasix_errno_t e);
int wasix_shim_fail(__wasix_errno_t e);
int wasix_shim_fail_with(int posix_errno);

/* signal.c: a POSIX signal number to the seed's (__WASIX_SIGNAL_NONE for one WASIX lacks) and back. */
__wasix_signal_t wasix_shim_signal_to_seed(int sig);
int wasix_shim_signal_from_seed(__wasix_signal_t sig);

/* socket.c: writes the C sockaddr of a seed addr_port into (sa, *len) (POSIX truncation); 0 or EFAULT. */
int wasix_shim_from_addr_port(const __wasix_addr_port_t *ap, struct sockaddr *sa, socklen_t *len);

/* On wasm32 the POSIX name of a function wasi-libc lacks, as an alias of its wasix_ function. */
#if defined(__wasi__)
#define WASIX_POSIX_ALIAS(name) __typeof__(wasix_##name) name __attribute__((alias("wasix_" #name)))
#else
#define WASIX_POSIX_ALIAS(name) _Static_assert(1, #name)
#endif

#endif
