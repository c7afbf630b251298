/* pipe + dup + dup2: bytes written to a pipe's write end through a duplicate arrive, dup2 onto stdout
 * redirects writes to fd 1, the original fd stays open, and bad fds and pointers are refused. */
#include "check.h"

int main(void) {
    int p[2];
    CHECK(pipe(p) == 0);
    CHECK(p[0] != p[1]);

    int w2 = dup(p[1]);
    CHECK(w2 >= 0 && w2 != p[1]);
    CHECK(write(w2, "ab", 2) == 2);
    char buf[8];
    CHECK(read(p[0], buf, sizeof buf) == 2 && memcmp(buf, "ab", 2) == 0);

    /* stdout onto the pipe, then back. */
    int saved = dup(1);
    CHECK(saved >= 0);
    CHECK(dup2(p[1], 1) == 1);
    CHECK(write(1, "cd", 2) == 2);
    CHECK(read(p[0], buf, sizeof buf) == 2 && memcmp(buf, "cd", 2) == 0);
    CHECK(dup2(saved, 1) == 1);
    CHECK(close(saved) == 0);
    /* The fd dup2 copied from is still open. */
    CHECK(write(p[1], "e", 1) == 1);
    CHECK(read(p[0], buf, sizeof buf) == 1 && buf[0] == 'e');
    /* dup2 of an fd onto itself is that fd; of a closed one EBADF. */
    CHECK(dup2(p[0], p[0]) == p[0]);

    CHECK(close(w2) == 0);
    CHECK(close(p[1]) == 0);
    /* Every write end closed: end of file. */
    CHECK(read(p[0], buf, sizeof buf) == 0);
    CHECK(close(p[0]) == 0);

    CHECK_ERR(dup2(p[0], 7), EBADF);
    CHECK_ERR(dup(-1), EBADF);
    CHECK_ERR(dup2(0, -1), EBADF);
    CHECK_ERR(close(p[0]), EBADF);
    CHECK_ERR(pipe(NULL), EFAULT);
    CHECK_ERR(read(0, NULL, 4), EFAULT);
    return 0;
}
