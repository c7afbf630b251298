/* isatty + tcgetattr + tcsetattr: with argv[1] "tty" stdin is a terminal whose ECHO and ICANON round
 * trip; otherwise (a run without a terminal) every call reports ENOTTY. Other fds are not terminals. */
#include "check.h"

int main(int argc, char **argv) {
    struct termios t;
    int p[2];
    CHECK(pipe(p) == 0);
    CHECK(isatty(p[0]) == 0 && errno == ENOTTY);
    CHECK_ERR(tcgetattr(p[0], &t), ENOTTY);
    CHECK(isatty(-1) == 0 && errno == EBADF);
    CHECK_ERR(tcgetattr(-1, &t), EBADF);
    CHECK_ERR(tcgetattr(0, NULL), EFAULT);
    CHECK(close(p[0]) == 0 && close(p[1]) == 0);

    if (argc > 1 && strcmp(argv[1], "tty") == 0) {
        CHECK(isatty(0) == 1);
        CHECK(tcgetattr(0, &t) == 0);
        CHECK((t.c_lflag & ECHO) && (t.c_lflag & ICANON));
        t.c_lflag &= ~(tcflag_t)(ECHO | ICANON);
        CHECK(tcsetattr(0, TCSANOW, &t) == 0);
        struct termios back;
        CHECK(tcgetattr(0, &back) == 0);
        CHECK(!(back.c_lflag & ECHO) && !(back.c_lflag & ICANON));
        back.c_lflag |= ECHO;
        CHECK(tcsetattr(0, TCSAFLUSH, &back) == 0);
        CHECK(tcgetattr(0, &t) == 0 && (t.c_lflag & ECHO) && !(t.c_lflag & ICANON));
        CHECK_ERR(tcsetattr(0, 99, &t), EINVAL);
    } else {
        CHECK(isatty(0) == 0 && errno == ENOTTY);
        CHECK_ERR(tcgetattr(0, &t), ENOTTY);
    }
    return 0;
}
