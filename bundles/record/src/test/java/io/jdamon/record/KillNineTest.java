package io.jdamon.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.RegionSnapshot;

/**
 * Kills a recording JVM with {@code destroyForcibly} (SIGKILL) mid-run and
 * checks that the file holds every aggregation it had finished, consistently.
 */
class KillNineTest {

    @TempDir
    Path dir;

    @Test
    void engineRunKilledMidRunKeepsEveryCompletedAggregation() throws Exception {
        for (int round = 0; round < 3; round++) {
            Path file = dir.resolve("engine" + round + ".data");
            long lastDone = runAndKill("engine", file, 10 + round * 17);
            Recording rec = RecordReader.read(file);
            List<AggregationSnapshot> all = rec.aggregations();
            assertThat(all.size()).as("aggregations in %s after kill at done %d", file, lastDone)
                    .isGreaterThanOrEqualTo((int) lastDone + 1);
            assertThat(rec.primitiveName()).isEqualTo("hot-half");
            for (int a = 0; a < all.size(); a++) {
                AggregationSnapshot s = all.get(a);
                assertThat(s.aggregationIndex()).isEqualTo(a);
                assertThat(s.endNanos()).isGreaterThan(s.startNanos());
                long covered = 0;
                long previousEnd = Long.MIN_VALUE;
                for (RegionSnapshot r : s.targets().get(0).regions()) {
                    assertThat(r.start()).isGreaterThanOrEqualTo(previousEnd);
                    previousEnd = r.end();
                    covered += r.size();
                    assertThat(r.nrAccesses()).isBetween(0, 10);
                }
                assertThat(covered).isEqualTo(HotHalfPrimitive.SIZE);
            }
        }
    }

    @Test
    void writerKilledAtRandomMomentsLeavesExactlyWhatItWrote() throws Exception {
        int torn = 0;
        for (int round = 0; round < 4; round++) {
            Path file = dir.resolve("writer" + round + ".data");
            long lastDone = runAndKill("writer", file, 3 + round * 11);
            Recording rec = RecordReader.read(file);
            if (!rec.complete()) {
                torn++;
            }
            List<AggregationSnapshot> all = rec.aggregations(0);
            assertThat(all.size()).isGreaterThanOrEqualTo((int) lastDone + 1);
            for (int a = 0; a < all.size(); a++) {
                AggregationSnapshot expected = Snapshots.aggregation(a, 1, 2_000);
                assertThat(all.get(a).targets().get(0).regions()).isEqualTo(expected.targets().get(0).regions());
                assertThat(all.get(a).startNanos()).isEqualTo(expected.startNanos());
            }
        }
        // informational: how many kills landed inside a write (the reader repaired those)
        System.out.println("kill -9 rounds that tore a write: " + torn + " of 4");
    }

    @Test
    void compressedRecordingKilledLeavesAReadablePlainFile() throws Exception {
        for (int round = 0; round < 2; round++) {
            Path file = dir.resolve("compressed" + round + ".data");
            long lastDone = runAndKill("compressed", file, 3 + round * 7);
            assertThat(Files.readAllBytes(file)[0]).as("plain JSON until the recording ends").isEqualTo((byte) '[');
            List<AggregationSnapshot> all = RecordReader.read(file).aggregations(0);
            assertThat(all.size()).isGreaterThanOrEqualTo((int) lastDone + 1);
            for (int a = 0; a < all.size(); a++) {
                assertThat(all.get(a).targets().get(0).regions())
                        .isEqualTo(Snapshots.aggregation(a, 1, 2_000).targets().get(0).regions());
            }
        }
    }

    /** Starts the child, waits until it printed {@code done N} for N >= atLeast, kills it; returns its last N. */
    private static long runAndKill(String mode, Path file, long atLeast) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                KillNineChild.class.getName(), mode, file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        AtomicLong lastDone = new AtomicLong(-1);
        Thread readerThread = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.US_ASCII))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("done ")) {
                        lastDone.set(Long.parseLong(line.substring(5)));
                    }
                }
            } catch (Exception ignored) {
                // the pipe breaks when the child dies
            }
        });
        readerThread.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (lastDone.get() < atLeast) {
            if (!p.isAlive()) {
                throw new AssertionError("child exited early with " + p.exitValue());
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new AssertionError("child reached only done " + lastDone.get());
            }
            Thread.sleep(1);
        }
        long before = lastDone.get();
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        readerThread.join(10_000);
        assertThat(Files.exists(file)).isTrue();
        // every "done" the child printed before it died was written before it printed
        return Math.max(before, lastDone.get());
    }
}
