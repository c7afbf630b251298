/* TCP over loopback (IPv4, then IPv6): a listener on port 0, a client that connects (the backlog takes it
 * before accept), an echo both ways, the addresses both ends report, options round-tripping, shutdown;
 * and the errors POSIX names for bad arguments. */
#include "check.h"

#include <arpa/inet.h>
#include <netinet/tcp.h>

static int echo(int family) {
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t len;
    if (family == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)&ss;
        in->sin_family = AF_INET;
        in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof *in;
    } else {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
        in6->sin6_family = AF_INET6;
        in6->sin6_addr = in6addr_loopback;
        len = sizeof *in6;
    }
    int l = socket(family, SOCK_STREAM, 0);
    CHECK(l >= 0);
    int one = 1;
    CHECK(setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0);
    int v = 0;
    socklen_t vlen = sizeof v;
    CHECK(getsockopt(l, SOL_SOCKET, SO_REUSEADDR, &v, &vlen) == 0 && v == 1 && vlen == sizeof v);
    CHECK(bind(l, (struct sockaddr *)&ss, len) == 0);
    CHECK(listen(l, 4) == 0);

    struct sockaddr_storage bound;
    socklen_t blen = sizeof bound;
    CHECK(getsockname(l, (struct sockaddr *)&bound, &blen) == 0 && blen == len && bound.ss_family == family);
    uint16_t port = family == AF_INET ? ntohs(((struct sockaddr_in *)&bound)->sin_port)
                                      : ntohs(((struct sockaddr_in6 *)&bound)->sin6_port);
    CHECK(port != 0);

    int c = socket(family, SOCK_STREAM, IPPROTO_TCP);
    CHECK(c >= 0);
    CHECK(connect(c, (struct sockaddr *)&bound, blen) == 0);
    struct sockaddr_storage peer;
    socklen_t plen = sizeof peer;
    int s = accept(l, (struct sockaddr *)&peer, &plen);
    CHECK(s >= 0 && plen == len && peer.ss_family == family);

    struct timeval tv = { 5, 0 };
    CHECK(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0);
    CHECK(setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0);
    struct timeval back;
    socklen_t tlen = sizeof back;
    CHECK(getsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &back, &tlen) == 0 && back.tv_sec == 5 && tlen == sizeof back);
    CHECK(setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) == 0);
    vlen = sizeof v;
    CHECK(getsockopt(c, SOL_SOCKET, SO_TYPE, &v, &vlen) == 0 && v == SOCK_STREAM);

    /* Both ends name each other. */
    struct sockaddr_storage mine, theirs;
    socklen_t mlen = sizeof mine, tl = sizeof theirs;
    CHECK(getsockname(c, (struct sockaddr *)&mine, &mlen) == 0);
    CHECK(getpeername(s, (struct sockaddr *)&theirs, &tl) == 0);
    CHECK(mlen == tl && memcmp(&mine, &theirs, mlen) == 0);

    CHECK(send(c, "hello", 5, 0) == 5);
    char buf[16];
    CHECK(recv(s, buf, 5, MSG_WAITALL) == 5 && memcmp(buf, "hello", 5) == 0);
    CHECK(send(s, buf, 5, MSG_NOSIGNAL) == 5);
    CHECK(recv(c, buf, 2, MSG_PEEK) == 2 && memcmp(buf, "he", 2) == 0);
    CHECK(recv(c, buf, 5, MSG_WAITALL) == 5 && memcmp(buf, "hello", 5) == 0);

    CHECK(shutdown(c, SHUT_WR) == 0);
    CHECK(recv(s, buf, sizeof buf, 0) == 0);
    CHECK_ERR(shutdown(c, 42), EINVAL);
    CHECK_ERR(recv(c, buf, sizeof buf, 0x40000000), EOPNOTSUPP);
    CHECK(close(s) == 0 && close(c) == 0 && close(l) == 0);
    return 0;
}

int main(void) {
    int r = echo(AF_INET);
    if (r) return r;
    r = echo(AF_INET6);
    if (r) return r;

    CHECK_ERR(socket(12345, SOCK_STREAM, 0), EAFNOSUPPORT);
    CHECK_ERR(socket(AF_INET, 12345, 0), EINVAL);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(fd >= 0);
    CHECK_ERR(bind(fd, NULL, 0), EFAULT);
    struct sockaddr_in in;
    memset(&in, 0, sizeof in);
    in.sin_family = AF_INET;
    CHECK_ERR(bind(fd, (struct sockaddr *)&in, 4), EINVAL);
    CHECK_ERR(connect(fd, (struct sockaddr *)&in, sizeof in - 1), EINVAL);
    int v;
    socklen_t vlen = sizeof v;
    CHECK_ERR(getsockopt(fd, SOL_SOCKET, 0x7654, &v, &vlen), ENOPROTOOPT);
    vlen = 1;
    CHECK_ERR(getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &v, &vlen), EINVAL);
    CHECK_ERR(getsockopt(fd, SOL_SOCKET, SO_REUSEADDR, NULL, &vlen), EFAULT);
    CHECK_ERR(getsockname(fd, NULL, &vlen), EFAULT);
    CHECK(close(fd) == 0);
    CHECK_ERR(listen(-1, 1), EBADF);
    CHECK_ERR(accept(fd, NULL, NULL), EBADF);
    return 0;
}
