package io.jdamon.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.report.internal.ReportCommand;
import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.TargetSnapshot;
import io.jdamon.record.RecordReader;
import io.jdamon.record.RecordWriter;

/** Issue 12 B6, B7, C9 and E15, the report's part, through {@link ReportCommand} on real files. */
class ReportSafetyTest {

    @TempDir
    Path dir;

    Path data;
    Path two;
    final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    @BeforeEach
    void writeRecords() throws Exception {
        data = dir.resolve("damon.data");
        try (RecordWriter w = RecordWriter.create(data, new RecordWriter.Header("stairs", 0, 0,
                MonitoringAttributes.DEFAULTS, "sim", Map.of("sensor", "simulated"), List.of("stairs")), false)) {
            for (AggregationSnapshot s : Stairs.snapshots()) {
                w.append(s);
            }
        }
        two = dir.resolve("two.data");
        try (RecordWriter w = RecordWriter.create(two, new RecordWriter.Header("pair", 0, 0,
                MonitoringAttributes.DEFAULTS, "sim", Map.of(), List.of("first", "second")), false)) {
            for (AggregationSnapshot s : Stairs.snapshots()) {
                TargetSnapshot t = s.targets().get(0);
                w.append(new AggregationSnapshot(s.contextName(), s.aggregationIndex(), s.startNanos(),
                        s.endNanos(), s.sampleIntervalUs(), s.aggregationIntervalUs(),
                        List.of(new TargetSnapshot(0, "first", t.regions()), new TargetSnapshot(1, "second",
                                t.regions()))));
            }
        }
    }

    private int run(String... args) {
        outBytes.reset();
        errBytes.reset();
        return new ReportCommand().run(args, new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void thePngNeverReplacesItsInput() throws Exception {
        byte[] before = Files.readAllBytes(data);
        assertThat(run("heatmap", "-i", data.toString(), "--png", data.toString())).isEqualTo(2);
        assertThat(err()).contains("is the record file being read");
        assertThat(run("heatmap", "-i", data.toString(), "--png", dir.resolve(".").resolve("damon.data").toString(),
                "--force")).isEqualTo(2);
        assertThat(Files.readAllBytes(data)).isEqualTo(before);
    }

    @Test
    void anExistingImageIsRefusedUnlessForceWhichKeepsItAsOld() throws Exception {
        Path png = Files.writeString(dir.resolve("map.png"), "an older image");
        assertThat(run("heatmap", "-i", data.toString(), "--png", png.toString())).isEqualTo(1);
        assertThat(err()).contains(png + " exists; jdamon does not overwrite files").contains("--force");
        assertThat(Files.readString(png)).isEqualTo("an older image");

        assertThat(run("heatmap", "-i", data.toString(), "--png", png.toString(), "--force")).isEqualTo(0);
        assertThat(out()).contains("the existing " + png + " was moved aside to " + dir.resolve("map.png.old"));
        assertThat(Files.readString(dir.resolve("map.png.old"))).isEqualTo("an older image");
        assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(1000);
        try (var files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void aPngPathThroughALinkOrIntoAMissingFolderIsRefusedWithTheReason() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim"), "secret");
        Path link = Files.createSymbolicLink(dir.resolve("planted.png"), victim);
        assertThat(run("heatmap", "-i", data.toString(), "--png", link.toString(), "--force")).isEqualTo(1);
        assertThat(err()).contains(link + " is a symbolic link");
        assertThat(Files.readString(victim)).isEqualTo("secret");

        assertThat(run("heatmap", "-i", data.toString(), "--png", "/nonexistent/x.png")).isEqualTo(1);
        assertThat(err()).contains("the folder /nonexistent does not exist; create it or write elsewhere with --png");
    }

    @Test
    @Timeout(20)
    void aFifoInputIsRefusedWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        assertThat(run("wss", "-i", fifo.toString())).isEqualTo(1);
        assertThat(err()).contains(fifo + ": is not a regular file (a FIFO (named pipe))");
    }

    @Test
    void repairFixesACutFileInPlaceAndTheOtherReportsPointToIt() throws Exception {
        long size = Files.size(data);
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE)) {
            ch.truncate(size - 300);
        }
        assertThat(run("wss", "-i", data.toString())).isEqualTo(0);
        assertThat(err()).contains("run 'jdamon report repair -i " + data + "'");
        int kept = RecordReader.read(data).snapshotCount();

        assertThat(run("repair", "-i", data.toString())).isEqualTo(0);
        assertThat(out()).contains("repaired " + data + ": 1 target(s), " + kept + " complete snapshots kept")
                .contains("the original is kept as " + dir.resolve("damon.data.broken"));
        assertThat(RecordReader.read(data).complete()).isTrue();
        assertThat(Files.size(dir.resolve("damon.data.broken"))).isEqualTo(size - 300);
        assertThat(run("wss", "-i", data.toString())).isEqualTo(0);
        assertThat(err()).doesNotContain("repair");

        assertThat(run("repair", "-i", data.toString())).isEqualTo(0);
        assertThat(out()).contains("nothing to repair");
        assertThat(run("repair", "--help")).isEqualTo(0);
        assertThat(out()).contains("FILE.broken");
    }

