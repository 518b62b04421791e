package io.jdamon.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 B7: after a full disk or {@code kill -9}, the file is one damo
 * reads, or {@link RecordRepair} makes it one. damo 3.3.0 itself checks.
 */
class FaultRepairTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void aFullDiskLeavesASingleTargetFileClosedAndEveryCompleteAggregationInIt() throws Exception {
        Path mount = smallFileSystem("256k");
        try {
            fill(mount, 200 * 1024);
            Path file = mount.resolve("full.data");
            int written = 0;
            IOException failure = null;
            try (RecordWriter w = RecordWriter.create(file, Snapshots.header("full", 1))) {
                for (int a = 0; a < 10_000; a++) {
                    w.append(Snapshots.aggregation(a, 1, 40));
                    written++;
                }
            } catch (IOException e) {
                failure = e;
            }
            assertThat(failure).as("the disk filled up").isNotNull();
            assertThat(failure.getMessage()).contains("No space left");
            assertThat(written).isGreaterThan(3);
            Recording rec = RecordReader.read(file);
            assertThat(rec.complete()).as("closing brackets in place").isTrue();
            assertThat(rec.needsRepair()).isFalse();
            assertThat(rec.aggregations()).hasSize(written);
            Damo.assumeAvailable();
            assertThat(Damo.snapshotsSeen(file)).isEqualTo(written);
        } finally {
            unmount(mount);
        }
    }

    @Test
    @Timeout(120)
    void aMultiTargetFileLeftByAFullDiskIsRepairedOnceThereIsSpace() throws Exception {
        Path mount = smallFileSystem("256k");
        try {
            Path filler = fill(mount, 200 * 1024);
            Path file = mount.resolve("multi.data");
            int written = 0;
            RecordWriter w = RecordWriter.create(file, Snapshots.header("multi", 2));
            try {
                for (int a = 0; a < 10_000; a++) {
                    w.append(Snapshots.aggregation(a, 2, 20));
                    written++;
                }
            } catch (IOException full) {
                assertThatThrownBy(w::close).as("no room to consolidate").isInstanceOf(IOException.class);
            }
            Recording rec = RecordReader.read(file);
            assertThat(rec.complete()).isTrue();
            assertThat(rec.runningLayout()).isTrue();
            assertThat(rec.needsRepair()).isTrue();
            assertThat(rec.aggregations()).hasSize(written);

            Files.delete(filler);
            byte[] original = Files.readAllBytes(file);
            RecordRepair.Result r = RecordRepair.repair(file);
            assertThat(r.repaired()).isTrue();
            assertThat(r.backup()).isEqualTo(mount.resolve("multi.data.broken"));
            assertThat(Files.readAllBytes(r.backup())).isEqualTo(original);
            Recording repaired = RecordReader.read(file);
            assertThat(repaired.needsRepair()).isFalse();
            assertThat(repaired.aggregations()).hasSize(written);
            assertThat(repaired.aggregations()).isEqualTo(rec.aggregations());
            Damo.assumeAvailable();
            assertThat(Damo.snapshotsSeen(file)).isEqualTo(2 * written);
        } finally {
            unmount(mount);
        }
    }

    @Test
    @Timeout(60)
    void aMultiTargetFileAfterKillNineIsRepairedInPlaceAndDamoReadsIt() throws Exception {
        Path file = dir.resolve("killed.data");
        Process holder = OutputSafetyTest.startHolder(file);
        assertThatThrownBy(() -> RecordRepair.repair(file)).isInstanceOf(OutputFiles.OutputRefusedException.class)
                .hasMessageContaining("is being recorded by process " + holder.pid());
        holder.destroyForcibly(); // kill -9
        assertThat(holder.waitFor(20, TimeUnit.SECONDS)).isTrue();

        Recording before = RecordReader.read(file);
        assertThat(before.runningLayout()).isTrue();
        assertThat(before.needsRepair()).isTrue();
        byte[] original = Files.readAllBytes(file);
        RecordRepair.Result r = RecordRepair.repair(file);
        assertThat(r.snapshots()).isEqualTo(6);
        assertThat(r.records()).isEqualTo(2);
        assertThat(Files.readAllBytes(dir.resolve("killed.data.broken"))).isEqualTo(original);
        Recording after = RecordReader.read(file);
        assertThat(after.needsRepair()).isFalse();
        assertThat(after.aggregations()).isEqualTo(before.aggregations());
        assertThat(after.records().get(1).targetSpec()).isEqualTo("spec-1");
        assertThat(after.contextName()).isEqualTo("ctx");
        assertThat(RecordRepair.repair(file).repaired()).as("a sound file is left alone").isFalse();
        Damo.assumeAvailable();
        assertThat(Damo.snapshotsSeen(dir.resolve("killed.data.broken"))).as("damo on the running layout")
                .isLessThan(6);
        assertThat(Damo.snapshotsSeen(file)).isEqualTo(6);
    }

    @Test
    void aFileCutInsideASnapshotKeepsEveryCompleteOneAndTheBackupIsTheOriginal() throws Exception {
        // also: the repair's temporary is unpredictable, so links planted at likely names are not followed
        Path file = dir.resolve("torn.data");
        try (RecordWriter w = RecordWriter.create(file, Snapshots.header("torn", 1))) {
            for (int a = 0; a < 5; a++) {
                w.append(Snapshots.aggregation(a, 1, 30));
            }
        }
        long size = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size - 900); // inside the last snapshot
        }
        Files.writeString(dir.resolve("torn.data.broken"), "an older backup");
        Path victim = Files.writeString(dir.resolve("victim"), "root's secret");
        Files.createSymbolicLink(dir.resolve("torn.data.tmp"), victim); // at the names a repair might use
        Files.createSymbolicLink(dir.resolve(".torn.data.tmp"), victim);
        byte[] cut = Files.readAllBytes(file);
        assertThat(RecordReader.read(file).complete()).isFalse();

        RecordRepair.Result r = RecordRepair.repair(file);
        assertThat(r.backup()).isEqualTo(dir.resolve("torn.data.broken.1"));
        assertThat(Files.readAllBytes(r.backup())).isEqualTo(cut);
        assertThat(Files.readString(dir.resolve("torn.data.broken"))).isEqualTo("an older backup");
        assertThat(Files.readString(victim)).isEqualTo("root's secret");
        Recording rec = RecordReader.read(file);
        assertThat(rec.complete()).isTrue();
        assertThat(rec.aggregations()).hasSize(4);
        for (int a = 0; a < 4; a++) {
            assertThat(rec.aggregations().get(a).targets().get(0).regions())
                    .isEqualTo(Snapshots.aggregation(a, 1, 30).targets().get(0).regions());
        }
        Damo.assumeAvailable();
        assertThat(Damo.snapshotsSeen(r.backup())).as("damo on the cut file").isZero();
        assertThat(Damo.snapshotsSeen(file)).isEqualTo(4);
    }

    @Test
    void aRepairDoesNotWriteThroughALink() throws Exception {
        Path real = dir.resolve("real.data");
        try (RecordWriter w = RecordWriter.create(real, Snapshots.header("torn", 1))) {
            w.append(Snapshots.aggregation(0, 1, 30));
            w.append(Snapshots.aggregation(1, 1, 30));
        }
        try (FileChannel ch = FileChannel.open(real, StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(real) - 100);
        }
        byte[] cut = Files.readAllBytes(real);
        Path link = Files.createSymbolicLink(dir.resolve("link.data"), real);
        assertThatThrownBy(() -> RecordRepair.repair(link)).isInstanceOf(OutputFiles.OutputRefusedException.class)
                .hasMessageContaining(link + " is a symbolic link");
        assertThat(Files.readAllBytes(real)).isEqualTo(cut);
        assertThat(RecordRepair.repair(real).repaired()).isTrue();
    }

    /** A tmpfs of the given size in the test's folder; the test is skipped where it cannot be mounted. */
    private Path smallFileSystem(String size) throws Exception {
        Path mount = Files.createDirectory(dir.resolve("small"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assumeTrue(p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0,
                "a full disk needs a small file system; mounting a tmpfs failed (not root?): " + out.trim());
        return mount;
    }

    private static Path fill(Path mount, int bytes) throws IOException {
        return Files.write(mount.resolve("filler"), new byte[bytes]);
    }

    private static void unmount(Path mount) throws Exception {
        new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor(20, TimeUnit.SECONDS);
    }
}
