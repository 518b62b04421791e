package io.jdamon.vaddr.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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
 * mapping) clears the flag. Page granular; per sample, one pread of the
 * pagemap per group of nearby sampled pages and one pread or pwrite of the
 * bitmap per group of frames in the same or adjacent bitmap words, each way
 * (see {@link Session}); needs root and CONFIG_IDLE_PAGE_TRACKING.
 */
final class PageIdleSensor extends BuiltInSensor {

    static final String NAME = "page-idle";
    static final Path BITMAP = Path.of("/sys/kernel/mm/page_idle/bitmap");

    /** What it is; see {@link SensorTraits}. */
    static final SensorTraits TRAITS = SensorTraits.of(NAME, true, true, Granularity.PAGE,
            100,
            "idle page tracking: marks the sampled page idle, then checks whether an access cleared the flag;"
                    + " preads/pwrites shared by nearby sampled pages and frames");

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

    /**
     * A session on one process. Per sample it looks up every region's sampled
     * page in the pagemap, then marks (prepare) or reads (check) the frames'
     * bits in the idle bitmap; sampled pages that are near each other share one
     * pread of the pagemap (up to {@link #PAGEMAP_SPAN_PAGES} entries), and
     * frames whose bits lie in the same or adjacent 64-bit words share one
     * pwrite or pread of the bitmap (up to {@link #BITMAP_SPAN_WORDS} words).
     */
    static final class Session implements SensorSession, FollowsExec, SyscallCounting {

        /**
         * The most pagemap entries one pread takes: 4 KiB of pagemap, 2 MiB of
         * address space, which the kernel walks in one step (one page-table
         * lock and one copy to user space per PMD); reading the entries between
         * two sampled pages costs that walk, so a read spans no more.
         */
        static final int PAGEMAP_SPAN_PAGES = 512;
        /**
         * The most bitmap words one pread or pwrite takes (4096 frames). A read
         * looks at every frame it covers, so reads and writes cover only words
         * that hold a sampled frame, consecutive ones merged.
         */
        static final int BITMAP_SPAN_WORDS = 64;
        private static final int PAGE_SHIFT = 12;

        private final PagemapReader pagemap;
        private final FileChannel bitmap;
        private final ByteBuffer entries = ByteBuffer.allocateDirect(PAGEMAP_SPAN_PAGES * 8)
                .order(ByteOrder.nativeOrder());
        private final ByteBuffer words = ByteBuffer.allocateDirect(BITMAP_SPAN_WORDS * 8).order(ByteOrder.nativeOrder());
        private final ReadPlan pagemapPlan = new ReadPlan(PAGEMAP_SPAN_PAGES, PAGEMAP_SPAN_PAGES);
        private final ReadPlan bitmapPlan = new ReadPlan(BITMAP_SPAN_WORDS, 1);
        /** per region: the sampled page's number (address >>> 12) */
        private long[] pages = new long[64];
        /** per region: the sampled page's frame number at prepare time, -1 if not present */
        private long[] pfns = new long[64];
        /** per region: the frame number at check time */
        private long[] pfnsNow = new long[64];
        /** per frame to mark or read: its region */
        private int[] frameRegion = new int[64];
        /** per frame to mark or read: its bitmap word (pfn >>> 6) */
        private long[] frameWord = new long[64];
        private int prepared;
        private long syscalls;

        Session(int pid) throws IOException {
            this(new PagemapReader(pid), BITMAP);
        }

