package io.jdamon.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextState;
import io.jdamon.api.ContextStatus;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.PrimitiveContext;
import io.jdamon.api.StopReason;

/**
 * The hook watchdog with a small limit (200 ms): a hook past it is reported and interrupted; one
 * that ignores the interrupt is abandoned while the engine goes on; no stop waits for it without a
 * bound.
 */
class HookWatchdogTest {

    static final long LIMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** 1 ms samples, 5 ms aggregations: 10 aggregations are far below the 200 ms limit. */
    static final MonitoringAttributes FAST = new MonitoringAttributes(1_000, 5_000, 1_000_000, 10, 1_000);

    final DamonEngine engine = new DamonEngine(LIMIT_NANOS);
    final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stopEverything() throws InterruptedException {
        release.countDown(); // lets abandoned threads end
        for (MonitoringContext c : engine.contexts()) {
            engine.dispose(c);
        }
    }

    /** Blocks in checkAccesses after some samples: until interrupted, or (deaf) until the test ends. */
    class BlockingPrimitive extends PatternPrimitive {
        final boolean deaf;
        final AtomicInteger interrupts = new AtomicInteger();
        final AtomicInteger samples = new AtomicInteger();
        volatile boolean block = true;
        volatile boolean throwWhenInterrupted;

        BlockingPrimitive(boolean deaf) {
            super(1000 * KdamondLifecycleTest.PAGE, 0, 100 * KdamondLifecycleTest.PAGE);
            this.deaf = deaf;
            logSamples = false;
        }

        @Override
        public void checkAccesses(PrimitiveContext ctx) {
            if (samples.incrementAndGet() > 20 && block) {
                block = false;
                while (true) {
                    try {
                        release.await();
                        return;
                    } catch (InterruptedException e) {
                        interrupts.incrementAndGet();
                        if (throwWhenInterrupted) { // as a FileChannel read does: ClosedByInterruptException
                            throw new UncheckedIOException(new ClosedByInterruptException());
                        }
                        if (!deaf) {
                            return; // a well-behaved hook gives up when interrupted
                        }
                    }
                }
            }
            super.checkAccesses(ctx);
        }
    }

    KdamondContext start(String name, BlockingPrimitive primitive) throws Exception {
        return start(name, primitive, FAST);
    }

    KdamondContext start(String name, BlockingPrimitive primitive, MonitoringAttributes attributes)
            throws Exception {
        KdamondContext ctx = engine.newContext(new ContextDefinition(name, "blocking", List.of("t0"), attributes),
                primitive);
        engine.start(List.of(ctx), io.jdamon.api.StartMode.SHARED);
        return ctx;
    }

