package io.jdamon.api;

/**
 * The goal of the intervals auto-tuning of Linux 6.15 ({@code struct
 * damon_intervals_goal}): every {@code aggrs} aggregations the kdamond
 * compares the accesses it saw with {@code accessBp} and lengthens the sample
 * interval when it saw too few, shortens it when too many, within
 * {@code [minSampleUs, maxSampleUs]}; the aggregation interval follows, so
 * that an aggregation keeps its number of samples and {@code nr_accesses} its
 * meaning. The tuned intervals are the attributes in force (what
 * {@link MonitoringContext#attributes()} and every snapshot say).
 *
 * @param accessBp the share of all possible access events (region bytes times
 *     samples) to observe, in basis points: 400 = 4%, DAMON's recommendation;
 *     1 to 10,000
 * @param aggrs how many aggregations between two tunings; 0 turns tuning off (the other values are then
 *     taken as 0)
 * @param minSampleUs the shortest sample interval tuning may choose, in microseconds
 * @param maxSampleUs the longest sample interval tuning may choose, in microseconds
 * @throws InvalidAttributesException naming the invalid field and the fix (only checked when enabled)
 * @since 1.4
 */
public record IntervalsGoal(int accessBp, int aggrs, long minSampleUs, long maxSampleUs) {

    /** DAMON's recommended share of access events: 400 bp, 4%. */
    public static final int RECOMMENDED_ACCESS_BP = 400;
    /** DAMON's recommended aggregations between two tunings: 3. */
    public static final int RECOMMENDED_AGGRS = 3;
    /** DAMON's recommended shortest sample interval: 5,000 us. */
    public static final long RECOMMENDED_MIN_SAMPLE_US = 5_000;
    /** DAMON's recommended longest sample interval: 10,000,000 us (10 s). */
    public static final long RECOMMENDED_MAX_SAMPLE_US = 10_000_000;
    /** No tuning: the intervals stay as given. */
    public static final IntervalsGoal NONE = new IntervalsGoal(0, 0, 0, 0);
    /** The goal damo uses when asked to auto-tune: 4% accesses, every 3 aggregations, 5 ms to 10 s. */
    public static final IntervalsGoal RECOMMENDED = new IntervalsGoal(RECOMMENDED_ACCESS_BP, RECOMMENDED_AGGRS,
            RECOMMENDED_MIN_SAMPLE_US, RECOMMENDED_MAX_SAMPLE_US);

    public IntervalsGoal {
        if (aggrs < 0) {
            throw new InvalidAttributesException("intervalsGoal",
                    "the intervals goal's aggrs is " + aggrs + "; give 0 (no tuning) or a positive number, e.g. 3");
        }
        if (aggrs == 0) { // off: one value, so that goals compare equal when neither tunes
            accessBp = 0;
            minSampleUs = 0;
            maxSampleUs = 0;
        } else {
            if (accessBp < 1 || accessBp > 10_000) {
                throw new InvalidAttributesException("intervalsGoal", "the intervals goal's access_bp is " + accessBp
                        + "; give 1 to 10000 basis points, e.g. 400 (4% of the possible access events)");
            }
            if (minSampleUs < 1 || minSampleUs > maxSampleUs || maxSampleUs > MonitoringAttributes.MAX_INTERVAL_US) {
                throw new InvalidAttributesException("intervalsGoal", "the intervals goal's sample interval range is ["
                        + minSampleUs + ", " + maxSampleUs + "] us; give 1 <= min <= max <= "
                        + MonitoringAttributes.MAX_INTERVAL_US + ", e.g. 5000 and 10000000");
            }
        }
    }

    /** @return whether the kdamond tunes its intervals */
    public boolean enabled() {
        return aggrs > 0;
    }
}
