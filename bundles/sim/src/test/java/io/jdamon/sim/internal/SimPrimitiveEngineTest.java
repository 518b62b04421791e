package io.jdamon.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.InvalidTargetException;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.StartMode;
import io.jdamon.api.StopReason;
import io.jdamon.core.internal.DamonEngine;
import io.jdamon.sim.GroundTruth;

/** The sim primitive driven by the real kdamond engine. */
class SimPrimitiveEngineTest {

    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    @Test
    void aContextEndsWhenItsWorkloadHasRunAllItsPhases() throws Exception {
        Path cfg = dir.resolve("short.cfg");
        Files.writeString(cfg, "a, 4M\nb, 4M\n\nfirst a\n600\na, 1, 4096, 1\n\nthen b\n600\nb, 1, 4096, 1\n");
        DamonEngine engine = new DamonEngine();
        SimPrimitive sim = new SimPrimitive();
        MonitoringContext ctx = engine.newContext(ContextDefinition.of("short", "sim", "file=" + cfg), sim);
        AggregationLog log = new AggregationLog();
        ctx.addCallback("log", log);
        engine.start(List.of(ctx), StartMode.SHARED);

        assertThat(ctx.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ctx.status().stopReason()).contains(StopReason.TARGETS_INVALID);
        assertThat(ctx.status().primitiveProperties())
                .containsEntry("sensor", "simulated-accessed-bit")
                .containsEntry("sees", "reads,writes")
                .containsEntry("granularity", "page");

        GroundTruth truth = sim.groundTruth("short", 0).orElseThrow();
        assertThat(truth.finished()).isTrue();
        assertThat(truth.virtual()).isFalse();
        assertThat(truth.regionSizes()).containsExactly(4 * MIB, 4 * MIB);
        assertThat(truth.regionStarts().get(1) - truth.regionStarts().get(0))
                .as("a gap between the regions").isGreaterThan(4 * MIB);
        // the monitoring lasted the workload's 1.2 s and ended with it (about 12 aggregations on a quiet
        // machine, fewer and longer ones on a loaded one: counting them measured the machine)
        assertThat(log.monitoredNanos()).isBetween(TimeUnit.MILLISECONDS.toNanos(1_100),
                TimeUnit.MILLISECONDS.toNanos(2_200));
        // both phases show up as a 4 MiB working set
        assertThat(log.rows()).allSatisfy(r -> assertThat(r.totalBytes()).isEqualTo(8 * MIB));
        assertThat(log.medianWorkingSetBytes()).isEqualTo(4 * MIB);
        assertThat(sim.groundTruth("short", 1)).isEmpty();
        assertThat(sim.groundTruth("other", 0)).isEmpty();
    }

    @Test
    void aBadTargetIsRejectedWhenTheContextIsCreated() {
        DamonEngine engine = new DamonEngine();
        assertThatThrownBy(() -> engine.newContext(ContextDefinition.of("bad", "sim", "zigzga"), new SimPrimitive()))
                .isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining("no known workload 'zigzga'");
    }

    @Test
    void aVirtualTargetOf64GiBSeesItsWholeFirstPhase() throws Exception {
        DamonEngine engine = new DamonEngine();
        SimPrimitive sim = new SimPrimitive();
        MonitoringContext ctx = engine.newContext(
                ContextDefinition.of("virtual", "sim", "virtual:stairs_30secs,size=64GiB"), sim);
        AggregationLog log = new AggregationLog();
        ctx.addCallback("log", log);
        engine.start(List.of(ctx), StartMode.SHARED);
        assertThat(log.awaitRows(10, 30_000)).as("10 aggregations: " + ctx.status()).isTrue();
        engine.stop(List.of(ctx));
        GroundTruth truth = sim.groundTruth("virtual", 0).orElseThrow();
        assertThat(truth.virtual()).isTrue();
        // ten regions of 64 GiB / 10, each rounded down to a page
        long total = truth.regionSizes().stream().mapToLong(Long::longValue).sum();
        assertThat(total).isBetween((64L << 30) - 10 * Sizes.PAGE, 64L << 30);
        assertThat(log.rows()).hasSizeGreaterThanOrEqualTo(10);
        // the first phase accesses all ten regions: everything is in the working set
        assertThat(log.rows().subList(0, 10)).allSatisfy(r -> {
            assertThat(r.totalBytes()).isEqualTo(total);
            assertThat(r.workingSetBytes()).isEqualTo(total);
        });
        assertThat(truth.windows()).isNotEmpty().allSatisfy(w -> assertThat(w.workingSetBytes()).isEqualTo(total));
        assertThat(truth.finished()).isFalse();
    }
}
