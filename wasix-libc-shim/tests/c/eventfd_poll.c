/* eventfd + poll: a non-blocking event fd polls readable only once written, a read takes the whole
 * count, then EAGAIN; the semaphore flavour hands out one at a time; bad flags and pointers are refused.
 * Also the futex wrappers' immediate answers. */
#include "check.h"

#include <stdint.h>

int main(void) {
    int fd = eventfd(0, EFD_NONBLOCK);
    CHECK(fd >= 0);
    struct pollfd p = { fd, POLLIN, 0 };
    CHECK(poll(&p, 1, 0) == 0 && p.revents == 0);

    uint64_t v = 3;
    CHECK(write(fd, &v, sizeof v) == sizeof v);
    v = 4;
    CHECK(write(fd, &v, sizeof v) == sizeof v);
    CHECK(poll(&p, 1, 1000) == 1 && (p.revents & POLLIN));
    v = 0;
    CHECK(read(fd, &v, sizeof v) == sizeof v && v == 7);
    CHECK_ERR(read(fd, &v, sizeof v), EAGAIN);
    CHECK(close(fd) == 0);

    CHECK_ERR(eventfd(0, 0x40000000), EINVAL);
    CHECK_ERR(poll(NULL, 1, 0), EFAULT);
    /* A closed fd is an event, not a failure. */
    struct pollfd gone = { fd, POLLIN, 0 };
    CHECK(poll(&gone, 1, 0) == 1 && (gone.revents & POLLNVAL));

    uint32_t word = 5;
    struct timespec short_wait = { 0, 1000000 };
    CHECK_ERR(wasix_futex_wait(&word, 6, &short_wait), EAGAIN);
    CHECK_ERR(wasix_futex_wait(&word, 5, &short_wait), ETIMEDOUT);
    /* No waiter: 0 (Wasmer 7.4.2 says a waiter was woken even then, docs/wasmer-7.4.2.md: 1). */
    CHECK(wasix_futex_wake(&word) >= 0 && wasix_futex_wake(&word) <= 1);
    CHECK(wasix_futex_wake_all(&word) >= 0 && wasix_futex_wake_all(&word) <= 1);
    CHECK_ERR(wasix_futex_wait(NULL, 0, NULL), EFAULT);

    /* Last, as Wasmer 7.4.2 hands a semaphore's reader the whole count (tests/expectations.toml). */
    int sem = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
    CHECK(sem >= 0);
    CHECK(read(sem, &v, sizeof v) == sizeof v && v == 1);
    CHECK(read(sem, &v, sizeof v) == sizeof v && v == 1);
    CHECK_ERR(read(sem, &v, sizeof v), EAGAIN);
    CHECK(close(sem) == 0);
    return 0;
}
