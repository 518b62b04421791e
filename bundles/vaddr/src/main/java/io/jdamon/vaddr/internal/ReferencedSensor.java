package io.jdamon.vaddr.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import io.jdamon.api.MonitoringTarget;
import io.jdamon.vaddr.Granularity;
import io.jdamon.vaddr.SensorProbe;
import io.jdamon.vaddr.SensorSession;
import io.jdamon.vaddr.SensorTraits;

/**
 * {@code referenced}: writing {@code 1} to {@code /proc/PID/clear_refs}
 * clears the Accessed bits of all the process's pages; later
 * {@code /proc/PID/smaps} tells, per mapping, how many bytes were
 * {@code Referenced} since. Works on every Linux kernel for the process's
 * owner or root, but only per mapping: a sampling address counts as accessed
 * with probability referenced bytes / mapping size, which is the expected
 * value of a page-level sample when the mapping's accesses are spread evenly,
 * and nothing better when they are not.
 *
 * <p>A round (clear plus read) costs time proportional to resident memory
 * (about 10 ms per GiB each). Every sample is one round. When a round would
 * cost more than 5% of the sample interval, the session wants a longer one
 * ({@link Session#wantedSampleIntervalUs()}), which {@link VaddrPrimitive}
 * asks the engine for: the kdamond then samples at that interval, and
 * snapshots and records say so. The wish is logged and reported in the
 * primitive's description.
 */
final class ReferencedSensor extends BuiltInSensor {

    static final String NAME = "referenced";
    /** The most a round may cost, as a share of the time it covers. */
    static final double MAX_COST_SHARE = 0.05;

    /**
     * Round costs are CPU time of the sampling thread (user + system): on a
     * busy machine wall-clock rounds include the time the thread waited for
     * a CPU, which would raise the interval without the sensor costing more.
     */
    private static final java.lang.management.ThreadMXBean CPU =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private static final System.Logger LOG = System.getLogger(ReferencedSensor.class.getName());

    /** What it is; see {@link SensorTraits}. */
    static final SensorTraits TRAITS = SensorTraits.of(NAME, true, true, Granularity.MAPPING,
            50,
            "clear_refs + smaps Referenced: per mapping (a sample is accessed with probability referenced/size"
                    + " of its mapping); each round costs about 10-30 ms per GiB resident, the sample interval is raised"
                    + " when a round would cost more than 5% of it");

    ReferencedSensor() {
        super(TRAITS);
    }

    @Override
    public SensorProbe probe(int pid) {
        if (!Files.exists(Path.of("/proc/self/clear_refs"))) {
            return SensorProbe.unavailable("kernel " + Kernel.release() + " has no /proc/PID/clear_refs"
                    + " (CONFIG_PROC_PAGE_MONITOR is off)");
        }
        if (pid > 0) {
            Path clear = Path.of("/proc/" + pid + "/clear_refs");
            try (FileChannel c = FileChannel.open(clear, StandardOpenOption.WRITE)) {
                // writable
            } catch (IOException e) {
                return SensorProbe.unavailable("cannot write " + clear + " (" + e.getMessage()
                        + "): only the process's owner or root may; run jdamon as that user or as root");
            }
            Path smaps = Path.of("/proc/" + pid + "/smaps");
            try (FileChannel c = FileChannel.open(smaps, StandardOpenOption.READ)) {
                c.read(ByteBuffer.allocate(1));
            } catch (IOException e) {
                return SensorProbe.unavailable("cannot read " + smaps + " (" + e.getMessage() + ")");
            }
        }
        return SensorProbe.available("clear_refs present; works for the process's owner or root");
    }

    @Override
    public SensorSession open(int pid, long sampleIntervalUs) throws IOException {
        return new Session(pid, sampleIntervalUs);
    }

