package io.jdamon.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.Callback;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextView;
import io.jdamon.api.IntervalsGoal;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.StartMode;
import io.jdamon.core.internal.DamonEngine;

/**
 * A virtual workload with {@code touch=T}: an active page is seen by a sample
 * of interval dt with probability {@code 1 - exp(-dt / T)}, so the intervals
 * auto-tuning has something to converge on, as on real memory.
 */
@Timeout(120)
class TouchRateTest {

    private final DamonEngine engine = new DamonEngine();

    @TempDir
    Path dir;

    @AfterEach
    void disposeAll() throws InterruptedException {
        for (MonitoringContext c : engine.contexts()) {
            engine.dispose(c);
        }
    }

    /** One region of 64 MiB, accessed for a minute. */
    private String allActive() throws Exception {
        Path cfg = dir.resolve("all.cfg");
        Files.writeString(cfg, "a, 64M\n\nall of it\n60000\na, 1, 4096, 1\n");
        return "virtual:file=" + cfg;
    }

    private List<AggregationSnapshot> run(String target, MonitoringAttributes attrs, int aggregations)
            throws Exception {
        List<AggregationSnapshot> seen = new CopyOnWriteArrayList<>();
        MonitoringContext c = engine.newContext(new ContextDefinition("touch", "sim", List.of(target), attrs),
                new SimPrimitive());
        c.addCallback("seen", new Callback() {
            @Override
            public CallbackResult afterAggregation(ContextView ctx) {
                seen.add(c.lastAggregation().orElseThrow());
                return CallbackResult.CONTINUE;
            }
        });
        engine.start(List.of(c), StartMode.SHARED);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (seen.size() < aggregations && System.nanoTime() < deadline && c.isRunning()) {
            Thread.sleep(20); // the period between two looks, not a wait for a condition
        }
        engine.stop(List.of(c));
        assertThat(seen).as("aggregations: " + c.status()).hasSizeGreaterThanOrEqualTo(aggregations);
        return seen;
    }

    /** @return the share of possible access events the snapshots saw: region bytes times accesses */
    static double share(List<AggregationSnapshot> snapshots) {
        double accessed = 0;
        double possible = 0;
        for (AggregationSnapshot s : snapshots) {
            for (RegionSnapshot r : s.targets().get(0).regions()) {
                accessed += (double) r.size() * r.nrAccesses();
                possible += (double) r.size() * s.aggregationSamples();
            }
        }
        return accessed / possible;
    }

    @Test
    void aSampleAsLongAsTheTouchIntervalSeesAnActivePageWithProbabilityOneMinusOneOverE() throws Exception {
        MonitoringAttributes attrs = new MonitoringAttributes(10_000, 200_000, 60_000_000, 10, 100);
        List<AggregationSnapshot> touched = run(allActive() + ",touch=10ms", attrs, 5);
        // 1 - 1/e = 0.63 at exactly 10 ms; a sample lasts a little longer than asked
        assertThat(share(touched)).isBetween(0.5, 0.8);
        engine.dispose(engine.context("touch").orElseThrow());
        assertThat(share(run(allActive(), attrs, 3))).as("the ideal workload").isEqualTo(1.0);
    }

    @Test
    void theIntervalsTuningConvergesOnATouchRate() throws Exception {
        // 4% of 100 ms touches: a sample of -100 ms ln(0.96) = 4.08 ms; the start is 10 ms
        MonitoringAttributes attrs = new MonitoringAttributes(10_000, 200_000, 60_000_000, 10, 100,
                new IntervalsGoal(400, 1, 100, 1_000_000));
        List<AggregationSnapshot> seen = run(allActive() + ",touch=100ms", attrs, 30);
        List<AggregationSnapshot> last = seen.subList(seen.size() - 8, seen.size());
        assertThat(share(last)).isBetween(0.02, 0.08);
        assertThat(last).allSatisfy(s -> assertThat(s.sampleIntervalUs()).isBetween(2_000L, 8_200L));
    }
}
