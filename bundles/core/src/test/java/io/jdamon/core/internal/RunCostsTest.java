package io.jdamon.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextStatus;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.PrimitiveContext;
import io.jdamon.api.RunCosts;
import io.jdamon.api.RunCosts.CallbackCost;

/**
 * A run's costs are what its hooks took: the sensor's time in the primitive's
 * sampling hooks, each callback's time and calls, the aggregations that ended
 * late; a new run counts from 0.
 */
class RunCostsTest {

    static final long P = 4096;
    final DamonEngine engine = new DamonEngine();

    @AfterEach
    void disposeAll() throws InterruptedException {
        for (MonitoringContext c : engine.contexts()) {
            engine.dispose(c);
        }
    }

    /** Spins in checkAccesses: a sensor whose cost is known from below. */
    static final class SlowSensor extends PatternPrimitive {
        static final long SPIN_NANOS = 2_000_000;

        SlowSensor() {
            super(100 * P, 0, 100 * P);
            logSamples = false;
        }

        @Override
        public void checkAccesses(PrimitiveContext ctx) {
            long until = System.nanoTime() + SPIN_NANOS;
            while (System.nanoTime() < until) {
                Thread.onSpinWait(); // the sensor's work under test
            }
            super.checkAccesses(ctx);
        }
    }

    KdamondContext runOnce(KdamondContext ctx) throws Exception {
        engine.start(List.of(ctx));
        assertThat(ctx.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        return ctx;
    }

    @Test
    void costsBeforeAnyRunAreZero() {
        KdamondContext ctx = engine.newContext(new ContextDefinition("idle", "pattern", List.of("t"),
                MonitoringAttributes.DEFAULTS), new PatternPrimitive(100 * P, 0, 0));
        RunCosts c = ctx.runCosts();
        assertThat(c.lateAggregations()).isZero();
        assertThat(c.sensorNanos()).isZero();
        assertThat(c.primitiveOtherNanos()).isZero();
        assertThat(c.callbacks()).isEmpty();
    }

    @Test
    void aSlowCallbackIsChargedItsHookTimeAndItsLateAggregationsAreCounted() throws Exception {
        HonestIntervalsTest.Collector slow = new HonestIntervalsTest.Collector();
        slow.sleepInAggregationMillis = 150;
        slow.stopAfter = 4;
        HonestIntervalsTest.Collector quick = new HonestIntervalsTest.Collector();
        KdamondContext ctx = engine.newContext(new ContextDefinition("costs", "pattern", List.of("t"),
                new MonitoringAttributes(1_000, 10_000, 1_000_000, 10, 100)), new SlowSensor());
        ctx.addCallback("slow", slow);
        ctx.addCallback("quick", quick);
        runOnce(ctx);

        RunCosts c = ctx.runCosts();
        ContextStatus s = ctx.status();
        // aggregations 1 to 3 each waited for a 150 ms hook (10 ms planned); the first may be late on a busy machine
        assertThat(c.lateAggregations()).as("late aggregations of " + s.aggregations()).isBetween(3L, 4L);
        assertThat(c.callbacks()).extracting(CallbackCost::name).containsExactly("slow", "quick");
        CallbackCost slowCost = c.callbacks().get(0);
        CallbackCost quickCost = c.callbacks().get(1);
        // every sample's afterSampling, every aggregation's afterAggregation, beforeStart and beforeTerminate
        long hooks = s.samples() + s.aggregations() + 2;
        assertThat(slowCost.hookCalls()).isEqualTo(hooks);
        assertThat(quickCost.hookCalls()).isEqualTo(hooks);
        assertThat(slowCost.hookNanos()).as("four 150 ms hooks").isGreaterThanOrEqualTo(4 * 150_000_000L);
        assertThat(quickCost.hookNanos()).isLessThan(slowCost.hookNanos());
        assertThat(c.sensorNanos()).as("each of " + s.samples() + " checks spins 2 ms")
                .isGreaterThanOrEqualTo(s.samples() * SlowSensor.SPIN_NANOS);
        assertThat(c.primitiveOtherNanos()).isPositive().isLessThan(c.sensorNanos());
    }

    @Test
    void aNewRunCountsFromZero() throws Exception {
        HonestIntervalsTest.Collector c = new HonestIntervalsTest.Collector();
        c.sleepInAggregationMillis = 50;
        c.stopAfter = 3;
        KdamondContext ctx = engine.newContext(new ContextDefinition("again", "pattern", List.of("t"),
                new MonitoringAttributes(1_000, 10_000, 1_000_000, 10, 100)), new SlowSensor());
        ctx.addCallback("c", c);
        runOnce(ctx);
        ContextStatus firstRun = ctx.status();
        assertThat(ctx.runCosts().callbacks().get(0).hookCalls())
                .isEqualTo(firstRun.samples() + firstRun.aggregations() + 2);

        c.sleepInAggregationMillis = 0;
        c.stopAfter = c.seen.size() + 2;
        runOnce(ctx);

        RunCosts costs = ctx.runCosts();
        ContextStatus s = ctx.status();
        assertThat(costs.callbacks()).extracting(CallbackCost::name).containsExactly("c");
        assertThat(costs.callbacks().get(0).hookCalls()).as("the second run's hooks only")
                .isEqualTo(s.samples() + s.aggregations() + 2);
        assertThat(costs.callbacks().get(0).hookNanos()).as("not the first run's three 50 ms hooks")
                .isLessThan(3 * 50_000_000L);
    }
}
