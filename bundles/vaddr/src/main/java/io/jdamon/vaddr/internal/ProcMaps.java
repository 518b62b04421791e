package io.jdamon.vaddr.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A process's mappings as {@code /proc/PID/maps} lists them, and DAMON's
 * "three regions" computed from them.
 */
final class ProcMaps {

    /** One mapping, {@code [start, end)}. */
    record Mapping(long start, long end, String perms, String path) {
        long size() {
            return end - start;
        }
    }

    private ProcMaps() {
    }

    static List<Mapping> read(int pid) throws IOException {
        return parse(Kernel.read("/proc/" + pid + "/maps"));
    }

    /**
     * Parses maps text. The {@code [vsyscall]} page is left out: it is not a
     * mapping of the process (the kernel shows a fixed gate page at the top of
     * every address space), and its huge distance from the stack would be
     * taken for the address space's largest gap.
     */
    static List<Mapping> parse(String text) {
        List<Mapping> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("\\s+", 6);
            int dash = f[0].indexOf('-');
            long start = Long.parseUnsignedLong(f[0].substring(0, dash), 16);
            long end = Long.parseUnsignedLong(f[0].substring(dash + 1), 16);
            String path = f.length > 5 ? f[5] : "";
            if (path.equals("[vsyscall]")) {
                continue;
            }
            out.add(new Mapping(start, end, f.length > 1 ? f[1] : "", path));
        }
        return out;
    }

    /**
     * DAMON's three regions: walk the mappings in address order, keep the two
     * largest gaps between consecutive mappings, and cover
     * {@code [first.start, gap1.start)}, {@code [gap1.end, gap2.start)},
     * {@code [gap2.end, last.end)}, aligned to {@code align}. Typically the
     * heap, the mmap area, and the stack.
     *
     * @return start/end pairs, sorted, six numbers
     * @throws IllegalStateException if there are fewer than three mappings
     */
    static long[] threeRegions(List<Mapping> mappings, long align) {
        if (mappings.size() < 3) {
            throw new IllegalStateException("the process has " + mappings.size()
                    + " mappings; DAMON's three-regions layout needs at least 3");
        }
        // gap i is between mapping i-1 and mapping i
        int big = -1;
        int second = -1;
        long bigSize = -1;
        long secondSize = -1;
        for (int i = 1; i < mappings.size(); i++) {
            long gap = mappings.get(i).start() - mappings.get(i - 1).end();
            if (gap > bigSize) {
                second = big;
                secondSize = bigSize;
                big = i;
                bigSize = gap;
            } else if (gap > secondSize) {
                second = i;
                secondSize = gap;
            }
        }
        int g1 = Math.min(big, second);
        int g2 = Math.max(big, second);
        long first = alignDown(mappings.get(0).start(), align);
        long last = alignUp(mappings.get(mappings.size() - 1).end(), align);
        long[] r = {
            first, alignUp(mappings.get(g1 - 1).end(), align),
            alignDown(mappings.get(g1).start(), align), alignUp(mappings.get(g2 - 1).end(), align),
            alignDown(mappings.get(g2).start(), align), last,
        };
        // mappings that touch (no gap) give ranges that meet: join them
        int n = 2;
        for (int i = 2; i < r.length; i += 2) {
            if (r[i] <= r[n - 1]) {
                r[n - 1] = Math.max(r[n - 1], r[i + 1]);
            } else {
                r[n++] = r[i];
                r[n++] = r[i + 1];
            }
        }
        return n == r.length ? r : java.util.Arrays.copyOf(r, n);
    }

    static long alignDown(long v, long align) {
        return v - Long.remainderUnsigned(v, align);
    }

    static long alignUp(long v, long align) {
        long r = Long.remainderUnsigned(v, align);
        return r == 0 ? v : v + (align - r);
    }
}
