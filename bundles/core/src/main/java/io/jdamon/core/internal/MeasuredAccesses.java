package io.jdamon.core.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.jdamon.api.MeasuredRange;
import io.jdamon.api.MeasuredRound;
import io.jdamon.api.MonitoringTarget;

/**
 * One target's measured ranges ({@link MonitoringTarget#reportMeasuredAccess})
 * of the current aggregation interval, by round, in reused arrays: reporting
 * and closing rounds allocate nothing once the arrays have grown. Confined to
 * the kdamond thread; {@link SnapshotBuffer} keeps a copy of it from each aggregation.
 */
final class MeasuredAccesses {

    /** {@code [start, end, accessedBytes]} per range, rounds one after another */
    private long[] ranges = new long[0];
    private int rangeCount;
    /** per closed round: the index of its first range, and its start and end */
    private int[] roundFirst = new int[0];
    private long[] roundStart = new long[0];
    private long[] roundEnd = new long[0];
    private int roundCount;
    /** ranges that belong to closed rounds; those after them are the open round's */
    private int closedRanges;
    /** the target declared it measures, or reported a range, in this run: from then on every check is a round */
    private boolean measuring;

    /** Adds a range to the open round; see {@link MonitoringTarget#reportMeasuredAccess}. */
    void add(long start, long end, long accessedBytes) {
        MeasuredRange.check(start, end, accessedBytes);
        if (rangeCount >= MonitoringTarget.MAX_MEASURED_RANGES_PER_AGGREGATION) {
            throw new IllegalStateException("more than " + MonitoringTarget.MAX_MEASURED_RANGES_PER_AGGREGATION
                    + " measured ranges in one aggregation interval: report each range once per access check");
        }
        if (3 * rangeCount == ranges.length) {
            ranges = Arrays.copyOf(ranges, Math.max(3 * 64, ranges.length * 2));
        }
        ranges[3 * rangeCount] = start;
        ranges[3 * rangeCount + 1] = end;
        ranges[3 * rangeCount + 2] = accessedBytes;
        rangeCount++;
        measuring = true;
    }

    /** From now on every check is a round; see {@link MonitoringTarget#measureWholeRanges}. */
    void startMeasuring() {
        measuring = true;
    }

    /** Closes the round of the access check that just ran, if the target measures. */
    void endRound(long startNanos, long endNanos) {
        if (!measuring) {
            return;
        }
        if (roundCount == roundFirst.length) {
            int cap = Math.max(16, roundCount * 2);
            roundFirst = Arrays.copyOf(roundFirst, cap);
            roundStart = Arrays.copyOf(roundStart, cap);
            roundEnd = Arrays.copyOf(roundEnd, cap);
        }
        roundFirst[roundCount] = closedRanges;
        roundStart[roundCount] = startNanos;
        roundEnd[roundCount] = endNanos;
        roundCount++;
        closedRanges = rangeCount;
    }

    /** The end of an aggregation interval: the next one starts with no rounds. */
    void clear() {
        rangeCount = 0;
        closedRanges = 0;
        roundCount = 0;
    }

    /** Makes this a copy of {@code from}'s closed rounds, reusing this one's arrays where they are large enough. */
    void copyFrom(MeasuredAccesses from) {
        if (roundFirst.length < from.roundCount) {
            roundFirst = new int[from.roundCount * 2];
            roundStart = new long[from.roundCount * 2];
            roundEnd = new long[from.roundCount * 2];
        }
        if (ranges.length < 3 * from.closedRanges) {
            ranges = new long[6 * from.closedRanges];
        }
        System.arraycopy(from.roundFirst, 0, roundFirst, 0, from.roundCount);
        System.arraycopy(from.roundStart, 0, roundStart, 0, from.roundCount);
        System.arraycopy(from.roundEnd, 0, roundEnd, 0, from.roundCount);
        System.arraycopy(from.ranges, 0, ranges, 0, 3 * from.closedRanges);
        roundCount = from.roundCount;
        rangeCount = from.closedRanges;
        closedRanges = from.closedRanges;
    }

    /** @return the closed rounds as values (allocates: called when a snapshot is asked for) */
    List<MeasuredRound> rounds() {
        if (roundCount == 0) {
            return List.of();
        }
        List<MeasuredRound> out = new ArrayList<>(roundCount);
        for (int r = 0; r < roundCount; r++) {
            int from = roundFirst[r];
            int to = r + 1 < roundCount ? roundFirst[r + 1] : closedRanges;
            MeasuredRange[] rs = new MeasuredRange[to - from];
            for (int i = from; i < to; i++) {
                rs[i - from] = new MeasuredRange(ranges[3 * i], ranges[3 * i + 1], ranges[3 * i + 2]);
            }
            out.add(new MeasuredRound(roundStart[r], roundEnd[r], Arrays.asList(rs)));
        }
        return out;
    }

    // ---- read access for TargetView

    int roundCount() {
        return roundCount;
    }

    long roundStartNanos(int r) {
        return roundStart[checkRound(r)];
    }

    long roundEndNanos(int r) {
        return roundEnd[checkRound(r)];
    }

    int roundFirstRange(int r) {
        return roundFirst[checkRound(r)];
    }

    int rangeCount() {
        return closedRanges;
    }

    long rangeField(int k, int field) {
        if (k < 0 || k >= closedRanges) {
            throw new IndexOutOfBoundsException("measured range " + k + " of " + closedRanges);
        }
        return ranges[3 * k + field];
    }

    private int checkRound(int r) {
        if (r < 0 || r >= roundCount) {
            throw new IndexOutOfBoundsException("measured round " + r + " of " + roundCount);
        }
        return r;
    }
}
