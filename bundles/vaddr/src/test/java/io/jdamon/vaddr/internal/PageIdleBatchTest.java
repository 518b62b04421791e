package io.jdamon.vaddr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * page-idle's batched reads on this machine, whose kernel has no idle page
 * tracking: a session reads a pagemap file and an idle bitmap file laid out as
 * the kernel's (8-byte entries per virtual page; 8-byte words of 64 frames,
 * native byte order). An access is what the kernel would show: the frame's
 * idle bit cleared; a fault or a migration: the page's entry naming another
 * frame; an unmap: the entry not present.
 */
class PageIdleBatchTest {

    static final long BASE = 0x4000_0000L;
    static final int PAGES = 8192; // 32 MiB, as the lab's helper
    static final long PFN_BASE = 100_000;

    @TempDir
    Path dir;

    /** The fake kernel files: frames per page, written into the pagemap; the bitmap as a file of words. */
    final class Fake implements AutoCloseable {
        final long[] pfnOfPage = new long[PAGES];
        final FileChannel pagemap;
        final FileChannel bitmap;

        Fake(boolean scattered) throws IOException {
            long[] pool = new long[PAGES * (scattered ? 4 : 1)];
            for (int i = 0; i < pool.length; i++) {
                pool[i] = PFN_BASE + i;
            }
            if (scattered) {
                Random r = new Random(3);
                for (int i = pool.length - 1; i > 0; i--) {
                    int j = r.nextInt(i + 1);
                    long t = pool[i];
                    pool[i] = pool[j];
                    pool[j] = t;
                }
            }
            pagemap = FileChannel.open(dir.resolve("pagemap"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            bitmap = FileChannel.open(dir.resolve("bitmap"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            for (int p = 0; p < PAGES; p++) {
                setPage(p, pool[p]);
            }
            // the bitmap covers every frame up to well past the last one used
            write(bitmap, (PFN_BASE + 8L * PAGES) / 64 * 8, 0);
        }

        void setPage(int page, long pfn) throws IOException {
            pfnOfPage[page] = pfn;
            write(pagemap, (BASE / 4096 + page) * 8, pfn < 0 ? 0 : PagemapReader.PRESENT | pfn);
        }

        boolean idle(long pfn) throws IOException {
            return (read(bitmap, pfn / 64 * 8) & 1L << (pfn & 63)) != 0;
        }

        /** What an access does: clears the frame's idle flag. */
        void access(long pfn) throws IOException {
            write(bitmap, pfn / 64 * 8, read(bitmap, pfn / 64 * 8) & ~(1L << (pfn & 63)));
        }

        PageIdleSensor.Session session() throws IOException {
            return new PageIdleSensor.Session(new PagemapReader(dir.resolve("pagemap")), dir.resolve("bitmap"));
        }

        int pageOf(long address) {
            return (int) ((address - BASE) / 4096);
        }

        @Override
        public void close() throws IOException {
            pagemap.close();
            bitmap.close();
        }
    }

    static void write(FileChannel c, long pos, long value) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, value);
        while (b.hasRemaining()) {
            c.write(b, pos + b.position());
        }
    }

    static long read(FileChannel c, long pos) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        while (b.hasRemaining() && c.read(b, pos + b.position()) >= 0) {
            // fill
        }
        return b.getLong(0);
    }

    /** @return the runs of consecutive words, each cut every {@code span} words: the fewest reads that cover them */
    static long runs(Set<Long> words, int span) {
        long[] w = words.stream().mapToLong(Long::longValue).sorted().toArray();
        long runs = 0;
        long first = 0;
        for (int i = 0; i < w.length; i++) {
            if (i == 0 || w[i] - w[i - 1] > 1 || w[i] - first >= span) {
                runs++;
                first = w[i];
            }
        }
        return runs;
    }

    static FixedTarget target(int regions) {
        return FixedTarget.split(regions, BASE, BASE + PAGES * 4096L);
    }

    /**
     * Per sample, at 20, 200 and 1,000 regions: no more system calls than the
     * reads the layout allows (one pagemap pread per 512 pages spanned, each
     * way; one bitmap pread or pwrite per run of sampled words), where the
     * unbatched sensor made four per region.
     */
    @ParameterizedTest
    @ValueSource(ints = {20, 200, 1000})
    void nearbySamplesShareTheirReads(int regions) throws IOException {
        for (boolean scattered : new boolean[] {false, true}) {
            try (Fake fake = new Fake(scattered); PageIdleSensor.Session s = fake.session()) {
                FixedTarget t = target(regions);
                Random random = new Random(regions);
                int samples = 50;
                long maxPerSample = 0;
                for (int k = 0; k < samples; k++) {
                    t.pick(random);
                    Set<Long> words = new HashSet<>();
                    for (int i = 0; i < regions; i++) {
                        words.add(fake.pfnOfPage[fake.pageOf(t.sampling[i])] / 64);
                    }
                    long before = s.syscalls();
                    s.prepare(t);
                    s.check(t);
                    long calls = s.syscalls() - before;
                    maxPerSample = Math.max(maxPerSample, calls);
                    long pagemapBound = Math.min(regions, PAGES / PageIdleSensor.Session.PAGEMAP_SPAN_PAGES);
                    long bitmapBound = runs(words, PageIdleSensor.Session.BITMAP_SPAN_WORDS);
                    assertThat(calls).as("system calls of one sample, %d regions, %s frames", regions,
                            scattered ? "scattered" : "contiguous")
                            .isLessThanOrEqualTo(2 * pagemapBound + 2 * bitmapBound)
                            .isLessThan(4L * regions);
                    assertThat(t.markedCount()).as("nothing was accessed").isZero();
                }
                System.out.printf("page-idle, fake files, %d regions, %s frames: at most %d system calls per sample"
                        + " (%.1f on average; unbatched: %d)%n", regions, scattered ? "scattered" : "contiguous",
                        maxPerSample, (double) s.syscalls() / samples, 4 * regions);
                if (regions == 1000 && !scattered) {
                    // 8192 pages: at most 16 pagemap reads each way; every one of the 129 words
                    // the frames touch holds samples: 3 bitmap reads each way
                    assertThat(maxPerSample).isLessThanOrEqualTo(2 * 16 + 2 * 3);
                }
            }
        }
    }