        /** A session on the given pagemap (taken: closed on failure) and idle bitmap: tests give files of their own. */
        Session(PagemapReader pagemap, Path bitmapPath) throws IOException {
            this.pagemap = pagemap;
            FileChannel b;
            try {
                b = FileChannel.open(bitmapPath, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException e) {
                pagemap.close();
                throw e;
            }
            this.bitmap = b;
        }

        @Override
        public long syscalls() {
            return syscalls;
        }

        @Override
        public void prepare(MonitoringTarget target) {
            int n = target.regionCount();
            if (pfns.length < n) {
                int size = Math.max(n, pfns.length * 2);
                pages = new long[size];
                pfns = new long[size];
                pfnsNow = new long[size];
                frameRegion = new int[size];
                frameWord = new long[size];
            }
            prepared = n;
            try {
                lookUp(target, n, pfns);
                int m = 0;
                for (int i = 0; i < n; i++) {
                    if (pfns[i] > 0) {
                        frameRegion[m] = i;
                        frameWord[m++] = pfns[i] >>> 6;
                    }
                }
                bitmapPlan.plan(frameWord, m);
                for (int r = 0; r < bitmapPlan.reads(); r++) {
                    long first = bitmapPlan.start(r);
                    int len = bitmapPlan.length(r);
                    words.clear().limit(len * 8);
                    for (int k = 0; k < len; k++) {
                        words.putLong(k * 8, 0);
                    }
                    for (int p = bitmapPlan.from(r); p < bitmapPlan.to(r); p++) {
                        int j = bitmapPlan.member(p);
                        int at = (int) (frameWord[j] - first) * 8;
                        words.putLong(at, words.getLong(at) | 1L << (pfns[frameRegion[j]] & 63));
                    }
                    // the kernel ORs what is written into the bitmap: zero bits leave other frames alone
                    while (words.hasRemaining()) {
                        syscalls++;
                        bitmap.write(words, first * 8 + words.position());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void check(MonitoringTarget target) {
            int n = Math.min(target.regionCount(), prepared);
            try {
                lookUp(target, n, pfnsNow);
                int m = 0;
                for (int i = 0; i < n; i++) {
                    long pfn = pfnsNow[i];
                    if (pfn <= 0) {
                        continue; // not present now: not accessed (or gone)
                    }
                    if (pfn != pfns[i]) {
                        target.markAccessed(i); // faulted in or moved since prepare: it was touched
                        continue;
                    }
                    frameRegion[m] = i;
                    frameWord[m++] = pfn >>> 6;
                }
                bitmapPlan.plan(frameWord, m);
                for (int r = 0; r < bitmapPlan.reads(); r++) {
                    long first = bitmapPlan.start(r);
                    words.clear().limit(bitmapPlan.length(r) * 8);
                    while (words.hasRemaining()) {
                        syscalls++;
                        if (bitmap.read(words, first * 8 + words.position()) < 0) {
                            while (words.hasRemaining()) {
                                words.put((byte) 0); // beyond the last frame: nothing reads as idle
                            }
                        }
                    }
                    for (int p = bitmapPlan.from(r); p < bitmapPlan.to(r); p++) {
                        int j = bitmapPlan.member(p);
                        int i = frameRegion[j];
                        long word = words.getLong((int) (frameWord[j] - first) * 8);
                        if ((word & 1L << (pfns[i] & 63)) == 0) {
                            target.markAccessed(i); // the idle flag was cleared: accessed
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Fills {@code out[0..n)} with each region's sampled frame number (-1 if not present), batching the preads. */
        private void lookUp(MonitoringTarget target, int n, long[] out) throws IOException {
            for (int i = 0; i < n; i++) {
                pages[i] = target.samplingAddress(i) >>> PAGE_SHIFT;
            }
            pagemapPlan.plan(pages, n);
            for (int r = 0; r < pagemapPlan.reads(); r++) {
                long first = pagemapPlan.start(r);
                syscalls += pagemap.entries(first, pagemapPlan.length(r), entries);
                for (int p = pagemapPlan.from(r); p < pagemapPlan.to(r); p++) {
                    int i = pagemapPlan.member(p);
                    long e = entries.getLong((int) (pages[i] - first) * 8);
                    out[i] = (e & PagemapReader.PRESENT) != 0 ? e & PagemapReader.PFN_MASK : -1;
                }
            }
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
