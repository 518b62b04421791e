package io.jdamon.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.api.RegionSnapshot;

/**
 * Issue 14 points 1 and 2 without damo: the json_compressed output, the
 * conversion, damo's perf-script text and every form of number damo writes.
 * (DamoParityTest runs damo itself on the same formats.)
 */
class RecordFormatsTest {

    @TempDir
    Path dir;

    @Test
    void aCompressedRecordIsPlainJsonWhileWrittenAndZlibOnceClosed() throws Exception {
        for (int targets : new int[] {1, 2}) {
            Path file = dir.resolve("c" + targets + ".data");
            try (RecordWriter w = RecordWriter.create(file, Snapshots.header("ctx", targets), false,
                    RecordFormat.JSON_COMPRESSED)) {
                for (int a = 0; a < 4; a++) {
                    w.append(Snapshots.aggregation(a, targets, 5));
                }
                // what a kill -9 leaves: plain JSON, read as it is
                assertThat(Files.readAllBytes(file)[0]).isEqualTo((byte) '[');
                assertThat(RecordReader.read(file).aggregations()).hasSize(4);
            }
            byte[] closed = Files.readAllBytes(file);
            assertThat(RecordReader.isZlib(closed)).as("zlib header of %s", file).isTrue();
            Recording rec = RecordReader.read(file);
            assertThat(rec.complete()).isTrue();
            assertThat(rec.needsRepair()).isFalse();
            assertThat(rec.records()).hasSize(targets);
            for (int a = 0; a < 4; a++) {
                for (int t = 0; t < targets; t++) {
                    assertThat(rec.aggregations().get(a).targets().get(t).regions())
                            .isEqualTo(Snapshots.aggregation(a, targets, 5).targets().get(t).regions());
                }
            }
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactlyInAnyOrder("c1.data", "c2.data");
        }
    }

    @Test
    void aRecorderConfiguredForJsonCompressedWritesIt() {
        assertThat(RecordFormat.of(" JSON_compressed ")).isEqualTo(RecordFormat.JSON_COMPRESSED);
        assertThat(RecordFormat.of("json")).isEqualTo(RecordFormat.JSON);
        assertThatThrownBy(() -> RecordFormat.of("yaml")).hasMessageContaining("unknown record output type 'yaml'")
                .hasMessageContaining("json_compressed");
        assertThatThrownBy(() -> RecordFormat.of("perf_script")).hasMessageContaining("writes only JSON");
        assertThat(new RecordingCallback(dir.resolve("x"), false, RecordFormat.JSON_COMPRESSED).format())
                .isEqualTo(RecordFormat.JSON_COMPRESSED);
    }

    @Test
    void convertReencodesJsonByteForByteBothWaysAndInPlace() throws Exception {
        Path plain = dir.resolve("plain.data");
        try (RecordWriter w = RecordWriter.create(plain, Snapshots.header("ctx", 1), false)) {
            for (int a = 0; a < 3; a++) {
                w.append(Snapshots.aggregation(a, 1, 4));
            }
        }
        byte[] original = Files.readAllBytes(plain);
        Path packed = dir.resolve("packed.data");
        RecordConvert.Result r = RecordConvert.convert(plain, packed, RecordFormat.JSON_COMPRESSED);
        assertThat(r.rewritten()).isFalse();
        assertThat(r.snapshots()).isEqualTo(3);
        assertThat(RecordReader.isZlib(Files.readAllBytes(packed))).isTrue();
        Path back = dir.resolve("back.data");
        RecordConvert.convert(packed, back, RecordFormat.JSON);
        assertThat(Files.readAllBytes(back)).isEqualTo(original);

        // in place, as damo's convert_record_format does without --output_file
        RecordConvert.convert(back, back, RecordFormat.JSON_COMPRESSED);
        assertThat(Files.readAllBytes(back)).isEqualTo(Files.readAllBytes(packed));

        // an existing output is moved aside, never overwritten
        Files.writeString(dir.resolve("taken.data"), "mine");
        RecordConvert.Result kept = RecordConvert.convert(plain, dir.resolve("taken.data"), RecordFormat.JSON);
        assertThat(kept.movedAside()).isEqualTo(dir.resolve("taken.data.old"));
        assertThat(Files.readString(dir.resolve("taken.data.old"))).isEqualTo("mine");
        assertThat(Files.readAllBytes(dir.resolve("taken.data"))).isEqualTo(original);

        // a file being recorded is refused
        try (RecordWriter w = RecordWriter.create(dir.resolve("live.data"), Snapshots.header("ctx", 1), false)) {
            w.append(Snapshots.aggregation(0, 1, 2));
            assertThatThrownBy(() -> RecordConvert.convert(dir.resolve("live.data"), dir.resolve("o.data"),
                    RecordFormat.JSON_COMPRESSED)).hasMessageContaining("is being recorded by this process");
        }
        assertThat(Files.exists(dir.resolve("o.data"))).isFalse();
    }

