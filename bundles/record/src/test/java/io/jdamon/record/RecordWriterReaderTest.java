package io.jdamon.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.RegionSnapshot;

class RecordWriterReaderTest {

    @TempDir
    Path dir;

    @Test
    void singleTargetRoundTripKeepsEveryField() throws Exception {
        Path file = dir.resolve("damon.data");
        try (RecordWriter w = RecordWriter.create(file, Snapshots.header("ctx", 1))) {
            for (int a = 0; a < 12; a++) {
                w.append(Snapshots.aggregation(a, 1, 5));
                // after every aggregation the file is a whole JSON document holding all of it
                Recording mid = RecordReader.read(file);
                assertThat(mid.complete()).isTrue();
                assertThat(mid.records()).hasSize(1);
                assertThat(mid.records().get(0).snapshots()).hasSize(a + 1);
            }
        }
        Recording rec = RecordReader.read(file);
        assertThat(rec.complete()).isTrue();
        assertThat(rec.records()).hasSize(1);
        TargetRecord r = rec.records().get(0);
        assertThat(r.kdamondIdx()).isEqualTo(3);
        assertThat(r.contextIdx()).isZero();
        assertThat(r.schemeIdx()).isEqualTo(-1);
        assertThat(r.targetId()).isEqualTo("0");
        assertThat(r.sampleIntervalUs()).isEqualTo(5_000);
        assertThat(r.aggregationIntervalUs()).isEqualTo(100_000);
        assertThat(r.updateIntervalUs()).isEqualTo(60_000_000);
        assertThat(r.contextName()).isEqualTo("ctx");
        assertThat(r.targetSpec()).isEqualTo("spec-0");
        assertThat(r.primitiveName()).isEqualTo("sim");
        assertThat(r.primitiveProperties()).containsEntry("sensor", "simulated").containsEntry("sees", "reads,writes");
        assertThat(r.samplesPerAggregation()).isEqualTo(20);
        assertThat(r.snapshots()).hasSize(12);
        for (int a = 0; a < 12; a++) {
            RecordedSnapshot s = r.snapshots().get(a);
            AggregationSnapshot expected = Snapshots.aggregation(a, 1, 5);
            assertThat(s.aggregationIndex()).isEqualTo(a);
            assertThat(s.startNanos()).isEqualTo(expected.startNanos());
            assertThat(s.endNanos()).isEqualTo(expected.endNanos());
            assertThat(s.sampleIntervalUs()).isEqualTo(5_000);
            assertThat(s.aggregationIntervalUs()).isEqualTo(100_000);
            assertThat(s.totalBytes()).isEqualTo(5 * Snapshots.REGION);
            assertThat(s.regions()).isEqualTo(expected.targets().get(0).regions());
        }
        // the API view of it equals what was written
        List<AggregationSnapshot> back = rec.aggregations(0);
        assertThat(back).hasSize(12);
        assertThat(back.get(4).targets().get(0).regions())
                .isEqualTo(Snapshots.aggregation(4, 1, 5).targets().get(0).regions());
        assertThat(back.get(4).aggregationIntervalUs()).isEqualTo(100_000);
        assertThat(back.get(4).samplesPerAggregation()).isEqualTo(20);
    }

    @Test
    void writesDamoKeysWithPercentAndAgeInBothUnits() throws Exception {
        Path file = dir.resolve("damon.data");
        try (RecordWriter w = RecordWriter.create(file, Snapshots.header("ctx", 1), false)) {
            w.append(new AggregationSnapshot("ctx", 0, 0, 100_000_000, 5_000, 100_000, List.of(
                    new io.jdamon.api.TargetSnapshot(0, "x", List.of(new RegionSnapshot(4096, 8192, 10, 3))))));
        }
        String json = Files.readString(file);
        assertThat(json).startsWith("[\n{\"kdamond_idx\": 3, \"context_idx\": 0,");
        assertThat(json).contains("\"intervals\": {\"sample_us\": 5000, \"aggr_us\": 100000, \"ops_update_us\": 60000000}");
        assertThat(json).contains("\"scheme_idx\": null, \"target_id\": 0");
        assertThat(json).contains("{\"start\": 4096, \"end\": 8192, \"nr_accesses\": {\"samples\": 10, \"percent\": 50}, "
                + "\"age\": {\"usec\": 300000, \"aggr_intervals\": 3}}");
        assertThat(json).contains("\"total_bytes\": 4096, \"sample_interval_us\": 5000");
        assertThat(json).endsWith("]}\n]\n");
    }

