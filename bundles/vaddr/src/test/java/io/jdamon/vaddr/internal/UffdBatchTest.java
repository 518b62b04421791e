package io.jdamon.vaddr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

import io.jdamon.api.MonitoringTarget;

/**
 * The uffd-write session's two ways of making its per-sample ioctls (all
 * regions in one native call each way, {@link UffdBatch}; or one JNA call per
 * ioctl, the fallback without a C compiler) see the same: on a real helper,
 * sampled pages of the mapping it keeps writing are written, pages of the
 * mapping it wrote once before the session are not, and an address outside
 * any registered mapping is never written. Many regions per sample, so the
 * batch's arrays are exercised beyond one element.
 */
@Timeout(60)
class UffdBatchTest {

    /** A target whose regions are fixed pages; records which were marked accessed. */
    static final class FixedPages implements MonitoringTarget {
        final long[] pages;
        final boolean[] accessed;

        FixedPages(long[] pages) {
            this.pages = pages;
            this.accessed = new boolean[pages.length];
        }

        @Override public Object attachment() { return null; }
        @Override public void attach(Object state) { }
        @Override public void initRegions(long... ranges) { }
        @Override public void updateRegions(long... ranges) { }
        @Override public long samplingAddress(int i) { return pages[i] + 123; }
        @Override public void markAccessed(int i) { accessed[i] = true; }
        @Override public void reportMeasuredAccess(long start, long end, long accessedBytes) { }
        @Override public void measureWholeRanges() { }
        @Override public int index() { return 0; }
        @Override public String spec() { return "fixed"; }
        @Override public int regionCount() { return pages.length; }
        @Override public long regionStart(int i) { return pages[i]; }
        @Override public long regionEnd(int i) { return pages[i] + 4096; }
        @Override public int nrAccesses(int i) { return 0; }
        @Override public int lastNrAccesses(int i) { return 0; }
        @Override public long nrAccessesBp(int i) { return 0; }
        @Override public int age(int i) { return 0; }
        @Override public long totalBytes() { return 4096L * pages.length; }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void writtenPagesAreSeenAndOthersNot(boolean batched) throws Exception {
        Assumptions.assumeTrue(new UffdWriteSensor().probe(0).available(), "uffd-write unavailable here");
        if (batched) {
            assertThat(UffdBatch.unavailableReason()).as("the batch library builds and loads (cc is here)").isNull();
        }
        System.setProperty(UffdBatch.PROPERTY, Boolean.toString(batched));
        try (AccessHelper helper = AccessHelper.start(4, 4, "write", -1, UffdWriteSensorTest.shim());
                UffdWriteSensor.Session session = new UffdWriteSensor.Session(helper.pid())) {
            assertThat(session.describe().get("ioctls")).startsWith(batched ? "two native calls" : "one JNA call");
            // 64 pages of each mapping, interleaved, and the inaccessible guard page between them
            List<Long> pages = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                pages.add(helper.hotStart + i * 16 * 4096L);
                pages.add(helper.coldStart + i * 16 * 4096L);
            }
            long guard = helper.coldEnd;
            pages.add(guard);
            FixedPages target = new FixedPages(pages.stream().mapToLong(Long::longValue).toArray());
            // the helper rewrites every hot page each pass (a pass, then 200 us asleep): sample until every hot
            // page was seen written in some sample (a starved helper takes longer); any cold page marked is wrong
            int[] hotSeen = new int[target.pages.length];
            long deadline = System.nanoTime() + 30_000_000_000L;
            for (int sample = 0; sample < 5 || !allHotSeen(hotSeen) && System.nanoTime() < deadline; sample++) {
                java.util.Arrays.fill(target.accessed, false);
                session.prepare(target);
                Thread.sleep(20);
                session.check(target);
                for (int i = 0; i < target.pages.length; i++) {
                    if (target.accessed[i]) {
                        hotSeen[i]++;
                    }
                }
            }
            for (int i = 0; i < target.pages.length - 1; i++) {
                if (i % 2 == 0) {
                    assertThat(hotSeen[i]).as("samples in which hot page %d was seen written", i / 2).isPositive();
                } else {
                    assertThat(hotSeen[i]).as("samples in which cold page %d was seen written", i / 2).isZero();
                }
            }
            assertThat(hotSeen[target.pages.length - 1]).as("the guard page, in no registered mapping").isZero();
        } finally {
            System.clearProperty(UffdBatch.PROPERTY);
        }
    }

    private static boolean allHotSeen(int[] seen) {
        for (int i = 0; i < seen.length - 1; i += 2) {
            if (seen[i] == 0) {
                return false;
            }
        }
        return true;
    }
}
