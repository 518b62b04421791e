package io.jdamon.core.internal;

import java.util.Arrays;
import java.util.SplittableRandom;

import io.jdamon.api.MonitoringTarget;

/**
 * One target's regions, kept as parallel arrays so that the per-sample loop
 * touches no objects and allocates nothing. Region {@code i} is
 * {@code [start[i], end[i])}; regions are sorted and never overlap.
 *
 * <p>Merge, split and range updates write into a second set of arrays which
 * is then swapped in, so each is one linear pass. Arrays grow (rarely) and
 * never shrink.
 *
 * <p>Confined to the owning context's kdamond thread, except before the first
 * run, when the owner sets it up.
 */
final class TargetRegions implements MonitoringTarget {

    private static final long BP_PER_ACCESS = 10_000;

    private final int index;
    private final String spec;
    private final long minRegionSize;
    private Object attachment;

    private int count;
    private long[] start;
    private long[] end;
    private long[] samplingAddress;
    private int[] nrAccesses;
    private int[] lastNrAccesses;
    private long[] nrAccessesBp;
    private int[] age;
    private boolean[] accessed;
    /** what the primitive measured of whole ranges in this aggregation interval */
    private final MeasuredAccesses measured = new MeasuredAccesses();

    // the other buffer set, swapped in by merge/split/update
    private long[] nextStart;
    private long[] nextEnd;
    private int[] nextNrAccesses;
    private int[] nextLastNrAccesses;
    private long[] nextNrAccessesBp;
    private int[] nextAge;

    /** Minimum regions per range at init; the context's minNrRegions. */
    private int initialPieces;

    TargetRegions(int index, String spec, long minRegionSize, int initialCapacity) {
        this.index = index;
        this.spec = spec;
        this.minRegionSize = minRegionSize;
        allocate(Math.max(16, initialCapacity));
    }

    private void allocate(int capacity) {
        start = Arrays.copyOf(start == null ? new long[0] : start, capacity);
        end = Arrays.copyOf(end == null ? new long[0] : end, capacity);
        samplingAddress = new long[capacity];
        nrAccesses = Arrays.copyOf(nrAccesses == null ? new int[0] : nrAccesses, capacity);
        lastNrAccesses = Arrays.copyOf(lastNrAccesses == null ? new int[0] : lastNrAccesses, capacity);
        nrAccessesBp = Arrays.copyOf(nrAccessesBp == null ? new long[0] : nrAccessesBp, capacity);
        age = Arrays.copyOf(age == null ? new int[0] : age, capacity);
        accessed = Arrays.copyOf(accessed == null ? new boolean[0] : accessed, capacity);
        nextStart = new long[capacity];
        nextEnd = new long[capacity];
        nextNrAccesses = new int[capacity];
        nextLastNrAccesses = new int[capacity];
        nextNrAccessesBp = new long[capacity];
        nextAge = new int[capacity];
    }

    private void ensureCapacity(int needed) {
        if (needed > start.length) {
            allocate(Math.max(needed, start.length * 2));
        }
    }

    void setInitialPieces(int minNrRegions) {
        this.initialPieces = minNrRegions;
    }

    // ---- TargetView -------------------------------------------------------

    @Override
    public int index() {
        return index;
    }

    @Override
    public String spec() {
        return spec;
    }

    @Override
    public int regionCount() {
        return count;
    }

    @Override
    public long regionStart(int i) {
        checkIndex(i);
        return start[i];
    }

    @Override
    public long regionEnd(int i) {
        checkIndex(i);
        return end[i];
    }

    @Override
    public int nrAccesses(int i) {
        checkIndex(i);
        return nrAccesses[i];
    }

    @Override
    public int lastNrAccesses(int i) {
        checkIndex(i);
        return lastNrAccesses[i];
    }

    @Override
    public long nrAccessesBp(int i) {
        checkIndex(i);
        return nrAccessesBp[i];
    }

    @Override
    public int age(int i) {
        checkIndex(i);
        return age[i];
    }

