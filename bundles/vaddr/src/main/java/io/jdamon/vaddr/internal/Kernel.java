package io.jdamon.vaddr.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about the running kernel and user that sensors' probes need. */
final class Kernel {

    private Kernel() {
    }

    /** @return the kernel release, e.g. {@code 6.1.0}, or "unknown" */
    static String release() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** @return true if the running kernel is at least {@code major.minor} */
    static boolean atLeast(int major, int minor) {
        String[] p = release().split("[.-]");
        try {
            int ma = Integer.parseInt(p[0]);
            int mi = Integer.parseInt(p[1]);
            return ma > major || (ma == major && mi >= minor);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** @return the effective user ID of this JVM, or -1 if unknown */
    static int euid() {
        if (LibC.available()) {
            return LibC.geteuid();
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Integer.parseInt(line.split("\\s+")[2]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return -1;
    }

    static boolean root() {
        return euid() == 0;
    }

    /** @return {@code kernel.yama.ptrace_scope}, or -1 if Yama is not in this kernel */
    static int ptraceScope() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/yama/ptrace_scope")).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** @return total swap in kB from /proc/meminfo, or -1 if unknown */
    static long swapTotalKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("SwapTotal:")) {
                    return Long.parseLong(line.split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return -1;
    }
}
