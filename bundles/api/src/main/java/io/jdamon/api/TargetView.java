package io.jdamon.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A read-only view of one monitoring target and its regions, as callbacks see
 * it. Regions are indexed from 0 to {@link #regionCount()} - 1, sorted by
 * address and never overlapping; each is {@code [regionStart(i), regionEnd(i))}.
 *
 * <p>Valid only on the context's kdamond thread, during the hook that was
 * handed it: the engine merges and splits regions between hooks, so indexes
 * are not stable across hooks. Take an {@link AggregationSnapshot} to keep data.
 */
@ProviderType
public interface TargetView {

    /** @return this target's position in the context's target list, from 0 */
    int index();

    /** @return the target as the user specified it, e.g. {@code pid=1234} or {@code stairs} */
    String spec();

    /** @return the number of regions of this target */
    int regionCount();

    /** @return the first address of region {@code i}, in bytes */
    long regionStart(int i);

    /** @return the address just past region {@code i}, in bytes */
    long regionEnd(int i);

    /**
     * @return how many samples of the current aggregation interval found
     *     region {@code i} accessed, from 0 to
     *     {@link MonitoringAttributes#samplesPerAggregation()}. In
     *     {@link Callback#afterAggregation} this is the finished interval's count.
     */
    int nrAccesses(int i);

    /** @return {@link #nrAccesses} of region {@code i} in the previous aggregation interval */
    int lastNrAccesses(int i);

    /**
     * @return a moving sum of region {@code i}'s accesses over the last
     *     aggregation interval's worth of samples, in basis points of one
     *     access (10,000 = one access): usable between aggregations, where
     *     {@link #nrAccesses} has only counted part of an interval
     */
    long nrAccessesBp(int i);

    /**
     * @return for how many aggregation intervals region {@code i}'s access
     *     frequency has stayed about the same
     */
    int age(int i);

    /** @return the sum of this target's region sizes, in bytes */
    long totalBytes();

    // ---- what the primitive measured of whole ranges in the current aggregation interval
    // (MonitoringTarget#reportMeasuredAccess), readable without allocating: round r holds the
    // ranges measuredRoundFirstRange(r) up to measuredRoundFirstRange(r + 1), the last one up to
    // measuredRangeCount(); during afterAggregation, the interval that just ended

    /** @return the measured rounds (access checks) so far in this aggregation interval, 0 if none; since 1.2 */
    default int measuredRoundCount() {
        return 0;
    }

    /** @return when round {@code r} began, nanoseconds since the run's time zero; since 1.2 */
    default long measuredRoundStartNanos(int r) {
        throw new IndexOutOfBoundsException("measured round " + r + " of 0");
    }

    /** @return when round {@code r} ended (its access check), same clock; since 1.2 */
    default long measuredRoundEndNanos(int r) {
        throw new IndexOutOfBoundsException("measured round " + r + " of 0");
    }

    /** @return the index of round {@code r}'s first range; since 1.2 */
    default int measuredRoundFirstRange(int r) {
        throw new IndexOutOfBoundsException("measured round " + r + " of 0");
    }

    /** @return the ranges of all closed rounds of this aggregation interval; since 1.2 */
    default int measuredRangeCount() {
        return 0;
    }

    /** @return range {@code k}'s first address, in bytes; since 1.2 */
    default long measuredRangeStart(int k) {
        throw new IndexOutOfBoundsException("measured range " + k + " of 0");
    }

    /** @return the address just past range {@code k}, in bytes; since 1.2 */
    default long measuredRangeEnd(int k) {
        throw new IndexOutOfBoundsException("measured range " + k + " of 0");
    }

    /** @return the bytes of range {@code k} found accessed in its round; since 1.2 */
    default long measuredRangeAccessedBytes(int k) {
        throw new IndexOutOfBoundsException("measured range " + k + " of 0");
    }
}
