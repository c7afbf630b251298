/*
 * fd.c: reads and writes, pipe/dup/dup2, the current directory, the terminal (isatty, tcgetattr and
 * tcsetattr over the fields WASIX has: echo and line buffering), eventfd, poll and the futex wrappers.
 */
#include "internal.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

ssize_t wasix_read(int fd, void *buf, size_t len) {
    if (fd < 0) return wasix_shim_fail_with(EBADF);
    if (buf == NULL && len != 0) return wasix_shim_fail_with(EFAULT);
    if (len > UINT32_MAX) len = UINT32_MAX; /* a WASIX size is 32-bit: a short read, as POSIX allows */
    __wasix_iovec_t iov = { (uint8_t *)buf, len };
    __wasix_size_t n = 0;
    __wasix_errno_t e = wasix_host_fd_read((__wasix_fd_t)fd, &iov, 1, &n);
    return e ? wasix_shim_fail(e) : (ssize_t)n;
}

ssize_t wasix_write(int fd, const void *buf, size_t len) {
    if (fd < 0) return wasix_shim_fail_with(EBADF);
    if (buf == NULL && len != 0) return wasix_shim_fail_with(EFAULT);
    if (len > UINT32_MAX) len = UINT32_MAX;
    __wasix_ciovec_t iov = { (const uint8_t *)buf, len };
    __wasix_size_t n = 0;
    __wasix_errno_t e = wasix_host_fd_write((__wasix_fd_t)fd, &iov, 1, &n);
    return e ? wasix_shim_fail(e) : (ssize_t)n;
}

int wasix_close(int fd) {
    if (fd < 0) return wasix_shim_fail_with(EBADF);
    __wasix_errno_t e = wasix_host_fd_close((__wasix_fd_t)fd);
    return e ? wasix_shim_fail(e) : 0;
}

int wasix_pipe(int fds[2]) {
    if (fds == NULL) return wasix_shim_fail_with(EFAULT);
    __wasix_fd_t r, w;
    __wasix_errno_t e = wasix_host_fd_pipe(&r, &w);
    if (e) return wasix_shim_fail(e);
    if (r > INT_MAX || w > INT_MAX) {
        wasix_host_fd_close(r);
        wasix_host_fd_close(w);
        return wasix_shim_fail_with(EMFILE);
    }
    fds[0] = (int)r;
    fds[1] = (int)w;
    return 0;
}

int wasix_dup(int fd) {
    if (fd < 0) return wasix_shim_fail_with(EBADF);
    __wasix_fd_t out;
    __wasix_errno_t e = wasix_host_fd_dup((__wasix_fd_t)fd, &out);
    if (e) return wasix_shim_fail(e);
    if (out > INT_MAX) {
        wasix_host_fd_close(out);
        return wasix_shim_fail_with(EMFILE);
    }
    return (int)out;
}

/* fd_dup, then fd_renumber of the copy onto `to` (which closes what `to` was): `fd` stays open, as POSIX
 * says; the copy is closed if the renumbering fails. */
int wasix_dup2(int fd, int to) {
    if (fd < 0 || to < 0) return wasix_shim_fail_with(EBADF);
    if (fd == to) {
        __wasix_fdstat_t st;
        __wasix_errno_t e = wasix_host_fd_fdstat_get((__wasix_fd_t)fd, &st);
        return e ? wasix_shim_fail(e) : to;
    }
    __wasix_fd_t copy;
    __wasix_errno_t e = wasix_host_fd_dup((__wasix_fd_t)fd, &copy);
    if (e) return wasix_shim_fail(e);
    e = wasix_host_fd_renumber(copy, (__wasix_fd_t)to);
    if (e) {
        wasix_host_fd_close(copy);
        return wasix_shim_fail(e);
    }
    return to;
}

/* POSIX getcwd; a NULL buffer (the glibc and musl extension) is allocated, `size` bytes or as needed. */
char *wasix_getcwd(char *buf, size_t size) {
    if (buf != NULL && size == 0) {
        errno = EINVAL;
        return NULL;
    }
    char *out = buf;
    size_t cap = buf != NULL ? size : (size != 0 ? size : 256);
    for (;;) {
        if (buf == NULL) {
            char *grown = realloc(out, cap);
            if (grown == NULL) {
                free(out);
                errno = ENOMEM;
                return NULL;
            }
            out = grown;
        }
        /* One byte is kept for the terminating NUL. */
        __wasix_pointersize_t len = cap - 1;
        __wasix_errno_t e = wasix_host_getcwd((uint8_t *)out, &len);
        if (e == __WASIX_ERRNO_SUCCESS) {
            if (len > cap - 1) len = cap - 1;
            out[len] = '\0';
            out[strnlen(out, len)] = '\0';
            return out;
        }
        if (e == __WASIX_ERRNO_OVERFLOW && buf == NULL && size == 0 && cap < (1u << 20)) {
            cap = len + 1 > cap * 2 ? len + 1 : cap * 2;
            continue;
        }
        if (buf == NULL) free(out);
        errno = e == __WASIX_ERRNO_OVERFLOW ? ERANGE : wasix_shim_errno(e);
        return NULL;
    }
}

