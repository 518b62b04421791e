package io.jdamon.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextView;
import io.jdamon.api.ContextState;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.StartMode;
import io.jdamon.api.StopReason;
import io.jdamon.api.TargetView;
import io.jdamon.core.internal.DamonEngine;

/** The recorder driven by the real kdamond engine. */
class RecordingCallbackTest {

    private static final MonitoringAttributes FAST = new MonitoringAttributes(1_000, 20_000, 1_000_000, 10, 100);

    @TempDir
    Path dir;

    private final DamonEngine engine = new DamonEngine();

    @AfterEach
    void disposeContexts() throws Exception {
        for (MonitoringContext c : engine.contexts()) {
            engine.dispose(c);
        }
    }

    @Test
    void recordsEveryAggregationOfARealRunAndReadsItBack() throws Exception {
        Path file = dir.resolve("damon.data");
        RecordingCallback recorder = new RecordingCallback(file, true); // also exercises the fdatasync path
        MonitoringContext ctx = engine.newContext(
                new ContextDefinition("rec", "hot-half", List.of("t0", "t1"), FAST), new HotHalfPrimitive());
        ctx.addCallback("record", recorder);
        engine.start(List.of(ctx), StartMode.SHARED);
        awaitAggregations(ctx, 15);
        // readable while being written
        Recording live = RecordReader.read(file);
        assertThat(live.aggregations()).isNotEmpty();
        engine.stop(List.of(ctx));

        Recording rec = RecordReader.read(file);
        assertThat(rec.complete()).isTrue();
        assertThat(recorder.lastError()).isEmpty();
        assertThat(rec.records()).hasSize(2);
        assertThat(rec.contextName()).isEqualTo("rec");
        assertThat(rec.primitiveName()).isEqualTo("hot-half");
        assertThat(rec.primitiveProperties()).containsEntry("sensor", "hot-half");
        assertThat(rec.records().get(1).targetSpec()).isEqualTo("t1");
        assertThat(rec.records().get(0).kdamondIdx()).isGreaterThanOrEqualTo(0);
        assertThat(rec.records().get(0).sampleIntervalUs()).isEqualTo(1_000);
        assertThat(rec.records().get(0).aggregationIntervalUs()).isEqualTo(20_000);

        List<AggregationSnapshot> all = rec.aggregations();
        long written = recorder.snapshotsWritten();
        assertThat(all).hasSize((int) written);
        assertThat(written).isEqualTo(ctx.status().aggregations());
        AggregationSnapshot lastRecorded = all.get(all.size() - 1);
        AggregationSnapshot lastEngine = ctx.lastAggregation().orElseThrow();
        assertThat(lastRecorded.aggregationIndex()).isEqualTo(lastEngine.aggregationIndex());
        for (int t = 0; t < 2; t++) {
            // the engine's own snapshot of the same aggregation has the same regions
            assertThat(lastRecorded.targets().get(t).regions()).isEqualTo(lastEngine.targets().get(t).regions());
        }
        AggregationSnapshot previous = null;
        for (int a = 0; a < all.size(); a++) {
            AggregationSnapshot s = all.get(a);
            assertThat(s.aggregationIndex()).isEqualTo(a);
            assertThat(s.endNanos()).isGreaterThan(s.startNanos());
            if (previous != null) {
                // an interval starts where the engine ended the previous one; the recorded end is
                // taken when the recorder runs, at or just after that
                assertThat(s.startNanos()).isGreaterThan(previous.startNanos()).isLessThanOrEqualTo(previous.endNanos());
                assertThat(s.endNanos()).isGreaterThan(previous.endNanos());
            }
            previous = s;
            for (var target : s.targets()) {
                long covered = 0;
                for (RegionSnapshot r : target.regions()) {
                    covered += r.size();
                    assertThat(r.nrAccesses()).isBetween(0, 20);
                }
                assertThat(covered).isEqualTo(HotHalfPrimitive.SIZE);
            }
        }
        // the pattern is visible: the lower half is hot, the upper half cold
        AggregationSnapshot late = all.get(all.size() - 1);
        for (RegionSnapshot r : late.targets().get(0).regions()) {
            if (r.end() <= HotHalfPrimitive.BASE + HotHalfPrimitive.SIZE / 2) {
                assertThat(r.nrAccesses()).as("hot region %s", r).isGreaterThan(0);
            } else if (r.start() >= HotHalfPrimitive.BASE + HotHalfPrimitive.SIZE / 2) {
                assertThat(r.nrAccesses()).as("cold region %s", r).isZero();
            }
        }
    }

