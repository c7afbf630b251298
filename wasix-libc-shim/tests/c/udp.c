/* UDP over loopback: datagrams sent with sendto arrive whole at the socket bound to port 0, recvfrom names
 * the sender's address, a connected socket sends with send and receives with recv. */
#include "check.h"

#include <arpa/inet.h>

int main(void) {
    struct sockaddr_in any;
    memset(&any, 0, sizeof any);
    any.sin_family = AF_INET;
    any.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    int a = socket(AF_INET, SOCK_DGRAM, 0);
    int b = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    CHECK(a >= 0 && b >= 0);
    CHECK(bind(a, (struct sockaddr *)&any, sizeof any) == 0);
    CHECK(bind(b, (struct sockaddr *)&any, sizeof any) == 0);
    /* Every receive below follows its send, so it does not wait; the timeout bounds a failure. Wasmer 7.4.2
     * takes no times on UDP sockets (ENOTSUP), and its receives then wait without limit. */
    struct timeval tv = { 5, 0 };
    CHECK(setsockopt(a, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0 || errno == ENOTSUP);
    CHECK(setsockopt(b, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0 || errno == ENOTSUP);
    struct sockaddr_in aa, ba;
    socklen_t alen = sizeof aa, blen = sizeof ba;
    CHECK(getsockname(a, (struct sockaddr *)&aa, &alen) == 0 && aa.sin_port != 0);
    CHECK(getsockname(b, (struct sockaddr *)&ba, &blen) == 0 && ba.sin_port != 0);
    int v;
    socklen_t vlen = sizeof v;
    CHECK(getsockopt(a, SOL_SOCKET, SO_TYPE, &v, &vlen) == 0 && v == SOCK_DGRAM);

    CHECK(sendto(b, "ping", 4, 0, (struct sockaddr *)&aa, sizeof aa) == 4);
    char buf[16];
    struct sockaddr_in from;
    socklen_t flen = sizeof from;
    CHECK(recvfrom(a, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen) == 4 && memcmp(buf, "ping", 4) == 0);
    CHECK(flen == sizeof from && from.sin_family == AF_INET && from.sin_port == ba.sin_port);
    CHECK(from.sin_addr.s_addr == htonl(INADDR_LOOPBACK));

    /* A short address buffer gets what fits and the full length. */
    CHECK(sendto(b, "x", 1, 0, (struct sockaddr *)&aa, sizeof aa) == 1);
    unsigned char tiny[2] = { 0xee, 0xee };
    socklen_t tlen = sizeof tiny;
    CHECK(recvfrom(a, buf, sizeof buf, 0, (struct sockaddr *)tiny, &tlen) == 1 && tlen == sizeof from);

    CHECK(connect(a, (struct sockaddr *)&ba, sizeof ba) == 0);
    CHECK(send(a, "pong", 4, 0) == 4);
    CHECK(recv(b, buf, sizeof buf, 0) == 4 && memcmp(buf, "pong", 4) == 0);
    CHECK(sendto(b, "a", 1, 0, NULL, 0) == -1);
    CHECK(close(a) == 0 && close(b) == 0);
    CHECK_ERR(recvfrom(a, buf, sizeof buf, 0, (struct sockaddr *)&from, NULL), EFAULT);
    return 0;
}
