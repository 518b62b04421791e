package io.jdamon.vaddr.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A sensor session that cannot open all it needs closes what it did open.
 * The failing open is injected ({@link ProcFileOpener}): filling the real
 * file table made the outcome depend on whatever else the JVM's threads
 * opened meanwhile (it failed once in a clean build and passed five reruns).
 */
@Timeout(60)
class SessionOpenLeakTest {

    /** Opens for real, except the {@code failAt}-th open, which fails as a full file table makes it fail. */
    private static final class FailingOpener implements ProcFileOpener {
        private final int failAt;
        private int opens;
        final List<FileChannel> channels = new ArrayList<>();
        final List<Integer> fds = new ArrayList<>();

        FailingOpener(int failAt) {
            this.failAt = failAt;
        }

        @Override
        public FileChannel channel(Path path, OpenOption... options) throws IOException {
            if (++opens == failAt) {
                throw new FileSystemException(path.toString(), null, "Too many open files");
            }
            FileChannel c = ProcFileOpener.super.channel(path, options);
            channels.add(c);
            return c;
        }

        @Override
        public int readOnlyFd(String path) {
            if (++opens == failAt) {
                return -24; // EMFILE
            }
            int fd = ProcFileOpener.super.readOnlyFd(path);
            fds.add(fd);
            return fd;
        }
    }

    @Test
    void aReferencedSessionThatFailsToOpenSmapsClosesClearRefs() throws Exception {
        try (AccessHelper helper = AccessHelper.start(1, 1, "read", -1)) {
            FailingOpener files = new FailingOpener(2); // clear_refs opens, smaps does not
            assertThatThrownBy(() -> new ReferencedSensor.Session(helper.pid(), 100_000, files))
                    .isInstanceOf(IOException.class).hasMessageContaining("/proc/" + helper.pid() + "/smaps")
                    .hasMessageContaining("Too many open files");
            assertThat(files.channels).as("clear_refs was opened").hasSize(1);
            assertThat(files.channels).allSatisfy(c -> assertThat(c.isOpen()).as("left open").isFalse());
        }
    }

    @Test
    void aReferencedSessionThatFailsToReopenAfterAnExecLeavesNothingOpen() throws Exception {
        try (AccessHelper helper = AccessHelper.start(1, 1, "read", -1)) {
            FailingOpener files = new FailingOpener(4); // the reopen's clear_refs opens, its smaps does not
            ReferencedSensor.Session s = new ReferencedSensor.Session(helper.pid(), 100_000, files);
            try {
                assertThatThrownBy(s::reopen).isInstanceOf(IOException.class).hasMessageContaining("smaps");
                assertThat(files.channels).hasSize(3);
                assertThat(files.channels).allSatisfy(c -> assertThat(c.isOpen()).as("left open").isFalse());
            } finally {
                s.close();
            }
        }
    }

    @Test
    void aUffdWriteSessionThatFailsToOpenThePagemapClosesItsUserfaultfd() throws Exception {
        UffdWriteSensor sensor = new UffdWriteSensor();
        Assumptions.assumeTrue(sensor.probe(0).available(), () -> sensor.probe(0).reason());
        int pid = (int) ProcessHandle.current().pid();
        int before = userfaultfds();
        FailingOpener files = new FailingOpener(1); // the userfaultfd is made, the pagemap does not open
        assertThatThrownBy(() -> new UffdWriteSensor.Session(pid, files)).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot open /proc/" + pid + "/pagemap: EMFILE (");
        assertThat(userfaultfds()).as("userfaultfds of this JVM after the failed open").isEqualTo(before);
        // and one that opens closes both on close
        FailingOpener none = new FailingOpener(0);
        new UffdWriteSensor.Session(pid, none).close();
        assertThat(none.fds).hasSize(1);
        assertThat(userfaultfds()).isEqualTo(before);
        assertThat(Files.exists(Path.of("/proc/self/fd/" + none.fds.get(0)))
                && Files.readSymbolicLink(Path.of("/proc/self/fd/" + none.fds.get(0))).toString()
                        .equals("/proc/" + pid + "/pagemap")).as("the pagemap descriptor is closed").isFalse();
    }

    @Test
    void errorMessagesNameTheErrorAndSayWhatItMeans() {
        Assumptions.assumeTrue(LibC.available(), LibC::unavailableReason);
        // symbolic names and messages come from the C library itself, for every error number
        assertThat(LibC.strerror(24)).startsWith("EMFILE (").doesNotContain("errno");
        assertThat(LibC.strerror(3)).startsWith("ESRCH (");
        assertThat(LibC.strerror(23)).startsWith("ENFILE (");
        assertThat(LibC.strerror(28)).startsWith("ENOSPC (");
        assertThat(LibC.strerror(25)).startsWith("ENOTTY (").endsWith(": not supported by this kernel)");
        assertThat(LibC.strerror(38)).startsWith("ENOSYS (").endsWith(": not implemented by this kernel)");
        assertThat(LibC.strerror(9999)).startsWith("errno 9999 (");
    }

    /** @return how many of this JVM's descriptors are userfaultfds */
    private static int userfaultfds() throws IOException {
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals("anon_inode:[userfaultfd]")) {
                        n++;
                    }
                } catch (IOException gone) {
                    // the directory stream's own descriptor
                }
            }
        }
        return n;
    }
}
