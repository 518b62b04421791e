package io.jdamon.core.internal;

import io.jdamon.api.TargetView;

/** A target as callbacks see it: reads only, so a callback cannot reshape regions. */
final class ReadOnlyTarget implements TargetView {
    private final TargetRegions regions;

    ReadOnlyTarget(TargetRegions regions) {
        this.regions = regions;
    }

    @Override
    public int index() {
        return regions.index();
    }

    @Override
    public String spec() {
        return regions.spec();
    }

    @Override
    public int regionCount() {
        return regions.regionCount();
    }

    @Override
    public long regionStart(int i) {
        return regions.regionStart(i);
    }

    @Override
    public long regionEnd(int i) {
        return regions.regionEnd(i);
    }

    @Override
    public int nrAccesses(int i) {
        return regions.nrAccesses(i);
    }

    @Override
    public int lastNrAccesses(int i) {
        return regions.lastNrAccesses(i);
    }

    @Override
    public long nrAccessesBp(int i) {
        return regions.nrAccessesBp(i);
    }

    @Override
    public int age(int i) {
        return regions.age(i);
    }

    @Override
    public long totalBytes() {
        return regions.totalBytes();
    }

    @Override
    public int measuredRoundCount() {
        return regions.measuredRoundCount();
    }

    @Override
    public long measuredRoundStartNanos(int r) {
        return regions.measuredRoundStartNanos(r);
    }

    @Override
    public long measuredRoundEndNanos(int r) {
        return regions.measuredRoundEndNanos(r);
    }

    @Override
    public int measuredRoundFirstRange(int r) {
        return regions.measuredRoundFirstRange(r);
    }

    @Override
    public int measuredRangeCount() {
        return regions.measuredRangeCount();
    }

    @Override
    public long measuredRangeStart(int k) {
        return regions.measuredRangeStart(k);
    }

    @Override
    public long measuredRangeEnd(int k) {
        return regions.measuredRangeEnd(k);
    }

    @Override
    public long measuredRangeAccessedBytes(int k) {
        return regions.measuredRangeAccessedBytes(k);
    }
}
