package io.jdamon.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.StartMode;
import io.jdamon.api.StopReason;
import io.jdamon.core.internal.DamonEngine;
import io.jdamon.sim.GroundTruth;

/**
 * What a context leaves in the sim primitive once its run ended: unique
 * context names, each run through the real engine, must not pile up memory
 * (each run's ground truth ring is about 1 MiB however short the run), while
 * the truth of recent runs stays readable for those who score them.
 */
@Timeout(120)
class ContextStateLifetimeTest {

    private static final int RUNS = 100;

    @TempDir
    Path dir;

    @Test
    void uniqueContextNamesLeaveOnlyTheLastFewCompactedTruthsBehind() throws Exception {
        // ten regions, so that each run's ring is 10,000 windows x 10 regions: about 1 MiB
        StringBuilder cfg = new StringBuilder();
        for (int r = 0; r < 10; r++) {
            cfg.append('r').append(r).append(", 1M\n");
        }
        cfg.append("\nall\n30\n");
        for (int r = 0; r < 10; r++) {
            cfg.append('r').append(r).append(", 1, 4096, 1\n");
        }
        Path file = Files.writeString(dir.resolve("ten.cfg"), cfg);
        MonitoringAttributes attrs = MonitoringAttributes.DEFAULTS.withSampleIntervalUs(1_000)
                .withAggregationIntervalUs(10_000);
        SimPrimitive sim = new SimPrimitive();

        run(sim, "warm-up", file, attrs); // loads the classes before the heap is measured
        long heapBefore = heapAfterGc();
        for (int i = 0; i < RUNS; i++) {
            run(sim, "unique-" + i, file, attrs);
            assertThat(sim.contextsHeld()).as("contexts held after %d ended runs", i + 2)
                    .isLessThanOrEqualTo(SimPrimitive.ENDED_RUNS_KEPT);
        }
        long grownBytes = heapAfterGc() - heapBefore;

        System.out.println("heap grown over " + RUNS + " unique context names: " + grownBytes + " bytes");
        // the last runs' truth is readable after the end, compacted, and reads as recorded
        GroundTruth last = sim.groundTruth("unique-" + (RUNS - 1), 0).orElseThrow();
        assertThat(last.finished()).isTrue();
        // (how many windows a 30 ms run records depends on the machine's load; GroundTruthRecorderTest checks
        // that a compacted truth reads as the original)
        assertThat(last.phases()).hasSize(1);
        assertThat(last.phases().get(0).windows()).isEqualTo(last.windows().stream()
                .filter(io.jdamon.sim.GroundTruthWindow::withinOnePhase).count());
        assertThat(last.regionSizes()).hasSize(10);
        assertThat(sim.groundTruth("unique-" + (RUNS - SimPrimitive.ENDED_RUNS_KEPT), 0)).isPresent();
        // older ones are gone
        assertThat(sim.groundTruth("unique-0", 0)).isEmpty();
        assertThat(sim.groundTruth("unique-" + (RUNS - SimPrimitive.ENDED_RUNS_KEPT - 1), 0)).isEmpty();
        // 100 uncompacted rings would be about 100 MiB; the fix keeps a few KiB
        assertThat(grownBytes).as("heap grown over %d runs with unique names", RUNS).isLessThan(16L << 20);
    }

    @Test
    void aNewRunOfANameReplacesItsEndedTruth() throws Exception {
        Path file = Files.writeString(dir.resolve("one.cfg"), "a, 1M\n\nonly\n30\na, 1, 4096, 1\n");
        MonitoringAttributes attrs = MonitoringAttributes.DEFAULTS.withSampleIntervalUs(1_000)
                .withAggregationIntervalUs(10_000);
        SimPrimitive sim = new SimPrimitive();
        run(sim, "same", file, attrs);
        GroundTruth first = sim.groundTruth("same", 0).orElseThrow();
        run(sim, "same", file, attrs);
        GroundTruth second = sim.groundTruth("same", 0).orElseThrow();
        assertThat(second).isNotSameAs(first);
        assertThat(second.finished()).isTrue();
        assertThat(sim.contextsHeld()).isEqualTo(1);
    }

    /** Runs one context, in an engine of its own, until its workload ended. */
    private static void run(SimPrimitive sim, String name, Path file, MonitoringAttributes attrs) throws Exception {
        DamonEngine engine = new DamonEngine();
        MonitoringContext ctx = engine.newContext(new ContextDefinition(name, "sim", List.of("virtual:file=" + file),
                attrs), sim);
        engine.start(List.of(ctx), StartMode.SHARED);
        assertThat(ctx.awaitTermination(30, TimeUnit.SECONDS)).as("context %s ended", name).isTrue();
        assertThat(ctx.status().stopReason()).as(name).contains(StopReason.TARGETS_INVALID);
    }

    private static long heapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
