package io.jdamon.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.record.RecordReader;
import io.jdamon.record.RecordWriter;
import io.jdamon.report.internal.ReportCommand;

/** damo's report flags, in damo's spelling: each accepted with damo's meaning, or refused saying what to use. */
class DamoFlagsTest {

    @TempDir
    Path dir;

    Path data;
    final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    @BeforeEach
    void writeStairsRecord() throws Exception {
        data = dir.resolve("damon.data");
        try (RecordWriter w = RecordWriter.create(data, new RecordWriter.Header("stairs", 0, 0,
                MonitoringAttributes.DEFAULTS, "sim", Map.of(), List.of("stairs")), false)) {
            for (AggregationSnapshot s : Stairs.snapshots()) {
                w.append(s);
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
    void heatmapTakesDamosResolutionRangesAndOutput() {
        // damo's --resol ROWS COLS, addresses as sizes and with separators
        assertThat(run("heatmap", "-i", data.toString(), "--resol", "2", "2", "--address_range", "1GiB",
                "1,094,713,344", "--time_range", "0", "200ms")).isEqualTo(0);
        assertThat(out()).startsWith("90\n09\n");
        // damo's raw pixel list: time, address (from the range start unless --abs_addr), heat in Hz
        assertThat(run("heatmap", "-i", data.toString(), "--output", "raw", "--resol", "2", "2", "--address_range",
                "0x40000000", "0x41400000", "--time_range", "0", "200ms")).isEqualTo(0);
        assertThat(out().lines().toList()).hasSize(4).first().asString().startsWith("0\t0\t");
        assertThat(out().lines().toList().get(0).split("\t")[2]).isEqualTo("200.0"); // 20 of 20 samples in 100 ms
        assertThat(out().lines().toList().get(1)).isEqualTo("0\t10485760\t0.0");
        assertThat(run("heatmap", "-i", data.toString(), "--output", "raw", "--resol", "2", "2", "--address_range",
                "0x40000000", "0x41400000", "--time_range", "0", "200ms", "--abs_addr", "--abs_time")).isEqualTo(0);
        assertThat(out().lines().toList().get(1)).isEqualTo("0\t1084227584\t0.0");
        // damo's default resolution for raw output: 500 x 500
        assertThat(run("heatmap", "-i", data.toString(), "--output", "raw")).isEqualTo(0);
        assertThat(out().lines().count()).isEqualTo(500 * 500);
    }

    @Test
    void heatmapFooterSaysWhoseAddressRangeItShows() {
        assertThat(run("heatmap", "-i", data.toString(), "--resol", "4x4")).isEqualTo(0);
        assertThat(out()).contains("# address range: the monitored range (jdamon's default; damo's is --draw_range "
                + "hottest)");
        assertThat(run("heatmap", "-i", data.toString(), "--resol", "4x4", "--draw_range", "hottest")).isEqualTo(0);
        assertThat(out()).contains("# address range: the hottest of 1 monitored range(s) (damo's default, "
                + "--draw_range hottest)");
        assertThat(run("heatmap", "-i", data.toString(), "--resol", "4x4", "--draw_range", "all")).isEqualTo(0);
        assertThat(out()).contains("# address range: monitored range 1 of 1 (--draw_range all)");
        assertThat(run("heatmap", "-i", data.toString(), "--address_range", "1GiB", "1100MiB", "--address_range",
                "0", "1")).isEqualTo(2);
        assertThat(err()).contains("--address-range is given 2 times; jdamon draws one range")
                .contains("--draw_range all");
        assertThat(run("heatmap", "-i", data.toString(), "--draw_range", "coolest")).isEqualTo(2);
        assertThat(err()).contains("--draw_range coolest is not hottest or all");
    }

    @Test
    void heatmapOutputFileIsAPngAndOtherImagesAreRefused() throws Exception {
        Path png = dir.resolve("map.png");
        assertThat(run("heatmap", "-i", data.toString(), "--output", png.toString())).isEqualTo(0);
        assertThat(png).exists();
        assertThat(Files.readAllBytes(png)).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(run("heatmap", "-i", data.toString(), "--output", dir.resolve("map.pdf").toString()))
                .isEqualTo(2);
        assertThat(err()).contains("jdamon draws PNG images only").contains("--output raw");
    }

    @Test
    void damoHeatmapOptionsWithoutMeaningForJdamonAreRefusedNamingTheEquivalent() {
        String[][] cases = {{"--kdamond_idx", "0", "--target N"}, {"--context_idx", "0", "--tid ID"},
                {"--scheme_idx", "0", "DAMOS"}, {"--guide", null, "report record_info"},
                {"--guide_human", null, "report record_info"}, {"--stdout_colorset", "gray", "--png FILE"},
                {"--df_passed", null, "report access"}, {"--sort_temperature", null, "report access"},
                {"--interactive_edit", null, "--address-range START END"}};
        for (String[] c : cases) {
            int code = c[1] == null ? run("heatmap", "-i", data.toString(), c[0])
                    : run("heatmap", "-i", data.toString(), c[0], c[1]);
            assertThat(code).as(c[0]).isEqualTo(2);
            assertThat(err()).as(c[0]).contains("is a damo option jdamon does not take").contains(c[2]);
        }
    }

    @Test
    void wssTakesDamosOptions() {
        assertThat(run("wss", "-i", data.toString(), "--exclude_samples", "0", "--range", "0", "101", "50",
                "--raw_number")).isEqualTo(0);
        assertThat(out()).contains("\n  0        10485760 |").contains("\n 50        10485760 |")
                .contains("\n100        10485760 |").doesNotContain("\n 25 ");
        // every region has 20 or 0 accesses: at least 21 leaves none
        assertThat(run("wss", "-i", data.toString(), "--exclude_samples", "0", "--acc_thres", "21", "--raw_number"))
                .isEqualTo(0);
        assertThat(out()).contains("# avr:\t0\n");
        assertThat(run("wss", "-i", data.toString(), "--exclude_samples", "0", "--sz_thres", "11MiB", "--raw_number"))
                .isEqualTo(0);
        assertThat(out()).contains("# avr:\t0\n");
        assertThat(run("wss", "-i", data.toString(), "--exclude_samples", "5", "--all_wss", "--raw_number",
                "--sortby", "time", "--per_target", "--nr_cols_bar", "0")).isEqualTo(0);
        assertThat(out()).contains("# target 0 (stairs), 5 snapshots (the first 5 of each target skipped)")
                .contains("\n4 10485760\n").doesNotContain("\n5 ");
        assertThat(run("wss", "-i", data.toString(), "--collapse_targets", "--work_time", "100ms",
                "--exclude_samples", "0")).isEqualTo(0);
        assertThat(run("wss", "-i", data.toString(), "--work_time", "1s")).isEqualTo(2);
        assertThat(err()).contains("--work_time 1 s is longer than the shortest snapshot (100 ms)")
                .contains("jdamon does not merge snapshots");
        assertThat(run("wss", "-i", data.toString(), "--plot", "wss.png")).isEqualTo(2);
        assertThat(err()).contains("--plot is a damo option jdamon does not take").contains("--all_wss --raw_number");
        assertThat(run("wss", "-i", data.toString(), "--per_target", "--collapse_targets")).isEqualTo(2);
        assertThat(err()).contains("contradict");
        assertThat(run("wss", "-i", data.toString(), "--sortby", "age")).isEqualTo(2);
        assertThat(err()).contains("--sortby age is not size or time");
    }

    @Test
    void accessTakesDamosSnapshotRangeRawNumbersAndJson() throws Exception {
        assertThat(run("access", "-i", data.toString(), "--snapshot_idx", "2", "3", "--raw_number")).isEqualTo(0);
        assertThat(out()).contains("# snapshot 2 of 10").contains("# snapshot 3 of 10").doesNotContain("snapshot 4")
                .contains("10485760");
        assertThat(run("access", "-i", data.toString(), "--snapshot_idx", "3", "2")).isEqualTo(2);
        assertThat(err()).contains("--snapshot_idx 3 2 is out of range");
        assertThat(run("access", "-i", data.toString(), "--snapshot_idx", "4", "4", "--json")).isEqualTo(0);
        Path json = Files.writeString(dir.resolve("one.json"), out());
        // a damo record that jdamon reads back: snapshot 4 alone, region 4 accessed at every sample
        var rec = RecordReader.read(json);
        assertThat(rec.records()).hasSize(1);
        assertThat(rec.records().get(0).snapshots()).hasSize(1);
        assertThat(rec.records().get(0).snapshots().get(0).regions().get(4).nrAccesses()).isEqualTo(20);
        assertThat(rec.records().get(0).snapshots().get(0).startNanos()).isEqualTo(400_000_000L);
    }

    @Test
    void nrRegionsRecordInfoAndTimes() {
        assertThat(run("nr_regions", "-i", data.toString())).isEqualTo(0);
        assertThat(out()).contains("# no snapshot (the file has 10; the first 20 are skipped");
        assertThat(run("nr_regions", "-i", data.toString(), "--exclude_samples", "0")).isEqualTo(0);
        assertThat(out()).isEqualTo("# <percentile> <# regions>\n# target_id\t0\n# avr:\t10\n0\t10\n25\t10\n50\t10\n"
                + "75\t10\n100\t10\n");
        assertThat(run("record_info", "-i", data.toString())).isEqualTo(0);
        assertThat(out()).contains("target_id: 0\ntime: [0 ns, 1 s) (1 s)\n")
                .contains("region\t 0: [0x40000000, 0x46400000) (100.000 MiB)");
        assertThat(run("times", "-i", data.toString())).isEqualTo(0);
        assertThat(out()).isEqualTo("0.000000-1.000000\n# (seconds)\n");
    }
}
