package io.jdamon.api;

import java.util.List;

/**
 * One region at the end of an aggregation interval.
 *
 * @param start first address, in bytes
 * @param end address just past the region, in bytes
 * @param nrAccesses samples that found it accessed in the interval, 0 to
 *     {@link AggregationSnapshot#samplesPerAggregation()}
 * @param age aggregation intervals its access frequency has stayed about the same
 */
public record RegionSnapshot(long start, long end, int nrAccesses, int age) {

    /** @return {@code end - start}, in bytes */
    public long size() {
        return end - start;
    }

    /**
     * @return the bytes of the regions accessed at least once in their
     *     aggregation interval: DAMON's working set size
     */
    public static long workingSetBytes(List<RegionSnapshot> regions) {
        long sum = 0;
        for (RegionSnapshot r : regions) {
            if (r.nrAccesses() > 0) {
                sum += r.size();
            }
        }
        return sum;
    }
}
