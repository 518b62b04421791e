package io.jdamon.vaddr.internal;

import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few Linux system calls the vaddr primitive needs that Java lacks, by
 * JNA direct mapping: only primitive arguments, so calls allocate nothing.
 * Pointers are passed as addresses ({@code long}) of preallocated
 * {@link com.sun.jna.Memory}.
 */
final class LibC {

    /** x86_64 system call numbers. */
    static final long SYS_OPEN = 2;
    static final long SYS_PIDFD_OPEN = 434;
    static final long SYS_PROCESS_MADVISE = 440;
    static final long SYS_PIDFD_GETFD = 438;
    static final long SYS_USERFAULTFD = 323;

    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;
    static final int MADV_WILLNEED = 3;
    static final int MADV_COLD = 20;
    static final int MADV_PAGEOUT = 21;
    static final int MADV_COLLAPSE = 25;
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

    /**
     * {@code process_madvise(pidfd, {start, length}, 1, advice, 0)}, with {@code iovec} (16 bytes at
     * {@code iovecAddress}) reused for the one {@code struct iovec}; allocates nothing.
     *
     * @return the bytes advised, or -1 with {@link #errno()} set
     */
    static long processMadvise(int pidfd, com.sun.jna.Memory iovec, long iovecAddress, long start, long length,
            int advice) {
        iovec.setLong(0, start);
        iovec.setLong(8, length);
        return syscall(SYS_PROCESS_MADVISE, pidfd, iovecAddress, 1, advice, 0);
    }

    static native int poll(long fds, long nfds, int timeoutMs);

    static native int close(int fd);

    static native int ioctl(int fd, long request, long arg);

    static native int geteuid();

    /** @return the last error number of this thread's last failed call */
    static int errno() {
        return Native.getLastError();
    }

    /**
     * @return the error's symbolic name and the C library's message, e.g.
     *     {@code EMFILE (Too many open files)}, with a hint where the usual
     *     text misleads (an ioctl or system call this kernel lacks); for error
     *     paths only (it allocates)
     */
    static String strerror(int errno) {
        String text = null;
        String name = null;
        if (LOAD_FAILURE == null) {
            Pointer p = strerrorNative(errno);
            text = p == null ? null : p.getString(0, "UTF-8");
            Function byName = STRERRORNAME;
            if (byName != null) {
                Pointer n = (Pointer) byName.invoke(Pointer.class, new Object[] {errno});
                name = n == null ? null : n.getString(0, "US-ASCII");
            }
        }
        String hint = switch (errno) {
            case 25 -> ": not supported by this kernel";   // ENOTTY from an ioctl
            case 38 -> ": not implemented by this kernel"; // ENOSYS
            default -> "";
        };
        return (name != null ? name : "errno " + errno) + " (" + (text != null ? text : "no message") + hint + ")";
    }

    /** glibc 2.32+'s {@code strerrorname_np}, or null where the C library lacks it. */
    private static final Function STRERRORNAME = lookUp("strerrorname_np");

    private static Function lookUp(String name) {
        if (LOAD_FAILURE != null) {
            return null;
        }
        try {
            return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction(name);
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
    }

    /** The C library's {@code strerror}: a message of at most a few dozen characters. */
    private static Pointer strerrorNative(int errno) {
        return (Pointer) NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("strerror")
                .invoke(Pointer.class, new Object[] {errno});
    }
}
