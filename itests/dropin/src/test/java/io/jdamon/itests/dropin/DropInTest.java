package io.jdamon.itests.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.record.RecordReader;
import io.jdamon.record.Recording;

/**
 * Issue 5 item 5, end to end: a primitive bundle and a context configuration
 * copied into deploy/ of a running {@code jdamon container} (the real
 * distribution, a separate process) make a context that starts and produces
 * aggregations, seen from outside through the shell's {@code jdamon:status}
 * and the record file; removing the jar takes the primitive away again.
 */
class DropInTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The test primitive's pattern 'half': the lower half of 1 MiB is accessed at every sample. */
    private static final long HALF_MIB = 512 * 1024;

    @TempDir
    Path dir;

    @Test
    void aPrimitiveBundleAndAContextDroppedIntoDeployStartMonitoring() throws Exception {
        Path primitiveJar = Path.of(System.getProperty("jdamon.dropin.primitive",
                "target/dropin-bundles/io.jdamon.itests.primitive.jar"));
        assertThat(primitiveJar).isRegularFile();
        Path recordFile = dir.resolve("dropin.data");

        try (Distribution dist = new Distribution(dir)) {
            Distribution.Container container = dist.container(dir);
            // the platform is up and knows no context yet
            container.pollUntil("jdamon:status", 0, l -> l.startsWith("no contexts"), WAIT, 1_000);

            // a recorder and a context for the primitive 'itest', which nothing provides yet
            Distribution.drop("io.jdamon.record-dropin.cfg", "name = dropin-recorder\nfile = " + recordFile + "\n",
                    dist.deploy());
            Distribution.drop("io.jdamon.context-dropin.cfg", """
                    primitive = itest
                    targets = half
                    sampleIntervalUs = 5000
                    aggregationIntervalUs = 50000
                    minNrRegions = 3
                    maxNrRegions = 100
                    callbacks = dropin-recorder
                    """, dist.deploy());
            String waiting = container.pollUntil("jdamon:status", 0,
                    l -> l.startsWith("dropin ") && l.contains(" WAITING "), WAIT, 500);
            assertThat(waiting).contains("primitive=itest");
            assertThat(recordFile).doesNotExist();

            // the primitive bundle arrives: the context starts and aggregates
            Distribution.drop(primitiveJar, dist.deploy());
            Pattern running = Pattern.compile("^dropin\\s+RUNNING .*aggregations=(\\d+) .*");
            String line = container.pollUntil("jdamon:status", 0, l -> {
                Matcher m = running.matcher(l);
                return m.matches() && Long.parseLong(m.group(1)) >= 10;
            }, WAIT, 500);
            assertThat(line).contains("primitive=itest");
            Matcher wss = Pattern.compile("wss=([0-9.]+) KiB").matcher(line);
            assertThat(wss.find()).as("a WSS in KiB in " + line).isTrue();
            // regions straddling the accessed half's end count whole, so allow a quarter either way
            assertThat(Double.parseDouble(wss.group(1))).isBetween(384.0, 640.0);

            // the record file, written by the recorder configured in deploy/, holds those aggregations
            Recording recording = RecordReader.read(recordFile);
            List<AggregationSnapshot> snapshots = recording.aggregations();
            assertThat(snapshots).hasSizeGreaterThanOrEqualTo(5);
            AggregationSnapshot last = snapshots.get(snapshots.size() - 1);
            assertThat(last.targets()).hasSize(1);
            assertThat(last.targets().get(0).totalBytes()).isEqualTo(2 * HALF_MIB);
            assertThat(last.workingSetBytes()).isBetween(HALF_MIB * 3 / 4, HALF_MIB * 5 / 4);

            // the jar leaves deploy/: the primitive goes, the context stops and waits for it again
            int from = container.output().length();
            Files.delete(dist.deploy().resolve(primitiveJar.getFileName()));
            String gone = container.pollUntil("jdamon:status", from,
                    l -> l.startsWith("dropin ") && l.contains(" WAITING "), WAIT, 500);
            assertThat(gone).contains("stopped=PRIMITIVE_GONE");

            assertThat(container.stop(Duration.ofSeconds(20))).as("the container stops on 'stop 0'").isTrue();
        }
    }
}
