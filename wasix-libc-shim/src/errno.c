/*
 * errno.c: the one table from WASIX errno values to the C library's POSIX ones (glibc's natively,
 * wasi-libc's on wasm32), and the helpers every function uses to fail with it.
 */
#include "internal.h"

#include <errno.h>

/* A C library without ENOTCAPABLE (glibc) gets EPERM, the nearest POSIX meaning ("operation not permitted"), and one without ESHUTDOWN gets EPIPE. */
#ifndef ENOTCAPABLE
#define ENOTCAPABLE EPERM
#endif
#ifndef ESHUTDOWN
#define ESHUTDOWN EPIPE
#endif

static const int table[] = {
    [__WASIX_ERRNO_2BIG] = E2BIG,
    [__WASIX_ERRNO_ACCES] = EACCES,
    [__WASIX_ERRNO_ADDRINUSE] = EADDRINUSE,
    [__WASIX_ERRNO_ADDRNOTAVAIL] = EADDRNOTAVAIL,
    [__WASIX_ERRNO_AFNOSUPPORT] = EAFNOSUPPORT,
    [__WASIX_ERRNO_AGAIN] = EAGAIN,
    [__WASIX_ERRNO_ALREADY] = EALREADY,
    [__WASIX_ERRNO_BADF] = EBADF,
    [__WASIX_ERRNO_BADMSG] = EBADMSG,
    [__WASIX_ERRNO_BUSY] = EBUSY,
    [__WASIX_ERRNO_CANCELED] = ECANCELED,
    [__WASIX_ERRNO_CHILD] = ECHILD,
    [__WASIX_ERRNO_CONNABORTED] = ECONNABORTED,
    [__WASIX_ERRNO_CONNREFUSED] = ECONNREFUSED,
    [__WASIX_ERRNO_CONNRESET] = ECONNRESET,
    [__WASIX_ERRNO_DEADLK] = EDEADLK,
    [__WASIX_ERRNO_DESTADDRREQ] = EDESTADDRREQ,
    [__WASIX_ERRNO_DOM] = EDOM,
    [__WASIX_ERRNO_DQUOT] = EDQUOT,
    [__WASIX_ERRNO_EXIST] = EEXIST,
    [__WASIX_ERRNO_FAULT] = EFAULT,
    [__WASIX_ERRNO_FBIG] = EFBIG,
    [__WASIX_ERRNO_HOSTUNREACH] = EHOSTUNREACH,
    [__WASIX_ERRNO_IDRM] = EIDRM,
    [__WASIX_ERRNO_ILSEQ] = EILSEQ,
    [__WASIX_ERRNO_INPROGRESS] = EINPROGRESS,
    [__WASIX_ERRNO_INTR] = EINTR,
    [__WASIX_ERRNO_INVAL] = EINVAL,
    [__WASIX_ERRNO_IO] = EIO,
    [__WASIX_ERRNO_ISCONN] = EISCONN,
    [__WASIX_ERRNO_ISDIR] = EISDIR,
    [__WASIX_ERRNO_LOOP] = ELOOP,
    [__WASIX_ERRNO_MFILE] = EMFILE,
    [__WASIX_ERRNO_MLINK] = EMLINK,
    [__WASIX_ERRNO_MSGSIZE] = EMSGSIZE,
    [__WASIX_ERRNO_MULTIHOP] = EMULTIHOP,
    [__WASIX_ERRNO_NAMETOOLONG] = ENAMETOOLONG,
    [__WASIX_ERRNO_NETDOWN] = ENETDOWN,
    [__WASIX_ERRNO_NETRESET] = ENETRESET,
    [__WASIX_ERRNO_NETUNREACH] = ENETUNREACH,
    [__WASIX_ERRNO_NFILE] = ENFILE,
    [__WASIX_ERRNO_NOBUFS] = ENOBUFS,
    [__WASIX_ERRNO_NODEV] = ENODEV,
    [__WASIX_ERRNO_NOENT] = ENOENT,
    [__WASIX_ERRNO_NOEXEC] = ENOEXEC,
    [__WASIX_ERRNO_NOLCK] = ENOLCK,
    [__WASIX_ERRNO_NOLINK] = ENOLINK,
    [__WASIX_ERRNO_NOMEM] = ENOMEM,
    [__WASIX_ERRNO_NOMSG] = ENOMSG,
    [__WASIX_ERRNO_NOPROTOOPT] = ENOPROTOOPT,
    [__WASIX_ERRNO_NOSPC] = ENOSPC,
    [__WASIX_ERRNO_NOSYS] = ENOSYS,
    [__WASIX_ERRNO_NOTCONN] = ENOTCONN,
    [__WASIX_ERRNO_NOTDIR] = ENOTDIR,
    [__WASIX_ERRNO_NOTEMPTY] = ENOTEMPTY,
    [__WASIX_ERRNO_NOTRECOVERABLE] = ENOTRECOVERABLE,
    [__WASIX_ERRNO_NOTSOCK] = ENOTSOCK,
    [__WASIX_ERRNO_NOTSUP] = ENOTSUP,
    [__WASIX_ERRNO_NOTTY] = ENOTTY,
    [__WASIX_ERRNO_NXIO] = ENXIO,
    [__WASIX_ERRNO_OVERFLOW] = EOVERFLOW,
    [__WASIX_ERRNO_OWNERDEAD] = EOWNERDEAD,
    [__WASIX_ERRNO_PERM] = EPERM,
    [__WASIX_ERRNO_PIPE] = EPIPE,
    [__WASIX_ERRNO_PROTO] = EPROTO,
    [__WASIX_ERRNO_PROTONOSUPPORT] = EPROTONOSUPPORT,
    [__WASIX_ERRNO_PROTOTYPE] = EPROTOTYPE,
    [__WASIX_ERRNO_RANGE] = ERANGE,
    [__WASIX_ERRNO_ROFS] = EROFS,
    [__WASIX_ERRNO_SPIPE] = ESPIPE,
    [__WASIX_ERRNO_SRCH] = ESRCH,
    [__WASIX_ERRNO_STALE] = ESTALE,
    [__WASIX_ERRNO_TIMEDOUT] = ETIMEDOUT,
    [__WASIX_ERRNO_TXTBSY] = ETXTBSY,
    [__WASIX_ERRNO_XDEV] = EXDEV,
    [__WASIX_ERRNO_NOTCAPABLE] = ENOTCAPABLE,
    [__WASIX_ERRNO_SHUTDOWN] = ESHUTDOWN,
};

int wasix_shim_errno(__wasix_errno_t e) {
    if (e < sizeof table / sizeof table[0] && table[e] != 0) return table[e];
    return EIO; /* a value the seed does not define (the profile maps Wasmer's own to seed values) */
}

int wasix_shim_fail(__wasix_errno_t e) {
    errno = wasix_shim_errno(e);
    return -1;
}

int wasix_shim_fail_with(int posix_errno) {
    errno = posix_errno;
    return -1;
}
