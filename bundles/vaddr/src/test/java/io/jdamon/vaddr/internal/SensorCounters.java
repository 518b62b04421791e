package io.jdamon.vaddr.internal;

import io.jdamon.vaddr.SensorSession;

/** What a session counted about itself, for the lab's printouts. */
final class SensorCounters {

    private SensorCounters() {
    }

    /** @return " sensorSyscalls=N perSample=X" for a counting session, else "" */
    static String describe(SensorSession session, int samples) {
        if (session instanceof SyscallCounting c) {
            return String.format(" sensorSyscalls=%d perSample=%.1f", c.syscalls(),
                    (double) c.syscalls() / Math.max(1, samples));
        }
        return "";
    }
}
