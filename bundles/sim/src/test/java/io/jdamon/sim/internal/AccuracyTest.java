package io.jdamon.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import java.util.OptionalLong;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.StartMode;
import io.jdamon.api.StopReason;
import io.jdamon.core.internal.DamonEngine;
import io.jdamon.sim.GroundTruth;

/**
 * damon-tests' accuracy check with the real engine and default attributes:
 * stairs_30secs and zigzag_30secs run at once as two contexts (30 s).
 *
 * <p>The working set sizes and region counts are always asserted. The
 * aggregation interval bound (98% within 90-110 ms) is a timing bound: it is
 * asserted unless Linux reports that runnable threads waited for a CPU more
 * than {@value #MAX_CPU_STALL_PERCENT}% of the run (pressure stall
 * information) or that the hypervisor took more than
 * {@value #MAX_STEAL_PERCENT}% of the CPU time (steal), in which case it
 * measures the machine, and the test reports the figures and is marked
 * skipped instead of failing. Set
 * {@code -Djdamon.accuracy.strictIntervals=true} to assert it regardless.
 */
class AccuracyTest {

    private static final long MB = 1L << 20;
    static final int MAX_CPU_STALL_PERCENT = 20;
    /**
     * Hypervisor steal above this share of the run's CPU time means the
     * virtual machine itself was paused: both kdamonds' intervals stretch at
     * the same moments, whatever the engine does. A quiet run here shows
     * 0.1-0.2%.
     */
    static final double MAX_STEAL_PERCENT = 0.5;
    /** Set to true to assert the interval bound however loaded the machine is. */
    static final String STRICT_PROPERTY = "jdamon.accuracy.strictIntervals";

    @Test
    void medianWorkingSetSizesIntervalsAndRegionCountsMatchLinuxDamonsBounds() throws Exception {
        DamonEngine engine = new DamonEngine();
        SimPrimitive sim = new SimPrimitive();
        MonitoringContext stairs = engine.newContext(ContextDefinition.of("stairs", "sim", "stairs_30secs"), sim);
        MonitoringContext zigzag = engine.newContext(ContextDefinition.of("zigzag", "sim", "zigzag_30secs"), sim);
        AggregationLog stairsLog = new AggregationLog();
        AggregationLog zigzagLog = new AggregationLog();
        stairs.addCallback("wss", stairsLog);
        zigzag.addCallback("wss", zigzagLog);

        OptionalLong stallBefore = CpuPressure.someTotalUs();
        OptionalLong stealBefore = CpuPressure.stealTicks();
        long gcBefore = CpuPressure.gcMillis();
        long startNanos = System.nanoTime();
        engine.start(List.of(stairs, zigzag), StartMode.SHARED);
        assertThat(stairs.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(zigzag.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        long elapsedUs = (System.nanoTime() - startNanos) / 1_000;
        OptionalLong stallAfter = CpuPressure.someTotalUs();
        double stallPercent = stallBefore.isPresent() && stallAfter.isPresent()
                ? 100.0 * (stallAfter.getAsLong() - stallBefore.getAsLong()) / elapsedUs : 0;
        OptionalLong stealAfter = CpuPressure.stealTicks();
        long stealMs = stealBefore.isPresent() && stealAfter.isPresent()
                ? (stealAfter.getAsLong() - stealBefore.getAsLong()) * 10 : 0; // USER_HZ is 100 on Linux
        long gcMs = CpuPressure.gcMillis() - gcBefore;
        System.out.printf(Locale.ROOT, "accuracy: CPU pressure during the run: runnable threads waited %.1f%% of the time;"
                + " hypervisor steal %d ms; this JVM's GC %d ms%n", stallPercent, stealMs, gcMs);
        assertThat(stairs.status().stopReason()).contains(StopReason.TARGETS_INVALID);
        assertThat(zigzag.status().stopReason()).contains(StopReason.TARGETS_INVALID);

        report("stairs_30secs", stairsLog, sim.groundTruth("stairs", 0).orElseThrow());
        report("zigzag_30secs", zigzagLog, sim.groundTruth("zigzag", 0).orElseThrow());

        // the monitoring covered the workloads' 30 s (on a loaded machine in fewer, longer aggregations:
        // how many is a timing bound, asserted below with the intervals)
        assertThat(stairsLog.monitoredNanos()).isGreaterThan(TimeUnit.SECONDS.toNanos(29));
        assertThat(zigzagLog.monitoredNanos()).isGreaterThan(TimeUnit.SECONDS.toNanos(29));
        assertThat(stairsLog.medianWorkingSetBytes()).isBetween(9 * MB, 11 * MB);
        assertThat(zigzagLog.medianWorkingSetBytes()).isBetween(90 * MB, 110 * MB);
        for (AggregationLog log : List.of(stairsLog, zigzagLog)) {
            assertThat(log.shareOfRegionCountsWithin(5, 1100)).isGreaterThanOrEqualTo(0.98);
        }
        double stealPercent = 100.0 * stealMs * 1_000 / (elapsedUs * Runtime.getRuntime().availableProcessors());
        Assumptions.assumeTrue(Boolean.getBoolean(STRICT_PROPERTY)
                || stallPercent <= MAX_CPU_STALL_PERCENT && stealPercent <= MAX_STEAL_PERCENT,
                () -> String.format(Locale.ROOT,
                "the machine was disturbed (runnable threads waited for a CPU %.0f%% of the run; the hypervisor"
                        + " took %.2f%% of its CPU time), so the 90-110 ms interval bound was not asserted; run"
                        + " again on a quieter machine, or set -D" + STRICT_PROPERTY + "=true to assert it anyway",
                stallPercent, stealPercent));
        for (AggregationLog log : List.of(stairsLog, zigzagLog)) {
            assertThat(log.shareOfIntervalsWithin(90_000_000L, 110_000_000L)).isGreaterThanOrEqualTo(0.98);
            assertThat(log.rows()).hasSizeGreaterThan(250);
        }
    }

    private static void report(String name, AggregationLog log, GroundTruth truth) {
        long monitored = log.medianWorkingSetBytes();
        long actual = truth.medianWorkingSetBytes();
        System.out.printf(Locale.ROOT,
                "accuracy %s: %d snapshots, median WSS %.2f MiB, true median WSS %.2f MiB (error %+.1f%%),"
                        + " intervals in 90-110 ms %.1f%%, region counts in [5, 1100] %.1f%%%n",
                name, log.rows().size(), monitored / (double) MB, actual / (double) MB,
                100.0 * (monitored - actual) / actual, 100 * log.shareOfIntervalsWithin(90_000_000L, 110_000_000L),
                100 * log.shareOfRegionCountsWithin(5, 1100));
        List<AggregationLog.Row> rows = log.rows();
        StringBuilder outliers = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            long ms = rows.get(i).intervalNanos() / 1_000_000;
            if (ms < 90 || ms > 110) {
                outliers.append(' ').append(i).append(':').append(ms).append("ms");
            }
        }
        System.out.println("  intervals outside 90-110 ms (index:length):" + outliers);
    }
}
