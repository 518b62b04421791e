package io.jdamon.vaddr.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import io.jdamon.api.MonitoringTarget;
import io.jdamon.vaddr.Granularity;
import io.jdamon.vaddr.SensorProbe;
import io.jdamon.vaddr.SensorSession;
import io.jdamon.vaddr.SensorTraits;

/**
 * {@code page-idle}: the sampled page's frame number from
 * {@code /proc/PID/pagemap}, then the kernel's idle page tracking
 * ({@code /sys/kernel/mm/page_idle/bitmap}): prepare marks the page idle,
 * check reads whether it is still idle. Any access (read or write, through any
 * mapping) clears the flag. Page granular; a few preads/pwrites per sample;
 * needs root and CONFIG_IDLE_PAGE_TRACKING.
 */
final class PageIdleSensor extends BuiltInSensor {

    static final String NAME = "page-idle";
    static final Path BITMAP = Path.of("/sys/kernel/mm/page_idle/bitmap");

    /** What it is; see {@link SensorTraits}. */
    static final SensorTraits TRAITS = SensorTraits.of(NAME, true, true, Granularity.PAGE,
            100,
            "idle page tracking: marks the sampled page idle, then checks whether an access cleared the flag;"
                    + " a few preads/pwrites per sample");

    PageIdleSensor() {
        super(TRAITS);
    }

    @Override
    public SensorProbe probe(int pid) {
        if (!Files.exists(BITMAP)) {
            return SensorProbe.unavailable("kernel " + Kernel.release() + " has no idle page tracking ("
                    + BITMAP + " is missing; it needs CONFIG_IDLE_PAGE_TRACKING, which Debian and Ubuntu kernels"
                    + " leave out and RHEL-family kernels have)");
        }
        if (!Kernel.root()) {
            return SensorProbe.unavailable("needs root: " + BITMAP + " is root-only and /proc/PID/pagemap hides"
                    + " page frame numbers from other users (CAP_SYS_ADMIN); run jdamon as root");
        }
        try (FileChannel c = FileChannel.open(BITMAP, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // opened: usable
        } catch (IOException e) {
            return SensorProbe.unavailable("cannot open " + BITMAP + " for reading and writing: " + e.getMessage());
        }
        if (pid > 0) {
            try (PagemapReader r = new PagemapReader(pid)) {
                // readable
            } catch (IOException e) {
                return SensorProbe.unavailable("cannot read /proc/" + pid + "/pagemap: " + e.getMessage());
            }
        }
        return SensorProbe.available("idle page tracking present and running as root");
    }

    @Override
    public SensorSession open(int pid, long sampleIntervalUs) throws IOException {
        return new Session(pid);
    }

    private static final class Session implements SensorSession, FollowsExec {
        private final PagemapReader pagemap;
        private final FileChannel bitmap;
        private final ByteBuffer word = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        /** per region: the sampled page's frame number at prepare time, -1 if not present */
        private long[] pfns = new long[64];

        Session(int pid) throws IOException {
            this.pagemap = new PagemapReader(pid);
            FileChannel b;
            try {
                b = FileChannel.open(BITMAP, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException e) {
                pagemap.close();
                throw e;
            }
            this.bitmap = b;
        }

        @Override
        public void prepare(MonitoringTarget target) {
            int n = target.regionCount();
            if (pfns.length < n) {
                pfns = Arrays.copyOf(pfns, Math.max(n, pfns.length * 2));
            }
            try {
                for (int i = 0; i < n; i++) {
                    long pfn = pagemap.pfn(target.samplingAddress(i));
                    pfns[i] = pfn;
                    if (pfn > 0) {
                        word.clear();
                        word.putLong(0, 1L << (pfn & 63));
                        bitmap.write(word, (pfn >>> 6) * 8);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void check(MonitoringTarget target) {
            int n = Math.min(target.regionCount(), pfns.length);
            try {
                for (int i = 0; i < n; i++) {
                    long pfn = pagemap.pfn(target.samplingAddress(i));
                    if (pfn <= 0) {
                        continue; // not present now: not accessed (or gone)
                    }
                    if (pfn != pfns[i]) {
                        marked(target, i); // faulted in or moved since prepare: it was touched
                        continue;
                    }
                    word.clear();
                    long pos = (pfn >>> 6) * 8;
                    while (word.hasRemaining()) {
                        if (bitmap.read(word, pos + word.position()) < 0) {
                            break;
                        }
                    }
                    if ((word.getLong(0) & (1L << (pfn & 63))) == 0) {
                        marked(target, i);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void marked(MonitoringTarget target, int i) {
            target.markAccessed(i);
        }

        @Override
        public boolean sawNoAddressSpace() {
            return pagemap.sawNoAddressSpace();
        }

        /** The pagemap follows the address space; the idle bitmap is the machine's and stays open. */
        @Override
        public void reopen() throws IOException {
            pagemap.reopen();
        }

        @Override
        public void close() {
            pagemap.close();
            try {
                bitmap.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }
}
