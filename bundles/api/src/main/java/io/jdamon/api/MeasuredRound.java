package io.jdamon.api;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ranges a primitive measured as wholes in one sample interval (one
 * access check), as reported with {@link MonitoringTarget#reportMeasuredAccess}.
 * Ranges the primitive did not report had nothing accessed.
 *
 * @param startNanos when the round began (the sample's preparation), nanoseconds since the run's time zero
 * @param endNanos when it ended (the access check), same clock
 * @param ranges sorted by address as reported
 * @since 1.2
 */
public record MeasuredRound(long startNanos, long endNanos, List<MeasuredRange> ranges) {

    public MeasuredRound {
        ranges = List.copyOf(ranges);
    }

    /** @return the bytes accessed in this round over all its ranges */
    public long accessedBytes() {
        long sum = 0;
        for (MeasuredRange r : ranges) {
            sum += r.accessedBytes();
        }
        return sum;
    }

    /**
     * The measured working set size of one aggregation interval: per range
     * (the same start and end), the most bytes any round found accessed,
     * summed over ranges. Rounds cannot tell whether two rounds' bytes are
     * the same pages, so this is a lower bound of the bytes accessed in the
     * interval, and exact when every round touched the same pages (or there
     * was one round); it never counts bytes nobody measured as accessed.
     *
     * @param rounds the rounds of one aggregation interval
     * @return bytes, 0 without rounds
     */
    public static long workingSetBytes(List<MeasuredRound> rounds) {
        if (rounds.size() == 1) {
            return rounds.get(0).accessedBytes();
        }
        Map<MeasuredRange, Long> most = new HashMap<>();
        for (MeasuredRound round : rounds) {
            for (MeasuredRange r : round.ranges()) {
                most.merge(new MeasuredRange(r.start(), r.end(), 0), r.accessedBytes(), Math::max);
            }
        }
        long sum = 0;
        for (long b : most.values()) {
            sum += b;
        }
        return sum;
    }
}
