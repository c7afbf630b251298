/*
 * netdb.c: getaddrinfo, freeaddrinfo and gai_strerror over WASIX's resolve. Numeric hosts are parsed here
 * (inet_pton) and never reach the resolver; services are port numbers only (WASIX has no services
 * database): a service name is EAI_SERVICE.
 */
#include "internal.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ADDRS 32

/* One allocation per entry: the addrinfo, then its sockaddr. */
struct entry {
    struct addrinfo ai;
    struct sockaddr_storage addr;
};

static int parse_port(const char *service, int flags, uint16_t *port) {
    *port = 0;
    if (service == NULL) return 0;
    if (*service == '\0') return EAI_NONAME;
    unsigned long v = 0;
    for (const char *p = service; *p; p++) {
        if (*p < '0' || *p > '9') return (flags & AI_NUMERICSERV) ? EAI_NONAME : EAI_SERVICE;
        v = v * 10 + (unsigned long)(*p - '0');
        if (v > 65535) return EAI_SERVICE;
    }
    *port = (uint16_t)v;
    return 0;
}

/* Appends entries for `addr` (one per socket type asked for) to the list ending at *tail. */
static int append(struct addrinfo ***tail, const __wasix_addr_t *addr, uint16_t port, const struct addrinfo *hints) {
    static const int both[] = { SOCK_STREAM, SOCK_DGRAM };
    int one = hints != NULL ? hints->ai_socktype : 0;
    int family = addr->tag == __WASIX_ADDR_TAG_INET4 ? AF_INET : addr->tag == __WASIX_ADDR_TAG_INET6 ? AF_INET6 : 0;
    if (family == 0) return 0;
    if (hints != NULL && hints->ai_family != AF_UNSPEC && hints->ai_family != family) return 0;
    for (size_t i = 0; i < (one ? 1 : 2); i++) {
        struct entry *e = calloc(1, sizeof *e);
        if (e == NULL) return EAI_MEMORY;
        __wasix_addr_port_t ap;
        memset(&ap, 0, sizeof ap);
        if (family == AF_INET) {
            ap.tag = __WASIX_ADDR_PORT_TAG_INET4;
            ap.u.inet4.port = port;
            ap.u.inet4.addr = addr->u.inet4;
        } else {
            ap.tag = __WASIX_ADDR_PORT_TAG_INET6;
            ap.u.inet6.port = port;
            ap.u.inet6.addr = addr->u.inet6;
        }
        socklen_t len = sizeof e->addr;
        wasix_shim_from_addr_port(&ap, (struct sockaddr *)&e->addr, &len);
        e->ai.ai_family = family;
        e->ai.ai_socktype = one ? one : both[i];
        e->ai.ai_protocol = hints != NULL && hints->ai_protocol ? hints->ai_protocol
                            : e->ai.ai_socktype == SOCK_STREAM ? IPPROTO_TCP
                                                               : IPPROTO_UDP;
        e->ai.ai_addrlen = len;
        e->ai.ai_addr = (struct sockaddr *)&e->addr;
        **tail = &e->ai;
        *tail = &e->ai.ai_next;
    }
    return 0;
}

/* A numeric host as a seed address; 0 when `node` is not one. */
static int numeric(const char *node, int family, __wasix_addr_t *out) {
    uint8_t b[16];
    memset(out, 0, sizeof *out);
    if (family != AF_INET6 && inet_pton(AF_INET, node, b) == 1) {
        out->tag = __WASIX_ADDR_TAG_INET4;
        out->u.inet4.n0 = b[0], out->u.inet4.n1 = b[1], out->u.inet4.h0 = b[2], out->u.inet4.h1 = b[3];
        return 1;
    }
    if (family != AF_INET && inet_pton(AF_INET6, node, b) == 1) {
        uint16_t g[8];
        for (int i = 0; i < 8; i++) g[i] = (uint16_t)(b[2 * i] << 8 | b[2 * i + 1]);
        out->tag = __WASIX_ADDR_TAG_INET6;
        __wasix_addr_ip6_t *a = &out->u.inet6;
        a->n0 = g[0], a->n1 = g[1], a->n2 = g[2], a->n3 = g[3], a->h0 = g[4], a->h1 = g[5], a->h2 = g[6], a->h3 = g[7];
        return 1;
    }
    return 0;
}

