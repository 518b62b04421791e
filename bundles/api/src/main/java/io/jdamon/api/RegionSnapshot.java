package io.jdamon.api;

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
}
