package io.jdamon.record;

import java.nio.file.Path;
import java.util.List;

import io.jdamon.api.Callback;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextView;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.StartMode;
import io.jdamon.core.internal.DamonEngine;

/**
 * The process {@link KillNineTest} kills: records until killed, printing
 * {@code done N} once aggregation N is written.
 *
 * <p>{@code engine FILE}: a real engine run recorded by {@link RecordingCallback};
 * {@code writer FILE}: {@link RecordWriter} appending large snapshots as fast as it can;
 * {@code compressed FILE}: the same with {@link RecordFormat#JSON_COMPRESSED};
 * {@code hold FILE}: a two-target {@link RecordWriter} that appends three aggregations, prints
 * {@code done 2} and then keeps the file open (and locked) until killed;
 * {@code try FILE}: tries to create a record file there once and prints {@code created} or
 * {@code refused: MESSAGE}.
 */
public final class KillNineChild {

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[1]);
        if (args[0].equals("try")) {
            try (RecordWriter w = RecordWriter.create(file, Snapshots.header("other", 1), false)) {
                System.out.println("created");
            } catch (OutputFiles.OutputRefusedException e) {
                System.out.println("refused: " + e.getMessage());
            }
            return;
        }
        if (args[0].equals("hold")) {
            RecordWriter w = RecordWriter.create(file, Snapshots.header("ctx", 2), false);
            for (long a = 0; a < 3; a++) {
                w.append(Snapshots.aggregation(a, 2, 50));
            }
            System.out.println("done 2");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
        if (args[0].equals("writer") || args[0].equals("compressed")) {
            RecordFormat format = args[0].equals("compressed") ? RecordFormat.JSON_COMPRESSED : RecordFormat.JSON;
            try (RecordWriter w = RecordWriter.create(file, Snapshots.header("ctx", 1), false, format)) {
                for (long a = 0;; a++) {
                    w.append(Snapshots.aggregation(a, 1, 2_000));
                    System.out.println("done " + a);
                }
            }
        }
        RecordingCallback recorder = new RecordingCallback(file);
        Callback reporting = new Callback() {
            @Override
            public CallbackResult beforeStart(ContextView ctx) {
                return recorder.beforeStart(ctx);
            }

            @Override
            public CallbackResult afterAggregation(ContextView ctx) {
                CallbackResult r = recorder.afterAggregation(ctx);
                System.out.println("done " + ctx.aggregationsPassed());
                return r;
            }

            @Override
            public CallbackResult beforeTerminate(ContextView ctx) {
                return recorder.beforeTerminate(ctx);
            }
        };
        DamonEngine engine = new DamonEngine();
        MonitoringContext ctx = engine.newContext(new ContextDefinition("victim", "hot-half", List.of("t"),
                new MonitoringAttributes(500, 5_000, 1_000_000, 10, 1_000)), new HotHalfPrimitive());
        ctx.addCallback("record", reporting);
        engine.start(List.of(ctx), StartMode.SHARED);
        ctx.awaitTermination(1, java.util.concurrent.TimeUnit.HOURS);
    }
}