    /**
     * Batching keeps the sensor's answers: marked exactly when the frame's idle
     * flag was cleared or the page now names another frame, never when the page
     * is gone; and prepare marks every sampled frame idle.
     */
    @ParameterizedTest
    @ValueSource(ints = {20, 200, 1000})
    void answersAreThoseOfOneReadPerPage(int regions) throws IOException {
        for (boolean scattered : new boolean[] {false, true}) {
            try (Fake fake = new Fake(scattered); PageIdleSensor.Session s = fake.session()) {
                FixedTarget t = target(regions);
                Random random = new Random(regions * 31L);
                long nextFree = PFN_BASE + 4L * PAGES;
                for (int k = 0; k < 10; k++) {
                    t.pick(random);
                    s.prepare(t);
                    boolean[] expected = new boolean[regions];
                    for (int i = 0; i < regions; i++) {
                        int page = fake.pageOf(t.sampling[i]);
                        long pfn = fake.pfnOfPage[page];
                        if (pfn < 0) {
                            if (random.nextInt(2) == 0) {
                                fake.setPage(page, nextFree++); // faulted in since prepare
                                expected[i] = true;
                            }
                            continue;
                        }
                        assertThat(fake.idle(pfn)).as("region %d's frame marked idle", i).isTrue();
                        switch (random.nextInt(5)) {
                            case 0, 1 -> {
                                fake.access(pfn);
                                expected[i] = true;
                            }
                            case 2 -> {
                                fake.setPage(page, nextFree++); // moved (or freed and faulted again)
                                expected[i] = true;
                            }
                            case 3 -> {
                                fake.access(pfn);
                                fake.setPage(page, -1); // then unmapped: gone, not counted
                            }
                            default -> {
                                // left idle
                            }
                        }
                    }
                    s.check(t);
                    for (int i = 0; i < regions; i++) {
                        assertThat(t.marked[i]).as("sample %d, region %d of %d (%s frames)", k, i, regions,
                                scattered ? "scattered" : "contiguous").isEqualTo(expected[i]);
                    }
                }
                assertThat(s.sawNoAddressSpace()).isFalse();
            }
        }
    }

    /** A pagemap that ends (the process exec'd) reads as not present, and is noticed. */
    @Test
    void aPagemapThatEndsIsNoticedAndReadsAsNotPresent() throws IOException {
        try (Fake fake = new Fake(false); PageIdleSensor.Session s = fake.session()) {
            FixedTarget t = target(200);
            t.pick(new Random(1));
            s.prepare(t);
            fake.pagemap.truncate(0);
            s.check(t);
            assertThat(s.sawNoAddressSpace()).isTrue();
            assertThat(t.markedCount()).isZero();
            for (int p = 0; p < PAGES; p++) {
                fake.setPage(p, PFN_BASE + p);
            }
            s.reopen();
            assertThat(s.sawNoAddressSpace()).isFalse();
            t.pick(new Random(2));
            s.prepare(t);
            fake.access(fake.pfnOfPage[fake.pageOf(t.sampling[7])]);
            s.check(t);
            assertThat(t.markedCount()).isEqualTo(1);
            assertThat(t.marked[7]).isTrue();
        }
    }

    /** Warm, a sample allocates nothing, also when the number of regions varies below what it saw. */
    @Test
    void samplesAllocateNothing() throws IOException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Fake fake = new Fake(true); PageIdleSensor.Session s = fake.session()) {
            FixedTarget[] targets = {target(1000), target(200), target(20)};
            Random random = new Random(5);
            int allocating = 0;
            long bytes = 0;
            int samples = 1500;
            for (int k = 0; k < 300 + samples; k++) {
                FixedTarget t = targets[k % 3];
                t.pick(random);
                long before = threads.getCurrentThreadAllocatedBytes();
                s.prepare(t);
                s.check(t);
                long d = threads.getCurrentThreadAllocatedBytes() - before;
                if (k >= 300 && d > 0) {
                    allocating++;
                    bytes += d;
                }
            }
            assertThat(allocating).as("warm samples that allocated, of %d (%d bytes)", samples, bytes)
                    .isLessThanOrEqualTo(samples / 100);
            assertThat(Arrays.stream(targets).mapToInt(FixedTarget::markedCount).sum()).isZero();
        }
    }
}
