package io.jdamon.core.internal;

import io.jdamon.api.MonitoringAttributes;

/**
 * Keeps a context's number of regions, over all its targets, between
 * {@code minNrRegions} and {@code maxNrRegions}, after init, after every
 * update and after every merge, whatever the sizes of the regions.
 *
 * <p>As in DAMON, merging is bounded by a size limit (the total size over
 * {@code minNrRegions}) so that it never goes below the minimum. DAMON's
 * merge can end above the maximum when the pieces are so big that no two fit
 * under the size limit (min = max = 10,000 over 1 GiB: 26- and 27-page
 * pieces, a limit of 26.2 pages). Then, like newer kernels, this merges
 * further with a doubling size limit, but only as many pairs as needed to
 * reach the maximum, most similar counts first: never below it, so never
 * below the minimum. The only case it cannot mend is a target with more
 * separate ranges than the maximum, as regions never span a gap.
 *
 * <p>A count below the minimum after an update (ranges shrank) is mended by
 * cutting regions larger than the size limit. Nothing here allocates unless
 * arrays must grow.
 */
final class RegionLimits {

    private RegionLimits() {
    }

    /** DAMON's {@code damon_region_sz_limit}: the total size over minNrRegions, at least one minimum region. */
    static long sizeLimit(TargetRegions[] targets, MonitoringAttributes attrs, long minRegionSize) {
        return Math.max(totalBytes(targets) / attrs.minNrRegions(), minRegionSize);
    }

    /**
     * DAMON's {@code kdamond_merge_regions}: merge with the threshold, and
     * while there are still too many regions, again with a doubled one; then,
     * if still too many, {@link #reduceTo} the maximum.
     *
     * @param window samples per aggregation, the highest count and threshold
     */
    static void merge(TargetRegions[] targets, int threshold, int window, MonitoringAttributes attrs,
            long minRegionSize) {
        long sizeLimit = sizeLimit(targets, attrs, minRegionSize);
        int regions;
        do {
            regions = 0;
            for (TargetRegions t : targets) {
                t.mergePass(threshold, sizeLimit);
                regions += t.regionCount();
            }
            threshold = Math.max(1, threshold * 2);
        } while (regions > attrs.maxNrRegions() && threshold / 2 < window);
        if (regions > attrs.maxNrRegions()) {
            reduceTo(targets, attrs.maxNrRegions(), window, sizeLimit);
        }
    }

    /** After init or update: cuts up to the minimum, merges down to the maximum. */
    static void enforce(TargetRegions[] targets, MonitoringAttributes attrs, long minRegionSize) {
        int regions = regionCount(targets);
        if (regions < attrs.minNrRegions() && regions > 0) {
            long sizeLimit = sizeLimit(targets, attrs, minRegionSize);
            for (TargetRegions t : targets) {
                regions += t.splitLargerThan(sizeLimit);
            }
        }
        if (regions > attrs.maxNrRegions()) {
            reduceTo(targets, attrs.maxNrRegions(), Integer.MAX_VALUE / 2,
                    sizeLimit(targets, attrs, minRegionSize));
        }
    }

    /**
     * Merges adjacent regions, most similar counts first and with a doubling
     * size limit, exactly until {@code max} regions remain (or no two
     * adjacent regions are left). Does not age regions.
     *
     * @return the number of regions left
     */
    static int reduceTo(TargetRegions[] targets, int max, int maxThreshold, long sizeLimit) {
        int regions = regionCount(targets);
        long total = totalBytes(targets);
        long limit = sizeLimit;
        while (regions > max) {
            for (int threshold = 0; regions > max; threshold = threshold == 0 ? 1 : threshold * 2) {
                for (TargetRegions t : targets) {
                    regions -= t.mergePass(threshold, limit, regions - max, false);
                }
                if (threshold >= maxThreshold) {
                    break;
                }
            }
            if (limit >= total) {
                break; // every two adjacent regions were merged: more separate ranges than max
            }
            limit = limit > total / 2 ? total : limit * 2;
        }
        return regions;
    }

    static int regionCount(TargetRegions[] targets) {
        int n = 0;
        for (TargetRegions t : targets) {
            n += t.regionCount();
        }
        return n;
    }

    static long totalBytes(TargetRegions[] targets) {
        long total = 0;
        for (TargetRegions t : targets) {
            total += t.totalBytes();
        }
        return total;
    }
}
