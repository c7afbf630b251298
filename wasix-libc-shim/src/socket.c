/*
 * socket.c: the BSD socket calls over WASIX's sock_* calls, and the conversions between the C library's
 * sockaddr_in/sockaddr_in6 and the seed's addr_port (a plain port number, IPv4 bytes in written order,
 * IPv6 as eight plain 16-bit groups). The host's own byte orders are the Rust profile's concern.
 */
#include "internal.h"

#include <arpa/inet.h>
#include <limits.h>
#include <netinet/tcp.h>
#include <string.h>

/* The seed's addr_port of a C sockaddr: EFAULT for NULL, EINVAL for a short length, EAFNOSUPPORT for a
 * family other than AF_INET and AF_INET6. Returns 0 or a POSIX errno. */
static int to_addr_port(const struct sockaddr *sa, socklen_t len, __wasix_addr_port_t *out) {
    if (sa == NULL) return EFAULT;
    if (len < (socklen_t)sizeof(sa_family_t)) return EINVAL;
    memset(out, 0, sizeof *out);
    if (sa->sa_family == AF_INET) {
        if (len < (socklen_t)sizeof(struct sockaddr_in)) return EINVAL;
        struct sockaddr_in in;
        memcpy(&in, sa, sizeof in);
        const uint8_t *b = (const uint8_t *)&in.sin_addr;
        out->tag = __WASIX_ADDR_PORT_TAG_INET4;
        out->u.inet4.port = ntohs(in.sin_port);
        out->u.inet4.addr.n0 = b[0];
        out->u.inet4.addr.n1 = b[1];
        out->u.inet4.addr.h0 = b[2];
        out->u.inet4.addr.h1 = b[3];
        return 0;
    }
    if (sa->sa_family == AF_INET6) {
        if (len < (socklen_t)sizeof(struct sockaddr_in6)) return EINVAL;
        struct sockaddr_in6 in6;
        memcpy(&in6, sa, sizeof in6);
        const uint8_t *b = (const uint8_t *)&in6.sin6_addr;
        uint16_t g[8];
        for (int i = 0; i < 8; i++) g[i] = (uint16_t)(b[2 * i] << 8 | b[2 * i + 1]);
        out->tag = __WASIX_ADDR_PORT_TAG_INET6;
        out->u.inet6.port = ntohs(in6.sin6_port);
        __wasix_addr_ip6_t *a = &out->u.inet6.addr;
        a->n0 = g[0], a->n1 = g[1], a->n2 = g[2], a->n3 = g[3];
        a->h0 = g[4], a->h1 = g[5], a->h2 = g[6], a->h3 = g[7];
        return 0;
    }
    return EAFNOSUPPORT;
}

/* Writes the C sockaddr of `ap` into (sa, *len) as POSIX does: truncated to *len, *len set to the full
 * size. A NULL `sa` writes nothing; a NULL `len` with a non-NULL `sa` is EFAULT. */
int wasix_shim_from_addr_port(const __wasix_addr_port_t *ap, struct sockaddr *sa, socklen_t *len) {
    if (sa == NULL) return 0;
    if (len == NULL) return EFAULT;
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t full;
    if (ap->tag == __WASIX_ADDR_PORT_TAG_INET4) {
        struct sockaddr_in *in = (struct sockaddr_in *)&ss;
        uint8_t *b = (uint8_t *)&in->sin_addr;
        in->sin_family = AF_INET;
        in->sin_port = htons(ap->u.inet4.port);
        b[0] = ap->u.inet4.addr.n0, b[1] = ap->u.inet4.addr.n1;
        b[2] = ap->u.inet4.addr.h0, b[3] = ap->u.inet4.addr.h1;
        full = sizeof *in;
    } else if (ap->tag == __WASIX_ADDR_PORT_TAG_INET6) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
        const __wasix_addr_ip6_t *a = &ap->u.inet6.addr;
        uint16_t g[8] = { a->n0, a->n1, a->n2, a->n3, a->h0, a->h1, a->h2, a->h3 };
        uint8_t *b = (uint8_t *)&in6->sin6_addr;
        for (int i = 0; i < 8; i++) b[2 * i] = (uint8_t)(g[i] >> 8), b[2 * i + 1] = (uint8_t)g[i];
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(ap->u.inet6.port);
        full = sizeof *in6;
    } else {
        ss.ss_family = AF_UNSPEC;
        full = sizeof(sa_family_t);
    }
    memcpy(sa, &ss, *len < full ? *len : full);
    *len = full;
    return 0;
}

