/*
 * wasix/posix.h: POSIX-style C functions over WASIX (DESIGN §7), the same source natively (over the
 * simulator) and on wasm32 (over the WASIX host, e.g. Wasmer).
 *
 * Names. Every function is declared here as wasix_<posix name> (wasix__exit for _exit), so natively the
 * shim never interposes the host C library's own symbols. A program that wants the POSIX names defines
 *
 *     #define WASIX_POSIX_NAMES
 *
 * before including this header: each POSIX name (socket, read, close, struct-free names such as
 * posix_spawn_file_actions_t) is then a macro for its wasix_ function or type, on both targets. On wasm32
 * the library also defines the POSIX names themselves (aliases of the wasix_ functions) for every function
 * wasi-libc does not define, so a program built without the macro links too; where wasi-libc has its own
 * (accept, accept4, recv, send, shutdown, poll, read, write, close, chdir, getcwd, isatty, _exit) the
 * POSIX name stays wasi-libc's and the WASIX one is reached as wasix_<name> or through the macro.
 *
 * Semantics. Each function makes the seed's WASIX calls through the host profile (the Rust wasix crate's
 * wasix_host_* exports), so it behaves alike on every host. Failures return -1 (or the documented value)
 * and set errno to the C library's own POSIX value, mapped from the WASIX errno in one table (errno.c).
 * fds are WASIX fds: natively the simulator's, never the host process's, so a program that asks for the
 * POSIX names gets read/write/close/poll over WASIX too.
 */
#ifndef WASIX_POSIX_H
#define WASIX_POSIX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#if defined(__wasi__)
#include <wasix/compat.h>
#else
#include <netdb.h>
#include <signal.h>
#include <termios.h>
#include <sys/wait.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* fds and processes */
ssize_t wasix_read(int fd, void *buf, size_t len);
ssize_t wasix_write(int fd, const void *buf, size_t len);
int wasix_close(int fd);
int wasix_pipe(int fds[2]);
int wasix_dup(int fd);
int wasix_dup2(int fd, int to);
char *wasix_getcwd(char *buf, size_t size);
int wasix_chdir(const char *path);
int wasix_isatty(int fd);
int wasix_tcgetattr(int fd, struct termios *t);
int wasix_tcsetattr(int fd, int when, const struct termios *t);
int wasix_eventfd(unsigned int initval, int flags);
int wasix_poll(struct pollfd *fds, nfds_t nfds, int timeout_ms);

/* Futexes. wasix_futex_wait waits while *addr == expected (timeout NULL: forever); returns 0 when woken,
 * -1 with ETIMEDOUT or EAGAIN (*addr was not expected). The wakes return how many waiters they woke
 * (WASIX says only whether one was: 0 or 1). */
int wasix_futex_wait(uint32_t *addr, uint32_t expected, const struct timespec *timeout);
int wasix_futex_wake(uint32_t *addr);
int wasix_futex_wake_all(uint32_t *addr);

pid_t wasix_getpid(void);
pid_t wasix_getppid(void);
_Noreturn void wasix__exit(int status);
int wasix_kill(pid_t pid, int sig);
int wasix_raise(int sig);
void (*wasix_signal(int sig, void (*handler)(int)))(int);
int wasix_sigaction(int sig, const struct sigaction *act, struct sigaction *old);
unsigned wasix_alarm(unsigned seconds);
int wasix_setitimer(int which, const struct itimerval *value, struct itimerval *old);

pid_t wasix_fork(void);
int wasix_execv(const char *path, char *const argv[]);
int wasix_execvp(const char *file, char *const argv[]);
pid_t wasix_waitpid(pid_t pid, int *status, int options);
pid_t wasix_wait(int *status);

/* posix_spawn: file actions for the three standard streams only (adddup2 onto 0, 1 or 2, addclose of 0,
 * 1 or 2); attributes carry nothing WASIX can apply and are accepted empty. */
typedef struct {
    int __dup_from[3]; /* the fd a stream is duplicated from, -1: inherited, -2: closed */
} wasix_posix_spawn_file_actions_t;
typedef struct {
    int __flags;
} wasix_posix_spawnattr_t;
int wasix_posix_spawn_file_actions_init(wasix_posix_spawn_file_actions_t *fa);
int wasix_posix_spawn_file_actions_destroy(wasix_posix_spawn_file_actions_t *fa);
int wasix_posix_spawn_file_actions_adddup2(wasix_posix_spawn_file_actions_t *fa, int fd, int to);
int wasix_posix_spawn_file_actions_addclose(wasix_posix_spawn_file_actions_t *fa, int fd);
int wasix_posix_spawnattr_init(wasix_posix_spawnattr_t *attr);
int wasix_posix_spawnattr_destroy(wasix_posix_spawnattr_t *attr);
int wasix_posix_spawn(pid_t *pid, const char *path, const wasix_posix_spawn_file_actions_t *fa,
                      const wasix_posix_spawnattr_t *attr, char *const argv[], char *const envp[]);
int wasix_posix_spawnp(pid_t *pid, const char *file, const wasix_posix_spawn_file_actions_t *fa,
                       const wasix_posix_spawnattr_t *attr, char *const argv[], char *const envp[]);

