package io.jdamon.itests.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.record.DamosStats;
import io.jdamon.record.RecordFileException;
import io.jdamon.record.RecordReader;
import io.jdamon.record.Recording;
import io.jdamon.record.TargetRecord;

/**
 * {@code bin/jdamon} of the real distribution, run as users run it: record
 * a workload for a duration, record a command until it exits, stop on
 * SIGTERM, read the file back with {@code jdamon report}, and refuse bad
 * arguments with a message, the usage and exit status 2.
 */
class CommandLineTest {

    private static final Duration RUN = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    static Distribution dist;

    @BeforeAll
    static void unpack() throws Exception {
        dist = new Distribution(dir);
    }

    @AfterAll
    static void killLeftovers() throws Exception {
        dist.close();
    }

    @Test
    void recordsAWorkloadForADurationAndReportsIt() throws Exception {
        Distribution.Result r = dist.run(dir, RUN, "record", "--sim", "virtual:stairs_30secs", "--duration", "2s",
                "-a", "100ms", "-o", "stairs.data");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("duration reached").contains("snapshots recorded to " + dir.resolve("stairs.data"));

        Recording recording = RecordReader.read(dir.resolve("stairs.data"));
        assertThat(recording.complete()).isTrue();
        assertThat(recording.primitiveName()).isEqualTo("sim");
        List<AggregationSnapshot> snapshots = recording.aggregations();
        // 2 s of 100 ms aggregations; the first one starts with the run, the last may be cut by the stop
        assertThat(snapshots.size()).isBetween(15, 21);
        // each snapshot says how long its aggregation really took (about the 100 ms asked), not the wish
        for (AggregationSnapshot s : snapshots) {
            long elapsedUs = (s.endNanos() - s.startNanos()) / 1_000;
            assertThat(s.aggregationIntervalUs()).isBetween(50_000L, 1_000_000L)
                    .isCloseTo(elapsedUs, org.assertj.core.data.Percentage.withPercentage(1));
        }
        // the first 5 s of stairs_30secs touch all ten 10 MiB regions
        assertThat(snapshots.get(snapshots.size() - 1).workingSetBytes()).isGreaterThan(90L << 20);

        Distribution.Result heatmap = dist.run(dir, RUN, "report", "heatmap", "-i", "stairs.data");
        assertThat(heatmap.exit()).as(heatmap.err()).isZero();
        assertThat(heatmap.out().lines().filter(l -> l.matches("[0-9]{10,}")).count()).isGreaterThan(5);
        Distribution.Result wss = dist.run(dir, RUN, "report", "wss", "-i", "stairs.data");
        assertThat(wss.exit()).as(wss.err()).isZero();
        assertThat(wss.out()).contains("MiB");
    }

    @Test
    void recordsWhatASchemeDidBesideTheMonitoringResults() throws Exception {
        // stairs_30secs touches all ten regions for 5 s, then one at a time: from 6 s on, nine are a second cold
        Distribution.Result r = dist.run(dir, RUN, "record", "--sim", "virtual:stairs_30secs", "--duration", "8s",
                "-a", "100ms", "--damos_action", "pageout", "--damos_access_rate", "0%", "0%", "--damos_age", "1s",
                "max", "-o", "pageout.data");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("scheme 0 pageout");

        Recording recording = RecordReader.read(dir.resolve("pageout.data"));
        assertThat(recording.records()).as("the target's results").hasSize(1);
        assertThat(recording.schemeRecords()).hasSize(1);
        TargetRecord scheme = recording.schemeRecords().get(0);
        assertThat(scheme.schemeAction()).isEqualTo("pageout");
        assertThat(scheme.snapshots()).as("an application per aggregation").hasSizeGreaterThan(40);
        DamosStats last = scheme.snapshots().get(scheme.snapshots().size() - 1).damosStats()
                .orElseThrow();
        assertThat(last.nrApplied()).isPositive();
        assertThat(last.szApplied()).isPositive().isLessThanOrEqualTo(last.szTried());
        Distribution.Result wss = dist.run(dir, RUN, "report", "wss", "-i", "pageout.data");
        assertThat(wss.exit()).as("the reports read the targets as before: " + wss.err()).isZero();
    }

