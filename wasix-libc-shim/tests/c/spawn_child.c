/* The child of spawn.c: copies stdin to stdout in upper case, then exits with 7. */
#include "check.h"

int main(void) {
    char buf[64];
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            if (buf[i] >= 'a' && buf[i] <= 'z') buf[i] = (char)(buf[i] - 'a' + 'A');
        if (write(1, buf, (size_t)n) != n) return 1;
    }
    return n == 0 ? 7 : 2;
}
