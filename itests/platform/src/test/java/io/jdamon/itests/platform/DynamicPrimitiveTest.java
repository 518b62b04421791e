package io.jdamon.itests.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.ContextState;
import io.jdamon.api.ContextStatus;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.StopReason;

/** Primitive bundles arrive, stop, leave and come back while contexts are configured. */
class DynamicPrimitiveTest extends PlatformTestSupport {

    /** Where the test primitive's 'half' pattern stops accessing (see PatternPrimitive). */
    private static final long BASE = 0x100000;
    private static final long SIZE = 0x100000;
    private static final long MIDDLE = BASE + SIZE / 2;

    @Test
    void contextWaitsForItsPrimitiveStartsWhenItArrivesAndShowsItsLiveState() throws Exception {
        configure("waiter", fastContext("half"));

        ContextStatus waiting = awaitStatus("waiter", ContextState.WAITING);
        assertThat(waiting.detail()).as("a waiting context names what it waits for").contains("'itest'");
        assertThat(waiting.samples()).isZero();

        Bundle primitive = installPrimitive();
        ContextStatus running = awaitStatus("waiter", ContextState.RUNNING, s -> s.aggregations() >= 5,
                "5 aggregations done");

        // the live state, through the engine service
        assertThat(running.threadName()).hasValueSatisfying(t -> assertThat(t).startsWith("kdamond."));
        assertThat(running.primitiveName()).isEqualTo(PRIMITIVE);
        assertThat(running.primitiveProperties()).containsKey("space");
        assertThat(running.attributes()).isEqualTo(new MonitoringAttributes(FAST_SAMPLE_US, FAST_AGGREGATION_US,
                MonitoringAttributes.DEFAULT_UPDATE_INTERVAL_US, 10, 100));
        assertThat(running.samples()).isGreaterThanOrEqualTo(running.aggregations() * 10);
        assertThat(running.regions()).isBetween(10, 100);
        assertThat(running.stopReason()).isEmpty();

        // the regions of the last aggregation match the primitive's known pattern
        AggregationSnapshot last = engine.context("waiter").orElseThrow().lastAggregation().orElseThrow();
        assertThat(last.targets()).hasSize(1);
        List<RegionSnapshot> regions = last.targets().get(0).regions();
        assertThat(regions.get(0).start()).isEqualTo(BASE);
        assertThat(regions.get(regions.size() - 1).end()).isEqualTo(BASE + SIZE);
        int max = last.samplesPerAggregation();
        for (RegionSnapshot r : regions) {
            if (r.end() <= MIDDLE) {
                assertThat(r.nrAccesses()).as("always-accessed region %s", r).isGreaterThanOrEqualTo(max - 1);
            } else if (r.start() >= MIDDLE) {
                assertThat(r.nrAccesses()).as("never-accessed region %s", r).isZero();
            }
        }
        assertThat(last.workingSetBytes()).as("about half of the space is accessed")
                .isBetween(SIZE * 4 / 10, SIZE * 6 / 10);

        // the primitive leaves: the context stops cleanly and waits again
        Supplier<Map<String, Long>> firstInstance = primitiveCounter();
        primitive.uninstall();
        ContextStatus gone = awaitStatus("waiter", ContextState.WAITING);
        assertThat(gone.stopReason()).contains(StopReason.PRIMITIVE_GONE);
        assertThat(gone.detail()).contains("'itest'");
        assertThat(count(firstInstance, "waiter.cleanup")).as("cleanup ran before the service was gone")
                .isEqualTo(1);

        // ... and starts again when it comes back
        installPrimitive();
        awaitStatus("waiter", ContextState.RUNNING, s -> s.aggregations() >= 1, "aggregating again");
        assertThat(count(primitiveCounter(), "waiter.init")).isEqualTo(1);
    }

    @Test
    void stoppingThePrimitiveBundleStopsItsContextsWithinOneSampleInterval() throws Exception {
        installCallback();
        Bundle primitive = installPrimitive();
        long sampleUs = 500_000;
        for (String name : List.of("slow-a", "slow-b")) {
            Hashtable<String, Object> p = fastContext("half");
            p.put("sampleIntervalUs", sampleUs);
            p.put("aggregationIntervalUs", 2 * sampleUs);
            p.put("callbacks", new String[] { CALLBACK });
            configure(name, p);
        }
        for (String name : List.of("slow-a", "slow-b")) {
            awaitStatus(name, ContextState.RUNNING, s -> s.samples() >= 1, "sampling");
        }
        Supplier<Map<String, Long>> primitiveCounts = primitiveCounter();
        Supplier<Map<String, Long>> callbackCounts = callbackCounter();

        long t0 = System.nanoTime();
        primitive.stop();
        long elapsedUs = (System.nanoTime() - t0) / 1_000;
        System.out.println("stopping the primitive bundle with 2 contexts sampling every " + sampleUs
                + " us took " + elapsedUs + " us");

        // no waiting here: the contexts stopped before the primitive service was gone
        for (String name : List.of("slow-a", "slow-b")) {
            ContextStatus s = status(name).orElseThrow();
            assertThat(s.state()).as(name).isEqualTo(ContextState.WAITING);
            assertThat(s.stopReason()).as(name).contains(StopReason.PRIMITIVE_GONE);
            assertThat(count(primitiveCounts, name + ".cleanup")).as(name + " cleanup").isEqualTo(1);
            assertThat(count(callbackCounts, name + "/beforeTerminate")).as(name + " beforeTerminate")
                    .isEqualTo(1);
        }
        assertThat(elapsedUs).as("both contexts stopped within one sample interval").isLessThan(sampleUs);

        primitive.start();
        for (String name : List.of("slow-a", "slow-b")) {
            awaitStatus(name, ContextState.RUNNING);
            await(name + " gets beforeStart again", () -> count(callbackCounts, name + "/beforeStart") == 2);
        }
    }

    @Test
    void anInterruptedStopStillWaitsForTheContextsToStop() throws Exception {
        Bundle primitive = installPrimitive();
        configure("interrupted", fastContext("half"));
        awaitStatus("interrupted", ContextState.RUNNING, s -> s.samples() >= 1, "sampling");
        Supplier<Map<String, Long>> primitiveCounts = primitiveCounter();

        Thread.currentThread().interrupt(); // as a framework shutting down may interrupt the stopping thread
        try {
            primitive.stop();
        } finally {
            assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
        }
        ContextStatus s = status("interrupted").orElseThrow();
        assertThat(s.state()).isEqualTo(ContextState.WAITING);
        assertThat(count(primitiveCounts, "interrupted.cleanup")).as("cleanup ran before the service was gone")
                .isEqualTo(1);

        primitive.start();
        awaitStatus("interrupted", ContextState.RUNNING, r -> r.samples() >= 1, "running again");
    }
}