    @Test
    void recordsACommandUntilItExits() throws Exception {
        long begin = System.nanoTime();
        Distribution.Result r = dist.run(dir, RUN, "record", "-o", "sleep.data", "--", "sleep", "2");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("vaddr pid=").contains("the command exited");
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(30));
        Recording recording = RecordReader.read(dir.resolve("sleep.data"));
        assertThat(recording.primitiveName()).isEqualTo("vaddr");
        assertThat(recording.snapshotCount()).isGreaterThan(0);
    }

    /**
     * Issue 13's process: one 1 GiB mapping of which 128 MiB is written continuously and 128 MiB
     * was written once. The referenced sensor sees whole mappings, so nearly every region of the
     * mapping has some sample counted accessed; the record carries the referenced bytes it
     * measured, and {@code report wss} gives those: 128 MiB, within 5%.
     */
    @Test
    void aMappingGranularSensorsRecordGivesTheReferencedBytesAsItsWorkingSet() throws Exception {
        Path source = Path.of("../../bundles/vaddr/src/test/c/wss_workload.c").toAbsolutePath().normalize();
        Path workload = dir.resolve("wss_workload");
        Process cc = new ProcessBuilder("cc", "-O2", "-o", workload.toString(), source.toString(), "-lpthread")
                .redirectErrorStream(true).start();
        String ccOut = new String(cc.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(cc.waitFor(60, TimeUnit.SECONDS) && cc.exitValue() == 0).as("cc: " + ccOut).isTrue();

        Distribution.Result r = dist.run(dir, RUN, "record", "--sensor", "referenced", "-o", "wss.data", "--",
                workload.toString(), "1024", "128", "128", "6");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        Recording rec = RecordReader.read(dir.resolve("wss.data"));
        assertThat(rec.primitiveProperties()).containsEntry("sensor", "referenced")
                .containsEntry("granularity", "mapping").containsEntry("measuredUnit", "mapping");
        assertThat(rec.records().get(0).snapshots()).as("snapshots of a 6 s run").hasSizeGreaterThan(25)
                .allSatisfy(s -> assertThat(s.measuredRounds()).as("every aggregation has measured rounds")
                        .isNotEmpty());

        Distribution.Result wss = dist.run(dir, RUN, "report", "wss", "-i", "wss.data", "--raw_number");
        assertThat(wss.exit()).as(wss.err()).isZero();
        assertThat(wss.out()).contains("mapping-level");
        Distribution.Result regions = dist.run(dir, RUN, "report", "wss", "-i", "wss.data", "--raw_number",
                "--wss_source", "regions");
        System.out.println("referenced, 128 MiB hot of 1 GiB: measured\n" + wss.out() + "regions (damo's count)\n"
                + regions.out());
        long hot = 128L << 20;
        assertThat(percentile(wss.out(), 50)).as(wss.out()).isCloseTo(hot,
                org.assertj.core.data.Percentage.withPercentage(5));

        Distribution.Result heatmap = dist.run(dir, RUN, "report", "heatmap", "-i", "wss.data");
        assertThat(heatmap.exit()).as(heatmap.err()).isZero();
        assertThat(heatmap.out()).contains("mapping-level heat");
    }

    /** @return the value of percentile {@code p} in {@code report wss --raw_number} output */
    private static long percentile(String wssOut, int p) {
        return wssOut.lines().map(String::trim).filter(l -> l.startsWith(p + " ")).findFirst()
                .map(l -> Long.parseLong(l.split("\\s+")[1])).orElseThrow(() -> new AssertionError(
                        "no percentile " + p + " in: " + wssOut));
    }

    /**
     * The command is held before its first instruction until monitoring is armed: the record's
     * start time is before the command's first act (a time stamp it writes), and the first
     * snapshot spans that moment.
     */
    @Test
    void recordsTheCommandFromItsBeginning() throws Exception {
        Path stamp = dir.resolve("started.stamp");
        Distribution.Result r = dist.run(dir, RUN, "record", "-a", "1s", "-o", "gate.data", "--", "bash", "-c",
                "echo $EPOCHREALTIME > " + stamp + "; sleep 3");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        String[] secondsMicros = Files.readString(stamp).trim().split("[.,]");
        Instant commandStarted = Instant.ofEpochSecond(Long.parseLong(secondsMicros[0]),
                Long.parseLong(secondsMicros[1]) * 1_000);

        Path file = dir.resolve("gate.data");
        Matcher started = Pattern.compile("\"started\": \"([^\"]+)\"").matcher(Files.readString(file));
        assertThat(started.find()).as("the record says when it started").isTrue();
        Instant recordStarted = Instant.parse(started.group(1));
        assertThat(recordStarted).as("the record starts before the command's first act").isBefore(commandStarted);
        List<AggregationSnapshot> snapshots = RecordReader.read(file).aggregations();
        assertThat(snapshots).as("snapshots of a 3 s command at 1 s each").isNotEmpty();
        AggregationSnapshot first = snapshots.get(0);
        long atNanos = Duration.between(recordStarted, commandStarted).toNanos();
        assertThat(atNanos).as("the first snapshot spans the command's start").isBetween(first.startNanos(),
                first.endNanos());
    }

    @Test
    void stopsCleanlyOnSigterm() throws Exception {
        Path file = dir.resolve("term.data");
        ProcessBuilder b = new ProcessBuilder("bash", dist.home.resolve("bin/jdamon").toString(), "record",
                "--sim", "virtual:stairs", "-o", file.toString()).directory(dir.toFile())
                .redirectOutput(dir.resolve("term.out").toFile()).redirectErrorStream(true);
        b.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = b.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (snapshots(file) < 5) {
                assertThat(System.nanoTime()).as("5 snapshots within 30 s; output: "
                        + Files.readString(dir.resolve("term.out"))).isLessThan(deadline);
                assertThat(p.isAlive()).isTrue();
                Thread.sleep(100);
            }
            p.destroy(); // SIGTERM, handled as Ctrl-C
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String out = Files.readString(dir.resolve("term.out"));
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(out).contains("interrupted;");
            Recording recording = RecordReader.read(file);
            assertThat(recording.complete()).as("the recorder finished the file").isTrue();
            assertThat(recording.snapshotCount()).isGreaterThanOrEqualTo(5);
        } finally {
            p.destroyForcibly();
        }
    }

    private static int snapshots(Path file) {
        try {
            return Files.exists(file) ? RecordReader.read(file).snapshotCount() : 0;
        } catch (RecordFileException e) {
            return 0;
        }
    }

    @Test
    void aFileThatCannotBeWrittenFailsWithTheReasonAndStatus1() throws Exception {
        Distribution.Result noFolder = dist.run(dir, RUN, "record", "-d", "1s", "-o", "no/such/folder/x.data");
        assertThat(noFolder.exit()).isEqualTo(1);
        assertThat(noFolder.err()).contains("the folder " + dir.resolve("no/such/folder") + " does not exist");

        // a device is refused before it is opened (issue 12 B6: only regular files are written)
        Distribution.Result full = dist.run(dir, RUN, "record", "--sim", "virtual:stairs", "-d", "5s", "-o",
                "/dev/full");
        assertThat(full.exit()).isEqualTo(1);
        assertThat(full.err()).contains("jdamon record: recording stopped: ").contains("not a regular file")
                .doesNotContain("\tat ");
        assertThat(Files.readAttributes(Path.of("/dev/full"), BasicFileAttributes.class).isOther())
                .as("/dev/full is still the device, not replaced by a file").isTrue();
    }

    @Test
    void recordsACommandWithDamosFlags() throws Exception {
        // damo's spellings: intervals, region limits, timeout, output type, fixed ranges, a positional command
        Distribution.Result r = dist.run(dir, RUN, "record", "--monitoring_intervals", "5ms", "100ms", "1s",
                "--monitoring_nr_regions_range", "10", "100", "--timeout", "2", "--output_type", "json_compressed",
                "-r", "4096-0x7fffffffffff", "-o", "damo-flags.data", "sleep 30");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("duration reached");
        Path file = dir.resolve("damo-flags.data");
        assertThat(Files.readAllBytes(file)[0]).as("json_compressed: zlib's first byte").isEqualTo((byte) 0x78);
        Recording recording = RecordReader.read(file);
        assertThat(recording.aggregations()).hasSizeBetween(10, 21);
        for (AggregationSnapshot s : recording.aggregations()) {
            List<io.jdamon.api.RegionSnapshot> regions = s.targets().get(0).regions();
            assertThat(regions.size()).isBetween(10, 100);
            assertThat(regions.get(0).start()).as("the fixed range, not the mappings").isEqualTo(4096);
            assertThat(regions.get(regions.size() - 1).end()).isEqualTo(0x800000000000L);
        }
    }

    @Test
    void badArgumentsGiveAMessageTheUsageAndStatus2() throws Exception {
        Distribution.Result regions = dist.run(dir, RUN, "record", "--nr_regions", "2,1000");
        assertThat(regions.exit()).isEqualTo(2);
        assertThat(regions.err()).contains("jdamon record: --nr_regions: minNrRegions is 2 but must be at least 3")
                .contains("usage: jdamon record").doesNotContain("Exception").doesNotContain("\tat ");

        Distribution.Result unknown = dist.run(dir, RUN, "record", "--sample");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("--sample needs a value, e.g. --sample 100ms");

        Distribution.Result pid = dist.run(dir, RUN, "record", "--pid", "2147483647", "-o", "none.data");
        assertThat(pid.exit()).isEqualTo(2);
        assertThat(pid.err()).contains("no process with PID 2147483647");

        Distribution.Result command = dist.run(dir, RUN, "frobnicate");
        assertThat(command.exit()).isEqualTo(2);
        assertThat(command.err()).contains("unknown command 'frobnicate'").contains("usage: jdamon <command>");

        Distribution.Result help = dist.run(dir, RUN, "record", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("-o, --out FILE").contains("--nr_regions MIN,MAX")
                .contains("--monitoring_intervals SAMPLE AGGR UPDATE").contains("-r, --regions \"START-END ...\"");
    }
}
