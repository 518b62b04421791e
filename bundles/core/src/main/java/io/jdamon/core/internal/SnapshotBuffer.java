package io.jdamon.core.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.TargetSnapshot;

/**
 * The last aggregation's results, copied by the kdamond into reused arrays
 * and turned into immutable {@link AggregationSnapshot}s only when someone
 * asks. Writer and readers synchronise on this object; a copy takes
 * microseconds even for thousands of regions.
 */
final class SnapshotBuffer {

    static final class Target {
        String spec;
        int count;
        long[] start = new long[0];
        long[] end = new long[0];
        int[] nrAccesses = new int[0];
        int[] age = new int[0];
        /** the measured rounds of the aggregation */
        final MeasuredAccesses measured = new MeasuredAccesses();

        void set(int n, long[] s, long[] e, int[] nr, int[] a) {
            if (start.length < n) {
                start = new long[n * 2];
                end = new long[n * 2];
                nrAccesses = new int[n * 2];
                age = new int[n * 2];
            }
            System.arraycopy(s, 0, start, 0, n);
            System.arraycopy(e, 0, end, 0, n);
            System.arraycopy(nr, 0, nrAccesses, 0, n);
            System.arraycopy(a, 0, age, 0, n);
            count = n;
        }
    }

    private final String contextName;
    private Target[] targets = new Target[0];
    private boolean present;
    private long aggregationIndex;
    private long startNanos;
    private long endNanos;
    private long sampleIntervalUs;
    private int aggregationSamples;

    SnapshotBuffer(String contextName) {
        this.contextName = contextName;
    }

    /**
     * Kdamond side: publishes the regions of all targets and the facts of the
     * interval: its real start and end, the sample interval used and the
     * number of samples taken.
     */
    synchronized void publish(TargetRegions[] regions, long index, long startNs, long endNs,
            long sampleUs, int samples) {
        if (targets.length != regions.length) {
            targets = new Target[regions.length];
            for (int t = 0; t < regions.length; t++) {
                targets[t] = new Target();
            }
        }
        for (int t = 0; t < regions.length; t++) {
            targets[t].spec = regions[t].spec();
            regions[t].copyTo(targets[t]);
        }
        present = true;
        aggregationIndex = index;
        startNanos = startNs;
        endNanos = endNs;
        sampleIntervalUs = sampleUs;
        aggregationSamples = samples;
    }

    synchronized void clear() {
        present = false;
    }

    synchronized int regionCount() {
        int n = 0;
        for (Target t : targets) {
            n += t.count;
        }
        return present ? n : 0;
    }

    /** Reader side: an immutable copy, or null before the first aggregation. */
    synchronized AggregationSnapshot snapshot() {
        if (!present) {
            return null;
        }
        List<TargetSnapshot> out = new ArrayList<>(targets.length);
        for (int t = 0; t < targets.length; t++) {
            Target target = targets[t];
            RegionSnapshot[] regions = new RegionSnapshot[target.count];
            for (int i = 0; i < target.count; i++) {
                regions[i] = new RegionSnapshot(target.start[i], target.end[i], target.nrAccesses[i], target.age[i]);
            }
            out.add(new TargetSnapshot(t, target.spec, Arrays.asList(regions), target.measured.rounds()));
        }
        long realAggregationUs = (endNanos - startNanos + 500) / 1_000;
        return new AggregationSnapshot(contextName, aggregationIndex, startNanos, endNanos, sampleIntervalUs,
                realAggregationUs, aggregationSamples, out);
    }
}
