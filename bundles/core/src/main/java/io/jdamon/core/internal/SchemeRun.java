package io.jdamon.core.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.jdamon.api.AccessPattern;
import io.jdamon.api.QuotaGoal;
import io.jdamon.api.Scheme;
import io.jdamon.api.SchemeFilter;
import io.jdamon.api.SchemeQuota;
import io.jdamon.api.SchemeStats;
import io.jdamon.api.SchemeView;
import io.jdamon.api.TriedRegion;
import io.jdamon.api.Watermarks;

/**
 * One scheme in one run: its quota's charge window and effective size
 * ({@code damos_adjust_quota}, {@code damos_set_effective_quota}), its
 * watermarks' activation ({@code damos_wmark_wait_us}), where the last
 * exhausted charge stopped ({@code charge_target_from}/{@code charge_addr_from}),
 * the pattern in the units of the intervals in force, and its stats. Written
 * by the kdamond; the stats are read from any thread, the tried regions
 * through {@link SchemeView} on the kdamond thread only.
 */
final class SchemeRun implements SchemeView {

    final int index;
    Scheme scheme;
    final Scheme.Priority priority;
    /** {@code stat}: counted only; the primitive is not asked */
    final boolean stat;

    // ---- apply timing and watermarks (kdamond only) ----
    /** the aggregation index from which the scheme is due again */
    long nextApplyAggregation;
    boolean activated = true;
    long nextWatermarkCheckNanos = Long.MIN_VALUE;
    /** due at the current application: its interval has come and its watermarks let it act */
    boolean due;
    /** at the current application: {@code stat} without a size quota, so that what passes the filters is only counted */
    boolean countsOnly;
    /** at the current application: note the regions tried (someone asked for them) */
    boolean collectTried;

    // ---- the pattern, in samples, aggregations and bytes at the intervals in force ----
    long minSize;
    long maxSize;
    long minNrAccesses;
    long maxNrAccesses;
    long minAge;
    long maxAge;

    // ---- the quota (kdamond only) ----
    /** the effective size quota, bytes; 0: no limit */
    long esz;
    long eszBp;
    long chargedSz;
    long chargedFromNanos;
    boolean chargeWindowStarted;
    long totalChargedSz;
    long totalChargedNs;
    int minScore;
    /** where the last exhausted quota stopped: the target (-1 for none) and the address after it */
    int chargeTargetFrom = -1;
    long chargeAddrFrom;
    /** per goal: the PSI total at the last reset (-1 before the first), and the current value last read */
    private long[] lastPsiTotalUs;
    private long[] goalCurrent;

    // ---- filters ----
    final List<SchemeFilter> engineFilters = new ArrayList<>();
    final List<SchemeFilter> primitiveFilters = new ArrayList<>();
    boolean coreFiltersDefaultReject;
    /**
     * The engine filters, resolved for the walk and packed {@link #FILTER_STRIDE} longs each in one array
     * (one load chain per test): the aligned range's start and end, the target filters' target (-1 for address
     * ones), and the flags {@link #FILTER_MATCHING} and {@link #FILTER_ALLOW}.
     */
    long[] filters = new long[0];
    static final int FILTER_STRIDE = 4;
    static final long FILTER_MATCHING = 1;
    static final long FILTER_ALLOW = 2;
    private long filtersAlignedTo = -1;

    // ---- stats: counted in plain fields while applying, published to the volatile ones at its end ----
    private long nrTriedCount;
    private long szTriedCount;
    private long nrAppliedCount;
    private long szAppliedCount;
    private volatile long nrTried;
    private volatile long szTried;
    private volatile long nrApplied;
    private volatile long szApplied;
    private volatile long qtExceeds;
    private volatile long applications;
    /** the application whose regions {@link #tried} holds, 0 for none */
    private volatile long triedApplication;
    private volatile long publishedEsz;
    private volatile boolean publishedActive = true;

    // ---- the regions tried at the last application: filled while applying, published at its end ----
    private TriedBuffer trying = new TriedBuffer();
    /** guarded by {@link #triedLock}; swapped with {@link #trying} at the end of an application, not copied */
    private TriedBuffer tried = new TriedBuffer();
    private final Object triedLock = new Object();