    @Test
    void theLimitIsTheLargerOfTheMinimumAndTenAggregations() {
        HookWatchdog watchdog = new HookWatchdog(engine, LIMIT_NANOS);
        assertThat(watchdog.limitNanos(FAST)).isEqualTo(LIMIT_NANOS);
        MonitoringAttributes slow = new MonitoringAttributes(10_000, 100_000, 1_000_000, 10, 1_000);
        assertThat(watchdog.limitNanos(slow)).isEqualTo(TimeUnit.SECONDS.toNanos(1));
        // the longest intervals attributes allow: ten aggregations of them still fit the nanosecond limit
        MonitoringAttributes huge = new MonitoringAttributes(MonitoringAttributes.MAX_INTERVAL_US,
                MonitoringAttributes.MAX_INTERVAL_US, MonitoringAttributes.MAX_INTERVAL_US, 10, 1_000);
        assertThat(watchdog.limitNanos(huge)).isPositive();
        assertThat(watchdog.abandonAfterNanos(huge) + 2 * watchdog.periodNanos()).isPositive();
        assertThat(new HookWatchdog(engine, HookWatchdog.DEFAULT_MIN_LIMIT_NANOS).limitNanos(FAST))
                .isEqualTo(TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void aHookPastTheLimitIsReportedAndInterruptedAndItsContextRunsOn() throws Exception {
        BlockingPrimitive primitive = new BlockingPrimitive(false);
        KdamondContext ctx = start("slow-hook", primitive);

        Await.until("the hook interrupted", () -> primitive.interrupts.get() == 1);
        long samples = ctx.status().samples();
        Await.until("sampling on after the interrupt", () -> ctx.status().samples() > samples + 20);
        ContextStatus status = ctx.status();
        assertThat(status.state()).isEqualTo(ContextState.RUNNING);
        assertThat(status.detail()).contains("primitive 'blocking'").contains("checkAccesses")
                .contains("past the hook limit of 0.2 s").contains("interrupted")
                .contains("BlockingPrimitive.checkAccesses");
        assertThat(primitive.interrupts).as("one interrupt, cleared after the hook: the sleep does not spin")
                .hasValue(1);
    }

    @Test
    void initMayTakeLongerThanTheHookLimitSinceItOpensEveryTarget() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
        BlockingPrimitive slowInit = new BlockingPrimitive(false) {
            @Override
            public void init(PrimitiveContext ctx) {
                try {
                    Thread.sleep(3 * LIMIT_NANOS / 1_000_000); // a large target's /proc, read slowly
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
                super.init(ctx);
            }
        };
        slowInit.block = false;
        KdamondContext ctx = start("slow-init", slowInit);
        Await.until("sampling after the slow init", () -> ctx.status().samples() > 20);
        assertThat(interrupted).as("init is not interrupted before " + HookWatchdog.SETUP_LIMIT_NANOS + " ns")
                .isFalse();
        assertThat(ctx.status().state()).isEqualTo(ContextState.RUNNING);
        assertThat(ctx.status().detail()).doesNotContain("past the hook limit");
    }

    @Test
    void aHookThatThrowsBecauseItWasInterruptedStopsItsRunSayingThatTheEngineInterruptedIt() throws Exception {
        BlockingPrimitive primitive = new BlockingPrimitive(false);
        primitive.throwWhenInterrupted = true;
        KdamondContext ctx = start("interrupted-io", primitive);

        Await.until("the run stopped", () -> ctx.status().state() == ContextState.STOPPED);
        ContextStatus status = ctx.status();
        assertThat(status.stopReason()).contains(StopReason.PLUGIN_FAILED);
        assertThat(status.detail()).contains("primitive 'blocking' threw in checkAccesses after the engine"
                + " interrupted it for running past the hook limit").contains("ClosedByInterruptException");
    }

    @Test
    void aHookThatIgnoresTheInterruptIsAbandonedAndTheEngineGoesOn() throws Exception {
        BlockingPrimitive deaf = new BlockingPrimitive(true);
        KdamondContext stuck = start("stuck", deaf);
        BlockingPrimitive healthy = new BlockingPrimitive(false);
        healthy.block = false;
        KdamondContext other = start("other", healthy);

        long t0 = System.nanoTime();
        Await.until("the stuck context abandoned", Duration.ofSeconds(10),
                () -> stuck.status().state() == ContextState.ABANDONED);
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("abandoned " + tookMs + " ms after starting; limit 200 ms + 200 ms grace");
        ContextStatus status = stuck.status();
        assertThat(status.stopReason()).contains(StopReason.HOOK_ABANDONED);
        assertThat(status.threadName()).isEmpty();
        assertThat(status.detail()).contains("primitive 'blocking'").contains("did not return from checkAccesses")
                .contains("BlockingPrimitive.checkAccesses");
        // the watchdog interrupted the hook before it gave up on it; the hook's thread counts the interrupt when it
        // gets a CPU, which on a loaded machine may come after the abandon
        Await.until("the hook counted its interrupt", () -> deaf.interrupts.get() >= 1);
        assertThat(deaf.interrupts).as("interrupted once before being abandoned").hasValue(1);
        assertThat(stuck.isRunning()).isFalse();
        assertThat(stuck.awaitTermination(0, TimeUnit.SECONDS)).as("waiters are released").isTrue();
        assertThat(engine.running()).containsExactly(other);

        // the other context samples on, an abandoned context cannot be started again, its name is freed
        long samples = other.status().samples();
        Await.until("the other context sampling on", () -> other.status().samples() > samples + 20);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine.start(List.of(stuck), io.jdamon.api.StartMode.SHARED))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("was abandoned");
        long d0 = System.nanoTime();
        engine.dispose(stuck);
        assertThat(System.nanoTime() - d0).as("disposing of it does not wait").isLessThan(TimeUnit.SECONDS.toNanos(1));
        assertThat(engine.context("stuck")).isEmpty();
        KdamondContext again = start("stuck", new BlockingPrimitive(false));
        assertThat(again.isRunning()).isTrue();
    }

    @Test
    void aStopWaitsForAStuckHookOnlyUntilTheEngineAbandonsIt() throws Exception {
        BlockingPrimitive deaf = new BlockingPrimitive(true);
        KdamondContext stuck = start("stop-stuck", deaf);
        Await.until("in the blocking hook", () -> stuck.hookStamp().enteredNanos() != 0 && !deaf.block);

        long t0 = System.nanoTime();
        engine.dispose(stuck);
        long tookNanos = System.nanoTime() - t0;
        System.out.println("dispose of a context stuck in a hook returned after " + tookNanos / 1_000_000 + " ms");
        assertThat(tookNanos).as("bounded by the stop bound").isLessThan(engine.stopBoundNanos(stuck)
                + TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(stuck.status().state()).isEqualTo(ContextState.ABANDONED);
        assertThat(engine.contexts()).isEmpty();
    }

    @Test
    void aStopWaitsAtMostThreeLeastLimitsWhateverTheAggregationInterval() throws Exception {
        // 1 ms samples, 1 s aggregations: the hook limit is 10 s, a stop must not wait that long
        MonitoringAttributes slow = new MonitoringAttributes(1_000, 1_000_000, 10_000_000, 10, 1_000);
        BlockingPrimitive deaf = new BlockingPrimitive(true);
        KdamondContext stuck = start("slow-stuck", deaf, slow);
        Await.until("in the blocking hook", () -> stuck.hookStamp().enteredNanos() != 0 && !deaf.block);

        long t0 = System.nanoTime();
        engine.dispose(stuck);
        long tookNanos = System.nanoTime() - t0;
        System.out.println("dispose with a 10 s hook limit returned after " + tookNanos / 1_000_000 + " ms");
        assertThat(engine.stopBoundNanos(stuck)).isEqualTo(3 * LIMIT_NANOS + 2 * TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(tookNanos).isBetween(engine.stopBoundNanos(stuck) - TimeUnit.MILLISECONDS.toNanos(100),
                engine.stopBoundNanos(stuck) + TimeUnit.MILLISECONDS.toNanos(500));
        ContextStatus status = stuck.status();
        assertThat(status.state()).isEqualTo(ContextState.ABANDONED);
        assertThat(status.detail()).contains("did not stop within 0.7 s").contains("checkAccesses");
        Await.until("the hook counted its interrupt", () -> deaf.interrupts.get() >= 1); // see above
        assertThat(deaf.interrupts).as("interrupted before being abandoned").hasValue(1);
    }
}
