package io.jdamon.api;

import java.util.List;

/**
 * One target's regions at the end of an aggregation interval.
 *
 * @param index the target's position in its context, from 0
 * @param spec the target as specified
 * @param regions sorted by address, not overlapping
 */
public record TargetSnapshot(int index, String spec, List<RegionSnapshot> regions) {

    public TargetSnapshot {
        regions = List.copyOf(regions);
    }

    /** @return bytes in regions that were accessed at least once (DAMON's working set size) */
    public long workingSetBytes() {
        return RegionSnapshot.workingSetBytes(regions);
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
