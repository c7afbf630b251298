/*
 * signal.c: signals (kill, raise, signal, sigaction, alarm, setitimer), the process's ids and _exit.
 *
 * POSIX numbers are the C library's; WASIX's are the seed's (no SIGSTKFLT, so SIGCHLD onwards differ on
 * Linux), translated by the one table below. What a host numbers differently (Wasmer's signals from 16
 * on) is the Rust host profile's business: the C side sees only the seed's numbers. Handlers are kept
 * here per seed number; a signal with a handler (or SIG_IGN) is routed by wasix::signal, the Rust layer
 * that owns the process's one signal export, to wasix_shim_signal_dispatch.
 */
#include "internal.h"

#include <string.h>

static const struct {
    int posix;
    __wasix_signal_t seed;
} signals[] = {
    { SIGHUP, __WASIX_SIGNAL_HUP },     { SIGINT, __WASIX_SIGNAL_INT },       { SIGQUIT, __WASIX_SIGNAL_QUIT },
    { SIGILL, __WASIX_SIGNAL_ILL },     { SIGTRAP, __WASIX_SIGNAL_TRAP },     { SIGABRT, __WASIX_SIGNAL_ABRT },
    { SIGBUS, __WASIX_SIGNAL_BUS },     { SIGFPE, __WASIX_SIGNAL_FPE },       { SIGKILL, __WASIX_SIGNAL_KILL },
    { SIGUSR1, __WASIX_SIGNAL_USR1 },   { SIGSEGV, __WASIX_SIGNAL_SEGV },     { SIGUSR2, __WASIX_SIGNAL_USR2 },
    { SIGPIPE, __WASIX_SIGNAL_PIPE },   { SIGALRM, __WASIX_SIGNAL_ALRM },     { SIGTERM, __WASIX_SIGNAL_TERM },
    { SIGCHLD, __WASIX_SIGNAL_CHLD },   { SIGCONT, __WASIX_SIGNAL_CONT },     { SIGSTOP, __WASIX_SIGNAL_STOP },
    { SIGTSTP, __WASIX_SIGNAL_TSTP },   { SIGTTIN, __WASIX_SIGNAL_TTIN },     { SIGTTOU, __WASIX_SIGNAL_TTOU },
    { SIGURG, __WASIX_SIGNAL_URG },     { SIGXCPU, __WASIX_SIGNAL_XCPU },     { SIGXFSZ, __WASIX_SIGNAL_XFSZ },
    { SIGVTALRM, __WASIX_SIGNAL_VTALRM }, { SIGPROF, __WASIX_SIGNAL_PROF },   { SIGWINCH, __WASIX_SIGNAL_WINCH },
    { SIGPOLL, __WASIX_SIGNAL_POLL },   { SIGPWR, __WASIX_SIGNAL_PWR },       { SIGSYS, __WASIX_SIGNAL_SYS },
};
#define NSEED 31 /* seed numbers 1..30 */

#if defined(__wasi__)
/* SIG_IGN and SIG_ERR (wasix/compat.h): distinct functions, never called as handlers. */
void __wasix_sig_ign(int sig) { (void)sig; }
void __wasix_sig_err(int sig) { (void)sig; }
#endif

__wasix_signal_t wasix_shim_signal_to_seed(int sig) {
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++)
        if (signals[i].posix == sig) return signals[i].seed;
    return __WASIX_SIGNAL_NONE;
}

int wasix_shim_signal_from_seed(__wasix_signal_t sig) {
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++)
        if (signals[i].seed == sig) return signals[i].posix;
    return 0;
}

/* Each seed signal's disposition: the handler (SIG_DFL, SIG_IGN or a function) and its sa_flags. */
static struct {
    void (*handler)(int);
    void (*action)(int, siginfo_t *, void *);
    int flags;
} dispositions[NSEED];

