package io.jdamon.vaddr.internal;

import java.util.Arrays;
import java.util.Random;

import io.jdamon.api.MonitoringTarget;

/**
 * A target with regions fixed by the test and sampling addresses the test
 * chooses, for driving a {@link io.jdamon.vaddr.SensorSession} without the
 * engine: records which regions the session marked accessed.
 */
final class FixedTarget implements MonitoringTarget {

    private final long[] starts;
    private final long[] ends;
    final long[] sampling;
    final boolean[] marked;

    FixedTarget(long[] starts, long[] ends) {
        if (starts.length != ends.length) {
            throw new IllegalArgumentException("starts and ends differ in length");
        }
        this.starts = starts.clone();
        this.ends = ends.clone();
        this.sampling = new long[starts.length];
        this.marked = new boolean[starts.length];
    }

    /**
     * @return {@code n} regions of whole pages cut from the ranges
     *     {@code [start0, end0, start1, end1, ...]}, each range getting a share of
     *     {@code n} in proportion to its size (at least one)
     */
    static FixedTarget split(int n, long... ranges) {
        long total = 0;
        for (int r = 0; r < ranges.length; r += 2) {
            total += ranges[r + 1] - ranges[r];
        }
        long[] s = new long[n];
        long[] e = new long[n];
        int k = 0;
        for (int r = 0; r < ranges.length; r += 2) {
            long size = ranges[r + 1] - ranges[r];
            int share = r + 2 == ranges.length ? n - k : (int) Math.max(1, Math.round((double) n * size / total));
            long pages = size / 4096;
            for (int j = 0; j < share; j++) {
                s[k] = ranges[r] + pages * j / share * 4096;
                e[k] = ranges[r] + pages * (j + 1) / share * 4096;
                k++;
            }
        }
        return new FixedTarget(Arrays.copyOf(s, k), Arrays.copyOf(e, k));
    }

    /** Picks each region's sampling address uniformly at random, as the engine does, and clears the marks. */
    void pick(Random random) {
        for (int i = 0; i < starts.length; i++) {
            sampling[i] = starts[i] + (long) (random.nextDouble() * (ends[i] - starts[i]));
        }
        Arrays.fill(marked, false);
    }

    int markedCount() {
        int c = 0;
        for (boolean m : marked) {
            c += m ? 1 : 0;
        }
        return c;
    }

    @Override
    public long samplingAddress(int i) {
        return sampling[i];
    }

    @Override
    public void markAccessed(int i) {
        marked[i] = true;
    }

    /** the measured ranges of the last check: start, end, accessed bytes */
    final java.util.List<long[]> measured = new java.util.ArrayList<>();

    @Override
    public void measureWholeRanges() {
    }

    @Override
    public void reportMeasuredAccess(long start, long end, long accessedBytes) {
        io.jdamon.api.MeasuredRange.check(start, end, accessedBytes);
        measured.add(new long[] {start, end, accessedBytes});
    }

    @Override
    public int regionCount() {
        return starts.length;
    }

    @Override
    public long regionStart(int i) {
        return starts[i];
    }

    @Override
    public long regionEnd(int i) {
        return ends[i];
    }

    @Override
    public long totalBytes() {
        long t = 0;
        for (int i = 0; i < starts.length; i++) {
            t += ends[i] - starts[i];
        }
        return t;
    }

    @Override
    public int index() {
        return 0;
    }

    @Override
    public String spec() {
        return "fixed";
    }

    @Override
    public int nrAccesses(int i) {
        return 0;
    }

    @Override
    public int lastNrAccesses(int i) {
        return 0;
    }

    @Override
    public long nrAccessesBp(int i) {
        return 0;
    }

    @Override
    public int age(int i) {
        return 0;
    }

    @Override
    public Object attachment() {
        return null;
    }

    @Override
    public void attach(Object state) {
        throw new UnsupportedOperationException("a fixed target keeps no state");
    }

    @Override
    public void initRegions(long... ranges) {
        throw new UnsupportedOperationException("a fixed target's regions are fixed");
    }

    @Override
    public void updateRegions(long... ranges) {
        throw new UnsupportedOperationException("a fixed target's regions are fixed");
    }
}
