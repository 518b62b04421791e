package io.jdamon.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.record.RecordReader;
import io.jdamon.record.RecordWriter;
import io.jdamon.report.internal.ReportCommand;

/**
 * {@code jdamon report convert}, the command the recorder's "compress it later" message names:
 * compressed and back with every snapshot, in place, an existing output moved aside, bad input refused.
 */
class ConvertCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return new ReportCommand().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** @return whether the file starts with a zlib header (deflate, 32 KiB window: 0x78) */
    private static boolean zlib(Path f) throws java.io.IOException {
        byte[] b = Files.readAllBytes(f);
        return b.length > 2 && (b[0] & 0xff) == 0x78 && ((b[0] & 0xff) * 256 + (b[1] & 0xff)) % 31 == 0;
    }

    @Test
    void convertsBothWaysInPlaceAndNeverOverwrites() throws Exception {
        Path data = dir.resolve("damon.data");
        try (RecordWriter w = RecordWriter.create(data, new RecordWriter.Header("stairs", 0, 0,
                MonitoringAttributes.DEFAULTS, "sim", Map.of("sensor", "simulated"), List.of("stairs")), false)) {
            for (AggregationSnapshot s : Stairs.snapshots()) {
                w.append(s);
            }
        }
        int snapshots = RecordReader.read(data).snapshotCount();
        Path z = dir.resolve("damon.zdata");
        assertThat(run("report", "convert", "-i", data.toString(), "-o", z.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("as json_compressed").contains(snapshots + " snapshots");
        assertThat(zlib(z)).isTrue();
        assertThat(RecordReader.read(z).snapshotCount()).isEqualTo(snapshots);

        String text = Files.readString(data);
        assertThat(run("report", "convert", "-i", z.toString(), "-o", data.toString(), "--format", "json")).isZero();
        assertThat(Files.readString(data)).as("json back, byte for byte").isEqualTo(text);
        assertThat(out.toString()).contains("now " + dir.resolve("damon.data.old"));
        assertThat(dir.resolve("damon.data.old")).exists();

        assertThat(run("report", "convert", "-i", data.toString())).isZero();
        assertThat(zlib(data)).as("converted in place").isTrue();

        assertThat(run("report", "convert", "-i", data.toString(), "--format", "perf_script")).isEqualTo(2);
        assertThat(err.toString()).contains("writes only JSON");
        assertThat(run("report", "convert", "-i", dir.resolve("missing.data").toString())).isNotZero();
        assertThat(err.toString()).contains("missing.data");
    }
}