    @Test
    void aDeviceIsRefusedAndStopsOnlyTheRecordedContext() throws Exception {
        RecordingCallback full = new RecordingCallback(Path.of("/dev/full"));
        MonitoringContext recorded = engine.newContext(
                new ContextDefinition("full", "hot-half", List.of("t"), FAST), new HotHalfPrimitive());
        recorded.addCallback("record", full);
        MonitoringContext bystander = engine.newContext(
                new ContextDefinition("other", "hot-half", List.of("t"), FAST), new HotHalfPrimitive());
        engine.start(List.of(recorded, bystander), StartMode.SHARED);
        assertThat(recorded.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(recorded.status().stopReason()).contains(StopReason.CALLBACK_REQUESTED);
        assertThat(full.lastError()).hasValueSatisfying(m -> assertThat(m)
                .contains("/dev/full").contains("not a regular file (a character device)").contains("-o FILE"));
        assertThat(bystander.isRunning()).isTrue();
        awaitAggregations(bystander, 3);
        assertThat(bystander.status().state()).isEqualTo(ContextState.RUNNING);
        engine.stop(List.of(bystander));
    }

    @Test
    void unwritablePathStopsTheContextAndNamesTheFix() throws Exception {
        Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
        RecordingCallback bad = new RecordingCallback(notADir.resolve("damon.data"));
        MonitoringContext ctx = engine.newContext(
                new ContextDefinition("bad", "hot-half", List.of("t"), FAST), new HotHalfPrimitive());
        ctx.addCallback("record", bad);
        engine.start(List.of(ctx), StartMode.SHARED);
        assertThat(ctx.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ctx.status().stopReason()).contains(StopReason.CALLBACK_REQUESTED);
        assertThat(bad.lastError()).hasValueSatisfying(m -> assertThat(m)
                .contains(notADir.resolve("damon.data").toString())
                .contains("not a directory").contains("-o FILE"));

        RecordingCallback missingDir = new RecordingCallback(dir.resolve("no/such/dir/damon.data"));
        MonitoringContext ctx2 = engine.newContext(
                new ContextDefinition("bad2", "hot-half", List.of("t"), FAST), new HotHalfPrimitive());
        ctx2.addCallback("record", missingDir);
        engine.start(List.of(ctx2), StartMode.SHARED);
        assertThat(ctx2.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(missingDir.lastError()).hasValueSatisfying(m -> assertThat(m)
                .contains("does not exist; create it or write elsewhere with -o FILE"));
    }

    @Test
    void oneRecorderForTwoContextsWritesTwoFiles() throws Exception {
        Path file = dir.resolve("run-{context}.data");
        RecordingCallback recorder = new RecordingCallback(file, false);
        MonitoringContext a = engine.newContext(new ContextDefinition("a", "hot-half", List.of("t"), FAST),
                new HotHalfPrimitive());
        MonitoringContext b = engine.newContext(new ContextDefinition("b", "hot-half", List.of("t"), FAST),
                new HotHalfPrimitive());
        a.addCallback("record", recorder);
        b.addCallback("record", recorder);
        engine.start(List.of(a, b), StartMode.SHARED);
        awaitAggregations(a, 3);
        awaitAggregations(b, 3);
        engine.stop(List.of(a, b));
        assertThat(RecordReader.read(dir.resolve("run-a.data")).contextName()).isEqualTo("a");
        assertThat(RecordReader.read(dir.resolve("run-b.data")).contextName()).isEqualTo("b");
        assertThat(RecordReader.read(dir.resolve("run-b.data")).aggregations()).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void aRestartedContextKeepsThePreviousRunsFileUnderAFreeName() throws Exception {
        Path file = dir.resolve("restarted.data");
        RecordingCallback recorder = new RecordingCallback(file);
        MonitoringContext ctx = engine.newContext(
                new ContextDefinition("restarted", "hot-half", List.of("t"), FAST), new HotHalfPrimitive());
        ctx.addCallback("record", recorder);
        engine.start(List.of(ctx), StartMode.SHARED);
        awaitAggregations(ctx, 4);
        engine.stop(List.of(ctx));
        int firstRun = RecordReader.read(file).aggregations().size();
        assertThat(firstRun).isGreaterThanOrEqualTo(4);
        assertThat(recorder.lastMovedAside()).isEmpty();

        // the same recorder sees the context start again (its primitive returned, its targets were edited)
        engine.start(List.of(ctx), StartMode.SHARED);
        awaitAggregations(ctx, 2);
        engine.stop(List.of(ctx));
        Path old = dir.resolve("restarted.data.old");
        assertThat(recorder.lastMovedAside()).contains(old.toAbsolutePath());
        Recording previous = RecordReader.read(old);
        assertThat(previous.complete()).isTrue();
        assertThat(previous.aggregations()).hasSize(firstRun);
        assertThat(RecordReader.read(file).aggregations()).hasSizeGreaterThanOrEqualTo(2);

        engine.start(List.of(ctx), StartMode.SHARED);
        awaitAggregations(ctx, 1);
        engine.stop(List.of(ctx));
        assertThat(recorder.lastMovedAside()).contains(dir.resolve("restarted.data.old.1").toAbsolutePath());
        assertThat(RecordReader.read(old).aggregations()).hasSize(firstRun);
    }

    @Test
    void closingTheRecorderWhileItsContextRunsFinishesTheFileAndKeepsTheContextRunning() throws Exception {
        Path file = dir.resolve("retired.data");
        RecordingCallback recorder = new RecordingCallback(file);
        MonitoringContext ctx = engine.newContext(
                new ContextDefinition("retired", "hot-half", List.of("t"), FAST), new HotHalfPrimitive());
        ctx.addCallback("record", recorder);
        engine.start(List.of(ctx), StartMode.SHARED);
        awaitAggregations(ctx, 5);
        recorder.close(); // as the DS component does when its configuration is deleted
        long atClose = ctx.status().aggregations();
        awaitAggregations(ctx, atClose + 5);
        assertThat(ctx.isRunning()).isTrue();
        assertThat(recorder.lastError()).isEmpty();
        Recording rec = RecordReader.read(file);
        assertThat(rec.complete()).isTrue();
        assertThat(rec.aggregations().size()).isBetween(5, (int) atClose + 1);
        engine.stop(List.of(ctx));
        assertThat(RecordReader.read(file).aggregations()).hasSameSizeAs(rec.aggregations());
    }

    @Test
    void aContextStartingWhileTheRecorderIsClosedOpensNoFile() throws Exception {
        Path file = dir.resolve("late.data");
        RecordingCallback recorder = new RecordingCallback(file);
        // the owner retires the recorder just as a context starts: close() runs, on another thread, while
        // beforeStart is between its first look at the context and creating the file
        java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
        ContextView ctx = (ContextView) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ContextView.class}, (p, m, args) -> switch (m.getName()) {
                    case "name" -> {
                        if (closing.compareAndSet(false, true)) {
                            Thread closer = new Thread(recorder::close);
                            closer.start();
                            closer.join(10_000);
                            assertThat(closer.isAlive()).as("close() finished").isFalse();
                        }
                        yield "late";
                    }
                    case "primitiveName" -> "hot-half";
                    case "primitiveProperties" -> java.util.Map.of();
                    case "attributes" -> FAST;
                    case "targetCount" -> 1;
                    case "target" -> java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                            new Class<?>[] {TargetView.class}, (tp, tm, targs) -> switch (tm.getName()) {
                                case "spec" -> "t";
                                case "regionCount" -> 0;
                                default -> throw new UnsupportedOperationException(tm.getName());
                            });
                    default -> 0L;
                });
        assertThat(recorder.beforeStart(ctx)).isEqualTo(CallbackResult.CONTINUE);
        assertThat(closing).isTrue();
        // a writer opened after close() would stay open, and keep writing, until the context ends
        assertThat(file).doesNotExist();
        assertThat(recorder.afterAggregation(ctx)).isEqualTo(CallbackResult.CONTINUE);
        assertThat(file).doesNotExist();
        assertThat(recorder.snapshotsWritten()).isZero();
    }

