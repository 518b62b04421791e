package io.jdamon.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.report.internal.ReportCommand;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.MonitoringTarget;
import io.jdamon.api.Primitive;
import io.jdamon.api.PrimitiveContext;
import io.jdamon.api.StartMode;
import io.jdamon.core.internal.DamonEngine;
import io.jdamon.record.RecordReader;
import io.jdamon.record.RecordingCallback;

/** A real engine run, recorded, then reported: the known pattern shows up in every report. */
class RecordedRunReportTest {

    static final long BASE = 0x1000_0000L;
    static final long SIZE = 64L << 20;

    /** Addresses in the lower quarter are accessed at every sample; the rest never. */
    static final class HotQuarter implements Primitive {
        @Override
        public Map<String, String> describe(PrimitiveContext ctx) {
            return Map.of("sensor", "hot-quarter");
        }

        @Override
        public void init(PrimitiveContext ctx) {
            ctx.target(0).initRegions(BASE, BASE + SIZE);
        }

        @Override
        public void checkAccesses(PrimitiveContext ctx) {
            MonitoringTarget t = ctx.target(0);
            for (int i = 0; i < t.regionCount(); i++) {
                if (t.samplingAddress(i) < BASE + SIZE / 4) {
                    t.markAccessed(i);
                }
            }
        }
    }

    @TempDir
    Path dir;

    @Test
    void heatmapWssAndAccessOfARecordedRun() throws Exception {
        Path file = dir.resolve("damon.data");
        DamonEngine engine = new DamonEngine();
        MonitoringContext ctx = engine.newContext(new ContextDefinition("quarter", "hot-quarter", List.of("q"),
                new MonitoringAttributes(1_000, 20_000, 1_000_000, 10, 200)), new HotQuarter());
        ctx.addCallback("record", new RecordingCallback(file, false));
        engine.start(List.of(ctx), StartMode.SHARED);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ctx.status().aggregations() < 30 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        engine.stop(List.of(ctx));
        assertThat(RecordReader.read(file).aggregations(0)).hasSizeGreaterThanOrEqualTo(30);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        ReportCommand cmd = new ReportCommand();

        // skip the first rows: the regions need a few aggregations to split along the edge
        assertThat(cmd.run(new String[] {"heatmap", "-i", file.toString(), "--resol", "10x8"}, o, e)).isZero();
        String[] rows = out.toString(StandardCharsets.UTF_8).split("\n");
        for (int r = 5; r < 10; r++) {
            assertThat(rows[r]).as("row %d of\n%s", r, out).hasSize(8);
            assertThat(rows[r].charAt(0)).as("hot lower quarter, row %d", r).isGreaterThanOrEqualTo('7');
            assertThat(rows[r].substring(3)).as("cold rest, row %d", r).matches("[01]+");
        }

        out.reset();
        assertThat(cmd.run(new String[] {"wss", "-i", file.toString(), "--raw", "--percentiles", "50"}, o, e))
                .isZero();
        long p50 = Long.parseLong(out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith(" 50"))
                .findFirst().orElseThrow().trim().split("\\s+")[1]);
        // the working set is the hot quarter (16 MiB), give or take a region that straddles the edge
        assertThat(p50).isBetween(SIZE / 4 - SIZE / 10, SIZE / 4 + SIZE / 10);

        out.reset();
        assertThat(cmd.run(new String[] {"access", "-i", file.toString()}, o, e)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("target 0 (q)").contains("100.0 %")
                .contains("0.0 %");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
