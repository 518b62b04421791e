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
}
