package io.jdamon.sim.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Linux pressure stall information for the CPU: how long runnable threads
 * waited for a CPU. Timing bounds tested on an overloaded machine measure the
 * machine, not the code.
 */
final class CpuPressure {

    private static final Path PSI = Path.of("/proc/pressure/cpu");

    private CpuPressure() {
    }

    /**
     * @return CPU time the hypervisor gave to others while this machine's
     *     CPUs wanted to run (the "steal" column of /proc/stat), in clock
     *     ticks summed over all CPUs, or empty where it cannot be read
     */
    static OptionalLong stealTicks() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    return f.length > 8 ? OptionalLong.of(Long.parseLong(f[8])) : OptionalLong.empty();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return OptionalLong.empty();
    }

    /** @return milliseconds this JVM's collectors have spent collecting so far */
    static long gcMillis() {
        long sum = 0;
        for (java.lang.management.GarbageCollectorMXBean gc
                : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    /** @return the "some" stall total in microseconds, or empty where the kernel does not report it */
    static OptionalLong someTotalUs() {
        try {
            for (String line : Files.readAllLines(PSI)) {
                if (line.startsWith("some ")) {
                    for (String field : line.split(" ")) {
                        if (field.startsWith("total=")) {
                            return OptionalLong.of(Long.parseLong(field.substring("total=".length())));
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no PSI on this kernel
        }
        return OptionalLong.empty();
    }
}