    @Test
    void multiTargetFileIsReadableWhileWrittenAndConsolidatedOnClose() throws Exception {
        Path file = dir.resolve("multi.data");
        RecordWriter w = RecordWriter.create(file, Snapshots.header("ctx", 3));
        for (int a = 0; a < 6; a++) {
            w.append(Snapshots.aggregation(a, 3, 4));
        }
        Recording open = RecordReader.read(file);
        assertThat(open.complete()).isTrue();
        assertThat(open.records()).hasSize(3);
        assertThat(open.aggregations()).hasSize(6);
        String before = Files.readString(file);
        assertThat(before.split("\"kdamond_idx\"", -1)).hasSize(1 + 18); // a record per target per aggregation
        w.close();
        String after = Files.readString(file);
        assertThat(after.split("\"kdamond_idx\"", -1)).hasSize(1 + 3); // one record per target
        Recording rec = RecordReader.read(file);
        assertThat(rec.records()).hasSize(3);
        List<AggregationSnapshot> all = rec.aggregations();
        assertThat(all).hasSize(6);
        for (int a = 0; a < 6; a++) {
            AggregationSnapshot expected = Snapshots.aggregation(a, 3, 4);
            for (int t = 0; t < 3; t++) {
                assertThat(all.get(a).targets().get(t).regions()).isEqualTo(expected.targets().get(t).regions());
                assertThat(all.get(a).targets().get(t).spec()).isEqualTo("spec-" + t);
            }
            assertThat(all.get(a).startNanos()).isEqualTo(expected.startNanos());
        }
        assertThat(Files.exists(file.resolveSibling("multi.data.tmp"))).isFalse();
    }

    @Test
    void everyPrefixOfAFileReadsAsItsCompleteSnapshots() throws Exception {
        for (int targets : new int[] {1, 2}) {
            Path file = dir.resolve("prefix" + targets + ".data");
            long[] endOfSnapshot = new long[5];
            byte[] whole;
            try (RecordWriter w = RecordWriter.create(file, Snapshots.header("ctx", targets), false)) {
                for (int a = 0; a < 5; a++) {
                    w.append(Snapshots.aggregation(a, targets, 3));
                    // the tail is fixed-size, so the last snapshot object of aggregation a closes this
                    // far from the end: before "\n]}\n]\n" (one target) or "\n]}" + "\n]\n" (a record each)
                    endOfSnapshot[a] = Files.size(file) - 6;
                }
                whole = Files.readAllBytes(file); // as a kill -9 would leave it, before close
            }
            int last = -1;
            for (int cut = 1; cut <= whole.length; cut++) {
                Recording r = RecordReader.parse(file, Arrays.copyOf(whole, cut));
                int n = r.aggregations().size();
                int expected = 0;
                while (expected < 5 && endOfSnapshot[expected] <= cut) {
                    expected++;
                }
                assertThat(n).as("snapshots in the first %d bytes of %d (targets %d)", cut, whole.length, targets)
                        .isEqualTo(expected);
                assertThat(n).isGreaterThanOrEqualTo(Math.max(last, 0));
                last = n;
                assertThat(r.complete()).isEqualTo(cut >= whole.length - 1); // the final newline is optional
                for (int a = 0; a < n; a++) {
                    assertThat(r.aggregations().get(a).targets().get(0).regions())
                            .isEqualTo(Snapshots.aggregation(a, targets, 3).targets().get(0).regions());
                }
            }
            assertThat(last).isEqualTo(5);
        }
    }

