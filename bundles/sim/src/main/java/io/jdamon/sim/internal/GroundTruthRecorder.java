package io.jdamon.sim.internal;

import java.util.ArrayList;
import java.util.List;

import io.jdamon.sim.GroundTruth;
import io.jdamon.sim.GroundTruthWindow;
import io.jdamon.sim.PhaseTruth;

/**
 * Keeps a workload's ground truth: the last {@link #capacity} windows in a
 * ring (bounded memory: at most {@link #MAX_CELLS} region counts, so at most
 * 8 MiB however many regions) and a running summary per phase. Written by one
 * thread (the workload's, or the kdamond for virtual workloads), read by any.
 */
final class GroundTruthRecorder implements GroundTruth {

    /** Windows kept by default: 10,000 (about 17 minutes of 100 ms windows). */
    static final int DEFAULT_CAPACITY = 10_000;
    /** The most per-region byte counts kept over all windows (8 MiB of longs), so many regions mean fewer windows. */
    static final int MAX_CELLS = 1 << 20;

    private final String spec;
    private final boolean virtual;
    private final WorkloadConfig config;
    private final AddressLayout layout;
    private final int capacity;
    private final int nrRegions;

    // guarded by this
    private final long[] ringBytes;
    private final long[] ringStart;
    private final long[] ringEnd;
    private final int[] ringPhaseStart;
    private final int[] ringPhaseEnd;
    private long recorded;
    /** windows dropped before this copy was made (see {@link #compacted}) */
    private long dropped;
    private final long[] phaseWindows;
    private final long[] phaseSum;
    private final long[] phaseMax;
    private volatile boolean finished;
    /** the pages' residency; a copy's is the one of the run it was made from */
    private Residency residency;

    GroundTruthRecorder(String spec, boolean virtual, WorkloadConfig config, AddressLayout layout, int capacity) {
        this.spec = spec;
        this.virtual = virtual;
        this.config = config;
        this.layout = layout;
        this.nrRegions = config.regions().size();
        this.capacity = Math.max(1, Math.min(capacity, MAX_CELLS / nrRegions));
        // sized by the clamped capacity (this.capacity), not the one asked for
        ringBytes = new long[this.capacity * nrRegions];
        ringStart = new long[this.capacity];
        ringEnd = new long[this.capacity];
        ringPhaseStart = new int[this.capacity];
        ringPhaseEnd = new int[this.capacity];
        int phases = config.phases().size();
        phaseWindows = new long[phases];
        phaseSum = new long[phases];
        phaseMax = new long[phases];
    }

    /**
     * A copy that keeps only the windows recorded so far (the ring trimmed to
     * them) and the phase summaries, for keeping a run's truth after it ended:
     * a ring sized for {@link #DEFAULT_CAPACITY} windows is about 1 MiB
     * however short the run. Reads as this one did when copied.
     */
    synchronized GroundTruthRecorder compacted() {
        int kept = (int) Math.min(recorded, capacity);
        GroundTruthRecorder c = new GroundTruthRecorder(spec, virtual, config, layout, Math.max(1, kept));
        for (long w = recorded - kept; w < recorded; w++) {
            int from = (int) (w % capacity);
            int to = (int) (w - (recorded - kept));
            System.arraycopy(ringBytes, from * nrRegions, c.ringBytes, to * nrRegions, nrRegions);
            c.ringStart[to] = ringStart[from];
            c.ringEnd[to] = ringEnd[from];
            c.ringPhaseStart[to] = ringPhaseStart[from];
            c.ringPhaseEnd[to] = ringPhaseEnd[from];
        }
        c.recorded = kept;
        c.dropped = recorded - kept + dropped;
        System.arraycopy(phaseWindows, 0, c.phaseWindows, 0, phaseWindows.length);
        System.arraycopy(phaseSum, 0, c.phaseSum, 0, phaseSum.length);
        System.arraycopy(phaseMax, 0, c.phaseMax, 0, phaseMax.length);
        c.finished = finished;
        c.residency = residency;
        return c;
    }