/* sockets */
int wasix_socket(int domain, int type, int protocol);
int wasix_bind(int fd, const struct sockaddr *addr, socklen_t len);
int wasix_listen(int fd, int backlog);
int wasix_accept(int fd, struct sockaddr *addr, socklen_t *len);
int wasix_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
int wasix_connect(int fd, const struct sockaddr *addr, socklen_t len);
ssize_t wasix_send(int fd, const void *buf, size_t len, int flags);
ssize_t wasix_recv(int fd, void *buf, size_t len, int flags);
ssize_t wasix_sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *addr, socklen_t alen);
ssize_t wasix_recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *addr, socklen_t *alen);
int wasix_shutdown(int fd, int how);
int wasix_getsockopt(int fd, int level, int name, void *value, socklen_t *len);
int wasix_setsockopt(int fd, int level, int name, const void *value, socklen_t len);
int wasix_getsockname(int fd, struct sockaddr *addr, socklen_t *len);
int wasix_getpeername(int fd, struct sockaddr *addr, socklen_t *len);
int wasix_getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res);
void wasix_freeaddrinfo(struct addrinfo *res);
const char *wasix_gai_strerror(int code);

#if defined(__wasi__)
typedef wasix_posix_spawn_file_actions_t posix_spawn_file_actions_t;
typedef wasix_posix_spawnattr_t posix_spawnattr_t;
/* The POSIX names the library defines on wasm32 (wasi-libc declares few of them). */
int socket(int, int, int);
int bind(int, const struct sockaddr *, socklen_t);
int listen(int, int);
int connect(int, const struct sockaddr *, socklen_t);
ssize_t sendto(int, const void *, size_t, int, const struct sockaddr *, socklen_t);
ssize_t recvfrom(int, void *, size_t, int, struct sockaddr *, socklen_t *);
int getsockopt(int, int, int, void *, socklen_t *);
int setsockopt(int, int, int, const void *, socklen_t);
int getsockname(int, struct sockaddr *, socklen_t *);
int getpeername(int, struct sockaddr *, socklen_t *);
int getaddrinfo(const char *, const char *, const struct addrinfo *, struct addrinfo **);
void freeaddrinfo(struct addrinfo *);
const char *gai_strerror(int);
int pipe(int[2]);
int dup(int);
int dup2(int, int);
int tcgetattr(int, struct termios *);
int tcsetattr(int, int, const struct termios *);
pid_t getpid(void);
pid_t getppid(void);
int kill(pid_t, int);
int raise(int);
void (*signal(int, void (*)(int)))(int);
int sigaction(int, const struct sigaction *, struct sigaction *);
unsigned alarm(unsigned);
int setitimer(int, const struct itimerval *, struct itimerval *);
pid_t fork(void);
int execv(const char *, char *const[]);
int execvp(const char *, char *const[]);
pid_t waitpid(pid_t, int *, int);
pid_t wait(int *);
int posix_spawn_file_actions_init(posix_spawn_file_actions_t *);
int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *);
int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *, int, int);
int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *, int);
int posix_spawnattr_init(posix_spawnattr_t *);
int posix_spawnattr_destroy(posix_spawnattr_t *);
int posix_spawn(pid_t *, const char *, const posix_spawn_file_actions_t *, const posix_spawnattr_t *,
                char *const[], char *const[]);
int posix_spawnp(pid_t *, const char *, const posix_spawn_file_actions_t *, const posix_spawnattr_t *,
                 char *const[], char *const[]);
#endif

#ifdef __cplusplus
}
#endif

#ifdef WASIX_POSIX_NAMES
#define read wasix_read
#define write wasix_write
#define close wasix_close
#define pipe wasix_pipe
#define dup wasix_dup
#define dup2 wasix_dup2
#define getcwd wasix_getcwd
#define chdir wasix_chdir
#define isatty wasix_isatty
#define tcgetattr wasix_tcgetattr
#define tcsetattr wasix_tcsetattr
#define eventfd wasix_eventfd
#define poll wasix_poll
#define getpid wasix_getpid
#define getppid wasix_getppid
#define _exit wasix__exit
#define kill wasix_kill
#define raise wasix_raise
#define signal wasix_signal
#define sigaction(sig, act, old) wasix_sigaction(sig, act, old)
#define alarm wasix_alarm
#define setitimer wasix_setitimer
#define fork wasix_fork
#define execv wasix_execv
#define execvp wasix_execvp
#define waitpid wasix_waitpid
#define wait(status) wasix_wait(status)
#define posix_spawn_file_actions_t wasix_posix_spawn_file_actions_t
#define posix_spawnattr_t wasix_posix_spawnattr_t
#define posix_spawn_file_actions_init wasix_posix_spawn_file_actions_init
#define posix_spawn_file_actions_destroy wasix_posix_spawn_file_actions_destroy
#define posix_spawn_file_actions_adddup2 wasix_posix_spawn_file_actions_adddup2
#define posix_spawn_file_actions_addclose wasix_posix_spawn_file_actions_addclose
#define posix_spawnattr_init wasix_posix_spawnattr_init
#define posix_spawnattr_destroy wasix_posix_spawnattr_destroy
#define posix_spawn wasix_posix_spawn
#define posix_spawnp wasix_posix_spawnp
#define socket wasix_socket
#define bind wasix_bind
#define listen wasix_listen
#define accept wasix_accept
#define accept4 wasix_accept4
#define connect wasix_connect
#define send wasix_send
#define recv wasix_recv
#define sendto wasix_sendto
#define recvfrom wasix_recvfrom
#define shutdown wasix_shutdown
#define getsockopt wasix_getsockopt
#define setsockopt wasix_setsockopt
#define getsockname wasix_getsockname
#define getpeername wasix_getpeername
#define getaddrinfo wasix_getaddrinfo
#define freeaddrinfo wasix_freeaddrinfo
#define gai_strerror wasix_gai_strerror
#endif

#endif
