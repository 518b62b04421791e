package io.jdamon.vaddr.internal;

import java.io.IOException;

/** Facts about the running kernel and user that sensors' probes need. */
final class Kernel {

    private Kernel() {
    }

    /**
     * Reads a /proc or /sys file whole. {@code Files.readString} is not used:
     * these files report size 0 and some (integer sysctls such as
     * {@code pid_max}) then come back cut to their first byte.
     */
    static String read(String path) throws IOException {
        try (java.io.FileInputStream in = new java.io.FileInputStream(path)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (java.io.FileNotFoundException e) {
            // FileInputStream reports both a missing file and a refused open this way
            String m = String.valueOf(e.getMessage());
            if (m.contains("Permission denied") || m.contains("Operation not permitted")) {
                throw new java.nio.file.AccessDeniedException(path, null, m);
            }
            if (m.contains("No such file") || m.contains("No such process")) {
                throw new java.nio.file.NoSuchFileException(path);
            }
            throw e;
        }
    }

    static java.util.List<String> lines(String path) throws IOException {
        return java.util.List.of(read(path).split("\n"));
    }

    /** @return the kernel release, e.g. {@code 6.1.0}, or "unknown" */
    static String release() {
        try {
            return read("/proc/sys/kernel/osrelease").trim();
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
            for (String line : lines("/proc/self/status")) {
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
            return Integer.parseInt(read("/proc/sys/kernel/yama/ptrace_scope").trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** @return total swap in kB from /proc/meminfo, or -1 if unknown */
    static long swapTotalKb() {
        try {
            for (String line : lines("/proc/meminfo")) {
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