    @Test
    void oddContentIsWarnedOfNamingSnapshotAndRegion() throws Exception {
        String regions = "{\"start\": 4096, \"end\": 12288, \"nr_accesses\": {\"samples\": 3}, \"age\": "
                + "{\"aggr_intervals\": 1}}, {\"start\": 8192, \"end\": 16384, \"nr_accesses\": {\"samples\": 30}, "
                + "\"age\": {\"aggr_intervals\": 1}}";
        Path odd = Files.writeString(dir.resolve("odd.json"), "[{\"kdamond_idx\": 0, \"context_idx\": 0, "
                + "\"intervals\": {\"sample_us\": 5000, \"aggr_us\": 100000, \"ops_update_us\": 1000000}, "
                + "\"scheme_idx\": null, \"target_id\": 0, \"snapshots\": [{\"start_time\": 0, \"end_time\": "
                + "100000000, \"regions\": [" + regions + "]}, {\"start_time\": 100000000, \"end_time\": "
                + "200000000, \"regions\": [" + regions + "]}]}]");
        assertThat(run("access", "-i", odd.toString())).isEqualTo(0);
        assertThat(err()).contains("warning: " + odd + ": record 0 snapshot 0 region 1 (0x2000-0x4000) overlaps")
                .contains("record 0 snapshot 1 region 1 (0x2000-0x4000) has 30 accesses in an aggregation of 20 "
                        + "samples (a rate of 150%");
    }

    @Test
    void anAddressAbove2To63IsAClearDataError() throws Exception {
        Path top = Files.writeString(dir.resolve("top.json"), "[{\"kdamond_idx\": 0, \"context_idx\": 0, "
                + "\"intervals\": {\"sample_us\": 5000, \"aggr_us\": 100000, \"ops_update_us\": 1000000}, "
                + "\"scheme_idx\": null, \"target_id\": 0, \"snapshots\": [{\"start_time\": 0, \"end_time\": "
                + "100000000, \"regions\": [{\"start\": 4096, \"end\": 18446744073709551615, \"nr_accesses\": "
                + "{\"samples\": 1}, \"age\": {\"aggr_intervals\": 1}}]}]}]");
        assertThat(run("wss", "-i", top.toString())).isEqualTo(1);
        assertThat(err()).contains("'end' is 18446744073709551615, above 2^63-1");
    }

    @Test
    void theSecondTargetIsLabelledTargetOne() {
        assertThat(run("heatmap", "-i", two.toString(), "--target", "1")).isEqualTo(0);
        assertThat(out()).contains("target 1 (second)").doesNotContain("target 0");
        assertThat(run("wss", "-i", two.toString(), "--target", "1")).isEqualTo(0);
        assertThat(out()).contains("target 1 (second)").doesNotContain("target 0");
        assertThat(run("access", "-i", two.toString(), "--target", "1")).isEqualTo(0);
        assertThat(out()).contains("target 1 (second)").doesNotContain("target 0");
        assertThat(run("access", "-i", two.toString(), "--target", "0")).isEqualTo(0);
        assertThat(out()).contains("target 0 (first)");
    }
}
