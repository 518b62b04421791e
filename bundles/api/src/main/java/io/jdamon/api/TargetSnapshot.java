package io.jdamon.api;

import java.util.List;

/**
 * One target's regions at the end of an aggregation interval.
 *
 * @param index the target's position in its context, from 0
 * @param spec the target as specified
 * @param regions sorted by address, not overlapping
 * @param measuredRounds what the primitive measured of whole ranges in each
 *     sample of the interval ({@link MonitoringTarget#reportMeasuredAccess}),
 *     in time order; empty when its primitive measures nothing that way
 * @since 1.2 (measuredRounds)
 */
public record TargetSnapshot(int index, String spec, List<RegionSnapshot> regions,
        List<MeasuredRound> measuredRounds) {

    public TargetSnapshot {
        regions = List.copyOf(regions);
        measuredRounds = List.copyOf(measuredRounds);
    }

    /** A snapshot without measured rounds (the form of 1.0). */
    public TargetSnapshot(int index, String spec, List<RegionSnapshot> regions) {
        this(index, spec, regions, List.of());
    }

    /**
     * @return DAMON's working set size: bytes in regions that were accessed at
     *     least once; for a target with {@linkplain #measuredRounds measured
     *     rounds} see {@link #measuredWorkingSetBytes()} instead
     */
    public long workingSetBytes() {
        return RegionSnapshot.workingSetBytes(regions);
    }

    /**
     * @return the working set size the primitive measured
     *     ({@link MeasuredRound#workingSetBytes}), or -1 if it measured none
     * @since 1.2
     */
    public long measuredWorkingSetBytes() {
        return measuredRounds.isEmpty() ? -1 : MeasuredRound.workingSetBytes(measuredRounds);
    }

    /**
     * @return the working set size to show: {@link #measuredWorkingSetBytes()}
     *     where the primitive measured, else {@link #workingSetBytes()}
     * @since 1.2
     */
    public long effectiveWorkingSetBytes() {
        long m = measuredWorkingSetBytes();
        return m >= 0 ? m : workingSetBytes();
    }

    /** @return the sum of region sizes, in bytes */
    public long totalBytes() {
        long sum = 0;
        for (RegionSnapshot r : regions) {
            sum += r.size();
        }
        return sum;
    }
}
