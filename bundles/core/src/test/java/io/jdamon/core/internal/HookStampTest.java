package io.jdamon.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.jdamon.api.Callback;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextView;
import io.jdamon.api.MonitoringTarget;
import io.jdamon.api.PrimitiveContext;

/**
 * Every plugin hook the kdamond calls is stamped, so that a watchdog on
 * another thread can name a hook that does not return: a plugin blocks in one
 * hook, the test reads the stamp from its own thread.
 */
class HookStampTest {

    /** A primitive and a callback that block in the hook named {@link #blockIn} until released. */
    static final class Blocker extends PatternPrimitive implements Callback {
        final String blockIn;
        final CountDownLatch release = new CountDownLatch(1);

        Blocker(String blockIn) {
            super(100 * KdamondLifecycleTest.PAGE, 0, 10 * KdamondLifecycleTest.PAGE);
            this.blockIn = blockIn;
            logSamples = false;
        }

        private void maybeBlock(String hook) {
            if (hook.equals(blockIn)) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public long minRegionSize() {
            maybeBlock("minRegionSize");
            return super.minRegionSize();
        }

        @Override
        public void init(PrimitiveContext ctx) {
            super.init(ctx);
            maybeBlock("init");
        }

        @Override
        public Map<String, String> describe(PrimitiveContext ctx) {
            maybeBlock("describe");
            return Map.of();
        }

        @Override
        public void update(PrimitiveContext ctx) {
            maybeBlock("update");
        }

        @Override
        public void prepareAccessChecks(PrimitiveContext ctx) {
            maybeBlock("prepareAccessChecks");
        }

        @Override
        public void checkAccesses(PrimitiveContext ctx) {
            super.checkAccesses(ctx);
            maybeBlock("checkAccesses");
        }

        @Override
        public void resetAggregated(PrimitiveContext ctx) {
            maybeBlock("resetAggregated");
        }

        @Override
        public boolean targetValid(MonitoringTarget target) {
            maybeBlock("targetValid");
            return true;
        }

        @Override
        public void cleanup(PrimitiveContext ctx) {
            maybeBlock("cleanup");
        }

        @Override
        public CallbackResult beforeStart(ContextView ctx) {
            maybeBlock("beforeStart");
            return CallbackResult.CONTINUE;
        }

        @Override
        public CallbackResult afterSampling(ContextView ctx) {
            maybeBlock("afterSampling");
            return CallbackResult.CONTINUE;
        }

        @Override
        public CallbackResult afterAggregation(ContextView ctx) {
            maybeBlock("afterAggregation");
            return CallbackResult.CONTINUE;
        }

        @Override
        public CallbackResult beforeTerminate(ContextView ctx) {
            maybeBlock("beforeTerminate");
            return CallbackResult.CONTINUE;
        }
    }

    @ParameterizedTest(name = "{1} {0}")
    @CsvSource({
            "minRegionSize, primitive, pattern, false",
            "init, primitive, pattern, false",
            "describe, primitive, pattern, false",
            "update, primitive, pattern, false",
            "prepareAccessChecks, primitive, pattern, false",
            "checkAccesses, primitive, pattern, false",
            "targetValid, primitive, pattern, false",
            "resetAggregated, primitive, pattern, false",
            "cleanup, primitive, pattern, true",
            "beforeStart, callback, blocker, false",
            "afterSampling, callback, blocker, false",
            "afterAggregation, callback, blocker, false",
            "beforeTerminate, callback, blocker, true" })
    void aHookThatDoesNotReturnIsNamedByTheStamp(String hook, String kind, String plugin, boolean atTheEnd)
            throws Exception {
        DamonEngine engine = new DamonEngine();
        Blocker blocker = new Blocker(hook);
        KdamondContext ctx = engine.newContext(
                new ContextDefinition("stamped", "pattern", List.of("t0"), KdamondLifecycleTest.FAST), blocker);
        ctx.addCallback("blocker", blocker);
        HookStamp stamp = ctx.hookStamp();
        engine.start(List.of(ctx));
        Thread stopper = null;
        if (atTheEnd) {
            Await.until("a few samples", () -> ctx.status().samples() >= 3);
            stopper = new Thread(() -> {
                try {
                    engine.stop(List.of(ctx));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, "stopper");
            stopper.start();
        }
        Await.until("the kdamond blocks in " + hook,
                () -> stamp.enteredNanos() != 0 && stamp.hook().equals(hook));
        long entered = stamp.enteredNanos();
        assertThat(stamp.kind()).isEqualTo(kind);
        assertThat(stamp.pluginName()).isEqualTo(plugin);
        assertThat(ctx.kdamondThread()).isNotNull();
        assertThat(entered).isLessThanOrEqualTo(System.nanoTime());

        blocker.release.countDown();
        if (stopper != null) {
            stopper.join(10_000);
        } else {
            Await.until("the kdamond leaves " + hook, () -> stamp.enteredNanos() != entered);
            engine.stop(List.of(ctx));
        }
        assertThat(ctx.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(stamp.enteredNanos()).as("no hook runs after the run ended").isZero();
    }
}
