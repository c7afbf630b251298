/* chdir + getcwd: argv[1] is a directory holding `sub`; the current directory follows chdir (absolute and
 * relative), and short buffers, NULL and missing paths are refused as POSIX says. */
#include "check.h"

#include <stdlib.h>

int main(int argc, char **argv) {
    CHECK(argc == 2);
    const char *dir = argv[1];
    char buf[512];
    CHECK(chdir(dir) == 0);
    CHECK(getcwd(buf, sizeof buf) == buf);
    CHECK(strcmp(buf, dir) == 0);

    CHECK(chdir("sub") == 0);
    CHECK(getcwd(buf, sizeof buf) == buf);
    CHECK(strncmp(buf, dir, strlen(dir)) == 0 && strcmp(buf + strlen(dir), "/sub") == 0);

    char *grown = getcwd(NULL, 0);
    CHECK(grown != NULL && strcmp(grown, buf) == 0);
    free(grown);

    char tiny[2];
    errno = 0;
    CHECK(getcwd(tiny, sizeof tiny) == NULL && errno == ERANGE);
    errno = 0;
    CHECK(getcwd(buf, 0) == NULL && errno == EINVAL);

    CHECK_ERR(chdir("no-such-directory"), ENOENT);
    CHECK_ERR(chdir(""), ENOENT);
    CHECK_ERR(chdir(NULL), EFAULT);
    CHECK(chdir(dir) == 0);
    return 0;
}