    static final class Session implements SensorSession, FollowsExec {
        /**
         * Whether checks report referenced bytes per mapping; off for a target with fixed address ranges,
         * which may cut mappings: a mapping's bytes cannot be split between what is monitored and what not.
         */
        boolean measuresMappings = true;
        private final int pid;
        private final long sampleIntervalUs;
        private final ProcFileOpener files;
        /** reopened when the process exec'd (see {@link #reopen}) */
        private FileChannel clearRefs;
        private FileChannel smaps;
        /** the last smaps read came back empty: no address space behind the file */
        private boolean sawNoAddressSpace;
        private final ByteBuffer one = ByteBuffer.allocateDirect(1);
        private ByteBuffer text = ByteBuffer.allocateDirect(1 << 20);
        /** mappings of the last round, sorted: [start, end) and the bytes referenced, at most end - start */
        private long[] starts = new long[256];
        private long[] ends = new long[256];
        private long[] referencedBytes = new long[256];
        /** per mapping, the bytes of the regions a combined sensor's write part found written */
        private long[] writtenBytes = new long[0];
        private int mappings;
        /** the sample interval this session wants, in microseconds: the context's unless rounds are expensive */
        private long wantedSampleIntervalUs;
        private long highestWantedUs;
        private long clearNanos;
        private long lastRoundCostNanos;
        /** moving average of the round cost, so one slow round does not flip the interval */
        private double avgRoundCostNanos = -1;
        private long maxRoundCostNanos;
        private long rounds;
        private long rng = 0x9E3779B97F4A7C15L;

        Session(int pid, long sampleIntervalUs) throws IOException {
            this(pid, sampleIntervalUs, ProcFileOpener.REAL);
        }

        Session(int pid, long sampleIntervalUs, ProcFileOpener files) throws IOException {
            this.pid = pid;
            this.sampleIntervalUs = sampleIntervalUs;
            this.files = files;
            this.wantedSampleIntervalUs = sampleIntervalUs;
            this.highestWantedUs = sampleIntervalUs;
            this.clearRefs = files.channel(Path.of("/proc/" + pid + "/clear_refs"), StandardOpenOption.WRITE);
            FileChannel s = null;
            try {
                s = files.channel(Path.of("/proc/" + pid + "/smaps"), StandardOpenOption.READ);
                this.smaps = s;
                this.one.put(0, (byte) '1');
                this.rng ^= System.nanoTime();
                // one round now, so the cost (and the effective interval) is known before the first sample
                clear();
                readSmaps();
                adapt();
            } catch (IOException | RuntimeException e) {
                // the caller gets no session to close: close what was opened here
                closeQuietly(clearRefs);
                closeQuietly(s);
                throw e;
            }
        }

