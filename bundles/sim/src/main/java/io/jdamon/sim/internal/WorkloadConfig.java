package io.jdamon.sim.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed masim-style workload: named memory regions and the phases that
 * access them, in order.
 *
 * @param source where it came from (a built-in name or a file path), for messages
 * @param regions the regions, in the order the config lists them
 * @param phases the phases, run one after the other
 */
record WorkloadConfig(String source, List<Region> regions, List<Phase> phases) {

    /** How an access pattern touches memory. */
    enum AccessMode {
        /** reads only */
        RO,
        /** writes only */
        WO,
        /** reads, then writes back */
        RW
    }

    /** A memory region: {@code name, size}. */
    record Region(String name, long sizeBytes) {
    }

    /**
     * One access pattern line of a phase: {@code region, random, stride, weight[, mode]}.
     *
     * @param regionIndex index into {@link WorkloadConfig#regions()}
     * @param random random offsets (masim's 1) or a sequential walk (0)
     * @param strideBytes distance between two offsets the pattern touches
     * @param weight relative share of the phase's accesses
     * @param mode reads, writes or both
     */
    record Access(int regionIndex, boolean random, long strideBytes, int weight, AccessMode mode) {
    }

    /** A phase: a name, a duration, and its access patterns. */
    record Phase(String name, long durationMs, List<Access> accesses) {
        Phase {
            accesses = List.copyOf(accesses);
        }

        /** @return whether the phase accesses region {@code regionIndex} at all */
        boolean accesses(int regionIndex) {
            for (Access a : accesses) {
                if (a.regionIndex() == regionIndex && a.weight() > 0) {
                    return true;
                }
            }
            return false;
        }
    }

    WorkloadConfig {
        regions = List.copyOf(regions);
        phases = List.copyOf(phases);
    }

    /** @return the sum of the region sizes, in bytes */
    long totalBytes() {
        long sum = 0;
        for (Region r : regions) {
            sum += r.sizeBytes();
        }
        return sum;
    }

    /** @return the sum of the phase durations, in milliseconds */
    long totalDurationMs() {
        long sum = 0;
        for (Phase p : phases) {
            sum += p.durationMs();
        }
        return sum;
    }

    /**
     * Scales every region so that the sizes add up to about {@code newTotalBytes}
     * and never more (each rounded down to a page, at least one page); strides larger than their
     * new region shrink to it. Phases and weights stay.
     */
    WorkloadConfig scaledTo(long newTotalBytes) {
        long total = totalBytes();
        List<Region> scaled = new ArrayList<>();
        for (Region r : regions) {
            double share = (double) r.sizeBytes() / total;
            long size = Math.max(Sizes.PAGE, (long) (share * newTotalBytes) & -Sizes.PAGE);
            scaled.add(new Region(r.name(), size));
        }
        List<Phase> newPhases = new ArrayList<>();
        for (Phase p : phases) {
            List<Access> accesses = new ArrayList<>();
            for (Access a : p.accesses()) {
                long regionSize = scaled.get(a.regionIndex()).sizeBytes();
                accesses.add(new Access(a.regionIndex(), a.random(), Math.min(a.strideBytes(), regionSize),
                        a.weight(), a.mode()));
            }
            newPhases.add(new Phase(p.name(), p.durationMs(), accesses));
        }
        return new WorkloadConfig(source, scaled, newPhases);
    }
}
