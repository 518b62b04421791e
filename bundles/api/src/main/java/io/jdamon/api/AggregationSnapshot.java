package io.jdamon.api;

import java.util.List;

/**
 * A context's results at the end of one aggregation interval, safe to keep
 * and to read from any thread. Every component says what happened, not what
 * was configured: a slow hook stretches an interval, a primitive may sample
 * at a longer interval than the attributes say (see
 * {@link PrimitiveContext#useSampleIntervalUs}). A class rather than a record
 * since 2.0, so that it can take new fields in a minor version: made with
 * {@link #builder(String, long)} or the constructor of 2.0's fields.
 *
 * <p>Fields, each with its accessor of the same name:
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
public final class AggregationSnapshot {

    private final String contextName;
    private final long aggregationIndex;
    private final long startNanos;
    private final long endNanos;
    private final long sampleIntervalUs;
    private final long aggregationIntervalUs;
    private final int aggregationSamples;
    private final List<TargetSnapshot> targets;

    /** All the fields of 2.0; fields added later are set through {@link #builder(String, long)}. */
    public AggregationSnapshot(String contextName, long aggregationIndex, long startNanos, long endNanos,
            long sampleIntervalUs, long aggregationIntervalUs, int aggregationSamples, List<TargetSnapshot> targets) {
        this.contextName = contextName;
        this.aggregationIndex = aggregationIndex;
        this.startNanos = startNanos;
        this.endNanos = endNanos;
        this.sampleIntervalUs = sampleIntervalUs;
        this.aggregationIntervalUs = aggregationIntervalUs;
        this.aggregationSamples = aggregationSamples;
        this.targets = List.copyOf(targets);
    }

    /**
     * For snapshots that did not count their samples (the form of 1.0):
     * {@code aggregationSamples} is taken as
     * {@code aggregationIntervalUs / sampleIntervalUs}, at least 1.
     */
    public AggregationSnapshot(String contextName, long aggregationIndex, long startNanos, long endNanos,
            long sampleIntervalUs, long aggregationIntervalUs, List<TargetSnapshot> targets) {
        this(contextName, aggregationIndex, startNanos, endNanos, sampleIntervalUs, aggregationIntervalUs,
                (int) Math.min(Integer.MAX_VALUE, Math.max(1, aggregationIntervalUs / Math.max(1, sampleIntervalUs))),
                targets);
    }

    /**
     * @return a builder of the snapshot of aggregation {@code aggregationIndex} of context
     *     {@code contextName}: no time, intervals of 1 us, one sample, no target yet
     * @since 2.0
     */
    public static Builder builder(String contextName, long aggregationIndex) {
        return new Builder(contextName, aggregationIndex);
    }

    /**
     * Builds a snapshot.
     *
     * @since 2.0
     */
    public static final class Builder {
        private final String contextName;
        private final long aggregationIndex;
        private long startNanos;
        private long endNanos;
        private long sampleIntervalUs = 1;
        private long aggregationIntervalUs = 1;
        private int aggregationSamples = 1;
        private List<TargetSnapshot> targets = List.of();

        private Builder(String contextName, long aggregationIndex) {
            this.contextName = contextName;
            this.aggregationIndex = aggregationIndex;
        }

        /** @param start when the interval began and {@code end} when it ended, nanoseconds since time zero */
        public Builder times(long start, long end) {
            startNanos = start;
            endNanos = end;
            return this;
        }

        /** @param sampleUs the sample interval used and {@code aggregationUs} the interval's real length, in us */
        public Builder intervalsUs(long sampleUs, long aggregationUs) {
            sampleIntervalUs = sampleUs;
            aggregationIntervalUs = aggregationUs;
            return this;
        }

        public Builder aggregationSamples(int samples) {
            aggregationSamples = samples;
            return this;
        }

        public Builder targets(List<TargetSnapshot> snapshots) {
            targets = snapshots;
            return this;
        }

        public AggregationSnapshot build() {
            return new AggregationSnapshot(contextName, aggregationIndex, startNanos, endNanos, sampleIntervalUs,
                    aggregationIntervalUs, aggregationSamples, targets);
        }
    }

    /** @return the context */
    public String contextName() {
        return contextName;
    }

    /** @return 0 for the first interval of the run */
    public long aggregationIndex() {
        return aggregationIndex;
    }

    /** @return when the interval really began, nanoseconds since the run's time zero */
    public long startNanos() {
        return startNanos;
    }

    /** @return when it really ended, nanoseconds since the run's time zero */
    public long endNanos() {
        return endNanos;
    }

    /** @return the sample interval the kdamond used in this interval, in microseconds */
    public long sampleIntervalUs() {
        return sampleIntervalUs;
    }

    /** @return how long the interval really lasted, in microseconds */
    public long aggregationIntervalUs() {
        return aggregationIntervalUs;
    }

    /** @return the number of samples taken in the interval */
    public int aggregationSamples() {
        return aggregationSamples;
    }

    /** @return each target's regions, unmodifiable */
    public List<TargetSnapshot> targets() {
        return targets;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AggregationSnapshot a && a.contextName.equals(contextName)
                && a.aggregationIndex == aggregationIndex && a.startNanos == startNanos && a.endNanos == endNanos
                && a.sampleIntervalUs == sampleIntervalUs && a.aggregationIntervalUs == aggregationIntervalUs
                && a.aggregationSamples == aggregationSamples && a.targets.equals(targets);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(contextName, aggregationIndex, startNanos, endNanos, sampleIntervalUs,
                aggregationIntervalUs, aggregationSamples, targets);
    }

    @Override
    public String toString() {
        return "AggregationSnapshot[contextName=" + contextName + ", aggregationIndex=" + aggregationIndex
                + ", startNanos=" + startNanos + ", endNanos=" + endNanos + ", sampleIntervalUs=" + sampleIntervalUs
                + ", aggregationIntervalUs=" + aggregationIntervalUs + ", aggregationSamples=" + aggregationSamples
                + ", targets=" + targets + "]";
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
