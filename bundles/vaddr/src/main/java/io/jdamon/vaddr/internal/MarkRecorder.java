package io.jdamon.vaddr.internal;

import java.util.Arrays;

import io.jdamon.api.MonitoringTarget;

/**
 * A target that remembers which regions a sensor marked accessed, then
 * passes the marks on: so that a combined sensor can tell what its first
 * part found. Reused from sample to sample; allocates only when regions
 * outgrow it.
 */
final class MarkRecorder implements MonitoringTarget {
    private MonitoringTarget target;
    private boolean[] marked = new boolean[256];

    /** Starts a sample on {@code t}: no region marked. */
    MarkRecorder on(MonitoringTarget t) {
        target = t;
        int n = t.regionCount();
        if (marked.length < n) {
            marked = new boolean[Math.max(n, marked.length * 2)];
        } else {
            Arrays.fill(marked, 0, n, false);
        }
        return this;
    }

    /** @return the regions marked this sample, by index (valid up to the target's region count) */
    boolean[] marked() {
        return marked;
    }

    @Override
    public void markAccessed(int i) {
        target.markAccessed(i);
        marked[i] = true;
    }

    @Override
    public void reportMeasuredAccess(long start, long end, long accessedBytes) {
        target.reportMeasuredAccess(start, end, accessedBytes);
    }

    @Override
    public void measureWholeRanges() {
        target.measureWholeRanges();
    }

    @Override
    public long samplingAddress(int i) {
        return target.samplingAddress(i);
    }

    @Override
    public Object attachment() {
        return target.attachment();
    }

    @Override
    public void attach(Object state) {
        target.attach(state);
    }

    @Override
    public void initRegions(long... ranges) {
        target.initRegions(ranges);
    }

    @Override
    public void updateRegions(long... ranges) {
        target.updateRegions(ranges);
    }

    @Override
    public int index() {
        return target.index();
    }

    @Override
    public String spec() {
        return target.spec();
    }

    @Override
    public int regionCount() {
        return target.regionCount();
    }

    @Override
    public long regionStart(int i) {
        return target.regionStart(i);
    }

    @Override
    public long regionEnd(int i) {
        return target.regionEnd(i);
    }

    @Override
    public int nrAccesses(int i) {
        return target.nrAccesses(i);
    }

    @Override
    public int lastNrAccesses(int i) {
        return target.lastNrAccesses(i);
    }

    @Override
    public long nrAccessesBp(int i) {
        return target.nrAccessesBp(i);
    }

    @Override
    public int age(int i) {
        return target.age(i);
    }

    @Override
    public long totalBytes() {
        return target.totalBytes();
    }
}
