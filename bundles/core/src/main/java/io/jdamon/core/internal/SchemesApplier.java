package io.jdamon.core.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

import io.jdamon.api.ActionRequest;
import io.jdamon.api.ContextView;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.Scheme;
import io.jdamon.api.SchemeFilter;
import io.jdamon.api.SchemeStats;

/**
 * A run's DAMOS schemes ({@code kdamond_apply_schemes} and what it calls):
 * at the end of an aggregation, each scheme whose apply interval has come
 * and whose watermarks let it act gets its quota adjusted (a new charge
 * window, the effective size, the score below which regions wait), then
 * every region of every target is offered to the schemes in order: pattern,
 * quota and filters decide, and the primitive applies the action. Between
 * aggregations, {@link #activationWaitUs} keeps the kdamond waiting while
 * every scheme's watermarks say no, as Linux's {@code kdamond_wait_activation}.
 *
 * <p>Owned by the kdamond thread; {@link #stats} is read from any thread.
 * Applying allocates nothing once warm, except when a scheme's tried regions
 * outgrow their buffer.
 */
final class SchemesApplier {

    private static final Logger LOG = System.getLogger("io.jdamon.core");

    /** Does what a scheme's action asks, for the engine: the primitive's hook, through {@link KdamondHooks}. */
    interface Actions {
        /** @return bytes applied, or -1 if the primitive failed (the run then stops) */
        long apply(ActionRequest request);

        /** @return the primitive's value of a quota goal metric; throws {@link IllegalStateException} if none */
        long goalValue(String metric);

        /** A scheme cannot go on: the run stops with the reason. */
        void failed(String detail);
    }

    private final String contextName;
    private final SystemMemory memory;
    private final Actions actions;
    /** times the primitive's actions, for time quotas: the kdamond's clock */
    private final LongSupplier nanoTime;
    private final SchemeRun.GoalValues goalValues;
    private volatile SchemeRun[] runs;
    private final long[] scoreHistogram = new long[SchemeScores.MAX_SCORE + 1];
    private final Request request = new Request();
    /** the schemes due at the current application, in order (grown with the schemes) */
    private SchemeRun[] dueRuns = new SchemeRun[0];
    /**
     * The due schemes' patterns packed six longs each (size, count, age: min, max) in one array, read
     * first for every region: most regions match few schemes, and the test then touches no scheme
     * object. A scheme resuming after an exhausted quota is given bounds that pass everything, since
     * where it resumes splits a region before its pattern is tested.
     */
    private long[] duePatterns = new long[0];
    /** Which due schemes admit a region, from the due patterns: built once per application. */
    private final PatternIndex patternIndex = new PatternIndex();
    /** set when the primitive failed applying an action: nothing more is applied this time */
    private boolean actionFailed;
    private boolean warnedMetric;
    /** until when (System.nanoTime) the schemes note the regions they try; asked for from any thread */
    private volatile long collectTriedUntilNanos = System.nanoTime() - 1;

    SchemesApplier(String contextName, List<Scheme> schemes, SystemMemory memory, Actions actions,
            LongSupplier nanoTime) {
        this.contextName = contextName;
        this.memory = memory;
        this.actions = actions;
        this.nanoTime = nanoTime;
        this.goalValues = actions::goalValue;
        this.runs = runsOf(schemes, new SchemeRun[0]);
    }

    /** Schemes in order; one at the same position with the same action keeps its state. */
    private static SchemeRun[] runsOf(List<Scheme> schemes, SchemeRun[] old) {
        SchemeRun[] out = new SchemeRun[schemes.size()];
        for (int i = 0; i < out.length; i++) {
            Scheme s = schemes.get(i);
            if (i < old.length && old[i].scheme.action().equals(s.action())) {
                out[i] = old[i];
                out[i].use(s);
            } else {
                out[i] = new SchemeRun(i, s);
            }
        }
        return out;
    }

    boolean isEmpty() {
        return runs.length == 0;
    }

    /** New schemes from the user, at an aggregation boundary (DAMON's online commit). */
    void replace(List<Scheme> schemes, long aggregationIndex) {
        SchemeRun[] next = runsOf(schemes, runs); // kept ones keep their next application; new ones are due now
        runs = next;
        LOG.log(Level.INFO, "context ''{0}'' now applies {1} scheme(s) from aggregation {2}", contextName,
                next.length, aggregationIndex);
    }

