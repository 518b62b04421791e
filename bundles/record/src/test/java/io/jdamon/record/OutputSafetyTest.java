package io.jdamon.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 B6 and C9: a record file never replaces an existing file, never
 * writes through a link, never writes a FIFO or device, and two writers of one
 * file exclude each other. Real files, real symlinks, real FIFOs.
 */
class OutputSafetyTest {

    @TempDir
    Path dir;

    @Test
    void anExistingRecordingIsMovedAsideToFreeNamesNeverTruncated() throws Exception {
        Path file = dir.resolve("damon.data");
        Files.writeString(file, "the first recording");
        Files.writeString(dir.resolve("damon.data.old"), "someone's file called .old");

        try (RecordWriter w = RecordWriter.create(file, Snapshots.header("a", 1))) {
            w.append(Snapshots.aggregation(0, 1, 3));
            assertThat(w.movedAside()).contains(dir.resolve("damon.data.old.1"));
        }
        assertThat(Files.readString(dir.resolve("damon.data.old"))).isEqualTo("someone's file called .old");
        assertThat(Files.readString(dir.resolve("damon.data.old.1"))).isEqualTo("the first recording");
        try (RecordWriter w = RecordWriter.create(file, Snapshots.header("b", 1))) {
            w.append(Snapshots.aggregation(0, 1, 4));
            assertThat(w.movedAside()).contains(dir.resolve("damon.data.old.2"));
        }
        assertThat(RecordReader.read(dir.resolve("damon.data.old.2")).contextName()).isEqualTo("a");
        assertThat(RecordReader.read(file).contextName()).isEqualTo("b");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("damon.data",
                    "damon.data.old", "damon.data.old.1", "damon.data.old.2"); // no temporary left
        }
    }

    @Test
    void aNewFileGetsTheUmasksPermissionsLikeAnyOtherNewFile() throws Exception {
        Path plain = Files.createFile(dir.resolve("plain"));
        Path file = dir.resolve("damon.data");
        try (RecordWriter w = RecordWriter.create(file, Snapshots.header("multi", 2))) {
            w.append(Snapshots.aggregation(0, 2, 3)); // multi-target: closing rewrites it through a temporary
        }
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void aSymlinkAtTheOutputPathIsRefusedAndItsTargetUntouched() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim"), "root's secret");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
        Path file = dir.resolve("damon.data");
        Files.createSymbolicLink(file, victim); // as another user would plant it
        assertThatThrownBy(() -> RecordWriter.create(file, Snapshots.header("a", 1)))
                .isInstanceOf(OutputFiles.OutputRefusedException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("is a symbolic link")
                .hasMessageContaining("remove it or choose another -o FILE");
        assertThat(Files.readString(victim)).isEqualTo("root's secret");
        assertThat(Files.isSymbolicLink(file)).isTrue();

        Path dangling = dir.resolve("dangling.data");
        Files.createSymbolicLink(dangling, dir.resolve("would-be-created"));
        assertThatThrownBy(() -> RecordWriter.create(dangling, Snapshots.header("a", 1)))
                .hasMessageContaining("is a symbolic link");
        assertThat(Files.exists(dir.resolve("would-be-created"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void theMultiTargetConsolidationDoesNotUseAPredictableTemporary() throws Exception {
        Path victim = Files.writeString(dir.resolve("victim"), "root's secret");
        Path file = dir.resolve("multi.data");
        Files.createSymbolicLink(dir.resolve("multi.data.tmp"), victim); // the old fixed name
        try (RecordWriter w = RecordWriter.create(file, Snapshots.header("multi", 2))) {
            for (int a = 0; a < 3; a++) {
                w.append(Snapshots.aggregation(a, 2, 5));
            }
        }
        assertThat(Files.readString(victim)).isEqualTo("root's secret");
        Recording rec = RecordReader.read(file);
        assertThat(rec.runningLayout()).isFalse();
        assertThat(rec.aggregations()).hasSize(3);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))
                    .map(p -> p.getFileName().toString())).containsExactly("multi.data.tmp");
        }
    }

    @Test
    @Timeout(20)
    void aFifoADeviceAndAProcFileAreRefusedWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        assertThatThrownBy(() -> RecordWriter.create(fifo, Snapshots.header("a", 1)))
                .isInstanceOf(OutputFiles.OutputRefusedException.class)
                .hasMessageContaining("is not a regular file (a FIFO (named pipe))");
        assertThatThrownBy(() -> RecordWriter.create(Path.of("/dev/stdout"), Snapshots.header("a", 1)))
                .hasMessageContaining("/dev/stdout is not a regular file (a link to ");
        assertThatThrownBy(() -> RecordWriter.create(Path.of("/dev/null"), Snapshots.header("a", 1)))
                .hasMessageContaining("not a regular file (a character device)");
        assertThatThrownBy(() -> RecordWriter.create(Path.of("/proc/version"), Snapshots.header("a", 1)))
                .hasMessageContaining("/proc/version is not a regular writable file")
                .hasMessageContaining("proc file system");
        assertThat(Files.readString(Path.of("/proc/version"))).startsWith("Linux");
    }

    @Test
    void aSecondWriterInTheSameProcessIsRefused() throws Exception {
        Path file = dir.resolve("same.data");
        try (RecordWriter first = RecordWriter.create(file, Snapshots.header("a", 1))) {
            first.append(Snapshots.aggregation(0, 1, 3));
            assertThatThrownBy(() -> RecordWriter.create(file, Snapshots.header("b", 1)))
                    .isInstanceOf(OutputFiles.OutputRefusedException.class)
                    .hasMessageContaining("is being recorded by this process");
            first.append(Snapshots.aggregation(1, 1, 3));
        }
        Recording rec = RecordReader.read(file);
        assertThat(rec.complete()).isTrue();
        assertThat(rec.aggregations()).hasSize(2);
        assertThat(Files.exists(dir.resolve("same.data.old"))).isFalse();
    }

    @Test
    @Timeout(60)
    void lookingAtAHeldFileFromItsOwnJvmKeepsItLockedForOtherProcesses() throws Exception {
        Path file = dir.resolve("live.data");
        try (RecordWriter w = RecordWriter.create(file, Snapshots.header("a", 2))) {
            w.append(Snapshots.aggregation(0, 2, 3));
            // each of these would open and close a descriptor of the file, which drops a POSIX lock
            assertThat(RecordReader.read(file).aggregations()).hasSize(1);
            assertThat(OutputFiles.lockHolder(file)).startsWith("this process");
            assertThatThrownBy(() -> RecordRepair.repair(file)).hasMessageContaining("is being recorded by");
            assertThatThrownBy(() -> RecordWriter.create(file, Snapshots.header("b", 1)))
                    .hasMessageContaining("this process");
            w.append(Snapshots.aggregation(1, 2, 3));
            assertThat(tryFromAnotherProcess(file)).startsWith("refused: " + file + " is being recorded by process "
                    + ProcessHandle.current().pid());
        }
        assertThat(RecordReader.read(file).aggregations()).hasSize(2);
        assertThat(Files.exists(dir.resolve("live.data.old"))).isFalse();
    }

    private static String tryFromAnotherProcess(Path file) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                KillNineChild.class.getName(), "try", file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    @Timeout(60)
    void aSecondWriterIsRefusedNamingTheProcessThatHoldsTheFile() throws Exception {
        Path file = dir.resolve("held.data");
        Process holder = startHolder(file);
        try {
            assertThatThrownBy(() -> RecordWriter.create(file, Snapshots.header("b", 1)))
                    .isInstanceOf(OutputFiles.OutputRefusedException.class)
                    .hasMessageContaining("is being recorded by process " + holder.pid())
                    .hasMessageContaining("KillNineChild");
            byte[] before = Files.readAllBytes(file);
            assertThat(RecordReader.read(file).aggregations()).hasSize(3);
            assertThat(Files.readAllBytes(file)).isEqualTo(before);
        } finally {
            holder.destroyForcibly();
            holder.waitFor(20, TimeUnit.SECONDS);
        }
        // once the holder is gone, a new writer moves its file aside
        try (RecordWriter w = RecordWriter.create(file, Snapshots.header("b", 1))) {
            assertThat(w.movedAside()).contains(dir.resolve("held.data.old"));
        }
    }

    /** A child JVM holding a two-target record file open after three aggregations. */
    static Process startHolder(Path file) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                KillNineChild.class.getName(), "hold", file.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        String line = r.readLine();
        if (!"done 2".equals(line)) {
            p.destroyForcibly();
            throw new AssertionError("the holder child said " + line);
        }
        return p;
    }

    @Test
    void aFolderThatIsAFileOrMissingIsNamed() throws Exception {
        Path plain = Files.writeString(dir.resolve("plain"), "x");
        assertThatThrownBy(() -> OutputFiles.checkTarget(plain.resolve("sub/damon.data"), "--png"))
                .hasMessageContaining(plain + " is a file, not a directory")
                .hasMessageContaining("--png FILE");
        assertThatThrownBy(() -> OutputFiles.checkTarget(dir.resolve("no/such/x.png"), "--png"))
                .hasMessageContaining("the folder " + dir.resolve("no/such") + " does not exist");
    }

    @Test
    void movedAsideNamesAreNeverReusedEvenForLinks() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "one");
        Path victim = Files.writeString(dir.resolve("victim"), "keep");
        Files.createSymbolicLink(dir.resolve("f.old"), victim);
        Path aside = OutputFiles.moveAside(file);
        assertThat(aside).isEqualTo(dir.resolve("f.old.1"));
        assertThat(Files.readString(aside)).isEqualTo("one");
        assertThat(Files.readString(victim)).isEqualTo("keep");
        assertThat(Files.exists(file, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }
}