    SchemeRun(int index, Scheme scheme) {
        this.index = index;
        this.priority = Scheme.priorityOf(scheme.action());
        this.stat = Scheme.STAT.equals(scheme.action());
        use(scheme);
    }

    /** Takes a new definition of the same action, keeping the stats and the quota's state (DAMON's online commit). */
    void use(Scheme newScheme) {
        scheme = newScheme;
        engineFilters.clear();
        primitiveFilters.clear();
        for (SchemeFilter f : newScheme.filters()) {
            (f.isEngines() ? engineFilters : primitiveFilters).add(f);
        }
        // damos_set_filters_default_reject: with primitive filters the engine lets through what it did not
        // match; otherwise what no filter matched goes the opposite way of the last filter
        coreFiltersDefaultReject = primitiveFilters.isEmpty() && !engineFilters.isEmpty()
                && engineFilters.get(engineFilters.size() - 1).allow();
        filtersAlignedTo = -1;
        int goals = newScheme.quota().goals().size();
        if (lastPsiTotalUs == null || lastPsiTotalUs.length != goals) {
            lastPsiTotalUs = new long[goals];
            Arrays.fill(lastPsiTotalUs, -1);
            goalCurrent = new long[goals];
        }
        if (!newScheme.quota().limits()) {
            esz = 0;
        }
    }

    /** The engine filters as arrays, their ranges aligned down to {@code minRegionSize} (as Linux aligns them). */
    void resolveFilters(long minRegionSize) {
        if (filtersAlignedTo == minRegionSize && filters.length == engineFilters.size() * FILTER_STRIDE) {
            return;
        }
        int n = engineFilters.size();
        filters = new long[n * FILTER_STRIDE];
        for (int k = 0; k < n; k++) {
            SchemeFilter f = engineFilters.get(k);
            int at = k * FILTER_STRIDE;
            filters[at] = f.startAddress() / minRegionSize * minRegionSize;
            filters[at + 1] = f.endAddress() / minRegionSize * minRegionSize;
            filters[at + 2] = SchemeFilter.TARGET.equals(f.type()) ? f.targetIndex() : -1;
            filters[at + 3] = (f.matching() ? FILTER_MATCHING : 0) | (f.allow() ? FILTER_ALLOW : 0);
        }
        filtersAlignedTo = minRegionSize;
    }

    /** The pattern's bounds in samples and aggregations of the intervals in force. */
    void resolvePattern(int samplesPerAggregation, long aggregationIntervalUs) {
        AccessPattern p = scheme.pattern();
        minSize = p.minSizeBytes();
        maxSize = p.maxSizeBytes();
        if (p.accessUnit() == AccessPattern.AccessUnit.PERCENT) {
            // damo's conversion: percent of the most samples an aggregation holds, rounded down
            minNrAccesses = p.minNrAccesses() * samplesPerAggregation / 100;
            maxNrAccesses = p.maxNrAccesses() == Long.MAX_VALUE ? Long.MAX_VALUE
                    : p.maxNrAccesses() * samplesPerAggregation / 100;
        } else {
            minNrAccesses = p.minNrAccesses();
            maxNrAccesses = p.maxNrAccesses();
        }
        if (p.ageUnit() == AccessPattern.AgeUnit.MICROSECONDS) {
            minAge = p.minAge() / aggregationIntervalUs;
            maxAge = p.maxAge() == Long.MAX_VALUE ? Long.MAX_VALUE : p.maxAge() / aggregationIntervalUs;
        } else {
            minAge = p.minAge();
            maxAge = p.maxAge();
        }
    }

    /** {@code __damos_valid_target}: the region's size, access count and age are within the pattern. */
    boolean matches(long size, int nrAccesses, int age) {
        return minSize <= size && size <= maxSize && minNrAccesses <= nrAccesses && nrAccesses <= maxNrAccesses
                && minAge <= age && age <= maxAge;
    }

    /**
     * {@code damos_wmark_wait_us}, read at most once per check interval.
     *
     * @return 0 if the scheme is active, else how long to wait before the next check, in microseconds
     */
    long watermarkWaitUs(long nowNanos, SystemMemory memory) throws IOException {
        Watermarks w = scheme.watermarks();
        if (w.metric() == Watermarks.Metric.NONE) {
            activated = true;
            publishedActive = true;
            return 0;
        }
        if (nowNanos < nextWatermarkCheckNanos) {
            return activated ? 0 : (nextWatermarkCheckNanos - nowNanos) / 1_000;
        }
        nextWatermarkCheckNanos = nowNanos + w.checkIntervalUs() * 1_000;
        long metric = memory.freeMemPermil();
        if (metric > w.high() || w.low() > metric) {
            activated = false; // above high or below low
        } else if (!activated && metric >= w.mid()) {
            activated = false; // inactive and not yet down to mid
        } else {
            activated = true;
        }
        publishedActive = activated;
        return activated ? 0 : w.checkIntervalUs();
    }

