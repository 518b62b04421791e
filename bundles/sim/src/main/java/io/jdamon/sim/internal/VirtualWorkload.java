package io.jdamon.sim.internal;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.jdamon.api.MonitoringTarget;
import io.jdamon.sim.internal.WorkloadConfig.Phase;

/**
 * A workload whose accesses are computed, not touched, so the address space
 * can be far larger than memory. A page counts as accessed in a sample
 * interval when a phase running at the interval's start or end accesses its
 * region: an ideal workload that touches every page of its active regions in
 * every interval; with the target option {@code touch=TIME}, a page of an
 * active region is touched on average once per TIME, so short samples miss it. The phases follow the wall clock from {@link #start()}.
 */
final class VirtualWorkload extends SimWorkload {

    private final long[] phaseEndNanos;
    /** [phase][region]: whether the phase accesses the region; one extra all-false row for "finished". */
    private final boolean[][] active;
    private final long[] touchedBytes;
    private long startNanos;
    private int preparedPhase;
    /** The mean time between two touches of an active page; 0: touched in every sample. */
    private final long touchNanos;
    private final SplittableRandom touches = new SplittableRandom(0x5eed);
    private long preparedNanos;
    private long windowStart;
    private int windowPhase;
    private final Residency residency;

    VirtualWorkload(TargetSpec spec, int truthCapacity) {
        super(spec, truthCapacity);
        List<Phase> phases = spec.config().phases();
        int n = phases.size();
        int nrRegions = layout.regionCount();
        phaseEndNanos = new long[n];
        active = new boolean[n + 1][nrRegions];
        long end = 0;
        for (int p = 0; p < n; p++) {
            end += TimeUnit.MILLISECONDS.toNanos(phases.get(p).durationMs());
            phaseEndNanos[p] = end;
            for (int r = 0; r < nrRegions; r++) {
                active[p][r] = phases.get(p).accesses(r);
            }
        }
        touchedBytes = new long[nrRegions];
        touchNanos = spec.touchNanos();
        residency = new Residency(layout.dataPages());
        truth.useResidency(residency);
    }

    @Override
    void start() {
        startNanos = System.nanoTime();
        windowStart = 0;
        windowPhase = 0;
    }

    /** @return the phase running {@code elapsedNanos} after the start; the phase count once all ran */
    int phaseAt(long elapsedNanos) {
        int p = 0;
        while (p < phaseEndNanos.length && elapsedNanos >= phaseEndNanos[p]) {
            p++;
        }
        return p;
    }

    int currentPhase() {
        return phaseAt(System.nanoTime() - startNanos);
    }

    /** @return whether {@code address} counts as accessed during phase {@code phase}. Allocates nothing. */
    boolean accessedIn(long address, int phase) {
        int r = layout.regionOf(address);
        return r >= 0 && active[phase][r];
    }

    @Override
    void prepareAccessChecks(MonitoringTarget target) {
        // nothing to clear: the bit is computed; remember the phase the interval starts in
        preparedPhase = currentPhase();
        preparedNanos = System.nanoTime();
    }

    @Override
    void checkAccesses(MonitoringTarget target) {
        int phaseNow = currentPhase();
        int phaseBefore = preparedPhase;
        // with touch=, an active page was touched in this sample with the chance a Poisson process gives
        double seen = touchNanos == 0 ? 1 : -Math.expm1(-(double) (System.nanoTime() - preparedNanos) / touchNanos);
        int n = target.regionCount();
        for (int i = 0; i < n; i++) {
            int r = layout.regionOf(target.samplingAddress(i));
            if (r >= 0 && (active[phaseBefore][r] || active[phaseNow][r])
                    && (touchNanos == 0 || touches.nextDouble() < seen)) {
                target.markAccessed(i);
            }
        }
        // the workload touched its active regions' pages in this sample: paged-out ones fault back in
        for (int r = 0; r < layout.regionCount(); r++) {
            if (active[phaseBefore][r] || active[phaseNow][r]) {
                long first = layout.dataOffset(r) >>> Sizes.PAGE_SHIFT;
                residency.touch(first, first + (layout.size(r) >>> Sizes.PAGE_SHIFT), seen, touches);
            }
        }
    }

    /**
     * Applies a DAMOS action to {@code [start, end)} of the simulated address
     * space (the gaps between regions hold nothing).
     *
     * @return the bytes of the range that lie in the workload's regions: the action applies to all of them
     */
    long applyAction(String action, long start, long end) {
        long bytes = 0;
        for (int r = 0; r < layout.regionCount(); r++) {
            long s = Math.max(start, layout.start(r));
            long e = Math.min(end, layout.end(r));
            if (s >= e) {
                continue;
            }
            long first = (layout.dataOffset(r) + (s - layout.start(r))) >>> Sizes.PAGE_SHIFT;
            long last = (layout.dataOffset(r) + (e - layout.start(r)) + (1L << Sizes.PAGE_SHIFT) - 1) >>> Sizes.PAGE_SHIFT;
            switch (action) {
                case io.jdamon.api.Scheme.PAGEOUT -> residency.pageOut(first, last);
                case io.jdamon.api.Scheme.WILLNEED -> residency.willNeed(first, last);
                default -> throw new IllegalArgumentException("sim does not apply action '" + action + "'");
            }
            bytes += e - s;
        }
        return bytes;
    }

    @Override
    void aggregated() {
        long now = System.nanoTime() - startNanos;
        int phaseNow = phaseAt(now);
        recordWindow(now, phaseNow);
        if (phaseNow >= phaseEndNanos.length) {
            truth.markFinished();
        }
    }

    private void recordWindow(long now, int phaseNow) {
        int last = Math.min(phaseNow, phaseEndNanos.length - 1);
        int first = Math.min(windowPhase, last);
        for (int r = 0; r < touchedBytes.length; r++) {
            boolean touched = false;
            for (int p = first; p <= last && !touched; p++) {
                touched = active[p][r];
            }
            touchedBytes[r] = touched ? layout.size(r) : 0;
        }
        truth.record(windowStart, now, first, last, touchedBytes);
        windowStart = now;
        windowPhase = phaseNow;
    }

    @Override
    boolean finished() {
        return System.nanoTime() - startNanos >= phaseEndNanos[phaseEndNanos.length - 1];
    }

    @Override
    void stop() {
        if (finished()) {
            truth.markFinished();
        }
    }
}