    @Test
    void onlineIntervalChangesAreRecordedPerSnapshot() throws Exception {
        Path file = dir.resolve("retuned.data");
        MonitoringContext ctx = engine.newContext(
                new ContextDefinition("retuned", "hot-half", List.of("t"), FAST), new HotHalfPrimitive());
        ctx.addCallback("record", new RecordingCallback(file));
        engine.start(List.of(ctx), StartMode.SHARED);
        awaitAggregations(ctx, 3);
        ctx.updateAttributes(FAST.withAggregationIntervalUs(40_000));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ctx.lastAggregation().map(AggregationSnapshot::aggregationIntervalUs).orElse(0L) != 40_000
                || ctx.status().aggregations() < 8) {
            assertThat(System.nanoTime()).as("the new interval takes effect").isLessThan(deadline);
            Thread.sleep(5);
        }
        engine.stop(List.of(ctx));
        Recording rec = RecordReader.read(file);
        List<AggregationSnapshot> all = rec.aggregations();
        // the file says the samples taken and the time that really elapsed (the first spans start-up)
        RecordedSnapshot first = rec.records().get(0).snapshots().get(0);
        assertThat(first.samplesTaken()).isEqualTo(20);
        assertThat(first.aggregationIntervalUs()).isEqualTo((first.endNanos() - first.startNanos()) / 1000);
        assertThat(all.get(0).samplesPerAggregation()).isEqualTo(20);
        AggregationSnapshot last = all.get(all.size() - 1);
        RecordedSnapshot lastRecorded = rec.records().get(0).snapshots().get(all.size() - 1);
        assertThat(lastRecorded.samplesTaken()).isEqualTo(40);
        assertThat(lastRecorded.aggregationIntervalUs())
                .isEqualTo((lastRecorded.endNanos() - lastRecorded.startNanos()) / 1000);
        assertThat(last.samplesPerAggregation()).isEqualTo(40);
        // hot regions now reach counts above the old maximum of 20
        assertThat(last.targets().get(0).regions().stream().mapToInt(RegionSnapshot::nrAccesses).max().orElse(0))
                .isGreaterThan(20);
    }

    /** Waits (up to 20 s) for {@code n} aggregations of a running context; fails if it stops first. */
    static void awaitAggregations(MonitoringContext ctx, long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ctx.status().aggregations() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("context " + ctx.name() + " made only " + ctx.status().aggregations()
                        + " aggregations in 20 s: " + ctx.status());
            }
            if (!ctx.isRunning()) {
                throw new AssertionError("context " + ctx.name() + " stopped: " + ctx.status());
            }
            Thread.sleep(5);
        }
    }
}
