package io.jdamon.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.MeasuredRange;
import io.jdamon.api.MeasuredRound;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.TargetSnapshot;
import io.jdamon.record.RecordReader;
import io.jdamon.record.RecordWriter;
import io.jdamon.report.internal.ReportCommand;

/**
 * A record of a mapping-granular sensor: one 1 GiB mapping cut into eight
 * regions, every one of which some sample found accessed (the sensor marks a
 * sample accessed with probability referenced / size), while the sensor
 * measured 128 MiB referenced. Reports must say 128 MiB, and show the mapping
 * at an eighth of full heat, labelled mapping-level.
 */
class MeasuredReportsTest {

    private static final long MIB = 1 << 20;
    private static final long BASE = 0x7f00_0000_0000L;

    @TempDir
    Path dir;

    private static List<AggregationSnapshot> snapshots() {
        List<AggregationSnapshot> out = new ArrayList<>();
        for (int a = 0; a < 30; a++) {
            List<RegionSnapshot> regions = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                regions.add(new RegionSnapshot(BASE + i * 128 * MIB, BASE + (i + 1) * 128 * MIB, 2 + i % 3, a));
            }
            long t0 = a * 100_000_000L;
            List<MeasuredRound> rounds = List.of(
                    new MeasuredRound(t0, t0 + 50_000_000L, List.of(new MeasuredRange(BASE, BASE + 1024 * MIB, 120 * MIB))),
                    new MeasuredRound(t0 + 50_000_000L, t0 + 100_000_000L,
                            List.of(new MeasuredRange(BASE, BASE + 1024 * MIB, 128 * MIB))));
            out.add(new AggregationSnapshot("ref", a, t0, t0 + 100_000_000L, 50_000, 100_000, 2,
                    List.of(new TargetSnapshot(0, "pid=1", regions, rounds))));
        }
        return out;
    }

    private Path record() throws Exception {
        Path data = dir.resolve("ref.data");
        try (RecordWriter w = RecordWriter.create(data, new RecordWriter.Header("ref", 0, 0,
                MonitoringAttributes.DEFAULTS, "vaddr", Map.of("sensor", "referenced", "granularity", "mapping",
                        "measuredUnit", "mapping"), List.of("pid=1")), false)) {
            for (AggregationSnapshot s : snapshots()) {
                w.append(s);
            }
        }
        return data;
    }

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new ReportCommand().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void wssIsTheMeasuredBytesNotTheRegionSizes() throws Exception {
        Path data = record();
        List<AggregationSnapshot> snaps = RecordReader.read(data).aggregations(0);
        WorkingSetSize w = WorkingSetSize.of(snaps, 0);
        assertThat(w.percentile(50)).isEqualTo(128 * MIB);
        assertThat(w.label()).contains("measured by the primitive");

        String text = run("report", "wss", "-i", data.toString(), "--raw_number", "--exclude_samples", "0");
        assertThat(text).contains("mapping-level").containsPattern(" 50\\s+" + 128 * MIB + " ").doesNotContain(Long.toString(1024 * MIB));
        String regions = run("report", "wss", "-i", data.toString(), "--raw_number", "--exclude_samples", "0",
                "--wss_source", "regions");
        assertThat(regions).containsPattern(" 50\\s+" + 1024 * MIB + " ").doesNotContain("mapping-level");
    }

    @Test
    void theHeatmapShowsEachMappingsReferencedFractionLabelledMappingLevel() throws Exception {
        Path data = record();
        List<AggregationSnapshot> snaps = RecordReader.read(data).aggregations(0);
        Heatmap h = Heatmap.of(snaps, 0, 10, 8, new Range(BASE, BASE + 1024 * MIB), null);
        // the mean of the two rounds' shares: (120 + 128) / 2 of 1024 MiB
        for (int r = 0; r < 10; r++) {
            for (int c = 0; c < 8; c++) {
                assertThat(h.heat(r, c)).isCloseTo(124.0 / 1024, org.assertj.core.data.Offset.offset(1e-9));
            }
        }
        String text = run("report", "heatmap", "-i", data.toString(), "--resol", "10x8");
        assertThat(text).contains("mapping-level heat").contains("measured range's accessed fraction");
    }
}