    /**
     * {@code kdamond_wait_activation}'s test: reads each scheme's watermarks
     * when due.
     *
     * @return 0 if some scheme may act (or there are none), else the shortest wait, in microseconds
     */
    long activationWaitUs(long nowNanos) {
        SchemeRun[] rs = runs;
        if (rs.length == 0) {
            return 0;
        }
        long min = Long.MAX_VALUE;
        for (SchemeRun r : rs) {
            long wait;
            try {
                wait = r.watermarkWaitUs(nowNanos, memory);
            } catch (IOException e) {
                // as Linux does when the metric cannot be read: the scheme acts
                if (!warnedMetric) {
                    warnedMetric = true;
                    LOG.log(Level.WARNING, "context ''{0}'': cannot read the watermarks'' metric ({1}); scheme {2}"
                            + " acts as if it had no watermarks", contextName, e.getMessage(), r.index);
                }
                r.activated = true;
                wait = 0;
            }
            min = Math.min(min, wait);
        }
        return min;
    }

    /**
     * {@code kdamond_apply_schemes}, at the end of aggregation
     * {@code aggregationIndex}, after merging and before the counts are reset.
     */
    void apply(TargetRegions[] targets, MonitoringAttributes attrs, int samplesPerAggregation,
            long aggregationIndex, long nowNanos) {
        SchemeRun[] rs = runs;
        boolean any = false;
        boolean collect = System.nanoTime() - collectTriedUntilNanos < 0;
        for (SchemeRun r : rs) {
            r.due = aggregationIndex >= r.nextApplyAggregation && r.activated;
            if (!r.due) {
                continue;
            }
            any = true;
            r.resolvePattern(samplesPerAggregation, attrs.aggregationIntervalUs());
            if (targets.length > 0) {
                r.resolveFilters(targets[0].minRegionSize()); // one minimum for all of a run's targets
            }
            try {
                r.startChargeWindowIfDue(nowNanos, memory, goalValues);
            } catch (IOException | IllegalStateException e) {
                actions.failed("scheme " + r.index + " (" + r.scheme.action() + ") cannot read its quota goal: "
                        + e.getMessage());
                return;
            }
            if (r.esz != 0 && !r.quotaExhausted() && r.priority != Scheme.Priority.NONE) {
                // an exhausted one skips every region, and an unprioritised one scores every region the same
                // (DAMOS_MAX_SCORE, so that no region waits): no histogram needed
                setMinScore(r, targets, samplesPerAggregation, attrs.aggregationIntervalUs());
            } else {
                r.minScore = 0;
            }
            r.applicationStarts(collect);
        }
        if (!any) {
            return;
        }
        actionFailed = false;
        if (dueRuns.length < rs.length) {
            dueRuns = new SchemeRun[rs.length];
        }
        if (duePatterns.length < rs.length * PATTERN_STRIDE) {
            duePatterns = new long[rs.length * PATTERN_STRIDE];
        }
        int nDue = 0;
        for (SchemeRun r : rs) {
            if (r.due && !r.quotaExhausted()) { // an exhausted one would skip every region (it still counts as applied)
                packPattern(nDue, r);
                dueRuns[nDue++] = r;
            }
        }
        patternIndex.build(duePatterns, PATTERN_STRIDE, nDue);
        for (int ti = 0; ti < targets.length && nDue > 0; ti++) {
            TargetRegions t = targets[ti];
            int i = 0;
            while (i < t.regionCount() && !actionFailed) {
                // regions split off while applying are left for the next application, as Linux walks its list
                long oldEnd = t.regionEnd(i);
                applyToRegion(t, i, dueRuns, nDue, samplesPerAggregation, attrs.aggregationIntervalUs());
                i = t.firstStartingAtOrAfter(oldEnd, i + 1);
            }
        }
        long aggregationUs = attrs.aggregationIntervalUs();
        for (SchemeRun r : rs) {
            if (!r.due) {
                continue;
            }
            long every = r.scheme.applyIntervalUs() == 0 ? 1
                    : Math.max(1, (r.scheme.applyIntervalUs() + aggregationUs - 1) / aggregationUs);
            r.nextApplyAggregation = aggregationIndex + every;
            r.applicationEnds();
        }
    }