        private static void closeQuietly(FileChannel c) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException e) {
                    // nothing to do
                }
            }
        }

        @Override
        public void prepare(MonitoringTarget target) {
            try {
                clear();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void check(MonitoringTarget target) {
            readRound();
            int n = target.regionCount();
            for (int i = 0; i < n; i++) {
                double share = shareAt(target.samplingAddress(i));
                if (share > 0 && (share >= 1 || nextDouble() < share)) {
                    target.markAccessed(i);
                }
            }
            reportMeasured(target);
        }

        /** The second half of a round: reads smaps and updates the interval wanted. */
        private void readRound() {
            try {
                readSmaps();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            adapt();
        }

        /**
         * The truth this sensor has: referenced bytes per mapping. Reported for
         * the mappings the target's regions cover, so that reports count those
         * bytes, not the sizes of the regions a sample found accessed.
         */
        void reportMeasured(MonitoringTarget target) {
            int n = target.regionCount();
            if (n == 0 || !measuresMappings) {
                return;
            }
            long lo = target.regionStart(0);
            long hi = target.regionEnd(n - 1);
            for (int m = 0; m < mappings; m++) {
                if (referencedBytes[m] > 0 && Long.compareUnsigned(ends[m], lo) > 0
                        && Long.compareUnsigned(starts[m], hi) < 0) {
                    target.reportMeasuredAccess(starts[m], ends[m], referencedBytes[m]);
                }
            }
        }

        /**
         * The check of {@code uffd-write+referenced}: the regions in
         * {@code written} were found written page by page; every other one
         * counts as accessed with the probability that a page of its mapping
         * that was not written was referenced, {@code (R - W) / (S - W)},
         * where W, the mapping's written bytes, is estimated as the bytes of
         * its regions found written. Then reports the referenced bytes.
         */
        void checkBesides(MonitoringTarget target, boolean[] written) {
            readRound();
            int n = target.regionCount();
            if (writtenBytes.length < mappings) {
                writtenBytes = new long[starts.length];
            }
            Arrays.fill(writtenBytes, 0, mappings, 0);
            for (int i = 0; i < n; i++) {
                int m;
                if (written[i] && (m = mappingAt(target.samplingAddress(i))) >= 0) {
                    long lo = Math.max(target.regionStart(i), starts[m]);
                    long hi = Math.min(target.regionEnd(i), ends[m]);
                    writtenBytes[m] += Math.max(0, hi - lo);
                }
            }
            for (int i = 0; i < n; i++) {
                int m;
                if (written[i] || (m = mappingAt(target.samplingAddress(i))) < 0) {
                    continue;
                }
                long w = Math.min(writtenBytes[m], referencedBytes[m]);
                long notWritten = ends[m] - starts[m] - w;
                double share = notWritten > 0 ? (double) (referencedBytes[m] - w) / notWritten : 0;
                if (share > 0 && (share >= 1 || nextDouble() < share)) {
                    target.markAccessed(i);
                }
            }
            reportMeasured(target);
        }

        private void clear() throws IOException {
            long t0 = CPU.getCurrentThreadCpuTime();
            one.clear();
            clearRefs.write(one, 0);
            clearNanos = CPU.getCurrentThreadCpuTime() - t0;
        }

        /** Reads and parses smaps, allocation-free unless the text outgrew the buffer. */
        private void readSmaps() throws IOException {
            long t0 = CPU.getCurrentThreadCpuTime();
            text.clear();
            long pos = 0;
            while (true) {
                if (!text.hasRemaining()) {
                    ByteBuffer bigger = ByteBuffer.allocateDirect(text.capacity() * 2);
                    text.flip();
                    bigger.put(text);
                    text = bigger;
                }
                int r = smaps.read(text, pos);
                if (r < 0) {
                    break;
                }
                pos += r;
            }
            sawNoAddressSpace = pos == 0; // a live process always has mappings: its mm is gone
            parse(text, (int) pos);
            lastRoundCostNanos = clearNanos + CPU.getCurrentThreadCpuTime() - t0;
            maxRoundCostNanos = Math.max(maxRoundCostNanos, lastRoundCostNanos);
            rounds++;
        }

        private void parse(ByteBuffer b, int limit) {
            int n = 0;
            int i = 0;
            long start = 0;
            long end = 0;
            while (i < limit) {
                byte c = b.get(i);
                if (isLowerHex(c)) {
                    // header: start-end perms ...
                    long v = 0;
                    while (i < limit && isLowerHex(b.get(i))) {
                        v = (v << 4) | hex(b.get(i++));
                    }
                    start = v;
                    i++; // '-'
                    v = 0;
                    while (i < limit && isLowerHex(b.get(i))) {
                        v = (v << 4) | hex(b.get(i++));
                    }
                    end = v;
                } else if (c == 'R' && startsWith(b, i, limit, REFERENCED)) {
                    int j = i + REFERENCED.length;
                    while (j < limit && b.get(j) == ' ') {
                        j++;
                    }
                    long kb = 0;
                    while (j < limit && b.get(j) >= '0' && b.get(j) <= '9') {
                        kb = kb * 10 + (b.get(j++) - '0');
                    }
                    if (n == starts.length) {
                        int cap = n * 2;
                        starts = Arrays.copyOf(starts, cap);
                        ends = Arrays.copyOf(ends, cap);
                        referencedBytes = Arrays.copyOf(referencedBytes, cap);
                    }
                    starts[n] = start;
                    ends[n] = end;
                    long bytes = end > start ? Math.min(kb * 1024, end - start) : 0;
                    referencedBytes[n] = bytes;
                    n++;
                }
                while (i < limit && b.get(i) != '\n') {
                    i++;
                }
                i++;
            }
            mappings = n;
        }

        private static final byte[] REFERENCED = "Referenced:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        private static boolean startsWith(ByteBuffer b, int at, int limit, byte[] word) {
            if (at + word.length > limit) {
                return false;
            }
            for (int k = 0; k < word.length; k++) {
                if (b.get(at + k) != word[k]) {
                    return false;
                }
            }
            return true;
        }

        private static boolean isLowerHex(byte c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        }

        private static int hex(byte c) {
            return c <= '9' ? c - '0' : c - 'a' + 10;
        }

        /**
         * Wants a longer sample interval when a round costs more than 5% of
         * it in CPU time: the context's interval times a power of two, raised at once and
         * lowered only when four times cheaper, so that the interval does not flap.
         */
        private void adapt() {
            avgRoundCostNanos = avgRoundCostNanos < 0 ? lastRoundCostNanos
                    : 0.75 * avgRoundCostNanos + 0.25 * lastRoundCostNanos;
            double neededUs = avgRoundCostNanos / MAX_COST_SHARE / 1000;
            long next = wantedSampleIntervalUs;
            while (next < neededUs && next < Long.MAX_VALUE / 4) {
                next *= 2;
            }
            while (next > sampleIntervalUs && neededUs * 4 <= next) {
                next /= 2;
            }
            if (next > highestWantedUs) { // logged when higher than ever (a busy machine makes the cost vary)
                highestWantedUs = next;
                long old = wantedSampleIntervalUs;
                long wanted = next;
                long costUs = roundCostUs();
                LOG.log(Level.INFO, () -> "referenced sensor, pid " + pid + ": a clear_refs+smaps round costs "
                        + costUs + " us of CPU on average; to keep it under 5% of the sample interval it wants "
                        + wanted + " us instead of " + old + " us (the context's is " + sampleIntervalUs + " us)");
            }
            wantedSampleIntervalUs = next;
        }

        private double shareAt(long address) {
            int m = mappingAt(address);
            return m < 0 ? 0 : (double) referencedBytes[m] / (ends[m] - starts[m]);
        }

        /** @return the index of the last round's mapping holding {@code address}, or -1 */
        private int mappingAt(long address) {
            int lo = 0;
            int hi = mappings - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (Long.compareUnsigned(address, starts[mid]) < 0) {
                    hi = mid - 1;
                } else if (Long.compareUnsigned(address, ends[mid]) >= 0) {
                    lo = mid + 1;
                } else {
                    return mid;
                }
            }
            return -1;
        }

        private double nextDouble() {
            long x = rng;
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            rng = x;
            return (x >>> 11) * 0x1.0p-53;
        }

        /**
         * @return the sample interval this session wants, in microseconds: the
         *     context's, or longer when a round costs more than 5% of it
         */
        long wantedSampleIntervalUs() {
            return wantedSampleIntervalUs;
        }

        /** @return the moving average of the rounds' CPU cost, in microseconds */
        long roundCostUs() {
            return (long) avgRoundCostNanos / 1000;
        }

        /** @return the last round's cost, in nanoseconds */
        long lastRoundCostNanos() {
            return lastRoundCostNanos;
        }

        @Override
        public Map<String, String> describe() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("roundCostUs", Long.toString(roundCostUs()));
            m.put("roundCost", "CPU time of a clear_refs + smaps round, moving average");
            m.put("effectiveSampleIntervalUs", Long.toString(wantedSampleIntervalUs));
            if (wantedSampleIntervalUs > sampleIntervalUs) {
                m.put("note", "sample interval raised from " + sampleIntervalUs + " us to "
                        + wantedSampleIntervalUs + " us because a round costs "
                        + roundCostUs() + " us (> 5% of " + sampleIntervalUs + " us)");
            }
            return m;
        }

        @Override
        public void close() {
            closeQuietly(clearRefs);
            closeQuietly(smaps);
        }

        // --- following an exec: the files are opened on the process's address space of the time

        @Override
        public boolean sawNoAddressSpace() {
            return sawNoAddressSpace;
        }

        /**
         * Opens clear_refs and smaps again, on the process's current address
         * space; the next sample starts a new round (the mappings read from
         * the old one are dropped). The round cost and interval state stay.
         */
        @Override
        public void reopen() throws IOException {
            close();
            clearRefs = null;
            smaps = null;
            mappings = 0;
            sawNoAddressSpace = false;
            FileChannel c = files.channel(Path.of("/proc/" + pid + "/clear_refs"), StandardOpenOption.WRITE);
            try {
                smaps = files.channel(Path.of("/proc/" + pid + "/smaps"), StandardOpenOption.READ);
            } catch (IOException | RuntimeException e) {
                closeQuietly(c);
                throw e;
            }
            clearRefs = c;
        }
    }
}