    @Test
    void convertRewritesACutFileAndPerfScriptIntoWholeRecords() throws Exception {
        Path file = dir.resolve("cut.data");
        try (RecordWriter w = RecordWriter.create(file, Snapshots.header("ctx", 2), false)) {
            for (int a = 0; a < 3; a++) {
                w.append(Snapshots.aggregation(a, 2, 3));
            }
            byte[] running = Files.readAllBytes(file);
            Files.write(dir.resolve("killed.data"), java.util.Arrays.copyOf(running, running.length - 40));
        }
        Path out = dir.resolve("fixed.data");
        RecordConvert.Result r = RecordConvert.convert(dir.resolve("killed.data"), out, RecordFormat.JSON_COMPRESSED);
        assertThat(r.rewritten()).isTrue();
        Recording fixed = RecordReader.read(out);
        assertThat(fixed.needsRepair()).isFalse();
        assertThat(fixed.records()).hasSize(2);
        assertThat(fixed.aggregations().get(1).targets().get(1).regions())
                .isEqualTo(Snapshots.aggregation(1, 2, 3).targets().get(1).regions());

        Path perf = Files.writeString(dir.resolve("perf.txt"), PERF_SCRIPT);
        Path json = dir.resolve("perf.json");
        RecordConvert.convert(perf, json, RecordFormat.JSON);
        assertThat(Files.readString(json)).startsWith("[");
        assertThat(RecordReader.read(json).records().get(0).snapshots()).hasSize(2);
    }

    static final String PERF_SCRIPT = """
            kdamond.0  4452 [000] 82877.315633: damon:damon_aggregated: target_id=7 nr_regions=2 4096-8192: 3 12
            kdamond.0  4452 [000] 82877.315633: damon:damon_aggregated: target_id=7 nr_regions=2 8192-16384: 0 4
            kdamond.0  4452 [001] 82877.315640: damon:damon_aggregated: target_id=9 nr_regions=1 65536-131072: 5 1
            kdamond.0  4452 [000] 82877.415633: damon:damon_aggregated: target_id=7 nr_regions=2 4096-8192: 4 0
            kdamond.0  4452 [000] 82877.415633: damon:damon_aggregated: target_id=7 nr_regions=2 8192-16384: 1 5
            kdamond.x xxxx xxxx 82877.415640: damon:damon_aggregated: target_id=9 nr_regions=1 0-0: -1 -1
            """;

    @Test
    void readsDamosPerfScriptTextByContent() throws Exception {
        Path file = Files.writeString(dir.resolve("damon.data"), PERF_SCRIPT); // the name says nothing
        Recording rec = RecordReader.read(file);
        assertThat(rec.complete()).isTrue();
        assertThat(rec.records()).extracting(TargetRecord::targetId).containsExactly("7", "9");
        List<RecordedSnapshot> seven = rec.records().get(0).snapshots();
        assertThat(seven).hasSize(2);
        assertThat(seven.get(0).endNanos()).isEqualTo(82877315633000L);
        assertThat(seven.get(0).startNanos()).as("estimated from the next snapshot's length, as damo does")
                .isEqualTo(82877215633000L);
        assertThat(seven.get(1).startNanos()).isEqualTo(82877315633000L);
        assertThat(seven.get(0).regions()).containsExactly(new RegionSnapshot(4096, 8192, 3, 12),
                new RegionSnapshot(8192, 16384, 0, 4));
        assertThat(seven.get(1).regions()).containsExactly(new RegionSnapshot(4096, 8192, 4, 0),
                new RegionSnapshot(8192, 16384, 1, 5));
        // target 9: one snapshot and damo's fake one, which is dropped
        assertThat(rec.records().get(1).snapshots()).hasSize(1);
        assertThat(rec.records().get(1).snapshots().get(0).regions())
                .containsExactly(new RegionSnapshot(65536, 131072, 5, 1));

        // older kernels print no age; trace-cmd report prints the event without 'damon:'
        Path old = Files.writeString(dir.resolve("old.txt"),
                "kdamond.0-129062 [005] ..... 101005.778382: damon_aggregated:     target_id=0 nr_regions=1 "
                        + "8360624128-8371830784: 7\n");
        assertThat(RecordReader.read(old).records().get(0).snapshots().get(0).regions())
                .containsExactly(new RegionSnapshot(8360624128L, 8371830784L, 7, 0));

        // cut inside a snapshot: the complete ones are kept
        String cut = PERF_SCRIPT.substring(0, PERF_SCRIPT.indexOf("8192-16384: 1 5"));
        Recording partial = RecordReader.read(Files.writeString(dir.resolve("cut.txt"), cut));
        assertThat(partial.complete()).isFalse();
        assertThat(partial.records().get(0).snapshots()).hasSize(1);

        Path bad = Files.writeString(dir.resolve("bad.txt"),
                "kdamond.0 1 [0] 5.0: damon:damon_aggregated: target_id=0 nr_regions=1 4096-8192 3\n");
        assertThatThrownBy(() -> RecordReader.read(bad)).hasMessageContaining("line 1 is not a damon_aggregated event");
    }

