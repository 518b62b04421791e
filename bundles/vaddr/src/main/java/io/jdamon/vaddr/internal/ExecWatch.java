package io.jdamon.vaddr.internal;

import java.time.Instant;
import java.util.Map;

/**
 * Notices when a monitored process has exec'd, i.e. got a new address space
 * that the sensor's open files do not see. Asked at every update interval
 * and whenever a sensor's read came back with nothing (see
 * {@link FollowsExec#sawNoAddressSpace()}); never on the per-sample path
 * otherwise.
 */
final class ExecWatch {

    private final int pid;
    private AddressSpaceId current;
    private int execs;
    private Instant lastExecAt;
    private String lastExe;

    ExecWatch(int pid) {
        this.pid = pid;
        this.current = AddressSpaceId.read(pid);
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
        AddressSpaceId now = AddressSpaceId.read(pid);
        if (now == null) {
            return false; // exiting or gone: the liveness check ends the target
        }
        boolean replaced;
        if (current == null) {
            replaced = sensorSawNone;
        } else if (!current.loaded()) {
            // last seen half way through an exec (already counted): the program loading then is the one
            // loaded now, unless another exec came since
            replaced = now.startTime() == current.startTime()
                    && (sensorSawNone || !java.util.Objects.equals(current.exeKey(), now.exeKey()));
        } else {
            replaced = current.replacedBy(now) || (sensorSawNone && now.startTime() == current.startTime());
        }
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
