package io.jdamon.sim.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.jdamon.api.MonitoringTarget;
import io.jdamon.sim.internal.WorkloadConfig.Access;
import io.jdamon.sim.internal.WorkloadConfig.Phase;

/**
 * A workload that really runs: its own thread touches off-heap memory
 * (direct buffers, one per GiB) as the phases say, and every touch sets the
 * page's accessed bit, which the primitive clears and reads as DAMON does
 * with the page table's accessed bit. Ground truth is counted on the
 * workload thread: distinct pages touched per window, per region.
 */
final class RealWorkload extends SimWorkload implements Runnable {

    private static final VarHandle BITS = MethodHandles.arrayElementVarHandle(byte[].class);
    private static final int CHUNK_SHIFT = 30;
    private static final long CHUNK_MASK = (1L << CHUNK_SHIFT) - 1;
    /** Accesses done per pick of an access pattern, between two looks at the clock. */
    private static final int BURST = 64;

    private final ByteBuffer[] chunks;
    /** One byte per page: 1 once touched, set to 0 by the primitive's prepare. */
    private final byte[] accessed;
    /** Per page, the ground-truth window it was last touched in; workload thread only. */
    private final int[] stamps;
    private final long windowNanos;
    private final String threadName;

    // the phases, flattened for the touch loop
    private final long[] phaseEndNanos;
    private final int[][] patternRegion;
    private final boolean[][] patternRandom;
    private final long[][] patternStride;
    private final long[][] patternSlots;
    private final int[][] patternCumulativeWeight;
    private final WorkloadConfig.AccessMode[][] patternMode;
    private final long[][] patternCursor;

    private volatile Thread thread;
    private volatile boolean stopRequested;
    private volatile boolean done;
    private volatile Throwable failure;
    /** Keeps reads from being optimized away. */
    private volatile long sink;

    /**
     * Prepares a workload; {@link #start()} allocates its memory and runs it.
     * A failed allocation ends the workload and fails the next access check
     * with a message that says what to do.
     *
     * @param windowNanos the ground-truth window, normally the aggregation interval
     */
    RealWorkload(TargetSpec spec, long windowNanos, String threadName, int truthCapacity) {
        super(spec, truthCapacity);
        this.windowNanos = windowNanos;
        this.threadName = threadName;
        long bytes = layout.dataBytes();
        long pages = layout.dataPages();
        if (pages > Integer.MAX_VALUE) {
            throw new IllegalStateException("sim target '" + spec.spec() + "' is too large for a real workload;"
                    + " prefix it with 'virtual:'");
        }
        chunks = new ByteBuffer[(int) ((bytes + CHUNK_MASK) >>> CHUNK_SHIFT)];
        accessed = new byte[(int) pages];
        stamps = new int[(int) pages];

        List<Phase> phases = spec.config().phases();
        int n = phases.size();
        phaseEndNanos = new long[n];
        patternRegion = new int[n][];
        patternRandom = new boolean[n][];
        patternStride = new long[n][];
        patternSlots = new long[n][];
        patternCumulativeWeight = new int[n][];
        patternMode = new WorkloadConfig.AccessMode[n][];
        patternCursor = new long[n][];
        long end = 0;
        for (int p = 0; p < n; p++) {
            Phase phase = phases.get(p);
            end += TimeUnit.MILLISECONDS.toNanos(phase.durationMs());
            phaseEndNanos[p] = end;
            int k = phase.accesses().size();
            patternRegion[p] = new int[k];
            patternRandom[p] = new boolean[k];
            patternStride[p] = new long[k];
            patternSlots[p] = new long[k];
            patternCumulativeWeight[p] = new int[k];
            patternMode[p] = new WorkloadConfig.AccessMode[k];
            patternCursor[p] = new long[k];
            int cumulative = 0;
            for (int a = 0; a < k; a++) {
                Access access = phase.accesses().get(a);
                long regionSize = layout.size(access.regionIndex());
                patternRegion[p][a] = access.regionIndex();
                patternRandom[p][a] = access.random();
                patternStride[p][a] = access.strideBytes();
                patternSlots[p][a] = Math.max(1, regionSize / access.strideBytes());
                cumulative += access.weight();
                patternCumulativeWeight[p][a] = cumulative;
                patternMode[p][a] = access.mode();
            }
        }
    }