    /**
     * {@code damos_adjust_quota}'s first half: a new charge window when the
     * reset interval has passed (the exceeded count, the totals, and the
     * effective size).
     *
     * @param goalValue reads a goal metric the engine does not know (the primitive's)
     */
    void startChargeWindowIfDue(long nowNanos, SystemMemory memory, GoalValues goalValue) throws IOException {
        SchemeQuota q = scheme.quota();
        if (!q.limits()) {
            return;
        }
        if (chargeWindowStarted && nowNanos - chargedFromNanos < q.resetIntervalMs() * 1_000_000) {
            return;
        }
        if (esz != 0 && chargedSz >= esz) {
            qtExceeds = qtExceeds + 1;
        }
        totalChargedSz += chargedSz;
        chargedFromNanos = nowNanos;
        chargeWindowStarted = true;
        chargedSz = 0;
        setEffectiveQuota(memory, goalValue);
    }

    /** {@code damos_set_effective_quota}: the goals' feedback, the time quota through the throughput so far, the size. */
    private void setEffectiveQuota(SystemMemory memory, GoalValues goalValue) throws IOException {
        SchemeQuota q = scheme.quota();
        long size = Long.MAX_VALUE;
        if (q.timeMs() == 0 && q.goals().isEmpty()) {
            esz = q.sizeBytes();
            publishedEsz = esz;
            return;
        }
        if (!q.goals().isEmpty()) {
            eszBp = FeedbackLoop.nextInput(Math.max(eszBp, 10_000), goalScore(memory, goalValue));
            size = eszBp / 10_000;
        }
        if (q.timeMs() > 0) {
            // bytes per millisecond so far; before any charge, 4 MiB/ms as Linux assumes
            long throughput = totalChargedNs > 0 ? saturated(totalChargedSz, 1_000_000) / totalChargedNs
                    : io.jdamon.api.Primitive.PAGE_SIZE * 1024;
            size = Math.min(saturated(throughput, q.timeMs()), size);
        }
        if (q.sizeBytes() > 0 && q.sizeBytes() < size) {
            size = q.sizeBytes();
        }
        esz = size;
        publishedEsz = esz;
    }

    /** {@code damos_quota_score}: the highest of the goals' current-to-target ratios, in basis points. */
    private long goalScore(SystemMemory memory, GoalValues goalValue) throws IOException {
        List<QuotaGoal> goals = scheme.quota().goals();
        long highest = 0;
        for (int g = 0; g < goals.size(); g++) {
            QuotaGoal goal = goals.get(g);
            long current = switch (goal.metric()) {
                case QuotaGoal.USER_INPUT -> goal.currentValue();
                case QuotaGoal.SOME_MEM_PSI_US -> {
                    long total = memory.somePsiTotalUs();
                    // the first reading starts the count (Linux counts from boot at first, a spike we leave out)
                    long since = lastPsiTotalUs[g] < 0 ? 0 : total - lastPsiTotalUs[g];
                    lastPsiTotalUs[g] = total;
                    yield since;
                }
                case QuotaGoal.NODE_MEM_USED_BP -> memory.nodeMemBp(goal.nodeId(), true);
                case QuotaGoal.NODE_MEM_FREE_BP -> memory.nodeMemBp(goal.nodeId(), false);
                default -> goalValue.value(goal.metric());
            };
            goalCurrent[g] = current;
            highest = Math.max(highest, saturated(current, 10_000) / goal.targetValue());
        }
        return highest;
    }

    /** Reads a goal metric the primitive provides. */
    interface GoalValues {
        long value(String metric);
    }

    private static long saturated(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        return high == 0 && a * b >= 0 ? a * b : Long.MAX_VALUE;
    }

    /** @return whether the quota of the current window is used up */
    boolean quotaExhausted() {
        return esz != 0 && chargedSz >= esz;
    }

