package io.jdamon.sim;

import java.util.List;

/**
 * What a simulated workload really touched during one window of time (one
 * aggregation interval long, on the workload's own clock).
 *
 * @param startNanos when the window began, nanoseconds since the workload started
 * @param endNanos when it ended, nanoseconds since the workload started
 * @param phaseAtStart index of the phase running when the window began
 * @param phaseAtEnd index of the phase running when it ended (differs when the window spans a phase change)
 * @param touchedBytes per workload region, in config order: bytes of the distinct
 *     pages touched in the window (a page counts once however often it was touched)
 */
public record GroundTruthWindow(long startNanos, long endNanos, int phaseAtStart, int phaseAtEnd,
        List<Long> touchedBytes) {

    public GroundTruthWindow {
        touchedBytes = List.copyOf(touchedBytes);
    }

    /** @return the true working set size of the window: bytes of pages touched over all regions */
    public long workingSetBytes() {
        long sum = 0;
        for (long b : touchedBytes) {
            sum += b;
        }
        return sum;
    }

    /** @return whether the whole window lay inside one phase */
    public boolean withinOnePhase() {
        return phaseAtStart == phaseAtEnd;
    }
}