    private static final int PATTERN_STRIDE = 6;

    private void packPattern(int k, SchemeRun r) {
        int at = k * PATTERN_STRIDE;
        boolean resuming = r.chargeTargetFrom >= 0; // set during the walk only when the quota runs out
        r.countsOnly = r.stat && r.esz == 0;
        duePatterns[at] = resuming ? Long.MIN_VALUE : r.minSize;
        duePatterns[at + 1] = resuming ? Long.MAX_VALUE : r.maxSize;
        duePatterns[at + 2] = resuming ? Long.MIN_VALUE : r.minNrAccesses;
        duePatterns[at + 3] = resuming ? Long.MAX_VALUE : r.maxNrAccesses;
        duePatterns[at + 4] = resuming ? Long.MIN_VALUE : r.minAge;
        duePatterns[at + 5] = resuming ? Long.MAX_VALUE : r.maxAge;
    }

    /** The second half of {@code damos_adjust_quota}: the score from which regions fill the quota. */
    private void setMinScore(SchemeRun r, TargetRegions[] targets, int maxNrAccesses, long aggregationUs) {
        Arrays.fill(scoreHistogram, 0);
        int maxScore = 0;
        int wNr = r.scheme.quota().weightNrAccesses();
        int wAge = r.scheme.quota().weightAge();
        for (TargetRegions t : targets) {
            for (int i = 0; i < t.regionCount(); i++) {
                long size = t.regionEnd(i) - t.regionStart(i);
                if (!r.matches(size, t.nrAccesses(i), t.age(i))) {
                    continue;
                }
                int score = SchemeScores.of(r.priority, t.nrAccesses(i), t.age(i), maxNrAccesses, aggregationUs, wNr,
                        wAge);
                scoreHistogram[score] += size;
                maxScore = Math.max(maxScore, score);
            }
        }
        long cumulated = 0;
        int score = maxScore;
        for (;; score--) {
            cumulated += scoreHistogram[score];
            if (cumulated >= r.esz || score == 0) {
                break;
            }
        }
        r.minScore = score;
    }

    /**
     * {@code damon_do_apply_schemes} for region {@code i} of {@code t}, with
     * the due schemes only. The region's size, count and age are read once
     * and again only after a scheme split the region or reset its age.
     */
    private void applyToRegion(TargetRegions t, int i, SchemeRun[] due, int nDue, int maxNrAccesses,
            long aggregationUs) {
        long rs = t.regionStart(i);
        long re = t.regionEnd(i);
        long size = re - rs;
        int nr = t.nrAccesses(i);
        int age = t.age(i);
        for (int w = 0; w < patternIndex.words(); w++) {
            long admitted = patternIndex.admitted(w, size, nr, age);
            while (admitted != 0) { // the due schemes admitting the region, in order
                int k = w * 64 + Long.numberOfTrailingZeros(admitted);
                admitted &= admitted - 1;
                SchemeRun r = due[k];
                if (r.countsOnly) {
                    // stat without a size quota: unless a filter's edge cuts the region, damos_apply_scheme
                    // would only decide its filters and count it
                    int verdict = r.filters.length == 0 ? (r.coreFiltersDefaultReject ? FILTERED_OUT : PASSES)
                            : filterVerdict(t.index(), rs, re, r);
                    if (verdict == FILTERED_OUT) {
                        continue;
                    }
                    if (verdict == PASSES) {
                        r.chargedSz += size;
                        if (r.collectTried) {
                            r.noteTried(t.index(), rs, re, nr, age, 0);
                        }
                        r.countTried(size, 0);
                        continue;
                    }
                }
                if (r.quotaExhausted()) {
                    continue;
                }
                if (r.chargeTargetFrom >= 0) {
                    int from = skipCharged(t, i, r);
                    if (from < 0) {
                        continue;
                    }
                    if (from != i) {
                        i = from;
                        rs = t.regionStart(i);
                        re = t.regionEnd(i);
                        size = re - rs;
                        admitted = patternIndex.admitted(w, size, nr, age) & (-2L << (k - w * 64)); // the later ones
                    }
                }
                if (!r.matches(size, nr, age)) {
                    continue;
                }
                if (r.esz != 0 && r.minScore > 0 && SchemeScores.of(r.priority, nr, age, maxNrAccesses, aggregationUs,
                        r.scheme.quota().weightNrAccesses(), r.scheme.quota().weightAge()) < r.minScore) {
                    continue;
                }
                if (applyScheme(t, i, r)) { // split or aged: read the region again, and admit the later schemes anew
                    if (actionFailed) {
                        return;
                    }
                    rs = t.regionStart(i);
                    re = t.regionEnd(i);
                    size = re - rs;
                    age = t.age(i);
                    admitted = patternIndex.admitted(w, size, nr, age) & (-2L << (k - w * 64));
                }
            }
        }
    }