    // ---- stats ----

    /** {@code damos_update_stat}. */
    void countTried(long sz, long applied) {
        nrTriedCount++;
        szTriedCount += sz;
        if (applied > 0) {
            nrAppliedCount++;
        }
        szAppliedCount += applied;
    }

    void noteTried(int target, long start, long end, int nrAccesses, int age, long applied) {
        trying.add(target, start, end, nrAccesses, age, applied);
    }

    /** An application began: its tried regions start afresh, if they are wanted. */
    void applicationStarts(boolean collect) {
        collectTried = collect;
        trying.clear();
    }

    /** An application ended: its tried regions, if collected, are the last ones. */
    void applicationEnds() {
        nrTried = nrTriedCount;
        szTried = szTriedCount;
        nrApplied = nrAppliedCount;
        szApplied = szAppliedCount;
        long n = applications + 1;
        applications = n;
        if (collectTried) {
            synchronized (triedLock) {
                TriedBuffer last = tried;
                tried = trying;
                trying = last;
                triedApplication = n;
            }
        }
    }

    /** @return the stats now, from any thread */
    SchemeStats stats() {
        List<TriedRegion> regions;
        long ofApplication;
        synchronized (triedLock) {
            regions = tried.toList();
            ofApplication = triedApplication;
        }
        return SchemeStats.builder(index, scheme.action()).active(publishedActive).effectiveQuotaBytes(publishedEsz)
                .counts(nrTried, szTried, nrApplied, szApplied, qtExceeds).applications(applications)
                .lastTriedRegions(regions, ofApplication).build();
    }

    // ---- SchemeView: read on the kdamond thread, during a callback's hook, so without the lock ----

    @Override
    public int index() {
        return index;
    }

    @Override
    public String action() {
        return scheme.action();
    }

    @Override
    public long nrTried() {
        return nrTried;
    }

    @Override
    public long szTried() {
        return szTried;
    }

    @Override
    public long nrApplied() {
        return nrApplied;
    }

    @Override
    public long szApplied() {
        return szApplied;
    }

    @Override
    public long qtExceeds() {
        return qtExceeds;
    }

    @Override
    public long applications() {
        return applications;
    }

    @Override
    public long triedRegionsApplication() {
        return triedApplication;
    }

    @Override
    public int triedRegionCount() {
        return tried.count;
    }

    @Override
    public int triedRegionTarget(int i) {
        return (int) tried.at(i, 4);
    }

    @Override
    public long triedRegionStart(int i) {
        return tried.at(i, 0);
    }

    @Override
    public long triedRegionEnd(int i) {
        return tried.at(i, 1);
    }

    @Override
    public int triedRegionNrAccesses(int i) {
        return (int) (tried.at(i, 2) >>> 32);
    }

    @Override
    public int triedRegionAge(int i) {
        return (int) tried.at(i, 2);
    }

    @Override
    public long triedRegionAppliedBytes(int i) {
        return tried.at(i, 3);
    }

    /**
     * Regions packed five longs each (start, end, count and age, applied bytes, target) in one array, grown
     * when needed: one stream of stores per scheme while applying, and nothing allocated once warm.
     */
    private static final class TriedBuffer {
        private static final int STRIDE = 5;
        int count;
        long[] data = new long[16 * STRIDE];

        void clear() {
            count = 0;
        }

        void add(int t, long s, long e, int nr, int a, long bytes) {
            int at = count * STRIDE;
            if (at + STRIDE > data.length) {
                data = Arrays.copyOf(data, data.length * 2);
            }
            data[at] = s;
            data[at + 1] = e;
            data[at + 2] = (long) nr << 32 | (a & 0xffff_ffffL);
            data[at + 3] = bytes;
            data[at + 4] = t;
            count++;
        }

        long at(int i, int field) {
            if (i < 0 || i >= count) {
                throw new IndexOutOfBoundsException("tried region " + i + " of " + count);
            }
            return data[i * STRIDE + field];
        }

        List<TriedRegion> toList() {
            List<TriedRegion> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int at = i * STRIDE;
                out.add(new TriedRegion((int) data[at + 4], data[at], data[at + 1], (int) (data[at + 2] >>> 32),
                        (int) data[at + 2], data[at + 3]));
            }
            return out;
        }
    }
}
