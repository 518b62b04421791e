package io.jdamon.vaddr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.Callback;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextView;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.StartMode;
import io.jdamon.api.TargetView;
import io.jdamon.core.internal.DamonEngine;

/** The referenced sensor on this machine, against the helper's ground truth, through the real engine. */
@Timeout(120)
class ReferencedSensorTest {

    /**
     * A round costs milliseconds, so the sensor has the engine sample every
     * 100-300 ms: aggregations long enough for several samples each. With so
     * few samples per aggregation, counts differ by whole samples and regions
     * adapt slowly, so a region at a mapping's edge that reaches into a
     * neighbour stays for many aggregations; starting from 40 regions rather
     * than 10 keeps those edge regions small, so the bytes-weighted rates judge
     * the sensor, not how coarse the first cut was.
     */
    static final MonitoringAttributes ATTRIBUTES = new MonitoringAttributes(
            MonitoringAttributes.DEFAULT_SAMPLE_INTERVAL_US, 500_000, 1_000_000, 40,
            MonitoringAttributes.DEFAULT_MAX_NR_REGIONS);

    @Test
    void hotMappingIsHotAndColdMappingIsCold() throws Exception {
        try (AccessHelper helper = AccessHelper.start(64, 64, "read", -1)) {
            HotColdCheck.Result r = HotColdCheck.run(helper, "referenced", ATTRIBUTES, 12);
            System.out.println("referenced, reads: " + r);
            HotColdCheck.assertHotAndCold(r, 0.9);
            assertThat(r.primitiveProperties())
                    .containsEntry("sensor", "referenced")
                    .containsEntry("sees", "reads,writes")
                    .containsEntry("granularity", "mapping")
                    .containsEntry("pid", Integer.toString(helper.pid()))
                    .containsKey("referenced.effectiveSampleIntervalUs");
        }
    }

    /**
     * A round costs far more than 5% of a 100 us sample interval: the sensor
     * asks the engine for a longer one, and what callbacks and snapshots see
     * is that interval, with counts that never exceed the samples taken.
     */
    @Test
    void anExpensiveRoundRaisesTheEnginesSampleIntervalAndSnapshotsSayIt() throws Exception {
        try (AccessHelper helper = AccessHelper.start(64, 64, "read", -1)) {
            MonitoringAttributes attrs = new MonitoringAttributes(100, 200_000, 1_000_000, 10, 1_000);
            DamonEngine engine = new DamonEngine();
            MonitoringContext ctx = engine.newContext(new ContextDefinition("raised", VaddrPrimitive.NAME,
                    List.of("pid=" + helper.pid() + ",sensor=referenced"), attrs), new VaddrPrimitive());
            List<long[]> seen = new CopyOnWriteArrayList<>(); // used interval, samples, highest count
            ctx.addCallback("intervals", new Callback() {
                @Override
                public CallbackResult afterAggregation(ContextView view) {
                    int highest = 0;
                    TargetView t = view.target(0);
                    for (int i = 0; i < t.regionCount(); i++) {
                        highest = Math.max(highest, t.nrAccesses(i));
                    }
                    seen.add(new long[] {view.sampleIntervalUs(), view.aggregationSamples(), highest});
                    return seen.size() >= 6 ? CallbackResult.STOP : CallbackResult.CONTINUE;
                }
            });
            engine.start(List.of(ctx), StartMode.SHARED);
            assertThat(ctx.awaitTermination(60, TimeUnit.SECONDS)).as("%s", ctx.status()).isTrue();

            assertThat(seen).hasSize(6).allSatisfy(s -> assertThat(s[2]).isLessThanOrEqualTo(s[1]));
            long[] last = seen.get(5);
            assertThat(last[0]).as("the used interval").isGreaterThan(100);
            assertThat(last[1]).isEqualTo(200_000 / last[0]);
            assertThat(ctx.attributes().sampleIntervalUs()).isEqualTo(100);
            AggregationSnapshot snapshot = ctx.lastAggregation().orElseThrow();
            assertThat(snapshot.sampleIntervalUs()).isEqualTo(last[0]);
            assertThat(snapshot.aggregationSamples()).isEqualTo((int) last[1]);
            String wanted = ctx.status().primitiveProperties().get("referenced.effectiveSampleIntervalUs");
            // the description is taken after init and updates, so it may hold an earlier, smaller wish
            assertThat(Long.parseLong(wanted)).as("the sensor's wish, raised").isGreaterThan(100);
        }
    }

    @Test
    void writesCountToo() throws Exception {
        try (AccessHelper helper = AccessHelper.start(32, 32, "write", -1)) {
            // two mappings of 32 MiB lie closer together: more aggregations for regions to find their edge
            HotColdCheck.Result r = HotColdCheck.run(helper, "referenced", ATTRIBUTES, 24);
            System.out.println("referenced, writes: " + r);
            HotColdCheck.assertHotAndCold(r, 0.9);
        }
    }
}
