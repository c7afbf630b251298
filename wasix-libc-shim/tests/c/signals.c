/* signal + sigaction + raise + kill + alarm + setitimer: handlers run with the POSIX number, alarm and an
 * interval timer deliver SIGALRM (waits are bounded), and signals that cannot be handled are refused. */
#include "check.h"

#include <stdint.h>

static volatile int got_usr1, got_usr2, got_alrm, last;

static void on_usr1(int sig) { got_usr1++, last = sig; }
static void on_usr2(int sig) { got_usr2++, last = sig; }
static void on_alrm(int sig) { got_alrm++, last = sig; }

/* Waits (in WASIX calls, where signals are delivered) until *flag reaches `n`, at most about 5 s. */
static int wait_for(volatile int *flag, int n) {
    uint32_t word = 0;
    struct timespec step = { 0, 10000000 };
    for (int i = 0; i < 500 && *flag < n; i++) wasix_futex_wait(&word, 0, &step);
    return *flag >= n;
}

int main(void) {
    CHECK(getpid() > 0);
    CHECK(getppid() >= 0);

    CHECK(signal(SIGUSR1, on_usr1) == SIG_DFL);
    CHECK(raise(SIGUSR1) == 0);
    CHECK(got_usr1 == 1 && last == SIGUSR1);
    CHECK(signal(SIGUSR1, SIG_IGN) == on_usr1);
    CHECK(raise(SIGUSR1) == 0);
    CHECK(got_usr1 == 1);

    struct sigaction act, old;
    memset(&act, 0, sizeof act);
    act.sa_handler = on_usr2;
    CHECK(sigaction(SIGUSR2, &act, NULL) == 0);
    CHECK(sigaction(SIGUSR2, NULL, &old) == 0 && old.sa_handler == on_usr2);
    CHECK(kill(getpid(), SIGUSR2) == 0);
    CHECK(wait_for(&got_usr2, 1) && last == SIGUSR2);

    /* SIGCHLD is numbered differently by the seed (16) and Linux (17): the handler sees the POSIX one. */
    CHECK(signal(SIGCHLD, on_usr1) == SIG_DFL);
    CHECK(raise(SIGCHLD) == 0);
    CHECK(got_usr1 == 2 && last == SIGCHLD);
    CHECK(signal(SIGCHLD, SIG_DFL) == on_usr1);

    CHECK(signal(SIGALRM, on_alrm) == SIG_DFL);
    CHECK(alarm(1) == 0);
    CHECK(alarm(1) == 1); /* the one before, about a second left */
    CHECK(wait_for(&got_alrm, 1) && last == SIGALRM);

    struct itimerval every = { { 0, 20000 }, { 0, 20000 } }, was;
    CHECK(setitimer(ITIMER_REAL, &every, NULL) == 0);
    CHECK(wait_for(&got_alrm, 4));
    struct itimerval off = { { 0, 0 }, { 0, 0 } };
    CHECK(setitimer(ITIMER_REAL, &off, &was) == 0);
    CHECK(was.it_interval.tv_usec == 20000);
    struct itimerval uneven = { { 0, 10000 }, { 0, 20000 } };
    CHECK_ERR(setitimer(ITIMER_REAL, &uneven, NULL), EINVAL);
    CHECK_ERR(setitimer(99, &every, NULL), EINVAL);
    CHECK_ERR(setitimer(ITIMER_REAL, NULL, NULL), EFAULT);

    CHECK(signal(SIGKILL, on_usr1) == SIG_ERR && errno == EINVAL);
    CHECK_ERR(sigaction(SIGSTOP, &act, NULL), EINVAL);
    CHECK_ERR(raise(12345), EINVAL);
    CHECK_ERR(kill(0, SIGUSR1), EINVAL);
    return 0;
}