int wasix_socket(int domain, int type, int protocol) {
    __wasix_address_family_t af;
    if (domain == AF_INET) af = __WASIX_ADDRESS_FAMILY_INET4;
    else if (domain == AF_INET6) af = __WASIX_ADDRESS_FAMILY_INET6;
    else if (domain == AF_UNIX) af = __WASIX_ADDRESS_FAMILY_UNIX;
    else return wasix_shim_fail_with(EAFNOSUPPORT);
    int flags = type & (SOCK_NONBLOCK | SOCK_CLOEXEC);
    int kind = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
    __wasix_sock_type_t st;
    if (kind == SOCK_STREAM) st = __WASIX_SOCK_TYPE_SOCKET_STREAM;
    else if (kind == SOCK_DGRAM) st = __WASIX_SOCK_TYPE_SOCKET_DGRAM;
    else if (kind == SOCK_RAW) st = __WASIX_SOCK_TYPE_SOCKET_RAW;
    else return wasix_shim_fail_with(EINVAL);
    if (protocol < 0 || protocol > 255) return wasix_shim_fail_with(EPROTONOSUPPORT);
    __wasix_fd_t fd;
    __wasix_errno_t e = wasix_host_sock_open(af, st, (__wasix_sock_proto_t)protocol, &fd);
    if (e) return wasix_shim_fail(e);
    if (flags & SOCK_NONBLOCK) e = wasix_host_fd_fdstat_set_flags(fd, __WASIX_FDFLAGS_NONBLOCK);
    if (e == __WASIX_ERRNO_SUCCESS && fd > INT_MAX) e = __WASIX_ERRNO_MFILE;
    if (e) {
        wasix_host_fd_close(fd);
        return wasix_shim_fail(e);
    }
    return (int)fd;
}

int wasix_bind(int fd, const struct sockaddr *addr, socklen_t len) {
    if (fd < 0) return wasix_shim_fail_with(EBADF);
    __wasix_addr_port_t ap;
    int err = to_addr_port(addr, len, &ap);
    if (err) return wasix_shim_fail_with(err);
    __wasix_errno_t e = wasix_host_sock_bind((__wasix_fd_t)fd, &ap);
    return e ? wasix_shim_fail(e) : 0;
}

int wasix_listen(int fd, int backlog) {
    if (fd < 0) return wasix_shim_fail_with(EBADF);
    __wasix_errno_t e = wasix_host_sock_listen((__wasix_fd_t)fd, backlog < 0 ? 0 : (__wasix_size_t)backlog);
    return e ? wasix_shim_fail(e) : 0;
}

int wasix_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags) {
    if (fd < 0) return wasix_shim_fail_with(EBADF);
    if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) return wasix_shim_fail_with(EINVAL);
    if (addr != NULL && len == NULL) return wasix_shim_fail_with(EFAULT);
    __wasix_fd_t out;
    __wasix_addr_port_t peer;
    __wasix_errno_t e = wasix_host_sock_accept((__wasix_fd_t)fd,
                                               (flags & SOCK_NONBLOCK) ? __WASIX_FDFLAGS_NONBLOCK : 0, &out, &peer);
    if (e) return wasix_shim_fail(e);
    if (out > INT_MAX) {
        wasix_host_fd_close(out);
        return wasix_shim_fail_with(EMFILE);
    }
    wasix_shim_from_addr_port(&peer, addr, len);
    return (int)out;
}

