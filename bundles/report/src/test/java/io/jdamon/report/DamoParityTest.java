package io.jdamon.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.Primitive;
import io.jdamon.api.StartMode;
import io.jdamon.core.internal.DamonEngine;
import io.jdamon.record.RecordReader;
import io.jdamon.record.Recording;
import io.jdamon.record.RecordingCallback;
import io.jdamon.report.internal.ReportCommand;
import io.jdamon.sim.internal.SimPrimitive;
import io.jdamon.vaddr.internal.VaddrPrimitive;

/**
 * damo 3.3.0 itself reads the records jdamon's recorder writes of real
 * engine runs (sim, vaddr of this JVM, two sim targets), and its reports
 * must print what jdamon's print, digit for digit: wss (with its defaults
 * and its target options), heatmap {@code --output raw}, access (region by
 * region), nr_regions, record_info and times. Skipped with a message where
 * python3 or damo is missing. The default build runs a quick share; the
 * whole comparison runs with {@code mvn -Pdamo -pl bundles/report verify}.
 */
class DamoParityTest {

    /** The tag of the full comparison, run with {@code -Pdamo} (about forty damo runs, a minute or more). */
    static final String FULL = "damo-full";

    @TempDir
    static Path dir;

    static Path sim;
    static Path vaddr;
    static Path multi;
    static List<String> damo;

