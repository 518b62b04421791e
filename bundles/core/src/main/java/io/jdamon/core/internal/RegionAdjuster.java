package io.jdamon.core.internal;

import java.util.SplittableRandom;

import io.jdamon.api.MonitoringAttributes;

/**
 * DAMON's adaptive region adjustment for one run: merging at the end of an
 * aggregation ({@code kdamond_merge_regions}), splitting after the counts
 * were reset ({@code kdamond_split_regions}), and keeping the counts within
 * the attributes' limits after a primitive set regions. Owned by the kdamond
 * thread; its random source and last count are this run's own.
 */
final class RegionAdjuster {

    private final long minRegionSize;
    private final SplittableRandom random = new SplittableRandom();
    private int lastSplitRegionCount;

    /** @param minRegionSize the primitive's least region size, in bytes */
    RegionAdjuster(long minRegionSize) {
        this.minRegionSize = minRegionSize;
    }

    long minRegionSize() {
        return minRegionSize;
    }

    /** @return a seed for the first sample's addresses, from this run's random source */
    long samplingSeed() {
        return random.nextLong();
    }

    /** Merges neighbours whose counts differ by at most a tenth of the highest count seen. */
    void merge(TargetRegions[] targets, int maxNrAccesses, int window, MonitoringAttributes attrs) {
        RegionLimits.merge(targets, maxNrAccesses / 10, window, attrs, minRegionSize);
    }

    /** Brings the counts within the attributes' minimum and maximum (after a primitive set regions). */
    void enforceLimits(TargetRegions[] targets, MonitoringAttributes attrs) {
        RegionLimits.enforce(targets, attrs, minRegionSize);
    }

    /**
     * Splits in two, or in three when the count has not moved since the last
     * split; not at all above half the maximum, so that the count stays
     * within it.
     */
    void split(TargetRegions[] targets, MonitoringAttributes attrs) {
        int regions = RegionLimits.regionCount(targets);
        if (regions > attrs.maxNrRegions() / 2) {
            return;
        }
        int pieces = lastSplitRegionCount == regions && regions < attrs.maxNrRegions() / 3 ? 3 : 2;
        for (TargetRegions t : targets) {
            t.split(pieces, random);
        }
        lastSplitRegionCount = regions;
    }
}
