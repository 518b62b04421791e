package io.jdamon.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
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
import io.jdamon.api.PrimitiveContext;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.TargetSnapshot;

/**
 * Every interval the engine reports is one that happened: the sample
 * interval in use, the samples taken, the real start and end of each
 * aggregation, and time zero after the set-up.
 */
class HonestIntervalsTest {

    static final long P = 4096;
    final DamonEngine engine = new DamonEngine();

    @AfterEach
    void disposeAll() throws InterruptedException {
        for (MonitoringContext c : engine.contexts()) {
            engine.dispose(c);
        }
    }

    /** What a callback saw in afterAggregation, from the view rather than the attributes. */
    record Seen(AggregationSnapshot snapshot, long viewSampleUs, int viewSamples, long configuredSampleUs,
            Instant startTime) {
    }

    static class Collector implements Callback {
        final List<Seen> seen = new CopyOnWriteArrayList<>();
        volatile int stopAfter = -1;
        volatile long sleepInAggregationMillis;

        @Override
        public CallbackResult afterAggregation(ContextView ctx) {
            AggregationSnapshot copy = RecordingCallback.copy(ctx);
            seen.add(new Seen(copy, ctx.sampleIntervalUs(), ctx.aggregationSamples(),
                    ctx.attributes().sampleIntervalUs(), ctx.startTime()));
            if (sleepInAggregationMillis > 0) {
                try {
                    Thread.sleep(sleepInAggregationMillis); // the slow hook under test
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return stopAfter > 0 && seen.size() >= stopAfter ? CallbackResult.STOP : CallbackResult.CONTINUE;
        }
    }

    KdamondContext run(PatternPrimitive primitive, Collector collector, MonitoringAttributes attrs) throws Exception {
        KdamondContext ctx = engine.newContext(new ContextDefinition("honest", "pattern", List.of("t"), attrs),
                primitive);
        ctx.addCallback("slow", collector);
        engine.start(List.of(ctx));
        assertThat(ctx.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        return ctx;
    }

    @Test
    void aSlowCallbackStretchesTheIntervalsAndTheSnapshotsAndStatusSaySo() throws Exception {
        PatternPrimitive primitive = new PatternPrimitive(1_000 * P, 0, 1_000 * P);
        primitive.logSamples = false;
        Collector collector = new Collector();
        collector.sleepInAggregationMillis = 150;
        collector.stopAfter = 4;
        MonitoringAttributes attrs = new MonitoringAttributes(1_000, 10_000, 1_000_000, 10, 100);
        KdamondContext ctx = run(primitive, collector, attrs);

        assertThat(collector.seen).hasSize(4);
        for (Seen s : collector.seen.subList(1, 4)) { // each after a 150 ms hook
            AggregationSnapshot snap = s.snapshot();
            assertThat(snap.endNanos() - snap.startNanos()).as("real length").isGreaterThanOrEqualTo(150_000_000L);
            assertThat(s.viewSamples()).isEqualTo(10);
        }
        AggregationSnapshot last = ctx.lastAggregation().orElseThrow();
        assertThat(last.aggregationSamples()).isEqualTo(10);
        assertThat(last.aggregationIntervalUs()).isGreaterThanOrEqualTo(150_000);
        assertThat(last.meanSampleIntervalNanos()).isGreaterThanOrEqualTo(15_000_000L);
        assertThat(ctx.status().detail()).contains("hooks overran the intervals", "instead of 10.000 ms",
                "callback 'slow' afterAggregation");
    }

    @Test
    void aPrimitiveThatAsksForALongerSampleIntervalGetsItAndSnapshotsCarryIt() throws Exception {
        PatternPrimitive primitive = new PatternPrimitive(1_000 * P, 0, 1_000 * P) { // every address is hot
            int aggregations;

            @Override
            public void resetAggregated(PrimitiveContext ctx) {
                aggregations++;
                if (aggregations == 3) {
                    ctx.useSampleIntervalUs(7_000); // from the next boundary on: 2 samples of 10 ms
                } else if (aggregations == 6) {
                    ctx.useSampleIntervalUs(1_000_000_000); // clamped to the aggregation interval
                }
            }
        };
        primitive.logSamples = false;
        Collector collector = new Collector();
        collector.stopAfter = 9;
        MonitoringAttributes attrs = new MonitoringAttributes(1_000, 20_000, 1_000_000, 10, 100);
        KdamondContext ctx = run(primitive, collector, attrs);

        List<Seen> seen = collector.seen;
        assertThat(seen).hasSize(9);
        for (int i = 0; i < 9; i++) {
            Seen s = seen.get(i);
            long expectedUs = i < 3 ? 1_000 : i < 6 ? 10_000 : 20_000;
            int expectedSamples = (int) (20_000 / expectedUs);
            assertThat(s.viewSampleUs()).as("sample interval at aggregation %d", i).isEqualTo(expectedUs);
            assertThat(s.viewSamples()).as("samples at aggregation %d", i).isEqualTo(expectedSamples);
            assertThat(s.configuredSampleUs()).as("the attributes are unchanged").isEqualTo(1_000);
            for (TargetSnapshot t : s.snapshot().targets()) {
                for (RegionSnapshot r : t.regions()) {
                    // everything is hot: each region is found accessed in every sample taken, never more
                    assertThat(r.nrAccesses()).as("aggregation %d", i).isEqualTo(expectedSamples);
                }
            }
        }
        AggregationSnapshot last = ctx.lastAggregation().orElseThrow();
        assertThat(last.sampleIntervalUs()).isEqualTo(20_000);
        assertThat(last.aggregationSamples()).isEqualTo(1);
        assertThat(last.samplesPerAggregation()).isEqualTo(1);
        assertThat(ctx.attributes().sampleIntervalUs()).isEqualTo(1_000);
    }

    @Test
    void timeZeroIsAfterASlowInitAndBeforeStartSoTheFirstSnapshotSpansOneInterval() throws Exception {
        Instant[] setUpDone = new Instant[1];
        PatternPrimitive primitive = new PatternPrimitive(1_000 * P, 0, 100 * P) {
            @Override
            public void init(PrimitiveContext ctx) {
                super.init(ctx);
                sleepMillis(500); // a sensor's costly set-up
            }
        };
        primitive.logSamples = false;
        Collector collector = new Collector() {
            @Override
            public CallbackResult beforeStart(ContextView ctx) {
                sleepMillis(100); // a recorder opening its file
                setUpDone[0] = Instant.now();
                return CallbackResult.CONTINUE;
            }
        };
        collector.stopAfter = 2;
        MonitoringAttributes attrs = new MonitoringAttributes(1_000, 20_000, 1_000_000, 10, 100);
        run(primitive, collector, attrs);

        Seen first = collector.seen.get(0);
        assertThat(first.snapshot().startNanos()).isZero();
        assertThat(first.snapshot().endNanos()).as("the first interval leaves out the 600 ms set-up")
                .isLessThan(300_000_000L);
        assertThat(first.startTime()).isAfterOrEqualTo(setUpDone[0]);
        assertThat(collector.seen.get(1).startTime()).isEqualTo(first.startTime());
    }

    static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
