package io.jdamon.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.report.internal.ReportCommand;
import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.TargetSnapshot;
import io.jdamon.record.RecordWriter;

class ReportCommandTest {

    @TempDir
    Path dir;

    Path data;
    final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();

    @BeforeEach
    void writeStairsRecord() throws Exception {
        data = dir.resolve("damon.data");
        try (RecordWriter w = RecordWriter.create(data, new RecordWriter.Header("stairs", 0, 0,
                MonitoringAttributes.DEFAULTS, "sim", Map.of("sensor", "simulated"), List.of("stairs")), false)) {
            for (AggregationSnapshot s : Stairs.snapshots()) {
                w.append(s);
            }
        }
    }

    /** Everything every run of this test wrote to the error stream. */
    final List<String> errs = new ArrayList<>();

    private int run(String... args) {
        outBytes.reset();
        errBytes.reset();
        int code = new ReportCommand().run(args, new PrintStream(outBytes, true, StandardCharsets.UTF_8),
                new PrintStream(errBytes, true, StandardCharsets.UTF_8));
        errs.add(err());
        return code;
    }

    private String out() {
        return outBytes.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return errBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void heatmapTextFromARecordFile() {
        assertThat(run("report", "heatmap", "-i", data.toString(), "--resol", "10x10")).isEqualTo(0);
        String[] lines = out().split("\n");
        assertThat(lines[0]).isEqualTo("9000000000");
        assertThat(lines[5]).isEqualTo("0000090000");
        assertThat(lines[9]).isEqualTo("0000000009");
        assertThat(out()).contains("# stairs, target 0 (stairs); primitive sim (sensor=simulated)");
        assertThat(err()).isEmpty();
        // default resolution like damo's text heatmap: 40 rows x 80 columns
        assertThat(run("heatmap", "--input", data.toString())).isEqualTo(0);
        assertThat(out().split("\n")[0]).hasSize(80);
        assertThat(out().lines().filter(l -> l.matches("[0-9]+")).count()).isEqualTo(40);
        // zoom with ranges (damo's spelling works too)
        assertThat(run("heatmap", "-i", data.toString(), "--resol", "2x2", "--address_range",
                "0x40000000", "0x41400000", "--time-range", "0", "200ms")).isEqualTo(0);
        assertThat(out()).startsWith("90\n09\n");
    }

    @Test
    void heatmapPngWritesAnImageOfTheRequestedSize() throws Exception {
        Path png = dir.resolve("out.png");
        assertThat(run("heatmap", "-i", data.toString(), "--png", png.toString(), "--png-size", "800x500"))
                .isEqualTo(0);
        assertThat(out()).contains("written to " + png).contains("800x500");
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(800);
        assertThat(img.getHeight()).isEqualTo(500);
        long yellow = 0;
        for (int y = 0; y < 500; y++) {
            for (int x = 0; x < 800; x++) {
                if ((img.getRGB(x, y) & 0xffffff) == 0xffff00) {
                    yellow++;
                }
            }
        }
        assertThat(yellow).isGreaterThan(1000);
    }

    @Test
    void wssAndAccessReports() {
        // damo's default skips the first 20 snapshots: all 10 of this file
        assertThat(run("wss", "-i", data.toString())).isEqualTo(0);
        assertThat(out()).startsWith("# recorded by primitive sim (sensor=simulated)\n").contains("# no snapshot");
        assertThat(err()).contains("all within the first 20 that are skipped (damo's default); count them with "
                + "--exclude_samples 0");
        assertThat(run("wss", "-i", data.toString(), "--exclude_samples", "0")).isEqualTo(0);
        // damo's layout: %3d %15s and a bar
        assertThat(out()).contains("# avr:\t10.000 MiB").contains(" 50      10.000 MiB |").contains("100      10.000 MiB |");
        assertThat(run("wss", "-i", data.toString(), "--target", "0", "--percentiles", "10,90", "--raw",
                "--exclude_samples=0")).isEqualTo(0);
        assertThat(out()).contains(" 10        10485760").contains(" 90        10485760").doesNotContain(" 50 ");

        assertThat(run("access", "-i", data.toString(), "--snapshot", "3")).isEqualTo(0);
        String[] lines = out().split("\n");
        // which primitive and sensor recorded it comes first
        assertThat(lines[0]).isEqualTo("# recorded by primitive sim (sensor=simulated)");
        assertThat(lines[1]).startsWith("# snapshot 3 of 10 (aggregation 3): 300 ms - 400 ms, target 0 (stairs)");
        assertThat(lines).hasSize(1 + 2 + 10 + 1);
        assertThat(lines[3 + 3]).contains("0x41e00000").contains("10.000 MiB").contains("100.0 %");
        assertThat(lines[3 + 4]).contains("0.0 %").contains("300 ms (3 aggregations)");
        assertThat(run("access", "-i", data.toString())).isEqualTo(0);
        assertThat(out()).contains("\n# snapshot 9 of 10");
    }

    @Test
    void defaultInputIsDamonDataInTheWorkingDirectory() {
        // run from a directory without damon.data: the message names the default file
        assertThat(run("wss")).isEqualTo(1);
        assertThat(err()).contains("damon.data: no such file");
    }

    @Test
    void eachReportPrintsItsOwnUsageWithHelp() {
        String[][] cases = {{"heatmap", "--address-range, --address_range START END", "--snapshot"},
                {"wss", "--percentiles LIST", "--address-range"}, {"access", "--snapshot N", "--percentiles"}};
        for (String[] c : cases) {
            for (String help : new String[] {"--help", "-h"}) {
                // also after other options, and with the leading 'report' the launcher passes on
                assertThat(run("report", c[0], "-i", "missing.data", help)).as(c[0] + " " + help).isEqualTo(0);
                assertThat(out()).startsWith("usage: report " + c[0] + " [options]\n").contains(c[1])
                        .doesNotContain(c[2]).contains("exit status: 0 ok");
                assertThat(err()).isEmpty();
            }
        }
    }

    @Test
    void heatmapOfAFileWithOverlappingSnapshotTimesStaysAtMostAHundredPercent() throws Exception {
        // as the recorder wrote them before it used the engine's end times: each snapshot ends 0.3 ms late
        Path late = dir.resolve("late.data");
        try (RecordWriter w = RecordWriter.create(late, new RecordWriter.Header("stairs", 0, 0,
                MonitoringAttributes.DEFAULTS, "sim", Map.of(), List.of("stairs")), false)) {
            for (AggregationSnapshot s : Stairs.snapshots()) {
                // every region accessed at every sample, so the overlaps would count the same cells twice
                List<RegionSnapshot> hot = new ArrayList<>();
                for (RegionSnapshot r : s.targets().get(0).regions()) {
                    hot.add(new RegionSnapshot(r.start(), r.end(), 20, 0));
                }
                w.append(new AggregationSnapshot(s.contextName(), s.aggregationIndex(), s.startNanos(),
                        s.endNanos() + 300_000, s.sampleIntervalUs(), s.aggregationIntervalUs(),
                        List.of(new TargetSnapshot(0, "stairs", hot))));
            }
        }
        assertThat(run("heatmap", "-i", late.toString(), "--resol", "4x10")).isEqualTo(0);
        assertThat(out()).contains("(9 = 100.0% of samples accessed)");
        assertThat(out().lines().filter(l -> l.matches("[0-9]+"))).hasSize(4).allMatch(l -> l.equals("9999999999"));
    }

    @Test
    void usageErrorsExitWithTwoAndSayWhatToFix() {
        assertThat(run()).isEqualTo(2);
        assertThat(err()).contains("usage: report heatmap|wss|access");
        assertThat(run("bogus")).isEqualTo(2);
        assertThat(err()).contains("unknown report 'bogus'; use heatmap, wss, access, nr_regions, record_info, times, "
                + "repair or convert");
        assertThat(run("heatmap", "-i", data.toString(), "--frobnicate")).isEqualTo(2);
        assertThat(err()).contains("unknown option '--frobnicate' for 'report heatmap'");
        assertThat(run("heatmap", "-i", data.toString(), "--resol", "40by80")).isEqualTo(2);
        assertThat(err()).contains("--resol 40by80 is not ROWSxCOLS");
        assertThat(run("heatmap", "-i")).isEqualTo(2);
        assertThat(err()).contains("-i needs a value");
        assertThat(run("access", "-i", data.toString(), "--target", "4")).isEqualTo(2);
        assertThat(err()).contains("--target 4 does not exist; " + data + " has 1 target(s), 0 to 0");
        assertThat(run("access", "-i", data.toString(), "--snapshot", "10")).isEqualTo(2);
        assertThat(err()).contains("has 10 snapshots (0 to 9, or -1 for the last)");
        assertThat(run("wss", "-i", data.toString(), "--percentiles", "50,101")).isEqualTo(2);
        assertThat(err()).contains("101 is not between 0 and 100");
        assertThat(run("heatmap", "-i", data.toString(), "--time-range", "2s", "1s")).isEqualTo(2);
        assertThat(err()).contains("END (1s) must be greater than START (2s)");
        assertThat(run("heatmap", "-i", data.toString(), "--png-size", "10x10")).isEqualTo(2);
        assertThat(err()).contains("--png-size needs --png FILE");
        assertThat(run("--help")).isEqualTo(0);
        assertThat(out()).contains("--snapshot N");
    }

    @Test
    void sizesTooLargeToDrawAreUsageErrorsNotCrashes() {
        // 100000x100000 cells would need 80 GB of heap; 60000x60000 pixels overflow an image's int size
        assertThat(run("heatmap", "-i", data.toString(), "--resol", "100000x100000")).isEqualTo(2);
        assertThat(err()).contains("--resol 100000x100000 is too large").contains("at most")
                .doesNotContain("Exception").doesNotContain("internal error");
        assertThat(run("heatmap", "-i", data.toString(), "--resol", "1x20000")).isEqualTo(2);
        assertThat(err()).contains("--resol 1x20000 is too large");
        Path png = dir.resolve("huge.png");
        assertThat(run("heatmap", "-i", data.toString(), "--png", png.toString(), "--png-size", "60000x60000"))
                .isEqualTo(2);
        assertThat(err()).contains("--png-size 60000x60000 is too large").contains("at most")
                .doesNotContain("Exception").doesNotContain("internal error");
        assertThat(png).doesNotExist();
        // the largest allowed still works
        assertThat(run("heatmap", "-i", data.toString(), "--resol", "1000x4000")).isEqualTo(0);
        assertThat(out().split("\n")[0]).hasSize(4000);
    }

    @Test
    void dataProblemsExitWithOneAndNoStackTrace() throws Exception {
        Path missing = dir.resolve("missing.data");
        assertThat(run("heatmap", "-i", missing.toString())).isEqualTo(1);
        assertThat(err()).startsWith("report: " + missing + ": no such file");

        Path foreign = Files.writeString(dir.resolve("foreign.json"), "{\"hello\": \"world\"}");
        assertThat(run("wss", "-i", foreign.toString())).isEqualTo(1);
        assertThat(err()).contains(foreign + ": is JSON but not a DAMON record file");

        byte[] bytes = Files.readAllBytes(data);
        bytes[new String(bytes, StandardCharsets.US_ASCII).indexOf("{\"start\"", bytes.length / 2)] = '!';
        Path corrupt = Files.write(dir.resolve("corrupt.data"), bytes);
        assertThat(run("access", "-i", corrupt.toString())).isEqualTo(1);
        assertThat(err()).contains(corrupt + ": is corrupt:").contains("line ");

        Path noSnapshots = Files.writeString(dir.resolve("young.data"), "[\n{\"kdamond_idx\": 0, \"snapshots\": [");
        assertThat(run("heatmap", "-i", noSnapshots.toString())).isEqualTo(1);
        assertThat(err()).contains("holds no complete snapshot yet");

        Path unwritable = dir.resolve("plain").resolve("x.png");
        Files.writeString(dir.resolve("plain"), "");
        assertThat(run("heatmap", "-i", data.toString(), "--png", unwritable.toString())).isEqualTo(1);
        assertThat(err()).contains("cannot write " + unwritable + ": " + dir.resolve("plain")
                + " is a file, not a directory");

        assertThat(errs).hasSize(5);
        for (String e : errs) {
            assertThat(e).doesNotContain("\tat ").doesNotContain("Exception");
        }
    }

    @Test
    void aFileStillBeingWrittenIsReportedUpToItsLastCompleteSnapshot() throws Exception {
        byte[] whole = Files.readAllBytes(data);
        String text = new String(whole, StandardCharsets.US_ASCII);
        int cut = text.indexOf("\"jdamon_aggregation\": 6") + 10; // inside snapshot 6
        Path partial = Files.write(dir.resolve("partial.data"), Arrays.copyOf(whole, cut));
        assertThat(run("access", "-i", partial.toString())).isEqualTo(0);
        assertThat(out()).contains("\n# snapshot 5 of 6");
        assertThat(err()).contains("note: " + partial + " was left unfinished (cut short, e.g. by a full disk or "
                + "kill -9); using its 6 complete snapshots")
                .contains("run 'jdamon report repair -i " + partial + "' to fix it in place");
    }
}
