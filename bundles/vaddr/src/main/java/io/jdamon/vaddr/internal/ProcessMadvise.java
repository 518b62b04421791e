package io.jdamon.vaddr.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import io.jdamon.api.Scheme;

/**
 * DAMOS actions on a real process: {@code process_madvise(2)} on a pidfd,
 * as Linux's own vaddr DAMOS does with {@code madvise}. The kernel allows it
 * only with ptrace read access to the process and CAP_SYS_NICE; without
 * them the action is refused with the reason, and the run stops. Each range
 * is cut to the process's mappings (read at most every
 * {@link #MAPS_MAX_AGE_NANOS}), so that the bytes reported are the bytes
 * advised: the regions DAMON keeps span the holes between mappings.
 */
final class ProcessMadvise implements AutoCloseable {

    /** The actions and their {@code MADV_*} advice. */
    static final Map<String, Integer> ADVICE = Map.of(Scheme.PAGEOUT, LibC.MADV_PAGEOUT, Scheme.COLD, LibC.MADV_COLD,
            Scheme.WILLNEED, LibC.MADV_WILLNEED, Scheme.COLLAPSE, LibC.MADV_COLLAPSE);

    /** How old the mappings may be when an action is cut to them: one aggregation's worth of actions. */
    static final long MAPS_MAX_AGE_NANOS = 50_000_000;

    private static final int EPERM = 1;
    private static final int ESRCH = 3;
    private static final int ENOMEM = 12;
    private static final int EINVAL = 22;

    private final int pid;
    private int pidfd = -1;
    /** struct iovec { void *base; size_t len; } */
    private final Memory iovec = new Memory(16);
    private final long iovecAddress = Pointer.nativeValue(iovec);
    private List<ProcMaps.Mapping> mappings = List.of();
    private long mappingsReadNanos;
    private boolean mappingsRead;

    ProcessMadvise(int pid) {
        this.pid = pid;
    }

    /**
     * Advises the mapped parts of {@code [start, end)}.
     *
     * @return the bytes advised
     * @throws IllegalStateException when the kernel refuses, naming the reason and what to do
     */
    long apply(String action, long start, long end) throws IOException {
        Integer advice = ADVICE.get(action);
        if (advice == null) {
            throw new IllegalArgumentException("vaddr does not apply action '" + action + "'");
        }
        if (!LibC.available()) {
            throw new IllegalStateException("vaddr cannot apply " + action + ": " + LibC.unavailableReason());
        }
        if (pidfd < 0) {
            pidfd = (int) LibC.syscall(LibC.SYS_PIDFD_OPEN, pid, 0, 0, 0, 0);
            if (pidfd < 0) {
                throw new IOException("pidfd_open(" + pid + ") failed: " + LibC.strerror(LibC.errno()));
            }
        }
        long now = System.nanoTime();
        if (!mappingsRead || now - mappingsReadNanos > MAPS_MAX_AGE_NANOS) {
            mappings = ProcMaps.read(pid);
            mappingsReadNanos = now;
            mappingsRead = true;
        }
        long advised = 0;
        for (ProcMaps.Mapping m : mappings) {
            long s = Math.max(start, m.start());
            long e = Math.min(end, m.end());
            if (s >= e) {
                continue;
            }
            long done = LibC.processMadvise(pidfd, iovec, iovecAddress, s, e - s, advice);
            if (done < 0) {
                int errno = LibC.errno();
                if (errno == EPERM) {
                    throw new IllegalStateException("process_madvise(" + action + ") on PID " + pid + " was refused: "
                            + LibC.strerror(errno) + "; the kernel allows it only with ptrace read access to the"
                            + " process and CAP_SYS_NICE: run jdamon as the process's owner with CAP_SYS_NICE, or"
                            + " as root");
                }
                if (errno == EINVAL) {
                    continue; // a mapping the advice cannot apply to (locked, PFN, hugetlb, [vvar]): as Linux's DAMOS
                }
                if (errno == ENOMEM || errno == ESRCH) { // unmapped since the maps were read, or the process exited
                    continue;
                }
                throw new IllegalStateException("process_madvise(" + action + ") on PID " + pid + " ["
                        + Long.toHexString(s) + ", " + Long.toHexString(e) + ") failed: " + LibC.strerror(errno));
            }
            advised += done;
        }
        return advised;
    }

    @Override
    public void close() {
        if (pidfd >= 0) {
            LibC.close(pidfd);
            pidfd = -1;
        }
    }
}
