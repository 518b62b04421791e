package io.jdamon.core.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

import io.jdamon.api.ActionRequest;
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
    /** set when the primitive failed applying an action: nothing more is applied this time */
    private boolean actionFailed;
    private boolean warnedMetric;

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
            if (r.esz != 0) {
                setMinScore(r, targets, samplesPerAggregation, attrs.aggregationIntervalUs());
            }
            r.applicationStarts();
        }
        if (!any) {
            return;
        }
        actionFailed = false;
        if (dueRuns.length < rs.length) {
            dueRuns = new SchemeRun[rs.length];
        }
        int nDue = 0;
        for (SchemeRun r : rs) {
            if (r.due) {
                dueRuns[nDue++] = r;
            }
        }
        for (TargetRegions t : targets) {
            int i = 0;
            while (i < t.regionCount()) {
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
        long size = t.regionEnd(i) - t.regionStart(i);
        int nr = t.nrAccesses(i);
        int age = t.age(i);
        for (int k = 0; k < nDue && !actionFailed; k++) {
            SchemeRun r = due[k];
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
                    size = t.regionEnd(i) - t.regionStart(i);
                }
            }
            if (!r.matches(size, nr, age)) {
                continue;
            }
            if (r.esz != 0 && SchemeScores.of(r.priority, nr, age, maxNrAccesses, aggregationUs,
                    r.scheme.quota().weightNrAccesses(), r.scheme.quota().weightAge()) < r.minScore) {
                continue;
            }
            if (applyScheme(t, i, r)) { // split or aged: read the region again
                size = t.regionEnd(i) - t.regionStart(i);
                age = t.age(i);
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
            request.set(r, t.index(), t.regionStart(i), t.regionEnd(i));
            applied = actions.apply(request);
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
        r.noteTried(t.index(), t.regionStart(i), t.regionEnd(i), t.nrAccesses(i), t.age(i), applied);
        r.countTried(sz, applied);
        if (!r.stat) {
            t.resetAge(i);
            return true;
        }
        return t.regionCount() != count;
    }

    /**
     * {@code damos_filter_out}: the engine's filters in order, the first that
     * matches deciding; an address filter splits a region crossing its edge.
     */
    private static boolean filteredOut(TargetRegions t, int i, SchemeRun r) {
        int[] target = r.filterTarget;
        for (int k = 0; k < target.length; k++) {
            if (matches(t, i, target[k], r.filterStart[k], r.filterEnd[k], r.filterMatching[k])) {
                return !r.filterAllow[k];
            }
        }
        return r.coreFiltersDefaultReject;
    }

    /** {@code damos_filter_match} for a filter as the API gives it (tests). */
    static boolean matches(TargetRegions t, int i, SchemeFilter f) {
        long min = t.minRegionSize();
        return matches(t, i, SchemeFilter.TARGET.equals(f.type()) ? f.targetIndex() : -1,
                f.startAddress() / min * min, f.endAddress() / min * min, f.matching());
    }

    /**
     * {@code damos_filter_match}.
     *
     * @param targetIndex a target filter's target, or -1 for an address filter of {@code [start, end)}, aligned
     */
    private static boolean matches(TargetRegions t, int i, int targetIndex, long start, long end,
            boolean matching) {
        boolean matched;
        if (targetIndex >= 0) {
            matched = t.index() == targetIndex;
        } else {
            long rs = t.regionStart(i);
            long re = t.regionEnd(i);
            if (start <= rs && re <= end) {
                matched = true; // inside the range
            } else if (re <= start || end <= rs) {
                matched = false; // outside
            } else if (rs < start) {
                t.splitAt(i, start - rs); // starts before the range: the part before is this region now
                matched = false;
            } else {
                t.splitAt(i, end - rs); // starts inside and runs past its end
                matched = true;
            }
        }
        return matched == matching;
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
