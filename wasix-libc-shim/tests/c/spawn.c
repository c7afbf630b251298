/* posix_spawn with piped stdio + waitpid: argv[1] names the child program (spawn_child.c); its stdin and
 * stdout are the ends of two pipes given by file actions, what it writes back is read whole, and waitpid
 * reports its exit status. An unknown program is ENOENT; bad file actions are refused. */
#include "check.h"

int main(int argc, char **argv) {
    CHECK(argc == 2);
    int in[2], out[2];
    CHECK(pipe(in) == 0 && pipe(out) == 0);
    posix_spawn_file_actions_t fa;
    CHECK(posix_spawn_file_actions_init(&fa) == 0);
    CHECK(posix_spawn_file_actions_adddup2(&fa, in[0], 0) == 0);
    CHECK(posix_spawn_file_actions_adddup2(&fa, out[1], 1) == 0);
    CHECK(posix_spawn_file_actions_adddup2(&fa, out[1], 5) == ENOTSUP);
    CHECK(posix_spawn_file_actions_addclose(&fa, -1) == EBADF);

    char *child_argv[] = { argv[1], "x", NULL };
    pid_t pid = 0;
    CHECK(posix_spawnp(&pid, argv[1], &fa, NULL, child_argv, NULL) == 0);
    CHECK(pid > 0);
    CHECK(posix_spawn_file_actions_destroy(&fa) == 0);
    CHECK(close(in[0]) == 0 && close(out[1]) == 0);

    CHECK(write(in[1], "hello, child", 12) == 12);
    CHECK(close(in[1]) == 0);
    char buf[64];
    size_t got = 0;
    ssize_t n;
    for (int i = 0; i < 100 && (n = read(out[0], buf + got, sizeof buf - got)) > 0; i++) got += (size_t)n;
    CHECK(got == 12 && memcmp(buf, "HELLO, CHILD", 12) == 0);
    CHECK(close(out[0]) == 0);

    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7);
    CHECK_ERR(waitpid(pid, &status, 0), ECHILD);
    CHECK_ERR(waitpid(-1, &status, WNOHANG), EINVAL);

    char *none_argv[] = { "no-such-program", NULL };
    CHECK(posix_spawn(&pid, "no-such-program", NULL, NULL, none_argv, NULL) == ENOENT);
    CHECK(posix_spawn(&pid, NULL, NULL, NULL, none_argv, NULL) == EFAULT);
    char *bad_argv[] = { "a\nb", NULL };
    CHECK(posix_spawn(&pid, argv[1], NULL, NULL, bad_argv, NULL) == EINVAL);
    return 0;
}
