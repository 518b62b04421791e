package io.jdamon.vaddr.internal;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The few Linux system calls the vaddr primitive needs that Java lacks, by
 * JNA direct mapping: only primitive arguments, so calls allocate nothing.
 * Pointers are passed as addresses ({@code long}) of preallocated
 * {@link com.sun.jna.Memory}.
 */
final class LibC {

    /** x86_64 system call numbers. */
    static final long SYS_PIDFD_OPEN = 434;
    static final long SYS_PROCESS_MADVISE = 440;
    static final long SYS_PIDFD_GETFD = 438;
    static final long SYS_USERFAULTFD = 323;

    static final int MADV_PAGEOUT = 21;
    static final short POLLIN = 0x1;

    private static final Throwable LOAD_FAILURE;

    static {
        Throwable failure = null;
        try {
            if (!Platform.isLinux() || !Platform.isIntel() || !Platform.is64Bit()) {
                throw new UnsupportedOperationException("jdamon's vaddr system calls need Linux on x86_64, this is "
                        + System.getProperty("os.name") + " on " + System.getProperty("os.arch"));
            }
            Native.register(LibC.class, Platform.C_LIBRARY_NAME);
        } catch (Throwable t) {
            failure = t;
        }
        LOAD_FAILURE = failure;
    }

    private LibC() {
    }

    /** @return null if the native calls are usable, else why not */
    static String unavailableReason() {
        return LOAD_FAILURE == null ? null : String.valueOf(LOAD_FAILURE.getMessage());
    }

    static boolean available() {
        return LOAD_FAILURE == null;
    }

    /** The C library's {@code syscall}, with six integer arguments (the x86_64 ABI ignores unused ones). */
    static native long syscall(long number, long a1, long a2, long a3, long a4, long a5);

    static native int poll(long fds, long nfds, int timeoutMs);

    static native int close(int fd);

    static native int ioctl(int fd, long request, long arg);

    static native int geteuid();

    /** @return the last error number of this thread's last failed call */
    static int errno() {
        return Native.getLastError();
    }

    /** @return the C library's message for an error number */
    static String strerror(int errno) {
        return switch (errno) {
            case 1 -> "EPERM (operation not permitted)";
            case 3 -> "ESRCH (no such process)";
            case 9 -> "EBADF (bad file descriptor)";
            case 12 -> "ENOMEM (out of memory)";
            case 13 -> "EACCES (permission denied)";
            case 14 -> "EFAULT (bad address)";
            case 22 -> "EINVAL (invalid argument)";
            case 25 -> "ENOTTY (not supported by this kernel)";
            case 38 -> "ENOSYS (system call not implemented by this kernel)";
            default -> "errno " + errno;
        };
    }
}