void wasix_shim_signal_dispatch(__wasix_signal_t sig) {
    if (sig == 0 || sig >= NSEED) return;
    int posix = wasix_shim_signal_from_seed(sig);
    void (*handler)(int) = __atomic_load_n(&dispositions[sig].handler, __ATOMIC_ACQUIRE);
    void (*action)(int, siginfo_t *, void *) = __atomic_load_n(&dispositions[sig].action, __ATOMIC_ACQUIRE);
    int flags = __atomic_load_n(&dispositions[sig].flags, __ATOMIC_ACQUIRE);
    if (flags & SA_RESETHAND) {
        __atomic_store_n(&dispositions[sig].handler, SIG_DFL, __ATOMIC_RELEASE);
        __atomic_store_n(&dispositions[sig].action, NULL, __ATOMIC_RELEASE);
        wasix_shim_signal_route(sig, 0);
    }
    if (action != NULL) {
        siginfo_t info;
        memset(&info, 0, sizeof info);
        info.si_signo = posix;
        action(posix, &info, NULL);
    } else if (handler != SIG_IGN && handler != SIG_DFL && handler != NULL) {
        handler(posix);
    }
}

/* SA_SIGINFO handlers get a siginfo_t with si_signo only; sa_mask is kept but not applied (WASIX delivers
 * a signal only at a call, never inside its own handler's run); SA_RESTART is what WASIX does anyway. */
int wasix_sigaction(int sig, const struct sigaction *act, struct sigaction *old) {
    __wasix_signal_t s = wasix_shim_signal_to_seed(sig);
    if (s == __WASIX_SIGNAL_NONE) return wasix_shim_fail_with(EINVAL);
    if (act != NULL && (s == __WASIX_SIGNAL_KILL || s == __WASIX_SIGNAL_STOP)) return wasix_shim_fail_with(EINVAL);
    if (old != NULL) {
        memset(old, 0, sizeof *old);
        int flags = __atomic_load_n(&dispositions[s].flags, __ATOMIC_ACQUIRE);
        if (flags & SA_SIGINFO) old->sa_sigaction = __atomic_load_n(&dispositions[s].action, __ATOMIC_ACQUIRE);
        else old->sa_handler = __atomic_load_n(&dispositions[s].handler, __ATOMIC_ACQUIRE);
        old->sa_flags = flags;
    }
    if (act == NULL) return 0;
    int info = (act->sa_flags & SA_SIGINFO) != 0;
    void (*handler)(int) = info ? NULL : act->sa_handler;
    void (*action)(int, siginfo_t *, void *) = info ? act->sa_sigaction : NULL;
    int dfl = info ? action == NULL : handler == SIG_DFL;
    __atomic_store_n(&dispositions[s].handler, dfl ? SIG_DFL : handler, __ATOMIC_RELEASE);
    __atomic_store_n(&dispositions[s].action, action, __ATOMIC_RELEASE);
    __atomic_store_n(&dispositions[s].flags, act->sa_flags, __ATOMIC_RELEASE);
    __wasix_errno_t e = wasix_shim_signal_route(s, !dfl);
    return e ? wasix_shim_fail(e) : 0;
}

void (*wasix_signal(int sig, void (*handler)(int)))(int) {
    struct sigaction act, old;
    memset(&act, 0, sizeof act);
    act.sa_handler = handler;
    act.sa_flags = SA_RESTART;
    if (wasix_sigaction(sig, &act, &old) != 0) return SIG_ERR;
    return old.sa_handler;
}

int wasix_raise(int sig) {
    __wasix_signal_t s = wasix_shim_signal_to_seed(sig);
    if (s == __WASIX_SIGNAL_NONE) return wasix_shim_fail_with(EINVAL);
    __wasix_errno_t e = wasix_host_proc_raise(s);
    return e ? wasix_shim_fail(e) : 0;
}

pid_t wasix_getpid(void) {
    __wasix_pid_t pid = 0;
    __wasix_errno_t e = wasix_host_proc_id(&pid);
    return e ? wasix_shim_fail(e) : (pid_t)pid;
}

pid_t wasix_getppid(void) {
    __wasix_pid_t self = 0, parent = 0;
    __wasix_errno_t e = wasix_host_proc_id(&self);
    if (e == __WASIX_ERRNO_SUCCESS) e = wasix_host_proc_parent(self, &parent);
    return e ? wasix_shim_fail(e) : (pid_t)parent;
}

_Noreturn void wasix__exit(int status) {
    wasix_host_proc_exit((__wasix_exitcode_t)(status & 0xff));
}

/* kill(pid > 0, sig); signal 0 checks only that the process exists (proc_signal of `none`). WASIX has no
 * process groups: pid 0 and negative pids are EINVAL. */