    @Test
    void readsDamoWrittenJsonWithStringNumbersNullsAndFakeSnapshot() throws Exception {
        String damo = """
                [
                    {
                        "kdamond_idx": null,
                        "context_idx": null,
                        "intervals": {"sample_us": "5000", "aggr_us": "100000", "ops_update_us": "1000000"},
                        "scheme_idx": null,
                        "target_id": 18446623435582458880,
                        "snapshots": [
                            {
                                "start_time": "82877215633000",
                                "end_time": "82877315633000",
                                "regions": [
                                    {"start": "140731667070976", "end": "140731668037632",
                                     "nr_accesses": {"samples": 4, "percent": null},
                                     "age": {"usec": null, "aggr_intervals": "3"},
                                     "sz_filter_passed": "0"},
                                    {"start": "140731668037632", "end": "140731669037632",
                                     "nr_accesses": {"samples": null, "percent": 50},
                                     "age": {"usec": "700000", "aggr_intervals": null}}
                                ],
                                "total_bytes": "1966656"
                            },
                            {
                                "start_time": "82877315633000",
                                "end_time": "82877415633000",
                                "regions": [{"start": "0", "end": "0",
                                     "nr_accesses": {"samples": -1, "percent": null},
                                     "age": {"usec": null, "aggr_intervals": -1}}],
                                "total_bytes": "0"
                            }
                        ]
                    }
                ]
                """;
        Path file = dir.resolve("damo.json");
        Files.writeString(file, damo);
        Recording rec = RecordReader.read(file);
        assertThat(rec.complete()).isTrue();
        TargetRecord r = rec.records().get(0);
        assertThat(r.kdamondIdx()).isEqualTo(-1);
        assertThat(r.targetId()).isEqualTo("18446623435582458880");
        assertThat(r.contextName()).isEmpty();
        assertThat(r.snapshots()).hasSize(1); // damo's fake snapshot is dropped
        RecordedSnapshot s = r.snapshots().get(0);
        assertThat(s.startNanos()).isEqualTo(82877215633000L);
        assertThat(s.endNanos()).isEqualTo(82877315633000L);
        assertThat(s.sampleIntervalUs()).isEqualTo(5000);
        assertThat(s.totalBytes()).isEqualTo(1966656);
        assertThat(s.regions()).containsExactly(
                new RegionSnapshot(140731667070976L, 140731668037632L, 4, 3),
                new RegionSnapshot(140731668037632L, 140731669037632L, 10, 7));

        // damo's default json_compressed format: zlib over the same text
        Path compressed = dir.resolve("damo.zlib");
        Files.write(compressed, zlib(damo.getBytes(StandardCharsets.UTF_8)));
        assertThat(RecordReader.read(compressed).records().get(0).snapshots().get(0).regions())
                .isEqualTo(s.regions());
    }

    @Test
    void corruptForeignAndMissingFilesGiveMessagesNamingFileAndProblem() throws Exception {
        Path good = dir.resolve("good.data");
        try (RecordWriter w = RecordWriter.create(good, Snapshots.header("ctx", 1), false)) {
            for (int a = 0; a < 3; a++) {
                w.append(Snapshots.aggregation(a, 1, 3));
            }
        }
        byte[] bytes = Files.readAllBytes(good);
        int mid = new String(bytes, StandardCharsets.US_ASCII).indexOf("\"end\"", bytes.length / 2);
        bytes[mid] = '#';
        Path corrupt = dir.resolve("corrupt.data");
        Files.write(corrupt, bytes);
        assertThatThrownBy(() -> RecordReader.read(corrupt)).isInstanceOf(RecordFileException.class)
                .hasMessageStartingWith(corrupt + ": is corrupt:").hasMessageContaining("line ")
                .hasMessageContaining("column ");

        assertProblem("foreign.json", "{\"name\": \"x\"}".getBytes(), "is JSON but not a DAMON record file: "
                + "expected a list of records, found an object");
        assertProblem("numbers.json", "[1, 2]".getBytes(), "record 0 is a number, not an object");
        assertProblem("keys.json", "[{\"a\": 1}]".getBytes(), "record 0 has no 'snapshots'");
        assertProblem("text.txt", "hello world\n".getBytes(), "is not a DAMON record file");
        assertProblem("binary.bin", new byte[] {1, 2, 3, 0, 5}, "binary content");
        assertProblem("perf.data", "PERFILE2\0\0\0".getBytes(), "perf.data file");
        assertProblem("empty.data", new byte[0], "is empty");
        assertProblem("badzlib.data", new byte[] {0x78, (byte) 0x9c, 1, 2, 3, 4}, "does not inflate");
        assertProblem("badregion.json",
                "[{\"target_id\": 0, \"snapshots\": [{\"start_time\": 0, \"end_time\": 1, \"regions\": [{\"start\": \"x\", \"end\": 1}]}]}]"
                        .getBytes(),
                "record 0 snapshot 0 region 0 'start' is a string (x), not a whole number");
        // a backwards region, compact and with numbers as strings (damo), and a region that is not an object
        assertProblem("backwards.json",
                "[{\"target_id\": 0, \"snapshots\": [{\"end_time\": 1, \"regions\": [{\"start\": 8, \"end\": 4}]}]}]"
                        .getBytes(),
                "is corrupt: record 0 snapshot 0 region 0 ends (4) before it starts (8)");
        assertProblem("backwards-strings.json",
                "[{\"target_id\": 0, \"snapshots\": [{\"end_time\": 1, \"regions\": [{\"start\": 0, \"end\": 4}, {\"start\": \"8\", \"end\": \"4\"}]}]}]"
                        .getBytes(),
                "is corrupt: record 0 snapshot 0 region 1 ends (4) before it starts (8)");
        // a corrupt file of brackets is a clear error, not a StackOverflowError
        assertProblem("deep.json", "[".repeat(200_000).getBytes(), "nest deeper than 256 levels");
        assertProblem("deep-complete.json", ("[".repeat(300) + "]".repeat(300)).getBytes(),
                "nest deeper than 256 levels");
        assertProblem("listregion.json",
                "[{\"target_id\": 0, \"snapshots\": [{\"end_time\": 1, \"regions\": [[0, 4]]}]}]".getBytes(),
                "is corrupt: record 0 snapshot 0 region 0 is not an object");

        Path missing = dir.resolve("nope.data");
        assertThatThrownBy(() -> RecordReader.read(missing)).isInstanceOf(RecordFileException.class)
                .hasMessage(missing + ": no such file; record one first (jdamon record -o " + missing
                        + ") or name another with -i FILE");
        assertThatThrownBy(() -> RecordReader.read(dir)).hasMessage(dir + ": is a directory, not a record file");
    }