    /**
     * {@code damos_skip_charged_region}: after an exhausted quota, the next
     * window resumes where the last one stopped.
     *
     * @return the index of the region to go on with ({@code i}, or the part of it after what was charged), or -1
     *     to skip the region
     */
    private static int skipCharged(TargetRegions t, int i, SchemeRun r) {
        if (r.chargeTargetFrom < 0) {
            return i;
        }
        if (t.index() != r.chargeTargetFrom) {
            return -1;
        }
        if (i == t.regionCount() - 1) {
            r.chargeTargetFrom = -1;
            r.chargeAddrFrom = 0;
            return -1;
        }
        if (r.chargeAddrFrom != 0 && t.regionEnd(i) <= r.chargeAddrFrom) {
            return -1;
        }
        if (r.chargeAddrFrom != 0 && t.regionStart(i) < r.chargeAddrFrom) {
            long min = t.minRegionSize();
            long skip = (r.chargeAddrFrom - t.regionStart(i)) / min * min;
            if (skip == 0) {
                if (t.regionEnd(i) - t.regionStart(i) <= min) {
                    return -1;
                }
                skip = min;
            }
            t.splitAt(i, skip);
            i++;
        }
        r.chargeTargetFrom = -1;
        r.chargeAddrFrom = 0;
        return i;
    }

    /**
     * {@code damos_apply_scheme}: the quota's cut, the engine's filters, the action, the charge and the stats.
     *
     * @return whether region {@code i} changed (split, or its age reset)
     */
    private boolean applyScheme(TargetRegions t, int i, SchemeRun r) {
        long sz = t.regionEnd(i) - t.regionStart(i);
        long applied = 0;
        int count = t.regionCount();
        if (r.esz != 0 && r.chargedSz + sz > r.esz) {
            long min = t.minRegionSize();
            sz = (r.esz - r.chargedSz) / min * min;
            if (sz == 0) {
                r.countTried(0, 0);
                return false;
            }
            t.splitAt(i, sz);
        }
        if (filteredOut(t, i, r)) {
            return t.regionCount() != count;
        }
        sz = t.regionEnd(i) - t.regionStart(i);
        if (!r.stat) { // stat asks nothing of the primitive, so it takes none of its time
            long begin = nanoTime.getAsLong();
            applied = applyInChunks(r, t.index(), t.regionStart(i), t.regionEnd(i));
            if (applied < 0) {
                actionFailed = true; // the primitive failed: the run stops, with the reason
                return true;
            }
            r.totalChargedNs += nanoTime.getAsLong() - begin;
        }
        r.chargedSz += sz;
        if (r.esz != 0 && r.chargedSz >= r.esz) {
            r.chargeTargetFrom = t.index();
            r.chargeAddrFrom = t.regionEnd(i) + 1;
        }
        if (r.collectTried) {
            r.noteTried(t.index(), t.regionStart(i), t.regionEnd(i), t.nrAccesses(i), t.age(i), applied);
        }
        r.countTried(sz, applied);
        if (!r.stat) {
            t.resetAge(i);
            return true;
        }
        return t.regionCount() != count;
    }