int wasix_kill(pid_t pid, int sig) {
    if (pid <= 0) return wasix_shim_fail_with(EINVAL);
    __wasix_signal_t s = sig == 0 ? __WASIX_SIGNAL_NONE : wasix_shim_signal_to_seed(sig);
    if (sig != 0 && s == __WASIX_SIGNAL_NONE) return wasix_shim_fail_with(EINVAL);
    __wasix_errno_t e = wasix_host_proc_signal((__wasix_pid_t)pid, s);
    return e ? wasix_shim_fail(e) : 0;
}

/* The deadline (monotonic ns) and interval of each timer set through setitimer/alarm, for the old value
 * they return: WASIX's proc_raise_interval does not report one. */
static struct {
    uint64_t deadline;
    uint64_t interval;
} timers[3];

static uint64_t now_ns(void) {
    __wasix_timestamp_t t = 0;
    wasix_host_clock_time_get(__WASIX_CLOCKID_MONOTONIC, 1, &t);
    return t;
}

static uint64_t tv_ns(const struct timeval *tv) {
    uint64_t s = (uint64_t)tv->tv_sec;
    if (s > UINT64_MAX / 1000000000u - 1) return UINT64_MAX;
    return s * 1000000000u + (uint64_t)tv->tv_usec * 1000u;
}

static void ns_tv(uint64_t ns, struct timeval *tv) {
    tv->tv_sec = (time_t)(ns / 1000000000u);
    tv->tv_usec = (suseconds_t)((ns % 1000000000u + 999) / 1000);
}

/* ITIMER_REAL raises SIGALRM, ITIMER_VIRTUAL SIGVTALRM and ITIMER_PROF SIGPROF, all on wall-clock time
 * (WASIX has no CPU-time timers). A repeat interval different from the first expiry cannot be expressed
 * (proc_raise_interval uses one interval for both): EINVAL. */
int wasix_setitimer(int which, const struct itimerval *value, struct itimerval *old) {
    static const int sigs[3] = { SIGALRM, SIGVTALRM, SIGPROF };
    if (which < 0 || which > 2) return wasix_shim_fail_with(EINVAL);
    if (value == NULL) return wasix_shim_fail_with(EFAULT);
    if (value->it_value.tv_sec < 0 || value->it_value.tv_usec < 0 || value->it_value.tv_usec >= 1000000 ||
        value->it_interval.tv_sec < 0 || value->it_interval.tv_usec < 0 || value->it_interval.tv_usec >= 1000000)
        return wasix_shim_fail_with(EINVAL);
    uint64_t first = tv_ns(&value->it_value), every = tv_ns(&value->it_interval);
    if (first != 0 && every != 0 && every != first) return wasix_shim_fail_with(EINVAL);
    uint64_t now = now_ns();
    if (old != NULL) {
        memset(old, 0, sizeof *old);
        if (timers[which].deadline > now) ns_tv(timers[which].deadline - now, &old->it_value);
        ns_tv(timers[which].interval, &old->it_interval);
    }
    __wasix_errno_t e = wasix_host_proc_raise_interval(wasix_shim_signal_to_seed(sigs[which]), first,
                                                       every != 0 ? __WASIX_BOOL_TRUE : __WASIX_BOOL_FALSE);
    if (e) return wasix_shim_fail(e);
    timers[which].deadline = first != 0 ? now + first : 0;
    timers[which].interval = first != 0 ? every : 0;
    return 0;
}

unsigned wasix_alarm(unsigned seconds) {
    struct itimerval value, old;
    memset(&value, 0, sizeof value);
    value.it_value.tv_sec = (time_t)seconds;
    if (wasix_setitimer(ITIMER_REAL, &value, &old) != 0) return 0;
    return (unsigned)old.it_value.tv_sec + (old.it_value.tv_usec != 0);
}

WASIX_POSIX_ALIAS(kill);
WASIX_POSIX_ALIAS(raise);
WASIX_POSIX_ALIAS(signal);
WASIX_POSIX_ALIAS(sigaction);
WASIX_POSIX_ALIAS(alarm);
WASIX_POSIX_ALIAS(setitimer);
WASIX_POSIX_ALIAS(getpid);
WASIX_POSIX_ALIAS(getppid);