    @BeforeAll
    static void recordAndFindDamo() throws Exception {
        damo = damoCommand();
        assumeTrue(damo != null, "damo 3.3.0 (shared/peers) or python3 is missing: the damo parity checks are skipped");
        MonitoringAttributes attrs = new MonitoringAttributes(1_000, 20_000, 200_000, 10, 200);
        sim = record("sim", new SimPrimitive(), List.of("virtual:stairs_30secs,size=1GiB"), attrs, 45, null);
        multi = record("multi", new SimPrimitive(), List.of("virtual:stairs_30secs,size=256MiB",
                "virtual:zigzag_30secs,size=512MiB"), attrs, 45, null);
        // this JVM, touching 32 MiB while it is recorded: off-heap, a mapping of its own, since the
        // referenced sensor sees mappings (32 MiB inside a heap reservation of gigabytes would show
        // as a sliver, and with one sample per aggregation often as nothing)
        java.nio.ByteBuffer busy = java.nio.ByteBuffer.allocateDirect(32 << 20);
        Thread toucher = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                for (int i = 0; i < busy.capacity(); i += 4096) {
                    busy.put(i, (byte) (busy.get(i) + 1));
                }
            }
        });
        toucher.setDaemon(true);
        vaddr = record("vaddr", new VaddrPrimitive(), List.of("pid=self,sensor=referenced"),
                new MonitoringAttributes(5_000, 50_000, 500_000, 10, 200), 30, toucher);
    }

    private static Path record(String name, Primitive p, List<String> targets, MonitoringAttributes attrs,
            int aggregations, Thread during) throws Exception {
        Path file = dir.resolve(name + ".data");
        DamonEngine engine = new DamonEngine();
        String primitive = p instanceof SimPrimitive ? SimPrimitive.NAME : VaddrPrimitive.NAME;
        MonitoringContext ctx = engine.newContext(new ContextDefinition(name, primitive, targets, attrs), p);
        ctx.addCallback("record", new RecordingCallback(file, false));
        if (during != null) {
            during.start();
        }
        engine.start(List.of(ctx), StartMode.SHARED);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (ctx.status().aggregations() < aggregations && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        engine.stop(List.of(ctx));
        if (during != null) {
            during.interrupt();
            during.join();
        }
        Recording rec = RecordReader.read(file);
        for (int t = 0; t < targets.size(); t++) {
            assertThat(rec.aggregations(t)).as(name).hasSizeGreaterThanOrEqualTo(aggregations);
        }
        return file;
    }

    /**
     * The quick share of the checks below, in every build (about ten damo
     * runs): each kind of record, each report damo and jdamon both have.
     */
    @Test
    void damoAndJdamonPrintTheSameNumbersOnEachKindOfRecord() throws Exception {
        assertThat(jdamonBlock("wss", "-i", multi.toString())).isEqualTo(damo("wss", "-i", multi.toString()));
        for (Path f : List.of(sim, vaddr)) {
            // the vaddr record (this JVM, referenced) is compared over all its snapshots (damo's default skips
            // 20), by region sizes as damo counts them; jdamon's default for it is the measured referenced
            // bytes, which damo does not read, and which must show a working set where regions may show none
            // (the sensor samples about once per aggregation on this JVM, so most regions read idle)
            String[] wss = f == vaddr ? new String[] {"wss", "-i", f.toString(), "--raw_number", "--exclude_samples", "0"}
                    : new String[] {"wss", "-i", f.toString(), "--raw_number"};
            String mine = jdamonBlock(f == vaddr ? regionsWss(wss) : wss);
            if (f == sim) { // a real working set, not two programs agreeing on nothing
                assertThat(firstNumber(mine, "100 ")).as(f.toString()).isPositive();
            } else {
                assertThat(firstNumber(jdamonBlock(wss), " 50 ")).as("measured wss of " + f).isPositive();
            }
            assertThat(mine).as(f.toString()).isEqualTo(damo(wss));
        }
        for (Path f : List.of(vaddr, multi)) {
            Range hottest = HeatmapPick.hottest(RecordReader.read(f));
            String[] args = {"heatmap", "-i", f.toString(), "--output", "raw", "--resol", "6", "8",
                    "--address_range", Long.toString(hottest.start()), Long.toString(hottest.end())};
            assertThat(jdamon(args)).as(f.toString()).isEqualTo(damo(args));
        }
        String[] dflt = {"heatmap", "-i", sim.toString(), "--output", "raw", "--resol", "8", "10", "--draw_range",
                "hottest"};
        assertThat(jdamon(dflt)).isEqualTo(damo(dflt));
        for (Path f : List.of(vaddr, multi)) {
            assertThat(accessOfJdamon(f, 25)).as(f.toString()).isNotEmpty().isEqualTo(accessOfDamo(f, 25));
        }
        assertThat(jdamon("nr_regions", "-i", multi.toString())).isEqualTo(damo("nr_regions", "-i", multi.toString()));
    }

    /** @return the wss arguments with jdamon's {@code --wss_source regions}: region sizes, as damo counts */
    private static String[] regionsWss(String... args) {
        String[] out = java.util.Arrays.copyOf(args, args.length + 2);
        out[args.length] = "--wss_source";
        out[args.length + 1] = "regions";
        return out;
    }

    @Test
    @Tag(FULL)
    void wssWithNoOptionsPrintsWhatDamoPrints() throws Exception {
        for (Path f : List.of(sim, vaddr, multi)) {
            // damo's defaults: the first 20 snapshots skipped, targets summed rank by rank, bars of 59 columns
            assertThat(jdamonBlock(regionsWss("wss", "-i", f.toString()))).as(f.toString()).isEqualTo(damo("wss",
                    "-i", f.toString()));
            assertThat(jdamonBlock(regionsWss("wss", "-i", f.toString(), "--raw_number"))).isEqualTo(damo("wss",
                    "-i", f.toString(), "--raw_number"));
        }
    }

    @Test
    @Tag(FULL)
    void wssTakesDamosOptionsWithDamosMeaning() throws Exception {
        String[][] options = {{"--per_target"}, {"--collapse_targets"}, {"--sortby", "time"},
                {"--range", "0", "100", "10"}, {"--exclude_samples", "0", "--acc_thres", "3"},
                {"--sz_thres", "4096", "--raw_number"}, {"--all_wss", "--raw_number"}, {"--work_time", "1"},
                {"-r", "5", "96", "30", "-s", "size", "-t", "2"}};
        for (String[] o : options) {
            List<String> args = new ArrayList<>(List.of("wss", "-i", multi.toString()));
            args.addAll(List.of(o));
            assertThat(jdamonBlock(args.toArray(String[]::new))).as(String.join(" ", o))
                    .isEqualTo(damo(args.toArray(String[]::new)));
        }
        // jdamon's other way of summing targets: snapshot by snapshot, then sorted
        String snapshots = jdamonBlock("wss", "-i", multi.toString(), "--sum", "snapshots", "--raw_number");
        String ranks = jdamonBlock("wss", "-i", multi.toString(), "--raw_number");
        assertThat(firstNumber(snapshots, "  0 ")).isGreaterThanOrEqualTo(firstNumber(ranks, "  0 "));
        assertThat(firstNumber(snapshots, "100 ")).isLessThanOrEqualTo(firstNumber(ranks, "100 "));
    }

    @Test
    @Tag(FULL)
    void heatmapRawIsDamosPixelListDigitForDigit() throws Exception {
        for (Path f : List.of(sim, vaddr, multi)) {
            Recording rec = RecordReader.read(f);
            Range hottest = HeatmapPick.hottest(rec);
            String[] ranges = {"--resol", "12", "16", "--address_range", Long.toString(hottest.start()),
                    Long.toString(hottest.end()), "--time_range", "0", Long.toString(
                            rec.records().get(0).snapshots().get(rec.records().get(0).snapshots().size() - 1)
                                    .endNanos())};
            List<String> args = new ArrayList<>(List.of("heatmap", "-i", f.toString(), "--output", "raw"));
            args.addAll(List.of(ranges));
            String mine = jdamon(args.toArray(String[]::new));
            assertThat(mine.lines().count()).isEqualTo(12 * 16);
            assertThat(mine).as(f.toString()).isEqualTo(damo(args.toArray(String[]::new)));
            // damo's own default ranges: its hottest range and its guided time span
            // (damo's default target is the one with the most space, jdamon's the first: --tid 0 for both)
            String[] dflt = {"heatmap", "-i", f.toString(), "--output", "raw", "--resol", "8", "10", "--draw_range",
                    "hottest", "--abs_addr", "--tid", "0"};
            assertThat(jdamon(dflt)).as(f + " defaults").isEqualTo(damo(dflt));
        }
    }

    @Test
    @Tag(FULL)
    void accessShowsDamosRegionsRatesAndAges() throws Exception {
        for (Path f : List.of(sim, vaddr, multi)) {
            int n = RecordReader.read(f).records().get(0).snapshots().size();
            for (int idx : new int[] {0, n / 2, n - 1}) {
                assertThat(accessOfJdamon(f, idx)).as(f + " snapshot " + idx).isNotEmpty()
                        .isEqualTo(accessOfDamo(f, idx));
            }
        }
    }

    private static final Pattern DAMO_REGION = Pattern.compile(
            "^\\d+\\s+addr (\\d+)\\s+size (\\d+)\\s+access (\\S+)\\s+age (\\d+)\\s*$");
    private static final Pattern JSON_REGION = Pattern.compile("\\{\"start\": (\\d+), \"end\": (\\d+), "
            + "\"nr_accesses\": \\{\"samples\": (\\d+), \"percent\": \\d+\\}, \"age\": \\{\"usec\": (\\d+)");

    /** @return damo's {@code access --raw_number} regions of snapshot idx: start, size, Hz, age in us */
    private static List<String> accessOfDamo(Path f, int idx) throws Exception {
        List<String> theirs = new ArrayList<>();
        for (String l : damo("access", "-i", f.toString(), "--raw_number", "--snapshot_idx", "" + idx, "" + idx)
                .split("\n")) {
            Matcher m = DAMO_REGION.matcher(l);
            if (m.matches()) {
                theirs.add(m.group(1) + " " + m.group(2) + " " + m.group(3) + " " + m.group(4));
            }
        }
        return theirs;
    }

    /** @return the same of jdamon's {@code access --json}, every target in turn as damo shows them */
    private static List<String> accessOfJdamon(Path f, int idx) throws Exception {
        Recording rec = RecordReader.read(f);
        long aggrUs = rec.records().get(0).aggregationIntervalUs();
        List<String> mine = new ArrayList<>();
        for (int t = 0; t < rec.records().size(); t++) {
            Matcher m = JSON_REGION.matcher(jdamon("access", "-i", f.toString(), "--target", "" + t,
                    "--snapshot_idx", "" + idx, "" + idx, "--json"));
            while (m.find()) {
                long start = Long.parseLong(m.group(1));
                long end = Long.parseLong(m.group(2));
                double hz = Integer.parseInt(m.group(3)) / (aggrUs / 1_000_000.0);
                mine.add(start + " " + (end - start) + " " + String.format(Locale.ROOT, "%f", hz) + " " + m.group(4));
            }
        }
        return mine;
    }

    @Test
    @Tag(FULL)
    void nrRegionsRecordInfoAndTimesAsDamoPrintsThem() throws Exception {
        for (Path f : List.of(sim, vaddr, multi)) {
            assertThat(jdamon("nr_regions", "-i", f.toString())).as(f.toString())
                    .isEqualTo(damo("nr_regions", "-i", f.toString()));
            assertThat(jdamon("record_info", "-i", f.toString(), "--raw_numbers")).as(f.toString())
                    .isEqualTo(damo("record_info", "-i", f.toString(), "--raw_numbers"));
            assertThat(jdamon("times", "--inputs", f.toString(), f.toString())).as(f.toString())
                    .isEqualTo(damo("times", "--inputs", f.toString(), f.toString()));
        }
    }

    @Test
    @Tag(FULL)
    void accessJsonIsARecordDamoReads() throws Exception {
        Path json = dir.resolve("access.json");
        Files.writeString(json, jdamon("access", "-i", sim.toString(), "--snapshot_idx", "0", "29", "--json"));
        // damo sees in it exactly the first 30 snapshots of the original file
        assertThat(damo("access", "-i", json.toString(), "--raw_number")).isEqualTo(damo("access", "-i",
                sim.toString(), "--raw_number", "--snapshot_idx", "0", "29"));
    }

    private static long firstNumber(String text, String prefix) {
        return Long.parseLong(text.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow().trim()
                .split("\\s+")[1]);
    }

    /** The hottest range by damo's measure, for explicit heatmap ranges. */
    static final class HeatmapPick {
        static Range hottest(Recording rec) {
            var snaps = rec.aggregations(0);
            return io.jdamon.report.internal.TestAccess.hottest(Heatmap.coveredRanges(snaps, 0), snaps);
        }
    }

    /** @return jdamon's report output, exit status 0 asserted */
    private static String jdamon(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new ReportCommand().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as("jdamon report %s: %s", String.join(" ", args), err).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** @return jdamon's output from damo's first line on (jdamon's own comment lines before it left out) */
    private static String jdamonBlock(String... args) {
        String s = jdamon(args);
        int at = s.indexOf("# target_id");
        return at < 0 ? s : s.substring(at);
    }

    private static String damo(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(damo);
        cmd.add("report");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PATH", peers().resolve("bin") + ":" + System.getenv("PATH"));
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("damo report %s: %s", String.join(" ", args), text).isZero();
        return text;
    }

    /** The shared peers folder: {@code shared/peers} beside a parent of the working directory. */
    private static Path peers() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared").resolve("peers");
            if (Files.isDirectory(c.resolve("damo-3.3.0"))) {
                return c;
            }
        }
        return null;
    }

    /**
     * @return how to run damo: the peers' wrapper when it works, else its
     *     python entry point directly (the same unmodified damo); null if
     *     either python3 or damo is missing
     */
    private static List<String> damoCommand() throws InterruptedException {
        Path peers = peers();
        if (peers == null) {
            return null;
        }
        for (List<String> c : List.of(List.of(peers.resolve("damo").toString()),
                List.of("python3", peers.resolve("damo-3.3.0/src/damo.py").toString()))) {
            try {
                List<String> v = new ArrayList<>(c);
                v.add("version");
                Process p = new ProcessBuilder(v).redirectErrorStream(true).start();
                String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 && text.startsWith("3.3")) {
                    return c;
                }
            } catch (IOException e) {
                // not runnable this way
            }
        }
        return null;
    }
}
