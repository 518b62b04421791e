package io.jdamon.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.StartMode;
import io.jdamon.core.internal.DamonEngine;

/**
 * Issue 14: damo 3.3.0 itself on jdamon's files, and jdamon on every format
 * damo writes (made by damo's own convert_record_format and adjust). Skipped,
 * with the reason, where damo or python3 is missing.
 */
class DamoParityTest {

    @TempDir
    Path dir;

    @BeforeEach
    void needsDamo() {
        Damo.assumeAvailable();
    }

    private Path written(String name, int targets, int aggregations, int regions, RecordFormat format)
            throws Exception {
        Path file = dir.resolve(name);
        try (RecordWriter w = RecordWriter.create(file, Snapshots.header("ctx", targets), false, format)) {
            for (int a = 0; a < aggregations; a++) {
                w.append(Snapshots.aggregation(a, targets, regions));
            }
        }
        return file;
    }

    @Test
    void damoValidatePassesOnFreshRecordsInBothFormats() throws Exception {
        for (RecordFormat f : RecordFormat.values()) {
            for (int targets : new int[] {1, 2}) {
                Path file = written("v" + targets + f.damoName() + ".data", targets, 30, 10, f);
                Damo.Run v = Damo.exec("validate", "-i", file.toString());
                assertThat(v.exit()).as("damo validate %s: %s", file.getFileName(), v.output()).isZero();
            }
        }
    }

    @Test
    void damoValidatePassesOnARealRunsRecord() throws Exception {
        DamonEngine engine = new DamonEngine();
        Path file = dir.resolve("real.data");
        MonitoringAttributes attrs = new MonitoringAttributes(1_000, 20_000, 1_000_000, 10, 100);
        RecordingCallback recorder = new RecordingCallback(file, false, RecordFormat.JSON_COMPRESSED);
        MonitoringContext ctx = engine.newContext(new ContextDefinition("real", "hot-half", List.of("a", "b"), attrs),
                new HotHalfPrimitive());
        try {
            ctx.addCallback("record", recorder);
            engine.start(List.of(ctx), StartMode.SHARED);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (ctx.status().aggregations() < 12 && System.nanoTime() < deadline && ctx.isRunning()) {
                Thread.sleep(5);
            }
            engine.stop(List.of(ctx));
        } finally {
            engine.dispose(ctx);
        }
        assertThat(recorder.lastError()).isEmpty();
        assertThat(RecordReader.isZlib(Files.readAllBytes(file))).isTrue();
        // the intervals written are the ones that happened: on 2 busy shared cores an aggregation of 20 ms
        // may take longer, so the range damo checks is wide; regions, counts and layout are checked as damo does
        Damo.Run v = Damo.exec("validate", "-i", file.toString(), "--aggr", "10000", "2000000", "--nr_regions", "1",
                "100", "--nr_accesses", "0", "20");
        assertThat(v.exit()).as("damo validate: %s", v.output()).isZero();
        assertThat(Damo.snapshotsSeen(file)).isEqualTo(RecordReader.read(file).snapshotCount());
    }

    @Test
    void damoReadsACompressedRecordAbove7MB() throws Exception {
        Path file = written("big.data", 1, 60, 1000, RecordFormat.JSON_COMPRESSED);
        Path plain = dir.resolve("big.json");
        RecordConvert.convert(file, plain, RecordFormat.JSON);
        assertThat(Files.size(plain)).as("the plain JSON's size").isGreaterThan(7_000_000L);
        assertThat(Damo.snapshotsSeen(file)).isEqualTo(60);
    }

    @Test
    void jdamonReadsEveryFormatDamosConvertAndAdjustWrite() throws Exception {
        Path original = written("orig.data", 2, 25, 6, RecordFormat.JSON);
        Recording expected = RecordReader.read(original);
        int adjustedByDamo = -1; // what damo reads of its own adjusted json (damo reads no perf_script it wrote)
        for (String format : List.of("json", "json_compressed", "perf_script")) {
            Path converted = dir.resolve("converted." + format);
            Damo.Run c = Damo.exec("convert_record_format", "--record_file", original.toString(), "--format", format,
                    "--output_file", converted.toString());
            assertThat(c.exit()).as("damo convert_record_format: %s", c.output()).isZero();
            if (format.equals("json")) {
                assertThat(Files.readString(converted)).as("damo writes ages as strings with units")
                        .contains("\"usec\": \"");
            }
            Recording got = RecordReader.read(converted);
            assertThat(got.complete()).isTrue();
            assertThat(got.records()).hasSize(2);
            for (int t = 0; t < 2; t++) {
                List<RecordedSnapshot> want = expected.records().get(t).snapshots();
                List<RecordedSnapshot> have = got.records().get(t).snapshots();
                assertThat(have).as("%s target %d", format, t).hasSize(want.size());
                for (int s = 0; s < want.size(); s++) {
                    assertThat(have.get(s).regions()).as("%s target %d snapshot %d", format, t, s)
                            .isEqualTo(want.get(s).regions());
                    assertThat(have.get(s).endNanos()).isEqualTo(want.get(s).endNanos());
                }
            }

            Path adjusted = dir.resolve("adjusted." + format);
            Damo.Run a = Damo.exec("adjust", "-i", original.toString(), "-o", adjusted.toString(), "--output_type",
                    format, "--skip", "0", "--aggregate_interval", "200000");
            assertThat(a.exit()).as("damo adjust: %s", a.output()).isZero();
            Recording adj = RecordReader.read(adjusted);
            if (adjustedByDamo < 0) {
                adjustedByDamo = Damo.snapshotsSeen(adjusted);
            }
            assertThat(adj.snapshotCount()).as("adjusted %s: what damo itself reads", format)
                    .isEqualTo(adjustedByDamo);
            assertThat(adj.snapshotCount()).isGreaterThan(0).isLessThan(expected.snapshotCount());
            for (TargetRecord r : adj.records()) {
                for (RecordedSnapshot s : r.snapshots()) {
                    long bytes = 0;
                    for (RegionSnapshot reg : s.regions()) {
                        bytes += reg.size();
                    }
                    assertThat(bytes).as("adjusted %s keeps the address space", format).isEqualTo(6 * Snapshots.REGION);
                }
            }
        }
    }
}
