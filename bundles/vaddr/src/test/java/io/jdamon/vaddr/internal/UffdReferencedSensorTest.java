package io.jdamon.vaddr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.Callback;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextView;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.StartMode;
import io.jdamon.api.TargetSnapshot;
import io.jdamon.core.internal.DamonEngine;

/**
 * {@code uffd-write+referenced} on a process started with the shim: inside
 * one mapping, the written part is located page by page (referenced alone
 * spreads it over the whole mapping), reads of another mapping still count,
 * the referenced bytes are measured, and {@code auto} picks it for such a process.
 */
@Timeout(120)
class UffdReferencedSensorTest {

    private static final long MIB = 1 << 20;
    private static final MonitoringAttributes ATTRS = MonitoringAttributes.DEFAULTS.withUpdateIntervalUs(1_000_000);

    /** Access rate over [lo, hi) of the settled half of the snapshots, weighted by bytes. */
    private static double rate(List<AggregationSnapshot> snaps, long lo, long hi) {
        return rate(snaps, lo, hi, 0);
    }

    /**
     * As {@link #rate(List, long, long)}, counting only regions with at least {@code minInside} of their
     * bytes in [lo, hi): 0.9 leaves out a region that straddles the edge of the range, whose rate is the
     * region machinery's, not the sensor's (as UffdWriteSensorTest judges uffd-write).
     */
    private static double rate(List<AggregationSnapshot> snaps, long lo, long hi, double minInside) {
        double num = 0;
        double den = 0;
        for (AggregationSnapshot s : snaps.subList(snaps.size() / 2, snaps.size())) {
            for (RegionSnapshot r : s.targets().get(0).regions()) {
                long b = Math.min(r.end(), hi) - Math.max(r.start(), lo);
                if (b > 0 && b >= minInside * r.size()) {
                    num += b * (double) r.nrAccesses() / s.samplesPerAggregation();
                    den += b;
                }
            }
        }
        return den == 0 ? Double.NaN : num / den;
    }

    private static List<AggregationSnapshot> monitor(String target, int aggregations, Map<String, String> props)
            throws Exception {
        DamonEngine engine = new DamonEngine();
        MonitoringContext ctx = engine.newContext(new ContextDefinition("combo", VaddrPrimitive.NAME,
                List.of(target), ATTRS), new VaddrPrimitive());
        List<AggregationSnapshot> seen = new ArrayList<>();
        ctx.addCallback("collect", new Callback() {
            @Override
            public CallbackResult afterAggregation(ContextView view) {
                synchronized (seen) {
                    ctx.lastAggregation().ifPresent(seen::add);
                    return seen.size() >= aggregations ? CallbackResult.STOP : CallbackResult.CONTINUE;
                }
            }
        });
        engine.start(List.of(ctx), StartMode.SHARED);
        assertThat(ctx.awaitTermination(90, TimeUnit.SECONDS)).as("run ended: " + ctx.status()).isTrue();
        props.putAll(ctx.status().primitiveProperties());
        synchronized (seen) {
            assertThat(seen).as(ctx.status().toString()).hasSize(aggregations);
            return List.copyOf(seen);
        }
    }

    @Test
    void writtenPagesOfAMappingAreLocatedAndItsReferencedBytesMeasured() throws Exception {
        try (WssWorkload w = WssWorkload.start(256, 64, 64, UffdWriteSensorTest.shim())) {
            Map<String, String> props = new java.util.HashMap<>();
            List<AggregationSnapshot> snaps = monitor("pid=" + w.pid(), 40, props);
            assertThat(props).as("auto picks the combination for a process holding the shim's userfaultfd")
                    .containsEntry("sensor", UffdReferencedSensor.NAME).containsEntry("measuredUnit", "mapping")
                    .containsKey(UffdReferencedSensor.NAME + ".parts");
            double hot = rate(snaps, w.start, w.hotEnd);
            double rest = rate(snaps, w.hotEnd, w.end);
            System.out.printf("uffd-write+referenced: written part %.3f, rest of the mapping %.3f%n", hot, rest);
            assertThat(hot).as("the written quarter of the mapping").isGreaterThanOrEqualTo(0.8);
            List<AggregationSnapshot> alone = monitor("pid=" + w.pid() + ",sensor=" + ReferencedSensor.NAME, 40,
                    new java.util.HashMap<>());
            double restAlone = rate(alone, w.hotEnd, w.end);
            System.out.printf("referenced alone: written part %.3f, rest of the mapping %.3f%n",
                    rate(alone, w.start, w.hotEnd), restAlone);
            // compared away from the written part's edge: a region straddling it moved the whole-range rate
            // of the combination between 0.001 and 0.10 over six runs, and the comparison with it
            double restInside = rate(snaps, w.hotEnd, w.end, 0.9);
            double restAloneInside = rate(alone, w.hotEnd, w.end, 0.9);
            System.out.printf("regions 90%% inside the rest: combination %.3f, referenced alone %.3f%n", restInside,
                    restAloneInside);
            // judged on regions inside the rest: one straddling the written part's edge carries its heat over,
            // which put the whole-range rate (printed above) at 0.14 once on a loaded machine
            assertThat(restInside).as("the rest of the same mapping, whole range %.3f", rest).isLessThanOrEqualTo(0.12);
            assertThat(restInside).as("referenced alone spreads the mapping's referenced quarter over all of it: %.3f",
                    restAloneInside).isLessThan(restAloneInside / 2);
            for (AggregationSnapshot s : snaps.subList(snaps.size() / 2, snaps.size())) {
                TargetSnapshot t = s.targets().get(0);
                assertThat(t.measuredRounds()).isNotEmpty();
                // other mappings (libc, stack) add their few referenced KiB
                assertThat(t.measuredWorkingSetBytes()).isBetween(64 * MIB, 66 * MIB);
            }
        }
    }

    @Test
    void readsStillCountWhereNothingIsWritten() throws Exception {
        // as ReferencedSensorTest judges referenced: 40 minimum regions, 500 ms aggregations
        try (AccessHelper h = AccessHelper.start(64, 64, "read", -1, UffdWriteSensorTest.shim())) {
            HotColdCheck.Result r = HotColdCheck.run(h, UffdReferencedSensor.NAME, ReferencedSensorTest.ATTRIBUTES, 12);
            System.out.println("uffd-write+referenced, reads only: " + r);
            // uffd-write alone sees none of these reads (hot 0); that the reads count is what this asserts. Under
            // load the referenced part's rounds stretch to 80 ms (12 samples an aggregation) and CI saw 0.85,
            // so 0.8 here; referenced's own accuracy (0.9) is judged in ReferencedSensorTest
            HotColdCheck.assertHotAndCold(r, 0.8);
        }
    }

    @Test
    void withoutAUserfaultfdTheCombinationIsRefusedWithItsPartsReason() throws Exception {
        try (WssWorkload w = WssWorkload.start(16, 4, 4, null)) {
            assertThat(new UffdReferencedSensor().probe(w.pid()).reason()).contains("its uffd-write part")
                    .contains("holds no userfaultfd");
            Map<String, String> props = new java.util.HashMap<>();
            monitor("pid=" + w.pid(), 3, props);
            assertThat(props).as("auto falls back to referenced").containsEntry("sensor", ReferencedSensor.NAME);
        }
    }
}