    /** @return the most off-heap memory real workloads may take: the JVM's direct memory limit */
    static long maxRealBytes() {
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("-XX:MaxDirectMemorySize=")) {
                try {
                    return Sizes.parse(arg.substring("-XX:MaxDirectMemorySize=".length()));
                } catch (IllegalArgumentException e) {
                    break;
                }
            }
        }
        return Runtime.getRuntime().maxMemory();
    }

    /**
     * Allocates (and so zeroes) the memory, on the workload thread so that the
     * kdamond's first interval does not wait for it.
     */
    private void allocate() {
        long bytes = layout.dataBytes();
        try {
            for (int c = 0; c < chunks.length; c++) {
                long size = Math.min(1L << CHUNK_SHIFT, bytes - ((long) c << CHUNK_SHIFT));
                chunks[c] = ByteBuffer.allocateDirect((int) size).order(ByteOrder.nativeOrder());
            }
        } catch (OutOfMemoryError e) {
            java.util.Arrays.fill(chunks, null);
            throw new IllegalStateException("sim target '" + spec.spec() + "' could not get " + Sizes.format(bytes)
                    + " of off-heap memory (" + e.getMessage() + "); use 'virtual:" + spec.spec()
                    + "', a smaller size=, or raise -XX:MaxDirectMemorySize");
        }
    }

    @Override
    void start() {
        Thread t = new Thread(this, threadName);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public void run() {
        int nrRegions = layout.regionCount();
        long[] touchedPages = new long[nrRegions];
        long[] touchedBytes = new long[nrRegions];
        long[] regionSize = new long[nrRegions];
        long[] regionData = new long[nrRegions];
        for (int r = 0; r < nrRegions; r++) {
            regionSize[r] = layout.size(r);
            regionData[r] = layout.dataOffset(r);
        }
        long rnd = System.nanoTime() ^ 0x9E3779B97F4A7C15L;
        long acc = 0;
        int epoch = 1;
        long windowStart = 0;
        int windowPhase = 0;
        int phase = 0;
        try {
            allocate();
            long t0 = System.nanoTime();
            long now = 0;
            while (phase < phaseEndNanos.length && !stopRequested) {
                now = System.nanoTime() - t0;
                if (now - windowStart >= windowNanos) {
                    flush(windowStart, now, windowPhase, phase, touchedPages, touchedBytes);
                    windowStart = now;
                    windowPhase = phase;
                    epoch = epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
                }
                if (now >= phaseEndNanos[phase]) {
                    phase++;
                    continue;
                }
                int[] cumulative = patternCumulativeWeight[phase];
                rnd = next(rnd);
                int pick = (int) ((rnd >>> 33) % cumulative[cumulative.length - 1]);
                int k = 0;
                while (cumulative[k] <= pick) {
                    k++;
                }
                int r = patternRegion[phase][k];
                long size = regionSize[r];
                long data = regionData[r];
                long stride = patternStride[phase][k];
                long slots = patternSlots[phase][k];
                boolean random = patternRandom[phase][k];
                WorkloadConfig.AccessMode mode = patternMode[phase][k];
                long cursor = patternCursor[phase][k];
                for (int j = 0; j < BURST; j++) {
                    long offset;
                    if (random) {
                        rnd = next(rnd);
                        offset = ((rnd >>> 1) % slots) * stride;
                    } else {
                        offset = cursor;
                        cursor += stride;
                        if (cursor >= size) {
                            cursor = 0;
                        }
                    }
                    offset = Math.min(offset & ~7L, size - 8);
                    long address = data + offset;
                    ByteBuffer chunk = chunks[(int) (address >>> CHUNK_SHIFT)];
                    int index = (int) (address & CHUNK_MASK);
                    switch (mode) {
                        case RO -> acc += chunk.getLong(index);
                        case WO -> chunk.putLong(index, acc + j);
                        default -> chunk.putLong(index, chunk.getLong(index) + 1);
                    }
                    int page = (int) (address >>> Sizes.PAGE_SHIFT);
                    if ((byte) BITS.getOpaque(accessed, page) == 0) {
                        BITS.setOpaque(accessed, page, (byte) 1);
                    }
                    if (stamps[page] != epoch) {
                        stamps[page] = epoch;
                        touchedPages[r]++;
                    }
                }
                patternCursor[phase][k] = cursor;
            }
            now = System.nanoTime() - t0;
            if (now > windowStart) {
                flush(windowStart, now, windowPhase, Math.min(phase, phaseEndNanos.length - 1), touchedPages,
                        touchedBytes);
            }
            if (!stopRequested) {
                truth.markFinished();
            }
        } catch (Throwable e) {
            failure = e;
        } finally {
            sink = acc;
            done = true;
        }
    }

    private void flush(long start, long end, int phaseAtStart, int phaseAtEnd, long[] touchedPages,
            long[] touchedBytes) {
        for (int r = 0; r < touchedPages.length; r++) {
            touchedBytes[r] = touchedPages[r] << Sizes.PAGE_SHIFT;
            touchedPages[r] = 0;
        }
        truth.record(start, end, phaseAtStart, Math.min(phaseAtEnd, phaseEndNanos.length - 1), touchedBytes);
    }

    private static long next(long x) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        return x;
    }

    @Override
    void prepareAccessChecks(MonitoringTarget target) {
        int n = target.regionCount();
        for (int i = 0; i < n; i++) {
            long page = layout.pageOf(target.samplingAddress(i));
            if (page >= 0) {
                BITS.setOpaque(accessed, (int) page, (byte) 0);
            }
        }
    }

    @Override
    void checkAccesses(MonitoringTarget target) {
        Throwable f = failure;
        if (f != null) {
            throw new IllegalStateException(f instanceof IllegalStateException ? f.getMessage()
                    : "the workload thread of sim target '" + spec.spec() + "' failed: " + f, f);
        }
        int n = target.regionCount();
        for (int i = 0; i < n; i++) {
            long page = layout.pageOf(target.samplingAddress(i));
            if (page >= 0 && (byte) BITS.getOpaque(accessed, (int) page) != 0) {
                target.markAccessed(i);
            }
        }
    }

    /** @return whether the page holding {@code address} has its accessed bit set (for tests and baselines) */
    boolean accessedBit(long address) {
        long page = layout.pageOf(address);
        return page >= 0 && (byte) BITS.getOpaque(accessed, (int) page) != 0;
    }

    /** Clears the accessed bit of the page holding {@code address}. */
    void clearAccessedBit(long address) {
        long page = layout.pageOf(address);
        if (page >= 0) {
            BITS.setOpaque(accessed, (int) page, (byte) 0);
        }
    }

    /**
     * The full-scan baseline: reads and clears every page's accessed bit, as
     * monitoring without regions would each sample.
     *
     * @return the number of pages found accessed
     */
    long scanAllPages() {
        long count = 0;
        for (int page = 0; page < accessed.length; page++) {
            if ((byte) BITS.getOpaque(accessed, page) != 0) {
                count++;
                BITS.setOpaque(accessed, page, (byte) 0);
            }
        }
        return count;
    }

    /**
     * A failed workload is not finished: its target stays valid until the
     * next {@link #checkAccesses} reports the failure. Were it finished, the
     * engine could end the context as if every phase had run (every target
     * gone) and the reason, with its fix, would be lost.
     */
    @Override
    boolean finished() {
        return done && failure == null;
    }

    /** @return whether the workload thread failed (its memory could not be had, or it threw) */
    boolean failed() {
        return failure != null;
    }

    @Override
    void stop() throws InterruptedException {
        stopRequested = true;
        Thread t = thread;
        if (t != null) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }
        java.util.Arrays.fill(chunks, null);
    }
}