int wasix_getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res) {
    if (res == NULL) return EAI_FAIL;
    *res = NULL;
    if (node == NULL && service == NULL) return EAI_NONAME;
    int flags = hints != NULL ? hints->ai_flags : 0;
    int family = hints != NULL ? hints->ai_family : AF_UNSPEC;
    int socktype = hints != NULL ? hints->ai_socktype : 0;
    if (flags & ~(AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_NUMERICSERV | AI_ADDRCONFIG | AI_V4MAPPED | AI_ALL))
        return EAI_BADFLAGS;
    if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6) return EAI_FAMILY;
    if (socktype != 0 && socktype != SOCK_STREAM && socktype != SOCK_DGRAM) return EAI_SOCKTYPE;
    uint16_t port;
    int err = parse_port(service, flags, &port);
    if (err) return err;

    __wasix_addr_t addrs[MAX_ADDRS];
    size_t n = 0;
    if (node == NULL) {
        /* The wildcard (AI_PASSIVE) or the loopback address of each family asked for, IPv6 first. */
        memset(addrs, 0, sizeof addrs);
        if (family != AF_INET) {
            addrs[n].tag = __WASIX_ADDR_TAG_INET6;
            if (!(flags & AI_PASSIVE)) addrs[n].u.inet6.h3 = 1;
            n++;
        }
        if (family != AF_INET6) {
            addrs[n].tag = __WASIX_ADDR_TAG_INET4;
            if (!(flags & AI_PASSIVE)) addrs[n].u.inet4.n0 = 127, addrs[n].u.inet4.h1 = 1;
            n++;
        }
    } else if (numeric(node, family, &addrs[0])) {
        n = 1;
    } else if (flags & AI_NUMERICHOST) {
        return EAI_NONAME;
    } else {
        size_t len = strlen(node);
        __wasix_size_t got = 0;
        __wasix_errno_t e = wasix_host_resolve(node, len, port, addrs, MAX_ADDRS, &got);
        if (e == __WASIX_ERRNO_NOENT || e == __WASIX_ERRNO_INVAL || e == __WASIX_ERRNO_ILSEQ) return EAI_NONAME;
        if (e == __WASIX_ERRNO_AGAIN || e == __WASIX_ERRNO_TIMEDOUT) return EAI_AGAIN;
        if (e == __WASIX_ERRNO_NOMEM) return EAI_MEMORY;
        if (e) {
            errno = wasix_shim_errno(e);
            return EAI_SYSTEM;
        }
        n = got < MAX_ADDRS ? got : MAX_ADDRS;
    }

    struct addrinfo *head = NULL, **tail = &head;
    for (size_t i = 0; i < n; i++) {
        err = append(&tail, &addrs[i], port, hints);
        if (err) {
            wasix_freeaddrinfo(head);
            return err;
        }
    }
    if (head == NULL) return EAI_NONAME; /* no address of the family asked for */
    if ((flags & AI_CANONNAME) && node != NULL) {
        head->ai_canonname = strdup(node);
        if (head->ai_canonname == NULL) {
            wasix_freeaddrinfo(head);
            return EAI_MEMORY;
        }
    }
    *res = head;
    return 0;
}

void wasix_freeaddrinfo(struct addrinfo *res) {
    while (res != NULL) {
        struct addrinfo *next = res->ai_next;
        free(res->ai_canonname);
        free(res); /* the entry's first member */
        res = next;
    }
}

const char *wasix_gai_strerror(int code) {
    switch (code) {
    case 0: return "Success";
    case EAI_BADFLAGS: return "Invalid flags";
    case EAI_NONAME: return "Name does not resolve";
    case EAI_AGAIN: return "Temporary failure in name resolution";
    case EAI_FAIL: return "Non-recoverable failure in name resolution";
    case EAI_FAMILY: return "Address family not supported";
    case EAI_SOCKTYPE: return "Socket type not supported";
    case EAI_SERVICE: return "Unrecognized service";
    case EAI_MEMORY: return "Out of memory";
    case EAI_SYSTEM: return "System error";
    case EAI_OVERFLOW: return "Overflow";
    default: return "Unknown error";
    }
}

WASIX_POSIX_ALIAS(getaddrinfo);
WASIX_POSIX_ALIAS(freeaddrinfo);
WASIX_POSIX_ALIAS(gai_strerror);
