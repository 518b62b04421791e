package io.jdamon.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One monitoring target as its primitive sees it: the read-only view plus
 * what a primitive must do, set regions and report accesses.
 *
 * <p>Like everything a primitive is handed, use it only on the kdamond thread
 * during a hook.
 */
@ProviderType
public interface MonitoringTarget extends TargetView {

    /** @return the primitive's per-target state set with {@link #attach}, or null */
    Object attachment();

    /** Keeps per-target state for the primitive (a process handle, a workload). */
    void attach(Object state);

    /**
     * Sets the first regions of this target (the seed's {@code init}): each
     * range is cut into equal pieces of {@code totalBytes / minNrRegions},
     * aligned to {@link Primitive#minRegionSize()}.
     *
     * @param ranges start and end address pairs, {@code [start0, end0, start1, end1, ...]},
     *     sorted and not overlapping; each end is exclusive
     * @throws IllegalArgumentException if the ranges are unsorted, overlap, or are empty
     */
    void initRegions(long... ranges);

    /**
     * Applies new address ranges while keeping what was learnt (the seed's
     * {@code update}): regions that no longer intersect any range are dropped,
     * regions at the edges of a range are trimmed or extended to it, and parts
     * of a range that no region covers get new regions.
     *
     * @param ranges as for {@link #initRegions}
     */
    void updateRegions(long... ranges);

    /**
     * @return the address chosen for region {@code i}'s next access check:
     *     uniformly random in {@code [regionStart(i), regionEnd(i))}, picked by
     *     the engine just before {@link Primitive#prepareAccessChecks}
     */
    long samplingAddress(int i);

    /**
     * Reports, from {@link Primitive#checkAccesses}, that region {@code i}'s
     * sampling address was accessed since it was prepared. Regions not marked
     * count as not accessed. Marking twice counts once.
     */
    void markAccessed(int i);

    /**
     * Reports, from {@link Primitive#checkAccesses}, what the primitive
     * measured of a whole range in this sample interval, for a primitive that
     * cannot tell accessed from idle memory more finely than such ranges (a
     * mapping, say): {@code accessedBytes} of {@code [start, end)} were
     * accessed since {@link Primitive#prepareAccessChecks}. The ranges
     * reported in one check make one {@link MeasuredRound}; snapshots and
     * records carry the rounds of each aggregation interval, and reports take
     * the working set size from them. From {@link #measureWholeRanges} on (or,
     * without it, from the target's first reported range) every check of the
     * run makes a round, so a round without ranges means nothing was accessed. The primitive still marks sampled regions with
     * {@link #markAccessed}. Name the unit of the ranges in
     * {@link Primitive#describe} with the key {@value #MEASURED_UNIT_PROPERTY}
     * (e.g. {@code mapping}), which reports show.
     *
     * <p>At most {@value #MAX_MEASURED_RANGES_PER_AGGREGATION} ranges per
     * aggregation interval and target.
     *
     * @param start first address, in bytes
     * @param end address just past the range, in bytes
     * @param accessedBytes bytes of the range accessed, 0 to {@code end - start}
     * @throws IllegalArgumentException if the range is empty or the bytes do not fit it
     * @throws IllegalStateException past the limit of ranges per aggregation interval
     * @since 1.2
     */
    void reportMeasuredAccess(long start, long end, long accessedBytes);

    /**
     * Declares that this target's checks report what they measured with
     * {@link #reportMeasuredAccess}: from now on every check makes a round,
     * also one that reports nothing (nothing was accessed). Call it in
     * {@link Primitive#init}, so that a target idle at the start is measured
     * as idle rather than not measured at all.
     *
     * @since 1.2
     */
    void measureWholeRanges();

    /** The description key naming the unit of a primitive's measured ranges: {@value}. */
    String MEASURED_UNIT_PROPERTY = "measuredUnit";

    /** The most ranges a target may report per aggregation interval: {@value}. */
    int MAX_MEASURED_RANGES_PER_AGGREGATION = 1 << 20;
}
