package io.jdamon.itests.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.record.RecordFileException;
import io.jdamon.record.RecordReader;

/**
 * {@code kill -9} of a real {@code bin/jdamon record} leaves its framework cache
 * ({@code jdamon-felix-*}) in the temporary folder; the next {@code record}
 * removes it, and only it: not a folder whose jdamon runs, not one whose lock is
 * held, not a symbolic link (nor what it points to).
 */
class StaleCacheTest {

    @TempDir
    Path dir;

    @Test
    void theNextRecordRemovesTheCacheOfAKilledOneAndNothingElse() throws Exception {
        Distribution dist = new Distribution(dir);
        try (dist) {
            Path tmp = Files.createDirectory(dir.resolve("tmp"));
            Map<String, String> env = Map.of("JDAMON_JAVA_OPTS", "-Djava.io.tmpdir=" + tmp);
            Path data = dir.resolve("killed.data");
            Process p = dist.start(dir, env, dir.resolve("killed.out"), "record", "--sim", "virtual:stairs", "-o",
                    data.toString());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (snapshots(data) < 1) {
                assertThat(System.nanoTime()).as("a snapshot within 60 s; output: "
                        + Files.readString(dir.resolve("killed.out"))).isLessThan(deadline);
                assertThat(p.isAlive()).isTrue();
                Thread.sleep(50);
            }
            long killedPid = p.pid(); // bin/jdamon execs java: the same process
            p.destroyForcibly(); // SIGKILL
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            List<Path> left = caches(tmp);
            assertThat(left).as("kill -9 leaves the cache behind").hasSize(1);
            Path killed = left.get(0);

            // what must survive: a cache of a live process, one whose lock is held, a symbolic link
            Path live = Files.createDirectory(tmp.resolve("jdamon-felix-" + ProcessHandle.current().pid() + "-live"));
            Path held = Files.createDirectory(tmp.resolve("jdamon-felix-" + killedPid + "-held"));
            Path target = Files.createDirectory(dir.resolve("not-a-cache"));
            Files.writeString(target.resolve("keep.txt"), "keep");
            Path link = Files.createSymbolicLink(tmp.resolve("jdamon-felix-" + killedPid + "-link"), target);
            try (FileChannel c = FileChannel.open(held.resolve("in-use.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = c.lock()) {

                Distribution.Result next = dist.run(dir, Duration.ofSeconds(60), env, "record", "--sim",
                        "virtual:stairs", "-d", "1s", "-o", dir.resolve("next.data").toString());
                assertThat(next.exit()).as(next.out() + next.err()).isZero();
            }

            assertThat(killed).as("the killed record's cache").doesNotExist();
            assertThat(live).as("a cache whose PID is alive").isDirectory();
            assertThat(held).as("a cache whose lock is held").isDirectory();
            assertThat(link).as("a symbolic link").isSymbolicLink();
            assertThat(target.resolve("keep.txt")).as("what the link points to").hasContent("keep");
            assertThat(caches(tmp)).as("the second record removed its own cache").containsExactlyInAnyOrder(
                    live, held, link);
        }
    }

    private static List<Path> caches(Path tmp) throws Exception {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(f -> f.getFileName().toString().startsWith("jdamon-felix-")).toList();
        }
    }

    private static int snapshots(Path file) {
        try {
            return Files.exists(file) ? RecordReader.read(file).snapshotCount() : 0;
        } catch (RecordFileException e) {
            return 0;
        }
    }
}