int wasix_chdir(const char *path) {
    if (path == NULL) return wasix_shim_fail_with(EFAULT);
    size_t len = strlen(path);
    if (len == 0) return wasix_shim_fail_with(ENOENT);
    __wasix_errno_t e = wasix_host_chdir(path, len);
    return e ? wasix_shim_fail(e) : 0;
}

/* Whether `fd` is a terminal: WASIX says so for the three standard streams (tty_get); any other open fd
 * is not one (ENOTTY), a closed one EBADF. Returns 1, or 0 with errno set. */
static int tty_of(int fd, __wasix_tty_t *tty) {
    if (fd < 0) {
        errno = EBADF;
        return 0;
    }
    __wasix_fdstat_t st;
    __wasix_errno_t e = wasix_host_fd_fdstat_get((__wasix_fd_t)fd, &st);
    if (e) {
        errno = wasix_shim_errno(e);
        return 0;
    }
    if (fd > 2) {
        errno = ENOTTY;
        return 0;
    }
    e = wasix_host_tty_get(tty);
    if (e) {
        errno = e == __WASIX_ERRNO_NOSYS || e == __WASIX_ERRNO_NOTSUP ? ENOTTY : wasix_shim_errno(e);
        return 0;
    }
    __wasix_bool_t is = fd == 0 ? tty->stdin_tty : fd == 1 ? tty->stdout_tty : tty->stderr_tty;
    if (!is) {
        errno = ENOTTY;
        return 0;
    }
    return 1;
}

int wasix_isatty(int fd) {
    __wasix_tty_t tty;
    return tty_of(fd, &tty);
}

int wasix_tcgetattr(int fd, struct termios *t) {
    if (t == NULL) return wasix_shim_fail_with(EFAULT);
    __wasix_tty_t tty;
    if (!tty_of(fd, &tty)) return -1;
    memset(t, 0, sizeof *t);
    t->c_lflag = (tty.echo ? ECHO : 0) | (tty.line_buffered ? ICANON : 0);
    return 0;
}

/* Only ECHO and ICANON of c_lflag reach the terminal: the rest has no WASIX field and is ignored. */
int wasix_tcsetattr(int fd, int when, const struct termios *t) {
    if (t == NULL) return wasix_shim_fail_with(EFAULT);
    if (when != TCSANOW && when != TCSADRAIN && when != TCSAFLUSH) return wasix_shim_fail_with(EINVAL);
    __wasix_tty_t tty;
    if (!tty_of(fd, &tty)) return -1;
    tty.echo = (t->c_lflag & ECHO) ? __WASIX_BOOL_TRUE : __WASIX_BOOL_FALSE;
    tty.line_buffered = (t->c_lflag & ICANON) ? __WASIX_BOOL_TRUE : __WASIX_BOOL_FALSE;
    __wasix_errno_t e = wasix_host_tty_set(&tty);
    return e ? wasix_shim_fail(e) : 0;
}

/* EFD_CLOEXEC is accepted and means nothing: WASIX has no exec that keeps fds by a flag. */
int wasix_eventfd(unsigned int initval, int flags) {
    if (flags & ~(EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC)) return wasix_shim_fail_with(EINVAL);
    __wasix_fd_t fd;
    __wasix_errno_t e =
        wasix_host_fd_event(initval, (flags & EFD_SEMAPHORE) ? __WASIX_EVENTFDFLAGS_SEMAPHORE : 0, &fd);
    if (e) return wasix_shim_fail(e);
    if (flags & EFD_NONBLOCK) e = wasix_host_fd_fdstat_set_flags(fd, __WASIX_FDFLAGS_NONBLOCK);
    if (e == __WASIX_ERRNO_SUCCESS && fd > INT_MAX) e = __WASIX_ERRNO_MFILE;
    if (e) {
        wasix_host_fd_close(fd);
        return wasix_shim_fail(e);
    }
    return (int)fd;
}

/* poll over poll_oneoff: one subscription per event asked for (POLLIN: fd_read, POLLOUT: fd_write), its
 * userdata the pollfd's index, and a relative monotonic clock for the timeout. */
