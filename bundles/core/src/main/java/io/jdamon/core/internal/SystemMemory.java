package io.jdamon.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The machine's memory facts that DAMOS watermarks and quota goals read:
 * free memory (permil of total), a NUMA node's used or free memory (basis
 * points), and the total memory pressure stall time. Read from {@code /proc}
 * and {@code /sys}; tests substitute their own.
 */
interface SystemMemory {

    /** @return free memory over total, in permil ({@code MemFree / MemTotal} of {@code /proc/meminfo}) */
    long freeMemPermil() throws IOException;

    /**
     * @param used true for used memory, false for free
     * @return node {@code node}'s used or free memory over its total, in basis points
     */
    long nodeMemBp(int node, boolean used) throws IOException;

    /** @return the {@code some} memory stall time since boot, in microseconds ({@code /proc/pressure/memory}) */
    long somePsiTotalUs() throws IOException;

    /** The machine's own, from {@code /proc} and {@code /sys}. */
    SystemMemory PROC = new SystemMemory() {
        @Override
        public long freeMemPermil() throws IOException {
            String meminfo = Files.readString(Path.of("/proc/meminfo"));
            return field(meminfo, "MemFree:", "/proc/meminfo") * 1000 / field(meminfo, "MemTotal:", "/proc/meminfo");
        }

        @Override
        public long nodeMemBp(int node, boolean used) throws IOException {
            Path nodeInfo = Path.of("/sys/devices/system/node/node" + node + "/meminfo");
            String text;
            String where;
            if (Files.isReadable(nodeInfo)) {
                text = Files.readString(nodeInfo);
                where = nodeInfo.toString();
            } else if (node == 0) {
                text = Files.readString(Path.of("/proc/meminfo")); // no NUMA: the machine is node 0
                where = "/proc/meminfo";
            } else {
                throw new IOException("NUMA node " + node + " does not exist here (no " + nodeInfo + ")");
            }
            long total = field(text, "MemTotal:", where);
            long free = field(text, "MemFree:", where);
            return (used ? total - free : free) * 10_000 / total;
        }

        @Override
        public long somePsiTotalUs() throws IOException {
            Path psi = Path.of("/proc/pressure/memory");
            for (String line : Files.readAllLines(psi)) {
                if (line.startsWith("some ")) {
                    int at = line.indexOf("total=");
                    if (at >= 0) {
                        return Long.parseLong(line.substring(at + 6).trim());
                    }
                }
            }
            throw new IOException(psi + " has no 'some ... total=' line");
        }

        @Override
        public String toString() {
            return "/proc";
        }
    };

    /** @return the value in kB of the line starting with {@code key} (e.g. {@code MemFree:}, also after "Node N ") */
    private static long field(String text, String key, String where) throws IOException {
        int at = text.indexOf(key);
        if (at < 0) {
            throw new IOException(where + " has no " + key + " line");
        }
        int i = at + key.length();
        while (i < text.length() && text.charAt(i) == ' ') {
            i++;
        }
        int j = i;
        while (j < text.length() && Character.isDigit(text.charAt(j))) {
            j++;
        }
        long v = Long.parseLong(text.substring(i, j));
        if (v <= 0 && key.equals("MemTotal:")) {
            throw new IOException(where + " says " + key + " " + v);
        }
        return v;
    }
}