    /** Records one window; allocates nothing. {@code touchedBytes} is read, not kept. */
    synchronized void record(long startNanos, long endNanos, int phaseAtStart, int phaseAtEnd, long[] touchedBytes) {
        int slot = (int) (recorded % capacity);
        long wss = 0;
        for (int r = 0; r < nrRegions; r++) {
            ringBytes[slot * nrRegions + r] = touchedBytes[r];
            wss += touchedBytes[r];
        }
        ringStart[slot] = startNanos;
        ringEnd[slot] = endNanos;
        ringPhaseStart[slot] = phaseAtStart;
        ringPhaseEnd[slot] = phaseAtEnd;
        recorded++;
        if (phaseAtStart == phaseAtEnd) {
            phaseWindows[phaseAtStart]++;
            phaseSum[phaseAtStart] += wss;
            phaseMax[phaseAtStart] = Math.max(phaseMax[phaseAtStart], wss);
        }
    }

    /** The workload's residency, which DAMOS actions change (virtual workloads). */
    void useResidency(Residency r) {
        residency = r;
    }

    @Override
    public long residentBytes() {
        Residency r = residency;
        return r == null ? layout.dataBytes() : r.residentBytes();
    }

    @Override
    public long refaultedPages() {
        Residency r = residency;
        return r == null ? 0 : r.refaultedPages();
    }

    @Override
    public long pagedOutPages() {
        Residency r = residency;
        return r == null ? 0 : r.pagedOutPages();
    }

    @Override
    public long touchedPages() {
        Residency r = residency;
        return r == null ? 0 : r.touchedPages();
    }

    void markFinished() {
        finished = true;
    }

    @Override
    public String spec() {
        return spec;
    }

    @Override
    public boolean virtual() {
        return virtual;
    }

    @Override
    public List<String> regionNames() {
        return config.regions().stream().map(WorkloadConfig.Region::name).toList();
    }

    @Override
    public List<Long> regionSizes() {
        List<Long> sizes = new ArrayList<>();
        for (int r = 0; r < nrRegions; r++) {
            sizes.add(layout.size(r));
        }
        return sizes;
    }

    @Override
    public List<Long> regionStarts() {
        List<Long> starts = new ArrayList<>();
        for (int r = 0; r < nrRegions; r++) {
            starts.add(layout.start(r));
        }
        return starts;
    }

    @Override
    public synchronized List<PhaseTruth> phases() {
        List<PhaseTruth> result = new ArrayList<>();
        for (int p = 0; p < phaseWindows.length; p++) {
            WorkloadConfig.Phase phase = config.phases().get(p);
            long mean = phaseWindows[p] == 0 ? 0 : phaseSum[p] / phaseWindows[p];
            result.add(new PhaseTruth(phase.name(), phase.durationMs(), phaseWindows[p], mean, phaseMax[p]));
        }
        return result;
    }

    @Override
    public synchronized List<GroundTruthWindow> windows() {
        long kept = Math.min(recorded, capacity);
        List<GroundTruthWindow> result = new ArrayList<>((int) kept);
        for (long w = recorded - kept; w < recorded; w++) {
            int slot = (int) (w % capacity);
            List<Long> bytes = new ArrayList<>(nrRegions);
            for (int r = 0; r < nrRegions; r++) {
                bytes.add(ringBytes[slot * nrRegions + r]);
            }
            result.add(new GroundTruthWindow(ringStart[slot], ringEnd[slot], ringPhaseStart[slot],
                    ringPhaseEnd[slot], bytes));
        }
        return result;
    }

    @Override
    public synchronized long droppedWindows() {
        return dropped + Math.max(0, recorded - capacity);
    }

    @Override
    public boolean finished() {
        return finished;
    }
}