    @Test
    void readingWhileAnotherThreadWritesAlwaysSucceedsAndNeverGoesBack() throws Exception {
        Path file = dir.resolve("live.data");
        RecordWriter w = RecordWriter.create(file, Snapshots.header("ctx", 1));
        java.util.concurrent.atomic.AtomicReference<Throwable> writerFailure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                for (int a = 0; a < 300; a++) {
                    w.append(Snapshots.aggregation(a, 1, 300));
                }
                w.close();
            } catch (Throwable e) {
                writerFailure.set(e);
            }
        });
        writer.start();
        int last = 0;
        int reads = 0;
        int incomplete = 0;
        while (writer.isAlive() || reads == 0) {
            Recording r = RecordReader.read(file);
            reads++;
            if (!r.complete()) {
                incomplete++;
            }
            List<AggregationSnapshot> all = r.aggregations(0);
            assertThat(all.size()).isGreaterThanOrEqualTo(last);
            last = all.size();
            if (!all.isEmpty()) {
                int a = all.size() - 1;
                assertThat(all.get(a).targets().get(0).regions())
                        .isEqualTo(Snapshots.aggregation(a, 1, 300).targets().get(0).regions());
            }
        }
        writer.join();
        assertThat(writerFailure.get()).isNull();
        assertThat(RecordReader.read(file).aggregations(0)).hasSize(300);
        System.out.println("concurrent reads: " + reads + ", of which " + incomplete + " saw a file mid-write");
    }

    @Test
    void zeroFilledTailAfterAMachineCrashIsTreatedAsCut() throws Exception {
        Path file = dir.resolve("crash.data");
        try (RecordWriter w = RecordWriter.create(file, Snapshots.header("ctx", 1))) {
            for (int a = 0; a < 3; a++) {
                w.append(Snapshots.aggregation(a, 1, 3));
            }
        }
        byte[] bytes = Files.readAllBytes(file);
        int cut = new String(bytes, StandardCharsets.US_ASCII).indexOf("\"jdamon_aggregation\": 2");
        byte[] crashed = Arrays.copyOf(Arrays.copyOf(bytes, cut), cut + 8192); // zeros where blocks were lost
        Recording r = RecordReader.parse(file, crashed);
        assertThat(r.complete()).isFalse();
        assertThat(r.aggregations(0)).hasSize(2);
    }

    @Test
    void fileCutBeforeAnySnapshotHasNoneAndIsIncomplete() throws Exception {
        Recording r = RecordReader.parse(Path.of("x"), "[\n{\"kdamond_idx\": 0, \"snap".getBytes());
        assertThat(r.complete()).isFalse();
        assertThat(r.records()).isEmpty();
        assertThat(r.snapshotCount()).isZero();
    }

    private void assertProblem(String name, byte[] content, String expected) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, content);
        assertThatThrownBy(() -> RecordReader.read(f)).isInstanceOf(RecordFileException.class)
                .hasMessageStartingWith(f + ": ").hasMessageContaining(expected);
    }

    private static byte[] zlib(byte[] in) {
        Deflater d = new Deflater();
        d.setInput(in);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }
}
