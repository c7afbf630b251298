/*
 * Compiled on every native build of the shim: the generated header's _Static_asserts check every layout
 * for 64-bit pointers here, and wasix_shim_abi_check() calls the simulator through the __wasix_* entry
 * points the header declares, the path a native C program takes.
 */
#include <wasix/api.h>

/* Returns 0 when a clock read, an fdstat of stdout and an fd_write through the C entry points succeed,
 * else the first failing errno. */
int wasix_shim_abi_check(void) {
    __wasix_timestamp_t now = 0;
    __wasix_errno_t err = __wasix_clock_time_get(__WASIX_CLOCKID_MONOTONIC, 1, &now);
    if (err != __WASIX_ERRNO_SUCCESS) return err;
    if (now == 0) return __WASIX_ERRNO_INVAL;

    __wasix_fdstat_t stat;
    err = __wasix_fd_fdstat_get(__WASIX_FD_STDOUT, &stat);
    if (err != __WASIX_ERRNO_SUCCESS) return err;
    if ((stat.fs_rights_base & __WASIX_RIGHTS_FD_WRITE) == 0) return __WASIX_ERRNO_NOTCAPABLE;

    static const char msg[] = "from C\n";
    __wasix_ciovec_t iov = { (const uint8_t *)msg, sizeof msg - 1 };
    __wasix_size_t written = 0;
    err = __wasix_fd_write(__WASIX_FD_STDOUT, &iov, 1, &written);
    if (err != __WASIX_ERRNO_SUCCESS) return err;
    return written == sizeof msg - 1 ? 0 : __WASIX_ERRNO_IO;
}

/* Ends the process with `code` through the C entry point, as a C program's exit path does: in a scoped
 * simulator instance this unwinds (through this frame) to Sim::run_main, which returns the code. */
_Noreturn void wasix_shim_exit(uint32_t code) {
    __wasix_proc_exit(code);
}
