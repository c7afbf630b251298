/*
 * check.h: what the C test programs share. Each program is an ordinary C program using the POSIX names
 * (WASIX_POSIX_NAMES); it returns 0 when every check holds, else the line of the first that failed, after
 * writing it to stderr. Natively tests/c_programs.rs runs each (its main renamed by build.rs) in a scoped
 * simulator instance; for wasm32 scripts/build-c-shim-wasm builds each into a module run on Wasmer.
 */
#ifndef WASIX_CHECK_H
#define WASIX_CHECK_H

#define WASIX_POSIX_NAMES
#include <wasix/posix.h>

#include <errno.h>
#include <string.h>

static inline void check_say(const char *what, int line) {
    char buf[256];
    size_t n = strlen(what);
    if (n > 200) n = 200;
    memcpy(buf, "check failed: ", 14);
    memcpy(buf + 14, what, n);
    size_t at = 14 + n;
    buf[at++] = ' ';
    buf[at++] = '@';
    char digits[12];
    int d = 0;
    do digits[d++] = (char)('0' + line % 10); while ((line /= 10) != 0 && d < 11);
    while (d > 0) buf[at++] = digits[--d];
    buf[at++] = '\n';
    write(2, buf, at);
}

/* Fails the program (returns the line) unless `cond` holds. */
#define CHECK(cond)                                                                                          \
    do {                                                                                                     \
        if (!(cond)) {                                                                                       \
            check_say(#cond, __LINE__);                                                                      \
            return __LINE__;                                                                                 \
        }                                                                                                    \
    } while (0)

/* `call` fails with -1 and errno `e`. */
#define CHECK_ERR(call, e) CHECK((call) == -1 && errno == (e))

#endif