    @Override
    public long totalBytes() {
        long sum = 0;
        for (int i = 0; i < count; i++) {
            sum += end[i] - start[i];
        }
        return sum;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("region " + i + " of target " + index + " with " + count + " regions");
        }
    }

    // ---- MonitoringTarget -------------------------------------------------

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public void attach(Object state) {
        this.attachment = state;
    }

    @Override
    public long samplingAddress(int i) {
        checkIndex(i);
        return samplingAddress[i];
    }

    @Override
    public void markAccessed(int i) {
        checkIndex(i);
        accessed[i] = true;
    }

    @Override
    public void reportMeasuredAccess(long start, long end, long accessedBytes) {
        measured.add(start, end, accessedBytes);
    }

    @Override
    public void measureWholeRanges() {
        measured.startMeasuring();
    }

    @Override
    public int measuredRoundCount() {
        return measured.roundCount();
    }

    @Override
    public long measuredRoundStartNanos(int r) {
        return measured.roundStartNanos(r);
    }

    @Override
    public long measuredRoundEndNanos(int r) {
        return measured.roundEndNanos(r);
    }

    @Override
    public int measuredRoundFirstRange(int r) {
        return measured.roundFirstRange(r);
    }

    @Override
    public int measuredRangeCount() {
        return measured.rangeCount();
    }

    @Override
    public long measuredRangeStart(int k) {
        return measured.rangeField(k, 0);
    }

    @Override
    public long measuredRangeEnd(int k) {
        return measured.rangeField(k, 1);
    }

    @Override
    public long measuredRangeAccessedBytes(int k) {
        return measured.rangeField(k, 2);
    }

    /** Closes the measured round of the access check that just ran (from the sample's start to now). */
    void endMeasuredRound(long startNanos, long endNanos) {
        measured.endRound(startNanos, endNanos);
    }

    /**
     * Cuts the ranges into {@code initialPieces} regions in all (or one per
     * range when there are more ranges, or one per minimum region when the
     * ranges are smaller): each range gets pieces in proportion to its size,
     * and its pieces differ by at most one minimum region. Never more pieces
     * than asked, so a maximum equal to the minimum holds from the start.
     */
    @Override
    public void initRegions(long... ranges) {
        checkRanges(ranges);
        int nRanges = ranges.length / 2;
        long[] units = new long[nRanges]; // range sizes in minimum regions; init may allocate
        double totalUnits = 0;
        for (int r = 0; r < nRanges; r++) {
            units[r] = (alignUp(ranges[2 * r + 1]) - alignDown(ranges[2 * r])) / minRegionSize;
            totalUnits += units[r];
        }
        long[] pieces = apportion(units, totalUnits, Math.max(nRanges, initialPieces));
        long total = 0;
        for (long p : pieces) {
            total += p;
        }
        ensureCapacity((int) Math.min(Integer.MAX_VALUE - 8, total));
        count = 0;
        for (int r = 0; r < nRanges; r++) {
            long rangeStart = alignDown(ranges[2 * r]);
            long k = pieces[r];
            long whole = units[r] / k;
            long rest = units[r] % k;
            long s = rangeStart;
            for (long j = 1; j <= k; j++) {
                // floor(j * units / k) without overflow: rest * j < k * k
                long e = rangeStart + (j * whole + rest * j / k) * minRegionSize;
                resetRegion(count++, s, e);
                s = e;
            }
        }
    }

    /**
     * Shares {@code wanted} pieces among ranges of {@code units[r]} minimum
     * regions, in proportion to their sizes (largest remainder first): each
     * range gets at least one piece and at most one per minimum region.
     */
    private static long[] apportion(long[] units, double totalUnits, long wanted) {
        int n = units.length;
        long[] pieces = new long[n];
        double[] ideal = new double[n];
        long sum = 0;
        for (int r = 0; r < n; r++) {
            ideal[r] = wanted * (units[r] / totalUnits);
            pieces[r] = Math.max(1, Math.min(units[r], (long) Math.floor(ideal[r])));
            sum += pieces[r];
        }
        while (sum < wanted) {
            int best = -1;
            for (int r = 0; r < n; r++) {
                if (pieces[r] < units[r] && (best < 0 || ideal[r] - pieces[r] > ideal[best] - pieces[best])) {
                    best = r;
                }
            }
            if (best < 0) {
                break; // every range is cut into minimum regions already
            }
            pieces[best]++;
            sum++;
        }
        while (sum > wanted) {
            int best = -1;
            for (int r = 0; r < n; r++) {
                if (pieces[r] > 1 && (best < 0 || ideal[r] - pieces[r] < ideal[best] - pieces[best])) {
                    best = r;
                }
            }
            if (best < 0) {
                break; // one piece per range
            }
            pieces[best]--;
            sum--;
        }
        return pieces;
    }

    private void resetRegion(int i, long s, long e) {
        start[i] = s;
        end[i] = e;
        nrAccesses[i] = 0;
        lastNrAccesses[i] = 0;
        nrAccessesBp[i] = 0;
        age[i] = 0;
        accessed[i] = false;
    }

    @Override
    public void updateRegions(long... ranges) {
        checkRanges(ranges);
        // each kept region plus one hole before it, and one new region per range at most
        ensureCapacity(2 * count + ranges.length + 2);
        int out = 0;
        int r = 0; // next existing region to consider; each is used by the first range it meets
        for (int k = 0; k < ranges.length; k += 2) {
            long rangeStart = alignDown(ranges[k]);
            long rangeEnd = alignUp(ranges[k + 1]);
            while (r < count && end[r] <= rangeStart) {
                r++; // before this range and not in an earlier one: dropped
            }
            int first = r;
            while (r < count && start[r] < rangeEnd) {
                r++;
            }
            int last = r - 1;
            if (first > last) {
                out = emitNew(out, rangeStart, rangeEnd);
                continue;
            }
            long cursor = rangeStart;
            for (int i = first; i <= last; i++) {
                long s = i == first ? rangeStart : start[i];
                long e = i == last ? rangeEnd : end[i];
                if (s > cursor) {
                    out = emitNew(out, cursor, s); // fill the hole
                }
                copyToNext(i, out++, s, e);
                cursor = e;
            }
        }
        swap(out);
    }

    private int emitNew(int out, long s, long e) {
        nextStart[out] = s;
        nextEnd[out] = e;
        nextNrAccesses[out] = 0;
        nextLastNrAccesses[out] = 0;
        nextNrAccessesBp[out] = 0;
        nextAge[out] = 0;
        return out + 1;
    }

    private void copyToNext(int from, int to, long s, long e) {
        nextStart[to] = s;
        nextEnd[to] = e;
        nextNrAccesses[to] = nrAccesses[from];
        nextLastNrAccesses[to] = lastNrAccesses[from];
        nextNrAccessesBp[to] = nrAccessesBp[from];
        nextAge[to] = age[from];
    }

    private void swap(int newCount) {
        long[] l = start; start = nextStart; nextStart = l;
        l = end; end = nextEnd; nextEnd = l;
        int[] n = nrAccesses; nrAccesses = nextNrAccesses; nextNrAccesses = n;
        n = lastNrAccesses; lastNrAccesses = nextLastNrAccesses; nextLastNrAccesses = n;
        l = nrAccessesBp; nrAccessesBp = nextNrAccessesBp; nextNrAccessesBp = l;
        n = age; age = nextAge; nextAge = n;
        Arrays.fill(accessed, 0, Math.max(count, newCount), false);
        count = newCount;
    }

    private void checkRanges(long[] ranges) {
        if (ranges == null || ranges.length == 0 || ranges.length % 2 != 0) {
            throw new IllegalArgumentException("target '" + spec
                    + "': ranges must be start/end pairs, at least one pair");
        }
        long previousEnd = Long.MIN_VALUE;
        for (int k = 0; k < ranges.length; k += 2) {
            if (ranges[k] < 0 || ranges[k] >= ranges[k + 1]) {
                throw new IllegalArgumentException("target '" + spec + "': range [" + ranges[k] + ", "
                        + ranges[k + 1] + ") is empty or negative");
            }
            if (ranges[k] < previousEnd) {
                throw new IllegalArgumentException("target '" + spec + "': range starting at " + ranges[k]
                        + " overlaps or precedes the previous one; give ranges sorted and disjoint");
            }
            previousEnd = ranges[k + 1];
        }
    }

    private long alignDown(long value) {
        return value - Math.floorMod(value, minRegionSize);
    }

    private long alignUp(long value) {
        long rem = Math.floorMod(value, minRegionSize);
        return rem == 0 ? value : value - rem + minRegionSize;
    }

    // ---- engine side: sampling ------------------------------------------

    /**
     * Picks one uniformly random address in each region for the next check.
     *
     * @param seed the state of a SplitMix64 sequence
     * @return the state to continue from
     */
    long pickSamplingAddresses(long seed) {
        for (int i = 0; i < count; i++) {
            seed += 0x9E3779B97F4A7C15L;
            long size = end[i] - start[i];
            // the high half of a 64x64-bit product maps a random word onto [0, size) without a
            // division (Lemire); Java 17 lacks unsignedMultiplyHigh, hence the sign fix-up
            long r = mix64(seed);
            samplingAddress[i] = start[i] + Math.multiplyHigh(r, size) + ((r >> 63) & size);
        }
        return seed;
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Folds the accesses the primitive marked into the counters (DAMON's
     * {@code damon_update_region_access_rate}) and clears the marks.
     *
     * @param window samples per aggregation, the moving sum's window
     * @param maxSoFar the highest nrAccesses seen so far this aggregation
     * @return the highest nrAccesses after this sample
     */
    int countAccesses(int window, int maxSoFar) {
        int max = maxSoFar;
        for (int i = 0; i < count; i++) {
            long bp = nrAccessesBp[i] - lastNrAccesses[i] * BP_PER_ACCESS / window;
            if (accessed[i]) {
                accessed[i] = false;
                bp += BP_PER_ACCESS;
                int n = ++nrAccesses[i];
                if (n > max) {
                    max = n;
                }
            }
            nrAccessesBp[i] = Math.max(0, bp);
        }
        return max;
    }

    // ---- engine side: adaptive regions adjustment -------------------------

    /**
     * One merge pass (DAMON's {@code damon_merge_regions_of}): ages every
     * region, then merges each region into its left neighbour when they are
     * adjacent, their access counts differ by at most {@code threshold}, and
     * the result is no larger than {@code sizeLimit}.
     */
    void mergePass(int threshold, long sizeLimit) {
        mergePass(threshold, sizeLimit, Integer.MAX_VALUE, true);
    }

    /**
     * A merge pass as {@link #mergePass(int, long)}, of at most
     * {@code maxMerges} merges, ageing regions or not.
     *
     * @return the number of merges done
     */
    int mergePass(int threshold, long sizeLimit, int maxMerges, boolean ageRegions) {
        int prev = -1;
        int merges = 0;
        for (int i = 0; i < count; i++) {
            if (ageRegions) {
                age[i] = Math.abs(nrAccesses[i] - lastNrAccesses[i]) > threshold ? 0 : age[i] + 1;
            }
            if (prev >= 0 && merges < maxMerges && end[prev] == start[i]
                    && Math.abs(nrAccesses[prev] - nrAccesses[i]) <= threshold
                    && (end[prev] - start[prev]) <= sizeLimit - (end[i] - start[i])) {
                long leftSize = end[prev] - start[prev];
                long rightSize = end[i] - start[i];
                nrAccesses[prev] = (int) weightedMean(nrAccesses[prev], leftSize, nrAccesses[i], rightSize);
                nrAccessesBp[prev] = nrAccesses[prev] * BP_PER_ACCESS;
                age[prev] = (int) weightedMean(age[prev], leftSize, age[i], rightSize);
                end[prev] = end[i];
                merges++;
            } else {
                prev++;
                if (prev != i) {
                    move(i, prev);
                }
            }
        }
        count = prev + 1;
        return merges;
    }

    /**
     * {@code (a * wa + b * wb) / (wa + wb)}, rounded down, for weights up to
     * the largest address space: {@code a + (b - a) * wb / (wa + wb)}, exact
     * unless the product overflows, then in floating point.
     */
    static long weightedMean(long a, long wa, long b, long wb) {
        long diff = b - a;
        long both = wa + wb;
        long product = diff * wb;
        if (Math.multiplyHigh(diff, wb) == (product >> 63)) {
            return a + Math.floorDiv(product, both);
        }
        return a + (long) Math.floor(diff * ((double) wb / both));
    }

    /**
     * Cuts every region larger than {@code sizeLimit} into the fewest equal
     * aligned pieces no larger than it (DAMON's newer
     * {@code damon_apply_min_nr_regions}); each piece keeps its parent's
     * counters. Allocates only when the arrays must grow.
     *
     * @return the number of regions added
     */
    int splitLargerThan(long sizeLimit) {
        long limitUnits = Math.max(1, sizeLimit / minRegionSize);
        long needed = 0;
        for (int i = 0; i < count; i++) {
            long units = (end[i] - start[i]) / minRegionSize;
            needed += units > limitUnits ? -Math.floorDiv(-units, limitUnits) : 1;
        }
        if (needed == count) {
            return 0;
        }
        ensureCapacity((int) Math.min(Integer.MAX_VALUE - 8, needed));
        int out = 0;
        for (int i = 0; i < count; i++) {
            long units = (end[i] - start[i]) / minRegionSize;
            long k = units > limitUnits ? -Math.floorDiv(-units, limitUnits) : 1;
            long whole = units / k;
            long rest = units % k;
            long s = start[i];
            for (long j = 1; j <= k; j++) {
                long e = j == k ? end[i] : start[i] + (j * whole + rest * j / k) * minRegionSize;
                nextStart[out] = s;
                nextEnd[out] = e;
                nextNrAccesses[out] = nrAccesses[i];
                nextLastNrAccesses[out] = lastNrAccesses[i];
                nextNrAccessesBp[out] = nrAccessesBp[i];
                nextAge[out] = age[i];
                out++;
                s = e;
            }
        }
        int added = out - count;
        swap(out);
        return added;
    }

    private void move(int from, int to) {
        start[to] = start[from];
        end[to] = end[from];
        nrAccesses[to] = nrAccesses[from];
        lastNrAccesses[to] = lastNrAccesses[from];
        nrAccessesBp[to] = nrAccessesBp[from];
        age[to] = age[from];
    }

    /**
     * DAMON's {@code damon_split_region_at}: region {@code i} keeps its first
     * {@code firstBytes} and a new region {@code i + 1} takes the rest, with
     * the same counters and age. For schemes (a quota's remainder, an address
     * filter's edge): rare, so shifting the arrays is fine.
     *
     * @param firstBytes more than 0 and less than the region's size
     */
    void splitAt(int i, long firstBytes) {
        checkIndex(i);
        long cut = start[i] + firstBytes;
        if (firstBytes <= 0 || cut >= end[i]) {
            throw new IllegalArgumentException("cannot split region [" + start[i] + ", " + end[i] + ") after "
                    + firstBytes + " bytes");
        }
        ensureCapacity(count + 1);
        int after = count - i - 1;
        System.arraycopy(start, i + 1, start, i + 2, after);
        System.arraycopy(end, i + 1, end, i + 2, after);
        System.arraycopy(nrAccesses, i + 1, nrAccesses, i + 2, after);
        System.arraycopy(lastNrAccesses, i + 1, lastNrAccesses, i + 2, after);
        System.arraycopy(nrAccessesBp, i + 1, nrAccessesBp, i + 2, after);
        System.arraycopy(age, i + 1, age, i + 2, after);
        System.arraycopy(samplingAddress, i + 1, samplingAddress, i + 2, after);
        System.arraycopy(accessed, i + 1, accessed, i + 2, after);
        start[i + 1] = cut;
        end[i + 1] = end[i];
        end[i] = cut;
        nrAccesses[i + 1] = nrAccesses[i];
        lastNrAccesses[i + 1] = lastNrAccesses[i];
        nrAccessesBp[i + 1] = nrAccessesBp[i];
        age[i + 1] = age[i];
        samplingAddress[i + 1] = cut;
        accessed[i + 1] = false;
        count++;
    }

    /** Sets region {@code i}'s count of this aggregation and its age: a state to start from, in tests. */
    void setCounters(int i, int nr, int ageInAggregations) {
        checkIndex(i);
        nrAccesses[i] = nr;
        nrAccessesBp[i] = nr * BP_PER_ACCESS;
        age[i] = ageInAggregations;
    }

    /** A scheme's action (other than stat) was applied to region {@code i}: its age starts again. */
    void resetAge(int i) {
        checkIndex(i);
        age[i] = 0;
    }

    /** @return the index of the first region starting at or after {@code address}, from {@code from}; the count if none */
    int firstStartingAtOrAfter(long address, int from) {
        int i = from;
        while (i < count && start[i] < address) {
            i++;
        }
        return i;
    }

    /** @return the smallest region size, in bytes: DAMON's {@code DAMON_MIN_REGION} for this target */
    long minRegionSize() {
        return minRegionSize;
    }

    /** The end of an aggregation: {@code last = nr; nr = 0} for every region, and no measured rounds. */
    void resetAggregated() {
        measured.clear();
        for (int i = 0; i < count; i++) {
            lastNrAccesses[i] = nrAccesses[i];
            nrAccesses[i] = 0;
        }
    }

    /**
     * Splits every region into {@code pieces} (2 or 3) parts at random points
     * (DAMON's {@code damon_split_regions_of}): the left part is cut at
     * {@code align_down(rand(1..9) * size / 10)}, and cut again for 3 pieces.
     * Every part keeps its parent's counters and age.
     */
    void split(int pieces, SplittableRandom random) {
        ensureCapacity(count * pieces);
        int out = 0;
        long[] cuts = splitCuts; // the right parts' start addresses, from right to left
        for (int i = 0; i < count; i++) {
            long regionStart = start[i];
            long size = end[i] - regionStart;
            int nrCuts = 0;
            for (int p = 0; p < pieces - 1 && size > 2 * minRegionSize; p++) {
                long sub = alignDown(random.nextLong(1, 10) * size / 10);
                if (sub == 0 || sub >= size) {
                    continue;
                }
                cuts[nrCuts++] = regionStart + sub;
                size = sub;
            }
            long s = regionStart;
            for (int c = nrCuts - 1; c >= -1; c--) {
                long e = c >= 0 ? cuts[c] : end[i];
                nextStart[out] = s;
                nextEnd[out] = e;
                nextNrAccesses[out] = nrAccesses[i];
                nextLastNrAccesses[out] = lastNrAccesses[i];
                nextNrAccessesBp[out] = nrAccessesBp[i];
                nextAge[out] = age[i];
                out++;
                s = e;
            }
        }
        swap(out);
    }

    private final long[] splitCuts = new long[2];

    /**
     * Rescales counters for new intervals (DAMON's
     * {@code damon_update_monitoring_result}): access counts keep their rate
     * through basis points, ages keep their time span.
     */
    void rescale(int oldWindow, int newWindow, long oldAggregationUs, long newAggregationUs) {
        for (int i = 0; i < count; i++) {
            lastNrAccesses[i] = rescaleCount(lastNrAccesses[i], oldWindow, newWindow);
            nrAccesses[i] = rescaleCount(nrAccesses[i], oldWindow, newWindow);
            nrAccessesBp[i] = lastNrAccesses[i] * BP_PER_ACCESS;
            age[i] = (int) Math.min(Integer.MAX_VALUE, (double) age[i] * oldAggregationUs / newAggregationUs);
        }
    }

    /** Keeps a count's rate across windows; windows are at most 2^24, so nothing overflows. */
    private static int rescaleCount(int n, int oldWindow, int newWindow) {
        long bp = n * BP_PER_ACCESS / oldWindow;
        return (int) Math.min(newWindow, bp * newWindow / BP_PER_ACCESS);
    }

    /** Copies the regions into a snapshot buffer, without allocating when it is large enough. */
    void copyTo(SnapshotBuffer.Target into) {
        into.set(count, start, end, nrAccesses, age);
        into.measured.copyFrom(measured);
    }
}