int wasix_accept(int fd, struct sockaddr *addr, socklen_t *len) {
    return wasix_accept4(fd, addr, len, 0);
}

int wasix_connect(int fd, const struct sockaddr *addr, socklen_t len) {
    if (fd < 0) return wasix_shim_fail_with(EBADF);
    __wasix_addr_port_t ap;
    int err = to_addr_port(addr, len, &ap);
    if (err) return wasix_shim_fail_with(err);
    __wasix_errno_t e = wasix_host_sock_connect((__wasix_fd_t)fd, &ap);
    return e ? wasix_shim_fail(e) : 0;
}

/* MSG_NOSIGNAL is what WASIX does anyway (a broken pipe is EPIPE, never a signal); other send flags have no
 * WASIX meaning: EOPNOTSUPP. */
static int send_flags(int flags) {
    return (flags & ~MSG_NOSIGNAL) ? EOPNOTSUPP : 0;
}

static int recv_flags(int flags, __wasix_riflags_t *out) {
    if (flags & ~(MSG_PEEK | MSG_WAITALL)) return EOPNOTSUPP;
    *out = (__wasix_riflags_t)(((flags & MSG_PEEK) ? __WASIX_RIFLAGS_RECV_PEEK : 0) |
                               ((flags & MSG_WAITALL) ? __WASIX_RIFLAGS_RECV_WAITALL : 0));
    return 0;
}

ssize_t wasix_sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *addr, socklen_t alen) {
    if (fd < 0) return wasix_shim_fail_with(EBADF);
    if (buf == NULL && len != 0) return wasix_shim_fail_with(EFAULT);
    int err = send_flags(flags);
    if (err) return wasix_shim_fail_with(err);
    if (len > UINT32_MAX) len = UINT32_MAX;
    __wasix_ciovec_t iov = { (const uint8_t *)buf, len };
    __wasix_size_t n = 0;
    __wasix_errno_t e;
    if (addr == NULL) {
        e = wasix_host_sock_send((__wasix_fd_t)fd, &iov, 1, 0, &n);
    } else {
        __wasix_addr_port_t ap;
        err = to_addr_port(addr, alen, &ap);
        if (err) return wasix_shim_fail_with(err);
        e = wasix_host_sock_send_to((__wasix_fd_t)fd, &iov, 1, 0, &ap, &n);
    }
    return e ? wasix_shim_fail(e) : (ssize_t)n;
}

ssize_t wasix_send(int fd, const void *buf, size_t len, int flags) {
    return wasix_sendto(fd, buf, len, flags, NULL, 0);
}

ssize_t wasix_recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *addr, socklen_t *alen) {
    if (fd < 0) return wasix_shim_fail_with(EBADF);
    if (buf == NULL && len != 0) return wasix_shim_fail_with(EFAULT);
    if (addr != NULL && alen == NULL) return wasix_shim_fail_with(EFAULT);
    __wasix_riflags_t ri;
    int err = recv_flags(flags, &ri);
    if (err) return wasix_shim_fail_with(err);
    if (len > UINT32_MAX) len = UINT32_MAX;
    __wasix_iovec_t iov = { (uint8_t *)buf, len };
    __wasix_size_t n = 0;
    __wasix_roflags_t ro = 0;
    __wasix_errno_t e;
    if (addr == NULL) {
        e = wasix_host_sock_recv((__wasix_fd_t)fd, &iov, 1, ri, &n, &ro);
    } else {
        __wasix_addr_port_t from;
        e = wasix_host_sock_recv_from((__wasix_fd_t)fd, &iov, 1, ri, &n, &ro, &from);
        if (e == __WASIX_ERRNO_SUCCESS) wasix_shim_from_addr_port(&from, addr, alen);
    }
    return e ? wasix_shim_fail(e) : (ssize_t)n;
}