int wasix_poll(struct pollfd *fds, nfds_t nfds, int timeout_ms) {
    if (fds == NULL && nfds != 0) return wasix_shim_fail_with(EFAULT);
    if (nfds > 1024) return wasix_shim_fail_with(EINVAL);
    size_t max = (size_t)nfds * 2 + 1;
    __wasix_subscription_t *subs = calloc(max, sizeof *subs);
    __wasix_event_t *events = calloc(max, sizeof *events);
    if (subs == NULL || events == NULL) {
        free(subs);
        free(events);
        return wasix_shim_fail_with(ENOMEM);
    }
    size_t n = 0;
    for (nfds_t i = 0; i < nfds; i++) {
        fds[i].revents = 0;
        if (fds[i].fd < 0) continue;
        if (fds[i].events & POLLIN) {
            subs[n].userdata = i;
            subs[n].u.tag = __WASIX_SUBSCRIPTION_U_TAG_FD_READ;
            subs[n++].u.u.fd_read.file_descriptor = (__wasix_fd_t)fds[i].fd;
        }
        if (fds[i].events & POLLOUT) {
            subs[n].userdata = i;
            subs[n].u.tag = __WASIX_SUBSCRIPTION_U_TAG_FD_WRITE;
            subs[n++].u.u.fd_write.file_descriptor = (__wasix_fd_t)fds[i].fd;
        }
    }
    if (timeout_ms >= 0) {
        subs[n].userdata = UINT64_MAX;
        subs[n].u.tag = __WASIX_SUBSCRIPTION_U_TAG_CLOCK;
        subs[n].u.u.clock.id = __WASIX_CLOCKID_MONOTONIC;
        subs[n++].u.u.clock.timeout = (uint64_t)timeout_ms * 1000000u;
    }
    int ready = 0;
    if (n == 0) {
        free(subs);
        free(events);
        return wasix_shim_fail_with(EINVAL); /* nothing to wait for, forever */
    }
    __wasix_size_t got = 0;
    __wasix_errno_t e = wasix_host_poll_oneoff(subs, events, (__wasix_size_t)n, &got);
    if (e == __WASIX_ERRNO_SUCCESS) {
        for (__wasix_size_t k = 0; k < got && k < n; k++) {
            if (events[k].userdata >= nfds) continue;
            struct pollfd *p = &fds[events[k].userdata];
            if (events[k].error == __WASIX_ERRNO_BADF) p->revents |= POLLNVAL;
            else if (events[k].error) p->revents |= POLLERR;
            else if (events[k].type == __WASIX_EVENTTYPE_FD_READ) p->revents |= POLLIN;
            else if (events[k].type == __WASIX_EVENTTYPE_FD_WRITE) p->revents |= POLLOUT;
            if (events[k].fd_readwrite.flags & __WASIX_EVENTRWFLAGS_FD_READWRITE_HANGUP) p->revents |= POLLHUP;
        }
        for (nfds_t i = 0; i < nfds; i++) ready += fds[i].revents != 0;
    }
    free(subs);
    free(events);
    return e ? wasix_shim_fail(e) : ready;
}

int wasix_futex_wait(uint32_t *addr, uint32_t expected, const struct timespec *timeout) {
    if (addr == NULL) return wasix_shim_fail_with(EFAULT);
    __wasix_option_timestamp_t t;
    memset(&t, 0, sizeof t);
    t.tag = __WASIX_OPTION_TIMESTAMP_TAG_NONE;
    if (timeout != NULL) {
        if (timeout->tv_sec < 0 || timeout->tv_nsec < 0 || timeout->tv_nsec >= 1000000000L)
            return wasix_shim_fail_with(EINVAL);
        t.tag = __WASIX_OPTION_TIMESTAMP_TAG_SOME;
        uint64_t secs = (uint64_t)timeout->tv_sec;
        t.u.some = secs > UINT64_MAX / 1000000000u - 1 ? UINT64_MAX
                                                       : secs * 1000000000u + (uint64_t)timeout->tv_nsec;
    }
    if (__atomic_load_n(addr, __ATOMIC_SEQ_CST) != expected) return wasix_shim_fail_with(EAGAIN);
    __wasix_bool_t woken = __WASIX_BOOL_FALSE;
    __wasix_errno_t e = wasix_host_futex_wait(addr, expected, &t, &woken);
    if (e == __WASIX_ERRNO_INVAL && __atomic_load_n(addr, __ATOMIC_SEQ_CST) != expected)
        return wasix_shim_fail_with(EAGAIN);
    if (e) return wasix_shim_fail(e);
    return woken ? 0 : wasix_shim_fail_with(ETIMEDOUT);
}

int wasix_futex_wake(uint32_t *addr) {
    if (addr == NULL) return wasix_shim_fail_with(EFAULT);
    __wasix_bool_t woken = __WASIX_BOOL_FALSE;
    __wasix_errno_t e = wasix_host_futex_wake(addr, &woken);
    return e ? wasix_shim_fail(e) : (woken ? 1 : 0);
}

int wasix_futex_wake_all(uint32_t *addr) {
    if (addr == NULL) return wasix_shim_fail_with(EFAULT);
    __wasix_bool_t woken = __WASIX_BOOL_FALSE;
    __wasix_errno_t e = wasix_host_futex_wake_all(addr, &woken);
    return e ? wasix_shim_fail(e) : (woken ? 1 : 0);
}

WASIX_POSIX_ALIAS(pipe);
WASIX_POSIX_ALIAS(dup);
WASIX_POSIX_ALIAS(dup2);
WASIX_POSIX_ALIAS(tcgetattr);
WASIX_POSIX_ALIAS(tcsetattr);
WASIX_POSIX_ALIAS(eventfd);
