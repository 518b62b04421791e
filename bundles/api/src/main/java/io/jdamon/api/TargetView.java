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
}