ssize_t wasix_recv(int fd, void *buf, size_t len, int flags) {
    return wasix_recvfrom(fd, buf, len, flags, NULL, NULL);
}

int wasix_shutdown(int fd, int how) {
    if (fd < 0) return wasix_shim_fail_with(EBADF);
    __wasix_sdflags_t sd;
    if (how == SHUT_RD) sd = __WASIX_SDFLAGS_RD;
    else if (how == SHUT_WR) sd = __WASIX_SDFLAGS_WR;
    else if (how == SHUT_RDWR) sd = __WASIX_SDFLAGS_RD | __WASIX_SDFLAGS_WR;
    else return wasix_shim_fail_with(EINVAL);
    __wasix_errno_t e = wasix_host_sock_shutdown((__wasix_fd_t)fd, sd);
    return e ? wasix_shim_fail(e) : 0;
}

static int local_or_peer(int fd, struct sockaddr *addr, socklen_t *len, int peer) {
    if (fd < 0) return wasix_shim_fail_with(EBADF);
    if (addr == NULL || len == NULL) return wasix_shim_fail_with(EFAULT);
    __wasix_addr_port_t ap;
    __wasix_errno_t e = peer ? wasix_host_sock_addr_peer((__wasix_fd_t)fd, &ap)
                             : wasix_host_sock_addr_local((__wasix_fd_t)fd, &ap);
    if (e) return wasix_shim_fail(e);
    wasix_shim_from_addr_port(&ap, addr, len);
    return 0;
}

int wasix_getsockname(int fd, struct sockaddr *addr, socklen_t *len) {
    return local_or_peer(fd, addr, len, 0);
}

int wasix_getpeername(int fd, struct sockaddr *addr, socklen_t *len) {
    return local_or_peer(fd, addr, len, 1);
}

/* The options WASIX has, by the C level and name: a flag (an int 0/1), a size (an int), or a time (a
 * struct timeval; SO_LINGER's struct linger). */
enum kind { FLAG, SIZE, TIME, LINGER, TYPE, ERROR };
static const struct option {
    int level, name;
    __wasix_sock_option_t option;
    enum kind kind;
    int read_only;
} options[] = {
    { SOL_SOCKET, SO_REUSEADDR, __WASIX_SOCK_OPTION_REUSE_ADDR, FLAG, 0 },
    { SOL_SOCKET, SO_REUSEPORT, __WASIX_SOCK_OPTION_REUSE_PORT, FLAG, 0 },
    { SOL_SOCKET, SO_KEEPALIVE, __WASIX_SOCK_OPTION_KEEP_ALIVE, FLAG, 0 },
    { SOL_SOCKET, SO_BROADCAST, __WASIX_SOCK_OPTION_BROADCAST, FLAG, 0 },
    { SOL_SOCKET, SO_DONTROUTE, __WASIX_SOCK_OPTION_DONT_ROUTE, FLAG, 0 },
    { SOL_SOCKET, SO_OOBINLINE, __WASIX_SOCK_OPTION_OOB_INLINE, FLAG, 0 },
    { SOL_SOCKET, SO_ACCEPTCONN, __WASIX_SOCK_OPTION_LISTENING, FLAG, 1 },
    { SOL_SOCKET, SO_RCVBUF, __WASIX_SOCK_OPTION_RECV_BUF_SIZE, SIZE, 0 },
    { SOL_SOCKET, SO_SNDBUF, __WASIX_SOCK_OPTION_SEND_BUF_SIZE, SIZE, 0 },
    { SOL_SOCKET, SO_RCVLOWAT, __WASIX_SOCK_OPTION_RECV_LOWAT, SIZE, 0 },
    { SOL_SOCKET, SO_SNDLOWAT, __WASIX_SOCK_OPTION_SEND_LOWAT, SIZE, 0 },
    { SOL_SOCKET, SO_RCVTIMEO, __WASIX_SOCK_OPTION_RECV_TIMEOUT, TIME, 0 },
    { SOL_SOCKET, SO_SNDTIMEO, __WASIX_SOCK_OPTION_SEND_TIMEOUT, TIME, 0 },
    { SOL_SOCKET, SO_LINGER, __WASIX_SOCK_OPTION_LINGER, LINGER, 0 },
    { SOL_SOCKET, SO_TYPE, __WASIX_SOCK_OPTION_TYPE, TYPE, 1 },
    { SOL_SOCKET, SO_ERROR, __WASIX_SOCK_OPTION_LAST_ERROR, ERROR, 1 },
    { SOL_SOCKET, SO_PROTOCOL, __WASIX_SOCK_OPTION_PROTO, SIZE, 1 },
    { IPPROTO_TCP, TCP_NODELAY, __WASIX_SOCK_OPTION_NO_DELAY, FLAG, 0 },
    { IPPROTO_IP, IP_TTL, __WASIX_SOCK_OPTION_TTL, SIZE, 0 },
    { IPPROTO_IP, IP_MULTICAST_TTL, __WASIX_SOCK_OPTION_MULTICAST_TTL_V4, SIZE, 0 },
    { IPPROTO_IP, IP_MULTICAST_LOOP, __WASIX_SOCK_OPTION_MULTICAST_LOOP_V4, FLAG, 0 },
    { IPPROTO_IPV6, IPV6_V6ONLY, __WASIX_SOCK_OPTION_ONLY_V6, FLAG, 0 },
    { IPPROTO_IPV6, IPV6_MULTICAST_LOOP, __WASIX_SOCK_OPTION_MULTICAST_LOOP_V6, FLAG, 0 },
};

