package io.jdamon.api;

import java.util.List;

/**
 * A context's results at the end of one aggregation interval, safe to keep
 * and to read from any thread.
 *
 * @param contextName the context
 * @param aggregationIndex 0 for the first interval of the run
 * @param startNanos when the interval began, nanoseconds since the run started
 * @param endNanos when it ended, nanoseconds since the run started
 * @param sampleIntervalUs the sample interval in force, in microseconds
 * @param aggregationIntervalUs the aggregation interval in force, in microseconds
 * @param targets each target's regions
 */
public record AggregationSnapshot(String contextName, long aggregationIndex, long startNanos, long endNanos,
        long sampleIntervalUs, long aggregationIntervalUs, List<TargetSnapshot> targets) {

    public AggregationSnapshot {
        targets = List.copyOf(targets);
    }

    /** @return the highest possible {@link RegionSnapshot#nrAccesses()} */
    public int samplesPerAggregation() {
        return (int) Math.max(1, aggregationIntervalUs / sampleIntervalUs);
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
}
