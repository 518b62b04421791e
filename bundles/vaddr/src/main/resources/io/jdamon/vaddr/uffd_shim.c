/*
 * jdamon's userfaultfd preload shim, for the uffd-write sensor.
 *
 * A userfaultfd can only be created by a process for its own address space.
 * Preloaded into a process jdamon starts (LD_PRELOAD), this creates one before
 * main() and leaves it open, unused; jdamon then takes a copy with
 * pidfd_getfd(2) and sets it up (write-protect, asynchronous mode) from
 * outside. The process itself never sees a fault: asynchronous write-protect
 * faults are resolved by the kernel.
 *
 * Build: cc -shared -fPIC -O2 -o libjdamon-uffd.so uffd_shim.c
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif

__attribute__((constructor)) static void jdamon_uffd_shim(void) {
    /* O_CLOEXEC: a program the target execs starts without it */
    syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
}