    @Test
    void readsEveryFormOfNumberDamoWrites() throws Exception {
        // as damo's convert_record_format and adjust write regions (format_time_us_exact, format_nr), and a
        // DAMON_STAT-style record: null indexes and intervals, damo's own keys it alone reads
        String damo = """
                [{"kdamond_idx": null, "context_idx": null, "intervals": {"sample_us": "5 ms", "aggr_us": "100 ms",
                  "ops_update_us": "1 s", "intervals_goal": {"access_bp": "0 %", "aggrs": "0"}},
                  "scheme_idx": null, "target_id": null, "scheme_filters": [],
                  "snapshots": [
                   {"start_time": "1,000,000,000", "end_time": "1 s 100 ms", "regions": [
                     {"start": "4,096", "end": "8,192", "nr_accesses": {"samples": "12", "percent": null},
                      "age": {"usec": "1 s 200 ms", "aggr_intervals": null}, "sz_filter_passed": "0 B"},
                     {"start": 8192, "end": 12288, "nr_accesses": {"samples": null, "percent": "50 %"},
                      "age": {"usec": null, "aggr_intervals": "1,234"}},
                     {"start": 12288, "end": 16384, "nr_accesses": {"samples": 1, "percent": 5},
                      "age": {"usec": "1.500 ms", "aggr_intervals": null}}],
                    "total_bytes": "12.000 KiB", "damos_stats": null, "sample_interval_us": null}],
                  "data_source": "damon_stat"}]
                """;
        Path file = Files.writeString(dir.resolve("damo.json"), damo);
        Recording rec = RecordReader.read(file);
        TargetRecord r = rec.records().get(0);
        assertThat(r.kdamondIdx()).isEqualTo(-1);
        assertThat(r.targetId()).isEmpty();
        assertThat(r.sampleIntervalUs()).isEqualTo(5_000);
        assertThat(r.aggregationIntervalUs()).isEqualTo(100_000);
        assertThat(r.updateIntervalUs()).isEqualTo(1_000_000);
        RecordedSnapshot s = r.snapshots().get(0);
        assertThat(s.startNanos()).isEqualTo(1_000_000_000L);
        assertThat(s.endNanos()).isEqualTo(1_100_000_000L);
        assertThat(s.totalBytes()).isEqualTo(12_288);
        assertThat(s.regions()).containsExactly(new RegionSnapshot(4096, 8192, 12, 12),
                new RegionSnapshot(8192, 12288, 10, 1234), new RegionSnapshot(12288, 16384, 1, 0));

        Path bad = Files.writeString(dir.resolve("bad.json"), damo.replace("\"1 s 200 ms\"", "\"soon\""));
        assertThatThrownBy(() -> RecordReader.read(bad)).hasMessageContaining(
                "record 0 snapshot 0 region 0 age 'usec' is a string (soon), not a whole number nor a time such as '100 ms'");
    }

    @Test
    void streamingHandsOverEverySnapshotAndKeepsNone() throws Exception {
        Path file = dir.resolve("s.data");
        try (RecordWriter w = RecordWriter.create(file, Snapshots.header("ctx", 2), false)) {
            for (int a = 0; a < 3; a++) {
                w.append(Snapshots.aggregation(a, 2, 3));
            }
        }
        List<String> seen = new java.util.ArrayList<>();
        Recording headers = RecordReader.stream(file,
                (record, index, snapshot) -> seen.add(index + ":" + record.targetSpec() + ":" + snapshot.aggregationIndex()));
        assertThat(seen).containsExactly("0:spec-0:0", "0:spec-0:1", "0:spec-0:2", "1:spec-1:0", "1:spec-1:1",
                "1:spec-1:2");
        assertThat(headers.records()).hasSize(2).allSatisfy(t -> assertThat(t.snapshots()).isEmpty());
        assertThat(headers.complete()).isTrue();
        assertThat(new String(Files.readAllBytes(file), StandardCharsets.US_ASCII)).contains("spec-1");
    }
}
