/* fork: the child writes to a pipe and exits with 7, the parent reads it and waitpid()s the child; then a
 * TCP echo with fork: the parent listens on loopback port 0 and forks a client, which connects, sends,
 * reads the echo back and exits with 0 (or the line of its failed check); the parent accepts, echoes and
 * waits. fork needs a single-threaded process natively (tests/c_fork.rs, a binary without the test
 * harness); on Wasmer, a module with shared memory and asyncify (see wasmer-expectations.txt). */
#include "check.h"

#include <arpa/inet.h>

/* The child's side of the first fork: its pid, its parent's, through the pipe. */
static int pipe_child(int w, pid_t parent) {
    CHECK(getppid() == parent);
    CHECK(getpid() != parent);
    CHECK(write(w, "from the child", 14) == 14);
    return 7;
}

/* The client of the echo, in the forked child. */
static int echo_client(const struct sockaddr_in *addr) {
    int c = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(c >= 0);
    struct timeval tv = { 10, 0 };
    CHECK(setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0);
    CHECK(connect(c, (const struct sockaddr *)addr, sizeof *addr) == 0);
    CHECK(send(c, "echo me", 7, 0) == 7);
    char buf[16];
    CHECK(recv(c, buf, 7, MSG_WAITALL) == 7 && memcmp(buf, "echo me", 7) == 0);
    CHECK(shutdown(c, SHUT_WR) == 0);
    CHECK(recv(c, buf, sizeof buf, 0) == 0);
    CHECK(close(c) == 0);
    return 0;
}

int main(void) {
    int fds[2];
    CHECK(pipe(fds) == 0);
    pid_t me = getpid();
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        close(fds[0]);
        _exit(pipe_child(fds[1], me));
    }
    CHECK(close(fds[1]) == 0);
    char buf[32];
    ssize_t n = read(fds[0], buf, sizeof buf);
    CHECK(n == 14 && memcmp(buf, "from the child", 14) == 0);
    CHECK(read(fds[0], buf, sizeof buf) == 0); /* the child's end closed when it exited */
    CHECK(close(fds[0]) == 0);
    int status = -1;
    CHECK(waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7);
    CHECK_ERR(waitpid(-1, &status, 0), ECHILD);

    /* The TCP echo: a listener, a forked client. */
    int l = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(l >= 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(bind(l, (struct sockaddr *)&addr, sizeof addr) == 0);
    CHECK(listen(l, 1) == 0);
    socklen_t len = sizeof addr;
    CHECK(getsockname(l, (struct sockaddr *)&addr, &len) == 0 && addr.sin_port != 0);
    child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        close(l);
        _exit(echo_client(&addr));
    }
    int s = accept(l, NULL, NULL);
    CHECK(s >= 0);
    struct timeval tv = { 10, 0 };
    CHECK(setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0);
    for (;;) {
        n = recv(s, buf, sizeof buf, 0);
        CHECK(n >= 0);
        if (n == 0) break;
        CHECK(send(s, buf, (size_t)n, 0) == n);
    }
    CHECK(close(s) == 0 && close(l) == 0);
    CHECK(waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return 0;
}
