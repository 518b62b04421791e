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
