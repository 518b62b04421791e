package io.jdamon.api;

import java.util.List;

/**
 * A context's results at the end of one aggregation interval, safe to keep
 * and to read from any thread. Every component says what happened, not what
 * was configured: a slow hook stretches an interval, a primitive may sample
 * at a longer interval than the attributes say (see
 * {@link PrimitiveContext#useSampleIntervalUs}).
 *
 * @param contextName the context
 * @param aggregationIndex 0 for the first interval of the run
 * @param startNanos when the interval really began, nanoseconds since the
 *     run's time zero ({@link ContextView#startTime()})
 * @param endNanos when it really ended, nanoseconds since the run's time zero
 * @param sampleIntervalUs the sample interval the kdamond used in this
 *     interval, in microseconds: the attributes' one, or the longer one the
 *     primitive asked for ({@link ContextView#sampleIntervalUs()}); the mean
 *     real spacing of the samples is {@link #meanSampleIntervalNanos()}
 * @param aggregationIntervalUs how long the interval really lasted, in
 *     microseconds: {@code (endNanos - startNanos) / 1000}, rounded (the
 *     attributes' aggregation interval unless hooks overran it)
 * @param aggregationSamples the number of samples taken in the interval: the
 *     highest possible {@link RegionSnapshot#nrAccesses()}
 * @param targets each target's regions
 * @since 1.1 (the {@code aggregationSamples} component)
 */
public record AggregationSnapshot(String contextName, long aggregationIndex, long startNanos, long endNanos,
        long sampleIntervalUs, long aggregationIntervalUs, int aggregationSamples, List<TargetSnapshot> targets) {

    public AggregationSnapshot {
        targets = List.copyOf(targets);
    }

    /**
     * The constructor of API 1.0, for snapshots that did not count their
     * samples: {@code aggregationSamples} is taken as
     * {@code aggregationIntervalUs / sampleIntervalUs}, at least 1.
     */
    public AggregationSnapshot(String contextName, long aggregationIndex, long startNanos, long endNanos,
            long sampleIntervalUs, long aggregationIntervalUs, List<TargetSnapshot> targets) {
        this(contextName, aggregationIndex, startNanos, endNanos, sampleIntervalUs, aggregationIntervalUs,
                (int) Math.min(Integer.MAX_VALUE, Math.max(1, aggregationIntervalUs / Math.max(1, sampleIntervalUs))),
                targets);
    }

    /** @return the highest possible {@link RegionSnapshot#nrAccesses()}: {@link #aggregationSamples()}, at least 1 */
    public int samplesPerAggregation() {
        return Math.max(1, aggregationSamples);
    }

    /**
     * @return the real mean time between two samples of this interval, in
     *     nanoseconds: its length over its samples
     * @since 1.1
     */
    public long meanSampleIntervalNanos() {
        return (endNanos - startNanos) / samplesPerAggregation();
    }

    /** @return the number of regions over all targets */
    public int regionCount() {
        int n = 0;
        for (TargetSnapshot t : targets) {
            n += t.regions().size();
        }
        return n;
    }

    /** @return bytes accessed at least once in the interval, over all targets */
    public long workingSetBytes() {
        long sum = 0;
        for (TargetSnapshot t : targets) {
            sum += t.workingSetBytes();
        }
        return sum;
    }

    /**
     * @return the working set size to show, over all targets: each target's
     *     {@link TargetSnapshot#effectiveWorkingSetBytes()} (measured bytes where
     *     its primitive measured whole ranges, else region sizes)
     * @since 1.2
     */
    public long effectiveWorkingSetBytes() {
        long sum = 0;
        for (TargetSnapshot t : targets) {
            sum += t.effectiveWorkingSetBytes();
        }
        return sum;
    }
}