    /**
     * The action on {@code [start, end)}, one call of the primitive per piece
     * of at most {@link ActionRequest#MAX_RANGE_BYTES} cut at multiples of it, so that
     * each call of a large region stays within the hook limit (paging out tens
     * of MiB can take seconds on a slow machine) and huge pages stay aligned.
     *
     * @return the bytes applied, or -1 once a call failed
     */
    private long applyInChunks(SchemeRun r, int target, long start, long end) {
        long applied = 0;
        for (long s = start; s < end; ) {
            long e = Math.min(end, (s / ActionRequest.MAX_RANGE_BYTES + 1) * ActionRequest.MAX_RANGE_BYTES);
            request.set(r, target, s, e);
            long a = actions.apply(request);
            if (a < 0) {
                return -1;
            }
            applied += a;
            s = e;
        }
        return applied;
    }

    /** {@link #filterVerdict}: no filter keeps region {@code i} out */
    private static final int PASSES = -1;
    /** {@link #filterVerdict}: a filter keeps region {@code i} out */
    private static final int FILTERED_OUT = -2;

    /**
     * {@code damos_filter_out}: the engine's filters in order, the first that
     * matches deciding; an address filter splits a region crossing its edge
     * (the part before the edge is decided, the rest is left for the next
     * application).
     */
    static boolean filteredOut(TargetRegions t, int i, SchemeRun r) {
        int verdict;
        while ((verdict = filterVerdict(t.index(), t.regionStart(i), t.regionEnd(i), r)) >= 0) {
            long rs = t.regionStart(i);
            long start = r.filters[verdict * SchemeRun.FILTER_STRIDE];
            long edge = start > rs ? start : r.filters[verdict * SchemeRun.FILTER_STRIDE + 1];
            t.splitAt(i, edge - rs);
        }
        return verdict == FILTERED_OUT;
    }

    /**
     * {@code damos_filter_out}'s decision without splitting: the filters in
     * order, the first that matches deciding, else the default.
     *
     * @return {@link #PASSES}, {@link #FILTERED_OUT}, or the index of the
     *     address filter whose edge cuts the region {@code [rs, re)} of target
     *     {@code target} before any filter decided
     */
    private static int filterVerdict(int target, long rs, long re, SchemeRun r) {
        long[] f = r.filters;
        for (int at = 0; at < f.length; at += SchemeRun.FILTER_STRIDE) {
            boolean matched;
            if (f[at + 2] >= 0) {
                matched = target == f[at + 2];
            } else if (f[at] <= rs && re <= f[at + 1]) {
                matched = true; // inside the range
            } else if (re <= f[at] || f[at + 1] <= rs) {
                matched = false; // outside
            } else {
                return at / SchemeRun.FILTER_STRIDE;
            }
            if (matched == ((f[at + 3] & SchemeRun.FILTER_MATCHING) != 0)) {
                return (f[at + 3] & SchemeRun.FILTER_ALLOW) != 0 ? PASSES : FILTERED_OUT;
            }
        }
        return r.coreFiltersDefaultReject ? FILTERED_OUT : PASSES;
    }

    /** The schemes note the regions they try for the next while ({@link ContextView#TRIED_REGIONS_COLLECTION_SECONDS}). */
    void collectTriedRegions() {
        collectTriedUntilNanos = System.nanoTime() + ContextView.TRIED_REGIONS_COLLECTION_SECONDS * 1_000_000_000L;
    }

    /** @return the schemes in force, for callbacks (the kdamond thread) */
    SchemeRun[] runs() {
        return runs;
    }

    /** @return every scheme's stats now, from any thread */
    List<SchemeStats> stats() {
        SchemeRun[] rs = runs;
        List<SchemeStats> out = new ArrayList<>(rs.length);
        for (SchemeRun r : rs) {
            out.add(r.stats());
        }
        return out;
    }

    /** The request handed to the primitive, reused. */
    private static final class Request implements ActionRequest {
        private SchemeRun run;
        private int target;
        private long start;
        private long end;

        void set(SchemeRun r, int targetIndex, long s, long e) {
            run = r;
            target = targetIndex;
            start = s;
            end = e;
        }

        @Override
        public String action() {
            return run.scheme.action();
        }

        @Override
        public int targetIndex() {
            return target;
        }

        @Override
        public long start() {
            return start;
        }

        @Override
        public long end() {
            return end;
        }

        @Override
        public List<SchemeFilter> filters() {
            return run.primitiveFilters;
        }

        @Override
        public int schemeIndex() {
            return run.index;
        }
    }
}
