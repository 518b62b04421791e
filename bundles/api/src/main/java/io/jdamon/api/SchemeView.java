package io.jdamon.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One of a context's DAMOS schemes as a {@link Callback} hook sees it, read
 * without allocating: DAMOS's counters and, when they were collected, the
 * regions its last application tried. Valid on the kdamond thread only,
 * during the hook; in {@link Callback#afterAggregation} the aggregation just
 * finished has not been applied yet (as in Linux, schemes apply after that
 * hook), so the view shows the applications up to the previous one.
 *
 * @since 2.0
 */
@ProviderType
public interface SchemeView {

    /** @return the scheme's position in its context's schemes, from 0 */
    int index();

    /** @return the scheme's action, e.g. {@link Scheme#PAGEOUT} */
    String action();

    /** @return regions the pattern and quota admitted, over the run */
    long nrTried();

    /** @return bytes of those regions */
    long szTried();

    /** @return regions the action was applied to (some bytes of) */
    long nrApplied();

    /** @return bytes the primitive reported the action applied to */
    long szApplied();

    /** @return reset intervals in which the quota ran out */
    long qtExceeds();

    /** @return times the scheme was applied (its apply interval came while it was active) */
    long applications();

    /**
     * @return the application (counted as {@link #applications()} counts, from 1)
     *     whose tried regions the {@code triedRegion...} methods read, 0 if none were
     *     collected; they are collected only when asked for ({@link ContextView#collectTriedRegions()})
     */
    long triedRegionsApplication();

    /** @return the number of regions that application tried */
    int triedRegionCount();

    /** @return the target of tried region {@code i}, from 0 to {@link #triedRegionCount()} - 1 */
    int triedRegionTarget(int i);

    /** @return tried region {@code i}'s first address */
    long triedRegionStart(int i);

    /** @return the address after tried region {@code i} */
    long triedRegionEnd(int i);

    /** @return tried region {@code i}'s access count in the aggregation it was tried at, in samples */
    int triedRegionNrAccesses(int i);

    /** @return tried region {@code i}'s age when tried, in aggregation intervals */
    int triedRegionAge(int i);

    /** @return the bytes of tried region {@code i} the action was applied to (0 for {@code stat}) */
    long triedRegionAppliedBytes(int i);
}
