package io.jdamon.api;

import java.util.List;
import java.util.Objects;

/**
 * How much a {@link Scheme} may do per reset interval (DAMOS's quota): at
 * most {@link #timeMs()} of the primitive's time applying the action and at
 * most {@link #sizeBytes()} of regions, the smaller of the two winning (the
 * time is turned into bytes by the throughput measured so far); quota goals,
 * if any, tune the size with DAMON's feedback loop. 0 means no limit of that
 * kind; a quota of neither kind and no goal limits nothing. Under a limit,
 * regions are taken in order of priority: the hottest first for actions that
 * favour hot memory, the coldest first for those that reclaim
 * ({@link Scheme#prefersCold}); the weights say how much access frequency and
 * age count in that score. Made by {@link Scheme.Builder}; immutable.
 *
 * @since 2.0
 */
public final class SchemeQuota {

    /** DAMOS's default reset interval when a quota is set without one: {@value} ms. */
    public static final long DEFAULT_RESET_INTERVAL_MS = 1_000;

    static final SchemeQuota NONE = new SchemeQuota(0, 0, DEFAULT_RESET_INTERVAL_MS, 0, 0, 0, List.of());

    private final long timeMs;
    private final long sizeBytes;
    private final long resetIntervalMs;
    private final int weightSize;
    private final int weightNrAccesses;
    private final int weightAge;
    private final List<QuotaGoal> goals;

    SchemeQuota(long timeMs, long sizeBytes, long resetIntervalMs, int weightSize, int weightNrAccesses,
            int weightAge, List<QuotaGoal> goals) {
        this.timeMs = timeMs;
        this.sizeBytes = sizeBytes;
        this.resetIntervalMs = resetIntervalMs;
        this.weightSize = weightSize;
        this.weightNrAccesses = weightNrAccesses;
        this.weightAge = weightAge;
        this.goals = List.copyOf(goals);
    }

    /** @return the most time the action may take per reset interval, in milliseconds; 0 for no limit */
    public long timeMs() {
        return timeMs;
    }

    /** @return the most bytes of regions the action may be applied to per reset interval; 0 for no limit */
    public long sizeBytes() {
        return sizeBytes;
    }

    /** @return the interval at which the charged time and size start again from 0, in milliseconds */
    public long resetIntervalMs() {
        return resetIntervalMs;
    }

    /** @return the weight of region size in the priority score (kept for damo's sake; DAMON's scores ignore it) */
    public int weightSize() {
        return weightSize;
    }

    /** @return the weight of access frequency in the priority score */
    public int weightNrAccesses() {
        return weightNrAccesses;
    }

    /** @return the weight of age in the priority score */
    public int weightAge() {
        return weightAge;
    }

    /** @return the goals that tune the size; unmodifiable, empty for none */
    public List<QuotaGoal> goals() {
        return goals;
    }

    /** @return whether this quota limits anything: a time, a size or a goal */
    public boolean limits() {
        return timeMs > 0 || sizeBytes > 0 || !goals.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SchemeQuota q && q.timeMs == timeMs && q.sizeBytes == sizeBytes
                && q.resetIntervalMs == resetIntervalMs && q.weightSize == weightSize
                && q.weightNrAccesses == weightNrAccesses && q.weightAge == weightAge && q.goals.equals(goals);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timeMs, sizeBytes, resetIntervalMs, weightSize, weightNrAccesses, weightAge, goals);
    }

    @Override
    public String toString() {
        return "SchemeQuota[" + timeMs + " ms, " + sizeBytes + " B per " + resetIntervalMs + " ms, weights "
                + weightSize + "/" + weightNrAccesses + "/" + weightAge + (goals.isEmpty() ? "" : ", goals " + goals)
                + "]";
    }
}
