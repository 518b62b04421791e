package io.jdamon.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.Scheme;
import io.jdamon.api.SchemeStats;
import io.jdamon.api.StartMode;
import io.jdamon.api.StopReason;
import io.jdamon.core.internal.DamonEngine;
import io.jdamon.sim.GroundTruth;

/**
 * DAMOS actions on sim's virtual workloads, with ground truth: pageout makes
 * pages non-resident and a later touch of one is a counted refault;
 * willneed makes them resident again without a fault.
 */
class SimActionsTest {

    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    @Test
    void residencyCountsWhatIsPagedOutAndWhatFaultsBackIn() {
        Residency r = new Residency(1_000);
        assertThat(r.residentBytes()).isEqualTo(1_000 * 4096L);
        r.touch(0, 100, 1, null);
        assertThat(r.refaultedPages()).as("nothing paged out yet").isZero();
        assertThat(r.pageOut(100, 400)).isEqualTo(300);
        assertThat(r.pageOut(300, 500)).as("only what was still resident").isEqualTo(100);
        assertThat(r.residentBytes()).isEqualTo(600 * 4096L);
        r.touch(0, 150, 1, null);
        assertThat(r.refaultedPages()).isEqualTo(50);
        assertThat(r.resident(120)).isTrue();
        assertThat(r.resident(160)).isFalse();
        assertThat(r.willNeed(150, 250)).isEqualTo(100);
        assertThat(r.refaultedPages()).as("read ahead: no fault").isEqualTo(50);
        r.touch(400, 500, 0.5, new SplittableRandom(1));
        assertThat(r.refaultedPages()).as("about half the touched paged-out pages").isBetween(70L, 130L);
        assertThat(r.touchedPages()).isEqualTo(100 + 150 + 50);
        assertThat(r.pagedOutPages()).isEqualTo(400);
    }

    @Test
    void aColdPageoutSchemeReclaimsTheNeverTouchedMemoryAndLeavesTheHotResident() throws Exception {
        Path cfg = dir.resolve("cold.cfg");
        // 16 MiB hot for 4 s, 112 MiB never touched
        Files.writeString(cfg, "hot, 16M\ncold, 112M\n\nhot only\n4000\nhot, 1, 4096, 1\n");
        DamonEngine engine = new DamonEngine();
        SimPrimitive sim = new SimPrimitive();
        // not accessed for 5 aggregations (500 ms): page out
        Scheme pageout = Scheme.builder(Scheme.PAGEOUT).nrAccesses(0, 0).ageAggregations(5, Long.MAX_VALUE).build();
        MonitoringContext ctx = engine.newContext(ContextDefinition.builder("reclaim", "sim")
                .target("virtual:file=" + cfg).scheme(pageout).build(), sim);
        engine.start(List.of(ctx), StartMode.SHARED);
        assertThat(ctx.awaitTermination(30, TimeUnit.SECONDS)).as(ctx.status().toString()).isTrue();
        assertThat(ctx.status().stopReason()).contains(StopReason.TARGETS_INVALID);

        GroundTruth truth = sim.groundTruth("reclaim", 0).orElseThrow();
        SchemeStats stats = ctx.schemeStats().get(0);
        String figures = String.format("resident %d MiB of 128, paged out %d pages, refaults %d of %d touches, %s",
                truth.residentBytes() / MIB, truth.pagedOutPages(), truth.refaultedPages(), truth.touchedPages(),
                stats);
        System.out.println("sim cold pageout: " + figures);
        assertThat(truth.residentBytes()).as(figures).isLessThan(16 * MIB + 112 * MIB / 4);
        assertThat(truth.residentBytes()).as("the hot 16 MiB stays: " + figures).isGreaterThanOrEqualTo(15 * MIB);
        assertThat(truth.refaultedPages()).as(figures).isLessThan(truth.touchedPages() / 100);
        assertThat(stats.szApplied()).as("what the primitive was asked to page out").isPositive();
        assertThat(truth.pagedOutPages() * 4096).isLessThanOrEqualTo(stats.szApplied());
    }

    @Test
    void actionsOnARealWorkloadAreRefusedWithTheReason() throws Exception {
        Path cfg = dir.resolve("real.cfg");
        Files.writeString(cfg, "a, 4M\n\nall\n3000\na, 1, 4096, 1\n");
        DamonEngine engine = new DamonEngine();
        SimPrimitive sim = new SimPrimitive();
        MonitoringContext ctx = engine.newContext(ContextDefinition.builder("real", "sim").target("file=" + cfg)
                .scheme(Scheme.builder(Scheme.PAGEOUT).build()).build(), sim);
        engine.start(List.of(ctx), StartMode.SHARED);
        assertThat(ctx.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ctx.status().stopReason()).contains(StopReason.PLUGIN_FAILED);
        assertThat(ctx.status().detail()).contains("sim applies pageout to virtual targets only",
                "is a real workload");
        assertThatThrownBy(() -> new VirtualWorkload(TargetSpec.parse("virtual:file=" + cfg), 16)
                .applyAction("hugepage", AddressLayout.BASE, AddressLayout.BASE + 4096)).hasMessageContaining("sim does not apply action 'hugepage'");
    }
}
