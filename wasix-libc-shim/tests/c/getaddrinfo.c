/* getaddrinfo over resolve: "localhost" gives loopback addresses with the port asked for, numeric hosts
 * and the NULL host are answered, bad hints are the EAI_ errors POSIX names. No name server is asked. */
#include "check.h"

#include <arpa/inet.h>

static int is_loopback(const struct addrinfo *ai, uint16_t port) {
    if (ai->ai_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)ai->ai_addr;
        return ai->ai_addrlen == sizeof *in && in->sin_addr.s_addr == htonl(INADDR_LOOPBACK) &&
               ntohs(in->sin_port) == port;
    }
    if (ai->ai_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ai->ai_addr;
        return ai->ai_addrlen == sizeof *in6 && memcmp(&in6->sin6_addr, &in6addr_loopback, 16) == 0 &&
               ntohs(in6->sin6_port) == port;
    }
    return 0;
}

int main(void) {
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    CHECK(getaddrinfo("localhost", "8080", &hints, &res) == 0 && res != NULL);
    int n = 0;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next, n++) {
        CHECK(is_loopback(ai, 8080));
        CHECK(ai->ai_socktype == SOCK_STREAM && ai->ai_protocol == IPPROTO_TCP);
    }
    CHECK(n >= 1);
    freeaddrinfo(res);

    hints.ai_family = AF_INET;
    hints.ai_flags = AI_NUMERICHOST | AI_CANONNAME;
    CHECK(getaddrinfo("127.0.0.1", "80", &hints, &res) == 0);
    CHECK(res->ai_next == NULL && is_loopback(res, 80) && strcmp(res->ai_canonname, "127.0.0.1") == 0);
    freeaddrinfo(res);

    memset(&hints, 0, sizeof hints);
    CHECK(getaddrinfo(NULL, "9", &hints, &res) == 0); /* both families' loopback, stream and datagram */
    n = 0;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next, n++) CHECK(is_loopback(ai, 9));
    CHECK(n == 4);
    freeaddrinfo(res);

    hints.ai_flags = AI_NUMERICHOST;
    CHECK(getaddrinfo("localhost", NULL, &hints, &res) == EAI_NONAME);
    hints.ai_flags = 0;
    CHECK(getaddrinfo("localhost", "http", &hints, &res) == EAI_SERVICE);
    CHECK(getaddrinfo("localhost", "70000", &hints, &res) == EAI_SERVICE);
    CHECK(getaddrinfo(NULL, NULL, &hints, &res) == EAI_NONAME);
    hints.ai_family = 12345;
    CHECK(getaddrinfo("localhost", NULL, &hints, &res) == EAI_FAMILY);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = 12345;
    CHECK(getaddrinfo("localhost", NULL, &hints, &res) == EAI_SOCKTYPE);
    hints.ai_socktype = 0;
    hints.ai_flags = 0x40000000;
    CHECK(getaddrinfo("localhost", NULL, &hints, &res) == EAI_BADFLAGS);
    CHECK(getaddrinfo("localhost", NULL, NULL, NULL) == EAI_FAIL);
    CHECK(strlen(gai_strerror(EAI_NONAME)) > 0 && strcmp(gai_strerror(EAI_NONAME), gai_strerror(0)) != 0);
    return 0;
}
