package io.jdamon.vaddr.internal;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Notices when a monitored process has exec'd, i.e. got a new address space
 * that the sensor's open files do not see. Asked at every update interval
 * and whenever a sensor's read came back with nothing (see
 * {@link FollowsExec#sawNoAddressSpace()}); never on the per-sample path
 * otherwise.
 */
final class ExecWatch {

    private final int pid;
    private final IntFunction<AddressSpaceId> reader;
    private AddressSpaceId current;
    /**
     * true from an exec until two reads in a row agree: Linux fills in the
     * new layout field by field while it loads the program (the stack start
     * twice, the heap start last), so reads taken during an exec differ
     * from each other and from the loaded program without being new execs.
     * True at first too, as the process may have been exec'ing when watched.
     */
    private boolean settling = true;
    private int execs;
    private Instant lastExecAt;
    private String lastExe;

    ExecWatch(int pid) {
        this(pid, AddressSpaceId::read);
    }

    /** @param reader what {@code /proc} says of a PID's address space now ({@link AddressSpaceId#read}; tests feed a sequence) */
    ExecWatch(int pid, IntFunction<AddressSpaceId> reader) {
        this.pid = pid;
        this.reader = reader;
        this.current = reader.apply(pid);
    }

    /**
     * Compares the process's address space with the one last seen.
     *
     * @param sensorSawNone true if the sensor's files read nothing although
     *     the process lives: its address space is gone, so a present one is
     *     a new one even if it looks the same (the same program exec'd
     *     again without address space randomisation)
     * @return true if the process has exec'd since last asked (noted, for
     *     {@link #describe})
     */
    boolean execed(boolean sensorSawNone) {
        AddressSpaceId now = reader.apply(pid);
        if (now == null) {
            return false; // exiting or gone: the liveness check ends the target
        }
        boolean sameProcess = current != null && now.startTime() == current.startTime();
        boolean replaced;
        if (current == null) {
            replaced = sensorSawNone;
        } else if (settling) {
            // the last exec (already counted) may still be loading its program: only another program, or files
            // reopened on this address space reading nothing, say another exec came since
            replaced = sameProcess && (sensorSawNone || !Objects.equals(current.exeKey(), now.exeKey()));
        } else {
            replaced = current.replacedBy(now) || (sensorSawNone && sameProcess);
        }
        settling = replaced || (current != null && settling && !Arrays.equals(current.layout(), now.layout()));
        current = now;
        if (replaced) {
            execs++;
            lastExecAt = Instant.now();
            lastExe = now.exe();
        }
        return replaced;
    }

    /** @return the program the process runs now, as {@code /proc/PID/exe} names it */
    String exe() {
        return current == null ? "?" : current.exe();
    }

    /** Adds {@code execs} and {@code lastExec} (when the process exec'd) to a description. */
    void describe(String prefix, Map<String, String> into) {
        if (execs > 0) {
            into.put(prefix + "execs", Integer.toString(execs));
            into.put(prefix + "lastExec", "PID " + pid + " exec'd " + lastExe + " at " + lastExecAt
                    + "; the sensor was reopened on the new program's address space");
        }
    }
}