static const struct option *find_option(int level, int name) {
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
        if (options[i].level == level && options[i].name == name) return &options[i];
    return NULL;
}

static socklen_t option_size(enum kind kind) {
    return kind == TIME ? sizeof(struct timeval) : kind == LINGER ? sizeof(struct linger) : sizeof(int);
}

int wasix_setsockopt(int fd, int level, int name, const void *value, socklen_t len) {
    if (fd < 0) return wasix_shim_fail_with(EBADF);
    const struct option *o = find_option(level, name);
    if (o == NULL || o->read_only) return wasix_shim_fail_with(ENOPROTOOPT);
    if (value == NULL) return wasix_shim_fail_with(EFAULT);
    if (len < option_size(o->kind)) return wasix_shim_fail_with(EINVAL);
    __wasix_errno_t e;
    int v = 0;
    if (o->kind == FLAG || o->kind == SIZE) memcpy(&v, value, sizeof v);
    if (o->kind == FLAG) {
        e = wasix_host_sock_set_opt_flag((__wasix_fd_t)fd, o->option, v ? __WASIX_BOOL_TRUE : __WASIX_BOOL_FALSE);
    } else if (o->kind == SIZE) {
        if (v < 0) return wasix_shim_fail_with(EINVAL);
        e = wasix_host_sock_set_opt_size((__wasix_fd_t)fd, o->option, (__wasix_filesize_t)v);
    } else {
        __wasix_option_timestamp_t t;
        memset(&t, 0, sizeof t);
        if (o->kind == TIME) {
            struct timeval tv;
            memcpy(&tv, value, sizeof tv);
            if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000) return wasix_shim_fail_with(EDOM);
            uint64_t ns = (uint64_t)tv.tv_sec * 1000000000u + (uint64_t)tv.tv_usec * 1000u;
            t.tag = ns == 0 ? __WASIX_OPTION_TIMESTAMP_TAG_NONE : __WASIX_OPTION_TIMESTAMP_TAG_SOME;
            t.u.some = ns;
        } else {
            struct linger l;
            memcpy(&l, value, sizeof l);
            if (l.l_onoff && l.l_linger < 0) return wasix_shim_fail_with(EINVAL);
            t.tag = l.l_onoff ? __WASIX_OPTION_TIMESTAMP_TAG_SOME : __WASIX_OPTION_TIMESTAMP_TAG_NONE;
            t.u.some = l.l_onoff ? (uint64_t)l.l_linger * 1000000000u : 0;
        }
        e = wasix_host_sock_set_opt_time((__wasix_fd_t)fd, o->option, &t);
    }
    return e ? wasix_shim_fail(e) : 0;
}

