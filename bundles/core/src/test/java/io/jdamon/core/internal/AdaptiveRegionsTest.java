package io.jdamon.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.Callback;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextView;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.TargetSnapshot;

/** The adaptive regions adjustment as it runs in a real kdamond. */
class AdaptiveRegionsTest {

    static final long P = 4096;
    final DamonEngine engine = new DamonEngine();

    @AfterEach
    void disposeAll() throws InterruptedException {
        for (MonitoringContext c : engine.contexts()) {
            engine.dispose(c);
        }
    }

    List<AggregationSnapshot> run(PatternPrimitive primitive, MonitoringAttributes attrs, int aggregations,
            String... targets) throws Exception {
        RecordingCallback callback = new RecordingCallback(new CopyOnWriteArrayList<>());
        callback.logSamples = false;
        callback.stopAfterAggregations = aggregations;
        KdamondContext ctx = engine.newContext(new ContextDefinition("adaptive", "pattern", List.of(targets), attrs),
                primitive);
        ctx.addCallback("collector", callback);
        engine.start(List.of(ctx));
        assertThat(ctx.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(callback.aggregations).hasSize(aggregations);
        return callback.aggregations;
    }

    @Test
    void regionsStaySortedAlignedWithinLimitsAndCoverTheSameBytes() throws Exception {
        PatternPrimitive primitive = new PatternPrimitive(10_000 * P, 2_000 * P, 2_500 * P) {
            int aggregation;

            @Override
            public void resetAggregated(io.jdamon.api.PrimitiveContext ctx) {
                // move the hot spot every ten aggregations so that merge and split keep working
                if (++aggregation % 10 == 0) {
                    hotStart = (hotStart + 1_700 * P) % (9_000 * P);
                    hotEnd = hotStart + 500 * P;
                }
            }
        };
        primitive.logSamples = false;
        MonitoringAttributes attrs = new MonitoringAttributes(200, 2_000, 1_000_000, 10, 60);
        List<AggregationSnapshot> snapshots = run(primitive, attrs, 150, "t0", "t1");

        for (AggregationSnapshot s : snapshots) {
            assertThat(s.regionCount()).as("regions at aggregation %d", s.aggregationIndex()).isBetween(10, 60);
            for (TargetSnapshot t : s.targets()) {
                assertThat(t.totalBytes()).isEqualTo(10_000 * P);
                RegionSnapshot previous = null;
                for (RegionSnapshot r : t.regions()) {
                    assertThat(r.start() % P).isZero();
                    assertThat(r.end() % P).isZero();
                    assertThat(r.end()).isGreaterThan(r.start());
                    assertThat(r.nrAccesses()).isBetween(0, attrs.samplesPerAggregation());
                    if (previous != null) {
                        assertThat(r.start()).isEqualTo(previous.end());
                    }
                    previous = r;
                }
            }
        }
    }

    @Test
    void theMergeLoopHoldsTheMaximumEvenWhenEveryRegionDiffers() throws Exception {
        // every other page hot: neighbours always differ, so only raising the threshold can merge
        PatternPrimitive striped = new PatternPrimitive(4_000 * P, 0, 0) {
            @Override
            public void checkAccesses(io.jdamon.api.PrimitiveContext ctx) {
                for (int t = 0; t < ctx.targetCount(); t++) {
                    var target = ctx.target(t);
                    for (int i = 0; i < target.regionCount(); i++) {
                        if ((target.samplingAddress(i) / (64 * P)) % 2 == 0) {
                            target.markAccessed(i);
                        }
                    }
                }
            }
        };
        striped.logSamples = false;
        MonitoringAttributes attrs = new MonitoringAttributes(200, 2_000, 1_000_000, 10, 20);
        List<AggregationSnapshot> snapshots = run(striped, attrs, 60, "t0");
        assertThat(snapshots).allSatisfy(s -> assertThat(s.regionCount()).isBetween(10, 20));
    }

    @Test
    void aSteadyPatternIsFoundAndAgesWhileAMovedHotSpotStartsYoung() throws Exception {
        PatternPrimitive primitive = new PatternPrimitive(1_000 * P, 0, 100 * P);
        primitive.logSamples = false;
        MonitoringAttributes attrs = new MonitoringAttributes(500, 5_000, 1_000_000, 10, 1_000);
        int window = attrs.samplesPerAggregation();
        List<AggregationSnapshot> seen = new CopyOnWriteArrayList<>();
        KdamondContext ctx = engine.newContext(new ContextDefinition("aging", "pattern", List.of("t"), attrs),
                primitive);
        ctx.addCallback("collector", new Callback() {
            @Override
            public CallbackResult afterAggregation(ContextView view) {
                seen.add(RecordingCallback.copy(view));
                return CallbackResult.CONTINUE;
            }
        });
        engine.start(List.of(ctx));
        Await.until("40 aggregations", () -> seen.size() >= 40);

        AggregationSnapshot steady = seen.get(seen.size() - 1);
        RegionSnapshot hot = regionAt(steady, 50 * P);
        RegionSnapshot cold = regionAt(steady, 600 * P);
        assertThat(hot.nrAccesses()).isEqualTo(window);
        assertThat(cold.nrAccesses()).isZero();
        assertThat(cold.age()).isGreaterThanOrEqualTo(10);
        long wss = steady.workingSetBytes();
        assertThat(wss).isBetween(100 * P, 200 * P);

        int before = seen.size();
        primitive.hotStart = 500 * P;
        primitive.hotEnd = 600 * P;
        Await.until("the new hot spot is seen", () -> seen.size() > before
                && regionAt(seen.get(seen.size() - 1), 550 * P).nrAccesses() >= window / 2);
        AggregationSnapshot first = seen.stream().skip(before)
                .filter(s -> regionAt(s, 550 * P).nrAccesses() >= window / 2).findFirst().orElseThrow();
        assertThat(regionAt(first, 550 * P).age()).isZero();
        engine.stop(List.of(ctx));
    }

    static RegionSnapshot regionAt(AggregationSnapshot snapshot, long address) {
        for (RegionSnapshot r : snapshot.targets().get(0).regions()) {
            if (r.start() <= address && address < r.end()) {
                return r;
            }
        }
        throw new AssertionError("no region holds " + address);
    }

    @Test
    void minEqualToMaxHoldsInEveryAggregationOverTargetsOfAnySize() throws Exception {
        // issue 12: min = max = 10,000 over 1 GiB kept 10,082 regions; here two targets, 1 GiB each
        // (pieces that do not divide evenly), min = max = 2,000
        PatternPrimitive primitive = new PatternPrimitive(1L << 30, 0, 100_000 * P);
        primitive.logSamples = false;
        MonitoringAttributes attrs = new MonitoringAttributes(1_000, 10_000, 1_000_000, 2_000, 2_000);
        List<AggregationSnapshot> snapshots = run(primitive, attrs, 10, "t0", "t1");
        assertThat(snapshots).allSatisfy(s -> assertThat(s.regionCount()).isEqualTo(2_000));
    }

    @Test
    void attributesChangeOnlineAtAnAggregationBoundaryOnTheSameThread() throws Exception {
        PatternPrimitive primitive = new PatternPrimitive(1_000 * P, 0, 100 * P);
        primitive.logSamples = false;
        MonitoringAttributes before = new MonitoringAttributes(1_000, 5_000, 1_000_000, 10, 1_000);
        MonitoringAttributes after = new MonitoringAttributes(500, 10_000, 1_000_000, 12, 500);
        List<long[]> marks = new CopyOnWriteArrayList<>(); // samples, aggregation interval, thread id
        KdamondContext ctx = engine.newContext(new ContextDefinition("online", "pattern", List.of("t"), before),
                primitive);
        ctx.addCallback("marks", new Callback() {
            @Override
            public CallbackResult afterAggregation(ContextView view) {
                marks.add(new long[] {view.samplesPassed(), view.attributes().aggregationIntervalUs(),
                    Thread.currentThread().getId()});
                return CallbackResult.CONTINUE;
            }
        });
        engine.start(List.of(ctx));
        Await.until("three aggregations", () -> marks.size() >= 3);
        ctx.updateAttributes(after);
        Await.until("the new interval in force", () -> marks.stream().filter(m -> m[1] == 10_000).count() >= 3);
        engine.stop(List.of(ctx));

        List<long[]> all = new ArrayList<>(marks);
        assertThat(all).extracting(m -> m[2]).containsOnly(all.get(0)[2]);
        for (int i = 1; i < all.size(); i++) {
            long step = all.get(i)[0] - all.get(i - 1)[0];
            // 5 samples per aggregation before, 20 after the boundary where the change landed
            assertThat(step).isIn(5L, 20L);
            if (all.get(i - 1)[1] == 10_000) {
                assertThat(step).isEqualTo(20);
            }
        }
        assertThat(ctx.attributes()).isEqualTo(after);
        AggregationSnapshot last = ctx.lastAggregation().orElseThrow();
        assertThat(last.sampleIntervalUs()).isEqualTo(500);
        assertThat(last.aggregationSamples()).isEqualTo(20);
        assertThat(last.aggregationIntervalUs()).as("the real length").isEqualTo(
                (last.endNanos() - last.startNanos() + 500) / 1_000);
    }

    @Test
    void aStatusAndSnapshotAreReadableFromAnotherThread() throws Exception {
        PatternPrimitive primitive = new PatternPrimitive(1_000 * P, 0, 100 * P);
        primitive.logSamples = false;
        KdamondContext ctx = engine.newContext(new ContextDefinition("status", "pattern", List.of("t"),
                new MonitoringAttributes(500, 5_000, 1_000_000, 10, 1_000)), primitive);
        assertThat(ctx.lastAggregation()).isEmpty();
        engine.start(List.of(ctx));
        Await.until("an aggregation", () -> ctx.status().aggregations() >= 2);
        AggregationSnapshot snapshot = ctx.lastAggregation().orElseThrow();
        assertThat(snapshot.contextName()).isEqualTo("status");
        assertThat(snapshot.endNanos()).isGreaterThan(snapshot.startNanos());
        assertThat(snapshot.targets()).hasSize(1);
        assertThat(ctx.status().regions()).isGreaterThanOrEqualTo(10);
        assertThat(ctx.status().threadName()).hasValueSatisfying(n -> assertThat(n).startsWith("kdamond."));
    }
}
