/*
 * process.c: fork, execv/execvp, posix_spawn/posix_spawnp and waitpid/wait over proc_fork, proc_exec,
 * proc_spawn and proc_join.
 *
 * Programs are named as the host names them (the simulator's registry, Wasmer's paths and packages), so
 * the *p variants search no PATH: the host resolves the name. An argument holding a newline cannot be
 * passed (the seed's argument list is newline-separated): EINVAL, as in the Rust layer.
 * A status from waitpid is an exit status (WIFEXITED): WASIX reports a child ended by a signal as exit code
 * 128 + the signal's number, which is what the status then holds.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

pid_t wasix_fork(void) {
    __wasix_pid_t pid = 0;
    __wasix_errno_t e = wasix_host_proc_fork(__WASIX_BOOL_TRUE, &pid);
    return e ? wasix_shim_fail(e) : (pid_t)pid;
}

/* The newline-separated argument list of argv (allocated), or NULL with errno set. */
static char *arg_list(char *const argv[], size_t *len) {
    if (argv == NULL) {
        errno = EFAULT;
        return NULL;
    }
    size_t total = 0;
    for (size_t i = 0; argv[i] != NULL; i++) {
        if (strchr(argv[i], '\n') != NULL) {
            errno = EINVAL;
            return NULL;
        }
        total += strlen(argv[i]) + 1;
    }
    char *out = malloc(total + 1);
    if (out == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    size_t at = 0;
    for (size_t i = 0; argv[i] != NULL; i++) {
        if (i != 0) out[at++] = '\n';
        size_t n = strlen(argv[i]);
        memcpy(out + at, argv[i], n);
        at += n;
    }
    out[at] = '\0';
    *len = at;
    return out;
}

/* On success proc_exec does not return; it ends the process with an errno as exit code when the program
 * cannot start (the seed's failed exec), so this returns only for what is refused before the call. */
int wasix_execv(const char *path, char *const argv[]) {
    if (path == NULL) return wasix_shim_fail_with(EFAULT);
    if (*path == '\0') return wasix_shim_fail_with(ENOENT);
    size_t len = 0;
    char *args = arg_list(argv, &len);
    if (args == NULL) return -1;
    wasix_host_proc_exec(path, strlen(path), args, len);
}

int wasix_execvp(const char *file, char *const argv[]) {
    return wasix_execv(file, argv);
}

pid_t wasix_waitpid(pid_t pid, int *status, int options) {
    if (options != 0) return wasix_shim_fail_with(EINVAL); /* WNOHANG: proc_join always waits */
    if (pid == 0 || pid < -1) return wasix_shim_fail_with(EINVAL); /* no process groups */
    __wasix_pid_t p = pid == -1 ? UINT32_MAX : (__wasix_pid_t)pid;
    __wasix_exitcode_t code = 0;
    __wasix_errno_t e = wasix_host_proc_join(&p, &code);
    if (e) return wasix_shim_fail(e);
    if (status != NULL) *status = (int)((code & 0xff) << 8);
    return (pid_t)p;
}

pid_t wasix_wait(int *status) {
    return wasix_waitpid(-1, status, 0);
}

#define INHERITED (-1)
#define CLOSED (-2)

int wasix_posix_spawn_file_actions_init(wasix_posix_spawn_file_actions_t *fa) {
    if (fa == NULL) return EINVAL;
    for (int i = 0; i < 3; i++) fa->__dup_from[i] = INHERITED;
    return 0;
}

int wasix_posix_spawn_file_actions_destroy(wasix_posix_spawn_file_actions_t *fa) {
    return fa == NULL ? EINVAL : 0;
}

/* Only the three standard streams can be given: another target is ENOTSUP (WASIX passes a child no other
 * fd). */
int wasix_posix_spawn_file_actions_adddup2(wasix_posix_spawn_file_actions_t *fa, int fd, int to) {
    if (fa == NULL) return EINVAL;
    if (fd < 0 || to < 0) return EBADF;
    if (to > 2) return ENOTSUP;
    fa->__dup_from[to] = fd;
    return 0;
}

int wasix_posix_spawn_file_actions_addclose(wasix_posix_spawn_file_actions_t *fa, int fd) {
    if (fa == NULL) return EINVAL;
    if (fd < 0) return EBADF;
    if (fd > 2) return ENOTSUP;
    fa->__dup_from[fd] = CLOSED;
    return 0;
}

int wasix_posix_spawnattr_init(wasix_posix_spawnattr_t *attr) {
    if (attr == NULL) return EINVAL;
    attr->__flags = 0;
    return 0;
}

int wasix_posix_spawnattr_destroy(wasix_posix_spawnattr_t *attr) {
    return attr == NULL ? EINVAL : 0;
}

/* The errno of a proc_spawn bus error. */
static int spawn_errno(__wasix_bus_error_t e) {
    switch (e) {
    case __WASIX_BUS_ERROR_INVALID_WAPM:
    case __WASIX_BUS_ERROR_FETCH_WAPM: return ENOENT;
    case __WASIX_BUS_ERROR_COMPILE_ERROR:
    case __WASIX_BUS_ERROR_INVALID_ABI: return ENOEXEC;
    case __WASIX_BUS_ERROR_BAD_REQUEST: return EINVAL;
    case __WASIX_BUS_ERROR_ACCESS_DENIED: return EACCES;
    case __WASIX_BUS_ERROR_UNSUPPORTED: return ENOTSUP;
    case __WASIX_BUS_ERROR_MEMORY_ALLOCATION_FAILED: return ENOMEM;
    default: return EIO;
    }
}

/*
 * proc_spawn gives a child each standard stream as the parent's own (inherit), a new pipe, nothing (null)
 * or the log; a stream duplicated from another fd is therefore passed as the parent's own, with that fd
 * put in its place for the call (fd_dup of the parent's stream, fd_renumber of a copy onto it) and the
 * parent's put back after. So, as with vfork-based spawns, another thread of the parent that uses its
 * standard streams during the call sees the child's. A closed stream is null.
 * The seed gives the child only these three streams. Wasmer 7.4.2 gives it a copy of the parent's whole fd
 * table (the saved copies included), and WASIX has no close-on-exec to stop that, so there a child holds
 * every pipe end the parent has open (docs/wasmer-7.4.2.md; tests/c/wasmer-expectations.txt).
 */
int wasix_posix_spawn(pid_t *pid, const char *path, const wasix_posix_spawn_file_actions_t *fa,
                      const wasix_posix_spawnattr_t *attr, char *const argv[], char *const envp[]) {
    (void)attr;
    (void)envp; /* proc_spawn passes the parent's environment; WASIX has no call to give another */
    if (path == NULL) return EFAULT;
    size_t len = 0;
    char *args = arg_list(argv, &len);
    if (args == NULL) return errno;
    __wasix_stdio_mode_t modes[3] = { __WASIX_STDIO_MODE_INHERIT, __WASIX_STDIO_MODE_INHERIT,
                                      __WASIX_STDIO_MODE_INHERIT };
    __wasix_fd_t saved[3];
    int swapped[3] = { 0, 0, 0 };
    int err = 0;
    for (int i = 0; i < 3 && fa != NULL && err == 0; i++) {
        int from = fa->__dup_from[i];
        if (from == CLOSED) modes[i] = __WASIX_STDIO_MODE_NULL;
        if (from < 0 || from == i) continue;
        __wasix_fd_t copy;
        __wasix_errno_t e = wasix_host_fd_dup((__wasix_fd_t)i, &saved[i]);
        if (e == __WASIX_ERRNO_SUCCESS) {
            e = wasix_host_fd_dup((__wasix_fd_t)from, &copy);
            if (e == __WASIX_ERRNO_SUCCESS) {
                e = wasix_host_fd_renumber(copy, (__wasix_fd_t)i);
                if (e) wasix_host_fd_close(copy);
            }
            if (e) wasix_host_fd_close(saved[i]);
        }
        if (e) err = wasix_shim_errno(e);
        else swapped[i] = 1;
    }
    __wasix_process_handles_t handles;
    memset(&handles, 0, sizeof handles);
    if (err == 0) {
        __wasix_bus_error_t b = wasix_host_proc_spawn(path, strlen(path), __WASIX_BOOL_FALSE, args, len, "", 0,
                                                      modes[0], modes[1], modes[2], "", 0, &handles);
        if (b != __WASIX_BUS_ERROR_SUCCESS) err = spawn_errno(b);
    }
    for (int i = 0; i < 3; i++)
        if (swapped[i] && wasix_host_fd_renumber(saved[i], (__wasix_fd_t)i) != __WASIX_ERRNO_SUCCESS)
            wasix_host_fd_close(saved[i]);
    free(args);
    if (err) return err;
    if (pid != NULL) *pid = (pid_t)handles.bid;
    return 0;
}

int wasix_posix_spawnp(pid_t *pid, const char *file, const wasix_posix_spawn_file_actions_t *fa,
                       const wasix_posix_spawnattr_t *attr, char *const argv[], char *const envp[]) {
    return wasix_posix_spawn(pid, file, fa, attr, argv, envp);
}

WASIX_POSIX_ALIAS(fork);
WASIX_POSIX_ALIAS(execv);
WASIX_POSIX_ALIAS(execvp);
WASIX_POSIX_ALIAS(waitpid);
WASIX_POSIX_ALIAS(wait);
WASIX_POSIX_ALIAS(posix_spawn_file_actions_init);
WASIX_POSIX_ALIAS(posix_spawn_file_actions_destroy);
WASIX_POSIX_ALIAS(posix_spawn_file_actions_adddup2);
WASIX_POSIX_ALIAS(posix_spawn_file_actions_addclose);
WASIX_POSIX_ALIAS(posix_spawnattr_init);
WASIX_POSIX_ALIAS(posix_spawnattr_destroy);
WASIX_POSIX_ALIAS(posix_spawn);
WASIX_POSIX_ALIAS(posix_spawnp);