int wasix_getsockopt(int fd, int level, int name, void *value, socklen_t *len) {
    if (fd < 0) return wasix_shim_fail_with(EBADF);
    const struct option *o = find_option(level, name);
    if (o == NULL) return wasix_shim_fail_with(ENOPROTOOPT);
    if (value == NULL || len == NULL) return wasix_shim_fail_with(EFAULT);
    if (*len < option_size(o->kind)) return wasix_shim_fail_with(EINVAL);
    __wasix_errno_t e;
    if (o->kind == FLAG) {
        __wasix_bool_t b = __WASIX_BOOL_FALSE;
        e = wasix_host_sock_get_opt_flag((__wasix_fd_t)fd, o->option, &b);
        int v = b != __WASIX_BOOL_FALSE;
        if (!e) memcpy(value, &v, sizeof v);
    } else if (o->kind == SIZE || o->kind == TYPE || o->kind == ERROR) {
        __wasix_filesize_t s = 0;
        e = wasix_host_sock_get_opt_size((__wasix_fd_t)fd, o->option, &s);
        int v = s > INT_MAX ? INT_MAX : (int)s;
        if (o->kind == TYPE) {
            v = s == __WASIX_SOCK_TYPE_SOCKET_STREAM ? SOCK_STREAM
                : s == __WASIX_SOCK_TYPE_SOCKET_DGRAM ? SOCK_DGRAM
                : s == __WASIX_SOCK_TYPE_SOCKET_RAW  ? SOCK_RAW
                                                     : 0;
        } else if (o->kind == ERROR) {
            v = s == 0 || s > UINT16_MAX ? 0 : wasix_shim_errno((__wasix_errno_t)s);
        }
        if (!e) memcpy(value, &v, sizeof v);
    } else {
        __wasix_option_timestamp_t t;
        memset(&t, 0, sizeof t);
        e = wasix_host_sock_get_opt_time((__wasix_fd_t)fd, o->option, &t);
        uint64_t ns = t.tag == __WASIX_OPTION_TIMESTAMP_TAG_SOME ? t.u.some : 0;
        if (!e && o->kind == TIME) {
            struct timeval tv;
            memset(&tv, 0, sizeof tv);
            tv.tv_sec = (time_t)(ns / 1000000000u);
            tv.tv_usec = (suseconds_t)(ns % 1000000000u / 1000u);
            memcpy(value, &tv, sizeof tv);
        } else if (!e) {
            struct linger l;
            memset(&l, 0, sizeof l);
            l.l_onoff = t.tag == __WASIX_OPTION_TIMESTAMP_TAG_SOME;
            l.l_linger = (int)(ns / 1000000000u);
            memcpy(value, &l, sizeof l);
        }
    }
    if (e) return wasix_shim_fail(e);
    *len = option_size(o->kind);
    return 0;
}

WASIX_POSIX_ALIAS(socket);
WASIX_POSIX_ALIAS(bind);
WASIX_POSIX_ALIAS(listen);
WASIX_POSIX_ALIAS(connect);
WASIX_POSIX_ALIAS(sendto);
WASIX_POSIX_ALIAS(recvfrom);
WASIX_POSIX_ALIAS(getsockopt);
WASIX_POSIX_ALIAS(setsockopt);
WASIX_POSIX_ALIAS(getsockname);
WASIX_POSIX_ALIAS(getpeername);
