package io.jdamon.api;

/**
 * A region a scheme's pattern and quota admitted at its last application
 * (DAMON's {@code tried_regions}), as it was then.
 *
 * @param targetIndex the region's target, from 0
 * @param start first address
 * @param end end address (exclusive)
 * @param nrAccesses samples of its aggregation in which it was found accessed
 * @param age aggregation intervals it kept its access frequency
 * @param appliedBytes bytes the action was applied to (0 for {@code stat} or when filtered out)
 * @since 2.0
 */
public record TriedRegion(int targetIndex, long start, long end, int nrAccesses, int age, long appliedBytes) {

    /** @return {@code end - start} */
    public long size() {
        return end - start;
    }
}
