package io.jdamon.core.internal;

import io.jdamon.api.IntervalsGoal;
import io.jdamon.api.MonitoringAttributes;

/**
 * The intervals auto-tuning of Linux 6.15 ({@code kdamond_tune_intervals}):
 * every {@code aggrs} aggregations, the share of access events the regions
 * showed (bytes times {@code nr_accesses}, over bytes times samples per
 * aggregation) is scored against the goal's {@code access_bp}, and the
 * feedback loop of {@code damon_feed_loop_next_input} scales the sample
 * interval; the aggregation interval keeps its number of samples.
 * Called by the kdamond after merging and before the aggregated counts are
 * reset, as in {@code kdamond_fn}.
 */
final class IntervalsTuner {

    /** The input the adaptation starts from each time: 10,000 bp scaled by 10,000. */
    private static final long ADAPTATION_INPUT = 100_000_000L;

    private int aggregationsSinceTune;

    /** Starts counting aggregations afresh: a new run, or new attributes from the user. */
    void reset() {
        aggregationsSinceTune = 0;
    }

    /**
     * {@code damon_get_intervals_adaptation_bp}: how to scale the sample
     * interval, in basis points (10,000 keeps it); reductions are halved, to
     * [5,000, 10,000], so that the intervals do not shrink too fast.
     */
    static long adaptationBp(long scoreBp) {
        long adaptation = FeedbackLoop.nextInput(ADAPTATION_INPUT, scoreBp) / FeedbackLoop.GOAL;
        return adaptation <= FeedbackLoop.GOAL ? 5_000 + adaptation / 2 : adaptation;
    }

    /**
     * {@code damon_get_intervals_score}: the access events seen over the
     * goal's share of the possible ones, in basis points of the goal. In
     * doubles: bytes times samples over a whole address space do not fit a
     * long (the kernel's unsigned long has the same limit).
     */
    static long scoreBp(TargetRegions[] targets, int samplesPerAggregation, int accessBp) {
        double accessEvents = 0;
        double maxEvents = 0;
        for (TargetRegions t : targets) {
            for (int i = 0; i < t.regionCount(); i++) {
                double size = t.regionEnd(i) - t.regionStart(i);
                accessEvents += size * t.nrAccesses(i);
                maxEvents += size * samplesPerAggregation;
            }
        }
        double targetEvents = Math.floor(maxEvents * accessBp / 10_000);
        return targetEvents < 1 ? FeedbackLoop.GOAL : (long) Math.min(Long.MAX_VALUE, accessEvents * 10_000 / targetEvents);
    }

    /**
     * One aggregation ended: every {@code aggrs} of them, the tuned attributes.
     *
     * @param samplesPerAggregation the samples an aggregation holds at the interval in use (the most a
     *     region's {@code nr_accesses} can be; fewer than the attributes say if the primitive asked for
     *     a longer sample interval)
     * @return the attributes to use from now, or null to keep these
     */
    MonitoringAttributes aggregationEnded(MonitoringAttributes attrs, TargetRegions[] targets,
            int samplesPerAggregation) {
        IntervalsGoal goal = attrs.intervalsGoal();
        if (!goal.enabled() || ++aggregationsSinceTune < goal.aggrs()) {
            return null;
        }
        aggregationsSinceTune = 0;
        return tuned(attrs, adaptationBp(scoreBp(targets, samplesPerAggregation, goal.accessBp())));
    }

    /**
     * {@code kdamond_tune_intervals}: the sample interval scaled by
     * {@code adaptationBp} within the goal's range; the aggregation interval
     * keeps its samples ({@code aggr_samples}), within the longest interval allowed.
     *
     * @return the tuned attributes, or null if they do not change
     */
    static MonitoringAttributes tuned(MonitoringAttributes attrs, long adaptationBp) {
        if (adaptationBp == FeedbackLoop.GOAL) {
            return null;
        }
        IntervalsGoal goal = attrs.intervalsGoal();
        int samples = attrs.samplesPerAggregation();
        double scaled = (double) attrs.sampleIntervalUs() * adaptationBp / FeedbackLoop.GOAL;
        long sampleUs = (long) Math.min(goal.maxSampleUs(), Math.floor(scaled));
        sampleUs = Math.max(goal.minSampleUs(), sampleUs);
        sampleUs = Math.min(sampleUs, MonitoringAttributes.MAX_INTERVAL_US / samples);
        if (sampleUs == attrs.sampleIntervalUs()) {
            return null;
        }
        return attrs.withIntervalsUs(sampleUs, sampleUs * samples);
    }
}
