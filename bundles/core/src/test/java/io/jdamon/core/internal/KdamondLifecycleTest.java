package io.jdamon.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextNotRunningException;
import io.jdamon.api.ContextState;
import io.jdamon.api.EngineBusyException;
import io.jdamon.api.InvalidTargetException;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.Primitive;
import io.jdamon.api.StartMode;
import io.jdamon.api.StopReason;

/** The seed's contract: hook order, BUSY, stop semantics, thread end, fault isolation. */
class KdamondLifecycleTest {

    static final long PAGE = 4096;
    /** 1 ms samples, 5 samples an aggregation, an update every 10 samples. */
    static final MonitoringAttributes FAST = new MonitoringAttributes(1_000, 5_000, 10_000, 10, 1_000);

    final DamonEngine engine = new DamonEngine();

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (MonitoringContext c : engine.contexts()) {
            engine.dispose(c);
        }
    }

    KdamondContext context(String name, Primitive primitive) {
        return engine.newContext(new ContextDefinition(name, "pattern", List.of("t0"), FAST), primitive);
    }

    static PatternPrimitive pattern() {
        return new PatternPrimitive(1000 * PAGE, 0, 100 * PAGE);
    }

    @Test
    void hooksRunInTheSeedsOrder() throws Exception {
        PatternPrimitive primitive = pattern();
        RecordingCallback callback = new RecordingCallback(primitive.events);
        callback.stopAfterAggregations = 2;
        KdamondContext ctx = context("order", primitive);
        ctx.addCallback("recorder", callback);

        engine.start(List.of(ctx));
        assertThat(ctx.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        List<String> expected = new ArrayList<>(List.of("init", "beforeStart"));
        for (int sample = 1; sample <= 10; sample++) {
            expected.addAll(List.of("prepare", "afterSampling", "check"));
            if (sample % 5 == 0) {
                expected.addAll(List.of("afterAggregation", "reset"));
            }
            if (sample % 10 == 0) {
                expected.add("update");
            }
        }
        expected.addAll(List.of("beforeTerminate", "cleanup"));
        assertThat(primitive.events).containsExactlyElementsOf(expected);
        assertThat(ctx.status().stopReason()).contains(StopReason.CALLBACK_REQUESTED);
        assertThat(ctx.status().detail()).contains("recorder", "afterAggregation");
        assertThat(ctx.status().state()).isEqualTo(ContextState.STOPPED);
        assertThat(ctx.status().samples()).isEqualTo(10);
        assertThat(ctx.status().aggregations()).isEqualTo(2);
    }

    @Test
    void eachContextOfAGroupRunsOnItsOwnNamedThread() throws Exception {
        List<PatternPrimitive> primitives = List.of(pattern(), pattern(), pattern());
        List<KdamondContext> group = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            group.add(context("c" + i, primitives.get(i)));
        }
        engine.start(group);
        Await.until("three kdamonds initialised", () -> primitives.stream().allMatch(p -> p.initThread != null));
        assertThat(primitives).extracting(p -> p.initThread).containsExactly("kdamond.0", "kdamond.1", "kdamond.2");
        assertThat(group).allMatch(MonitoringContext::isRunning);
        assertThat(group.get(1).status().threadName()).contains("kdamond.1");
        engine.stop(group);
        assertThat(group).noneMatch(MonitoringContext::isRunning);
    }

    @Test
    void startingWhileAnEarlierGroupRunsIsBusyAndStartsNothing() throws Exception {
        KdamondContext first = context("first", pattern());
        KdamondContext second = context("second", pattern());
        KdamondContext third = context("third", pattern());
        engine.start(List.of(first));

        assertThatThrownBy(() -> engine.start(List.of(second, third)))
                .isInstanceOf(EngineBusyException.class).hasMessageContaining("first");
        assertThatThrownBy(() -> engine.start(List.of(second), StartMode.SHARED))
                .isInstanceOf(EngineBusyException.class);
        assertThat(second.isRunning()).isFalse();
        assertThat(third.isRunning()).isFalse();
        assertThat(second.status().state()).isEqualTo(ContextState.READY);

        engine.stop(List.of(first));
        engine.start(List.of(second, third));
        assertThat(second.isRunning()).isTrue();
        assertThat(third.isRunning()).isTrue();
    }

    @Test
    void sharedGroupsRunSideBySideButBlockExclusiveOnes() throws Exception {
        KdamondContext a = context("a", pattern());
        KdamondContext b = context("b", pattern());
        KdamondContext c = context("c", pattern());
        engine.start(List.of(a), StartMode.SHARED);
        engine.start(List.of(b), StartMode.SHARED);
        assertThat(a.isRunning()).isTrue();
        assertThat(b.isRunning()).isTrue();
        assertThatThrownBy(() -> engine.start(List.of(c), StartMode.EXCLUSIVE))
                .isInstanceOf(EngineBusyException.class).hasMessageContaining("SHARED");
        assertThat(c.isRunning()).isFalse();
    }

    @Test
    void stopWaitsUntilTheThreadHasEndedAndItsHooksRan() throws Exception {
        PatternPrimitive primitive = pattern();
        RecordingCallback callback = new RecordingCallback(primitive.events);
        KdamondContext ctx = context("stop", primitive);
        ctx.addCallback("cb", callback);
        engine.start(List.of(ctx));
        Await.until("a few samples", () -> ctx.status().samples() >= 3);

        engine.stop(List.of(ctx));

        assertThat(ctx.isRunning()).isFalse();
        assertThat(primitive.cleanedUp).isTrue();
        assertThat(primitive.events).endsWith("beforeTerminate", "cleanup");
        assertThat(ctx.status().stopReason()).contains(StopReason.STOP_REQUESTED);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("kdamond.") && t.isAlive()
                && t.getName().equals(ctx.status().threadName().orElse("none")));
    }

    @Test
    void stoppingAContextThatIsNotRunningIsAnError() throws Exception {
        KdamondContext never = context("never", pattern());
        assertThatThrownBy(() -> engine.stop(List.of(never)))
                .isInstanceOf(ContextNotRunningException.class).hasMessageContaining("never");

        KdamondContext once = context("once", pattern());
        engine.start(List.of(once));
        engine.stop(List.of(once));
        assertThatThrownBy(() -> engine.stop(List.of(once))).isInstanceOf(ContextNotRunningException.class);
    }

    @Test
    void aStoppedContextCanRunAgain() throws Exception {
        PatternPrimitive primitive = pattern();
        KdamondContext ctx = context("again", primitive);
        engine.start(List.of(ctx));
        engine.stop(List.of(ctx));
        engine.start(List.of(ctx));
        Await.until("second run samples", () -> ctx.status().samples() >= 2);
        assertThat(primitive.events.stream().filter("init"::equals)).hasSize(2);
        assertThat(ctx.status().stopReason()).isEmpty();
        assertThat(ctx.status().state()).isEqualTo(ContextState.RUNNING);
    }

    @Test
    void theThreadEndsWhenEveryTargetIsInvalid() throws Exception {
        PatternPrimitive primitive = pattern();
        KdamondContext ctx = engine.newContext(new ContextDefinition("gone", "pattern", List.of("t0", "t1"), FAST),
                primitive);
        engine.start(List.of(ctx));
        Await.until("sampling", () -> ctx.status().samples() > 2);
        primitive.targetsValid = false;
        assertThat(ctx.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ctx.status().stopReason()).contains(StopReason.TARGETS_INVALID);
        assertThat(primitive.events).endsWith("cleanup");
    }

    @Test
    void oneValidTargetKeepsTheContextRunning() throws Exception {
        PatternPrimitive primitive = new PatternPrimitive(1000 * PAGE, 0, 0) {
            @Override
            public boolean targetValid(io.jdamon.api.MonitoringTarget target) {
                return target.index() == 1 || targetsValid;
            }
        };
        KdamondContext ctx = engine.newContext(new ContextDefinition("half", "pattern", List.of("t0", "t1"), FAST),
                primitive);
        engine.start(List.of(ctx));
        primitive.targetsValid = false;
        long before = ctx.status().samples();
        Await.until("sampling goes on", () -> ctx.status().samples() > before + 5);
        assertThat(ctx.isRunning()).isTrue();
    }

    @Test
    void aThrowingPrimitiveStopsOnlyItsOwnContext() throws Exception {
        PatternPrimitive healthy = pattern();
        PatternPrimitive faulty = pattern();
        KdamondContext good = context("good", healthy);
        KdamondContext bad = context("bad", faulty);
        RecordingCallback badCallback = new RecordingCallback(faulty.events);
        bad.addCallback("watcher", badCallback);
        engine.start(List.of(good, bad));
        Await.until("both sampling", () -> good.status().samples() > 2 && bad.status().samples() > 2);

        faulty.throwIn = "check";
        assertThat(bad.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(bad.status().stopReason()).contains(StopReason.PLUGIN_FAILED);
        assertThat(bad.status().detail()).contains("primitive 'pattern'", "checkAccesses",
                "IllegalStateException", "test failure in check");
        assertThat(faulty.events).endsWith("beforeTerminate", "cleanup");

        long goodSamples = good.status().samples();
        Await.until("the healthy context keeps sampling", () -> good.status().samples() > goodSamples + 5);
        assertThat(good.isRunning()).isTrue();
    }

    @Test
    void aThrowingCallbackStopsOnlyItsOwnContext() throws Exception {
        PatternPrimitive healthy = pattern();
        PatternPrimitive other = pattern();
        KdamondContext good = context("good", healthy);
        KdamondContext bad = context("bad", other);
        RecordingCallback thrower = new RecordingCallback(other.events);
        thrower.throwIn = "afterAggregation";
        bad.addCallback("thrower", thrower);
        engine.start(List.of(good, bad), StartMode.SHARED);

        assertThat(bad.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(bad.status().stopReason()).contains(StopReason.PLUGIN_FAILED);
        assertThat(bad.status().detail()).contains("callback 'thrower'", "afterAggregation");
        assertThat(other.cleanedUp).isTrue();
        long goodSamples = good.status().samples();
        Await.until("the healthy context keeps sampling", () -> good.status().samples() > goodSamples + 5);
    }

    @Test
    void aPrimitiveThatThrowsInInitStillGetsCleanup() throws Exception {
        PatternPrimitive primitive = pattern();
        primitive.throwIn = "init";
        KdamondContext ctx = context("broken-init", primitive);
        engine.start(List.of(ctx));
        assertThat(ctx.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ctx.status().stopReason()).contains(StopReason.PLUGIN_FAILED);
        assertThat(ctx.status().detail()).contains("init");
        assertThat(primitive.cleanedUp).isTrue();
        assertThat(ctx.status().samples()).isZero();
    }

    @Test
    void anErrorThrownByAHookStillRunsBeforeTerminateAndCleanupAndSaysWhy() throws Exception {
        PatternPrimitive primitive = pattern();
        primitive.logSamples = false;
        RecordingCallback callback = new RecordingCallback(primitive.events) {
            @Override
            public io.jdamon.api.CallbackResult afterAggregation(io.jdamon.api.ContextView ctx) {
                throw new OutOfMemoryError("test: no heap left in afterAggregation");
            }
        };
        callback.logSamples = false;
        KdamondContext ctx = context("error", primitive);
        ctx.addCallback("greedy", callback);
        engine.start(List.of(ctx));
        assertThat(ctx.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(primitive.events).endsWith("beforeTerminate", "cleanup");
        assertThat(ctx.status().stopReason()).contains(StopReason.PLUGIN_FAILED);
        assertThat(ctx.status().detail()).contains("callback 'greedy'", "afterAggregation", "OutOfMemoryError");
        assertThat(ctx.hookStamp().enteredNanos()).isZero();
    }

    @Test
    void aPrimitiveWhoseMinRegionSizeIsGarbageFailsItsRunWithAMessage() throws Exception {
        PatternPrimitive primitive = new PatternPrimitive(1000 * PAGE, 0, 100 * PAGE) {
            @Override
            public long minRegionSize() {
                return 0; // once a division by zero on the kdamond
            }
        };
        KdamondContext ctx = context("zero-size", primitive);
        engine.start(List.of(ctx));
        assertThat(ctx.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ctx.status().stopReason()).contains(StopReason.PLUGIN_FAILED);
        assertThat(ctx.status().detail()).contains("minRegionSize", "returned 0", "positive");
        assertThat(primitive.cleanedUp).isTrue();
    }

    @Test
    void aPrimitiveThatSetsNoRangesIsReportedAndTheContextWaitsForUpdate() throws Exception {
        PatternPrimitive primitive = new PatternPrimitive(1000 * PAGE, 0, 100 * PAGE) {
            volatile boolean provide;

            @Override
            public void init(io.jdamon.api.PrimitiveContext ctx) {
                events.add("init"); // sets no ranges
            }

            @Override
            public void update(io.jdamon.api.PrimitiveContext ctx) {
                if (provide) {
                    ctx.target(0).updateRegions(0, sizeBytes); // the process mapped its memory
                }
            }

            @Override
            public boolean targetValid(io.jdamon.api.MonitoringTarget target) {
                provide = target.regionCount() == 0 && samplesSeen++ > 30;
                return true;
            }

            int samplesSeen;
        };
        primitive.logSamples = false;
        KdamondContext ctx = context("empty", primitive);
        engine.start(List.of(ctx));
        Await.until("the status says there is nothing to monitor",
                () -> ctx.status().detail().contains("no regions to monitor"));
        assertThat(ctx.status().detail()).contains("primitive 'pattern'", "set no address ranges in init",
                "waiting for its update", "initRegions");
        assertThat(ctx.isRunning()).isTrue();
        Await.until("update provides ranges", () -> ctx.status().regions() > 0);
        Await.until("the warning is gone", () -> !ctx.status().detail().contains("no regions"));
        assertThat(ctx.isRunning()).isTrue();
    }

    @Test
    void callbacksJoinAndLeaveARunningContext() throws Exception {
        PatternPrimitive primitive = pattern();
        primitive.logSamples = false;
        KdamondContext ctx = context("dynamic", primitive);
        engine.start(List.of(ctx));
        Await.until("sampling", () -> ctx.status().samples() > 2);

        List<String> events = new CopyOnWriteArrayList<>();
        RecordingCallback late = new RecordingCallback(events);
        late.logSamples = false;
        ctx.addCallback("late", late);
        Await.until("the late callback sees an aggregation", () -> late.aggregations.size() >= 1);
        assertThat(events.get(0)).isEqualTo("beforeStart");
        assertThat(late.thread).startsWith("kdamond.");

        assertThat(ctx.removeCallback(late)).isTrue();
        Await.until("the late callback is told it left", () -> events.contains("beforeTerminate"));
        int seen = late.aggregations.size();
        long aggregations = ctx.status().aggregations();
        Await.until("two more aggregations", () -> ctx.status().aggregations() > aggregations + 2);
        assertThat(late.aggregations).hasSize(seen);
        assertThat(ctx.isRunning()).isTrue();
    }

    @Test
    void targetsAreCheckedBeforeAnyMonitoringStarts() {
        Primitive picky = new Primitive() {
            @Override
            public void checkTarget(String spec) {
                throw new InvalidTargetException(spec, "no process " + spec + "; check the PID");
            }
        };
        assertThatThrownBy(() -> engine.newContext(ContextDefinition.of("x", "picky", "pid=999999"), picky))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("pid=999999");
        assertThat(engine.contexts()).isEmpty();
    }

    @Test
    void contextNamesAreUniqueAndWaitingContextsCannotStart() throws Exception {
        context("dup", pattern());
        assertThatThrownBy(() -> context("dup", pattern())).hasMessageContaining("exists already");

        KdamondContext waiting = engine.newWaitingContext(ContextDefinition.of("waits", "sim", "stairs"));
        assertThat(waiting.status().state()).isEqualTo(ContextState.WAITING);
        assertThat(waiting.status().detail()).contains("sim");
        assertThatThrownBy(() -> engine.start(List.of(waiting))).isInstanceOf(IllegalStateException.class);

        waiting.bindPrimitive(pattern());
        assertThat(waiting.status().state()).isEqualTo(ContextState.READY);
        engine.start(List.of(waiting), StartMode.SHARED);
        waiting.unbindPrimitive();
        assertThat(waiting.isRunning()).isFalse();
        assertThat(waiting.status().state()).isEqualTo(ContextState.WAITING);
    }

    @Test
    void anInterruptedDisposeStillFreesTheNameAndTheThreadEnds() throws Exception {
        KdamondContext ctx = context("interrupted", pattern());
        engine.start(List.of(ctx));
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> engine.dispose(ctx)).isInstanceOf(InterruptedException.class);
        assertThat(engine.context("interrupted")).isEmpty();
        assertThat(ctx.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ctx.status().stopReason()).contains(StopReason.STOP_REQUESTED);
        context("interrupted", pattern()); // the name can be used again
    }
}
