package io.jdamon.vaddr.internal;

import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * Tells, every sample interval and without allocating, whether a process
 * still exists: polls a pidfd ({@code pidfd_open}, Linux 5.3+), which becomes
 * readable when the process exits and, unlike a PID, never names a newer
 * process that reused the number. Falls back to {@code /proc/PID} when pidfds
 * are not available.
 */
final class ProcessLiveness implements AutoCloseable {

    private final int pid;
    private final int pidfd;
    private final Memory pollfd;
    private final long pollfdAddress;
    private final Path procDir;
    private boolean exited;

    ProcessLiveness(int pid) {
        this.pid = pid;
        this.procDir = Path.of("/proc/" + pid);
        int fd = -1;
        if (LibC.available()) {
            fd = (int) LibC.syscall(LibC.SYS_PIDFD_OPEN, pid, 0, 0, 0, 0);
        }
        this.pidfd = fd;
        this.pollfd = new Memory(8);
        this.pollfdAddress = Pointer.nativeValue(pollfd);
    }

    int pid() {
        return pid;
    }

    /** @return the pidfd, or -1 if none could be opened */
    int pidfd() {
        return pidfd;
    }

    /** @return true while the process has not exited */
    boolean alive() {
        if (exited) {
            return false;
        }
        if (pidfd >= 0) {
            // struct pollfd { int fd; short events; short revents; }
            pollfd.setInt(0, pidfd);
            pollfd.setShort(4, LibC.POLLIN);
            pollfd.setShort(6, (short) 0);
            int n = LibC.poll(pollfdAddress, 1, 0);
            exited = n > 0 && (pollfd.getShort(6) & LibC.POLLIN) != 0;
        } else {
            exited = !Files.exists(procDir);
        }
        return !exited;
    }

    @Override
    public void close() {
        if (pidfd >= 0) {
            LibC.close(pidfd);
        }
    }
}
