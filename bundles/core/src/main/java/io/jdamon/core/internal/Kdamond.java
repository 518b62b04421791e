package io.jdamon.core.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.jdamon.api.ActionRequest;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextView;
import io.jdamon.api.SchemeView;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringTarget;
import io.jdamon.api.Primitive;
import io.jdamon.api.PrimitiveContext;
import io.jdamon.api.Scheme;
import io.jdamon.api.SchemeStats;
import io.jdamon.api.StopReason;
import io.jdamon.api.TargetView;

/**
 * One run of a context's kdamond: the seed's {@code kdamond_fn}. {@link #run}
 * reads top to bottom as the kernel's loop does (sample, aggregate, tune,
 * update); region adjustment, interval tuning, the intervals in use, the
 * plugin hooks and the context's lifecycle are classes of their own. One
 * object per run, so nothing of an earlier run is left over.
 *
 * <p>Owned by the kdamond thread; other threads read only the volatile
 * counters and details (for the status) and the costs.
 */
final class Kdamond {

    private static final Logger LOG = System.getLogger("io.jdamon.core");

    private final KdamondContext context;
    private final ContextDefinition definition;
    private final ContextLifecycle lifecycle;
    private final KdamondClock clock;
    private final KdamondHooks hooks;
    private final RunCostMeter costs = new RunCostMeter();
    private final IntervalOverrunWatch overruns = new IntervalOverrunWatch();
    private final IntervalsTuner tuner = new IntervalsTuner();
    private final SamplingIntervals intervals;
    private final SchemesApplier schemes;
    private RegionAdjuster regions = new RegionAdjuster(Primitive.PAGE_SIZE);
    private TargetRegions[] targets = new TargetRegions[0];
    private ReadOnlyTarget[] readOnlyTargets = new ReadOnlyTarget[0];
    private long samplingSeed;
    private Object primitiveAttachment;

    // times of the run, from its time zero, for the views and the snapshots
    private long runStartNanos;
    private Instant runStartTime = Instant.EPOCH;
    private long aggregationStartNanos;
    private long aggregationEndNanos;
    /** when the current sample's preparation began: a measured round's start */
    private long sampleStartNanos;
    /** samples taken in the current aggregation so far */
    private int aggregationSamples;

    // read by other threads
    private volatile long samplesPassed;
    private volatile long aggregationsPassed;
    /** set while the run has no region to sample (see checkRegions); empty otherwise */
    private volatile String noRegionsDetail = "";

    Kdamond(KdamondContext context, Primitive primitive, KdamondClock clock) {
        this.context = context;
        this.definition = context.definition();
        this.lifecycle = context.lifecycle();
        this.clock = clock;
        this.intervals = new SamplingIntervals(context.attributesInForce());
        this.hooks = new KdamondHooks(context, primitive, new PrimitiveView(), new CallbackView(), costs, overruns);
        this.schemes = new SchemesApplier(definition.name(), context.schemesInForce(), SystemMemory.PROC,
                new SchemesApplier.Actions() {
                    @Override
                    public long apply(ActionRequest request) {
                        return hooks.applyAction(request);
                    }

                    @Override
                    public long goalValue(String metric) {
                        return hooks.quotaGoalValue(metric);
                    }

                    @Override
                    public void failed(String detail) {
                        LOG.log(Level.ERROR, "context ''{0}'' stops: {1}", definition.name(), detail);
                        lifecycle.askStop(StopReason.SCHEME_FAILED, detail);
                    }
                }, clock::nanoTime);
    }

    /**
     * The kdamond's body. Whatever throws, in a plugin or in the engine
     * itself, {@code beforeTerminate} and {@code cleanup} still run and the
     * status says why.
     */
    void run() {
        try {
            LOG.log(Level.INFO, "{0} starts context ''{1}'' with primitive ''{2}''",
                    Thread.currentThread().getName(), definition.name(), definition.primitiveName());
            try {
                kdamondFn();
            } catch (Throwable e) {
                hooks.kdamondFailed(e);
            }
            try {
                hooks.terminate();
            } catch (Throwable e) {
                hooks.kdamondFailed(e);
            }
        } finally {
            primitiveAttachment = null;
            LOG.log(Level.INFO, "{0} finishes context ''{1}'': {2} {3}", Thread.currentThread().getName(),
                    definition.name(), lifecycle.stopReason(), lifecycle.stopDetail());
            lifecycle.kdamondEnds();
        }
    }

    /** From {@code init} to the last sample; the terminate hooks follow in {@link #run}. */
    private void kdamondFn() {
        beginRun();
        long passed = 0;
        long nextAggregation = intervals.window();
        long nextUpdate = intervals.samplesPerUpdate();
        int maxNrAccesses = 0;
        long deadline = clock.nanoTime();
        while (!needStop()) {
            if (!waitActivation()) {
                break;
            }
            hooks.syncCallbacksIfChanged();
            pickSamplingAddresses();
            if (!hooks.prepareAccessChecks()) {
                break;
            }
            hooks.afterSampling();
            deadline = sleepOneSample(deadline);
            if (!hooks.checkAccesses()) {
                break;
            }
            maxNrAccesses = countAccesses(maxNrAccesses);
            samplesPassed = ++passed;
            aggregationSamples++;

            if (passed >= nextAggregation) {
                MonitoringAttributes attrs = intervals.attributes();
                regions.merge(targets, maxNrAccesses, intervals.window(), attrs);
                publishAggregation();
                hooks.afterAggregation();
                applySchemeChanges();
                applySchemes(attrs);
                MonitoringAttributes tuned = tuner.aggregationEnded(attrs, targets, intervals.window());
                resetAggregated();
                regions.split(targets, attrs);
                hooks.resetAggregated();
                startAggregation();
                maxNrAccesses = 0;
                nextUpdate = applyIntervalChanges(tuned, passed, nextUpdate);
                nextAggregation = passed + intervals.window();
            }

            if (passed >= nextUpdate) {
                if (!updatePrimitive()) {
                    break;
                }
                nextUpdate = passed + intervals.samplesPerUpdate();
            }
        }
    }

    // ---- the steps, in the loop's order ---------------------------------------------

    /**
     * {@code init} and {@code before_start}: everything before the first
     * sample. Time zero, from which every time of the run counts, is set
     * after them: when monitoring of the targets begins.
     */
    private void beginRun() {
        startClock(); // provisional, for hooks that ask before time zero
        setUpTargets();
        if (hooks.init() && hooks.describe("init")) {
            regions.enforceLimits(targets, intervals.attributes());
            checkRegions("init");
        }
        hooks.syncCallbacks(true);
        intervals.use(intervals.attributes()); // a longer interval the primitive asked for in init counts from the start
        startClock();
        overruns.intervalStarts();
    }

    private void startClock() {
        runStartNanos = clock.nanoTime();
        runStartTime = Instant.now();
    }

    private void setUpTargets() {
        MonitoringAttributes attrs = intervals.attributes();
        regions = new RegionAdjuster(hooks.minRegionSize());
        List<String> specs = definition.targets();
        targets = new TargetRegions[specs.size()];
        readOnlyTargets = new ReadOnlyTarget[specs.size()];
        // arrays grow with the regions; this only avoids early growth
        int capacity = Math.min(1 << 16, Math.max(16, attrs.maxNrRegions() / Math.max(1, specs.size()) * 2));
        for (int t = 0; t < targets.length; t++) {
            targets[t] = new TargetRegions(t, specs.get(t), regions.minRegionSize(), capacity);
            targets[t].setInitialPieces(initialPiecesPerTarget(attrs));
            readOnlyTargets[t] = new ReadOnlyTarget(targets[t]);
        }
        samplingSeed = regions.samplingSeed();
    }

    /** minNrRegions is over all targets: each target's init cuts its share. */
    private int initialPiecesPerTarget(MonitoringAttributes attrs) {
        int n = Math.max(1, definition.targets().size());
        return Math.max(1, (attrs.minNrRegions() + n - 1) / n);
    }

    /** {@code kdamond_need_stop}: asked to, or every target gone (the primitive says). */
    private boolean needStop() {
        return lifecycle.stopRequested() || !hooks.anyTargetValid(targets);
    }

    private void pickSamplingAddresses() {
        for (TargetRegions t : targets) {
            samplingSeed = t.pickSamplingAddresses(samplingSeed);
        }
        sampleStartNanos = clock.nanoTime() - runStartNanos;
    }

    /**
     * Parks until the next sample is due or a stop is asked. Keeps the
     * sampling cadence steady; when far behind (a slow hook), starts afresh
     * from now instead of sampling in a burst to catch up.
     *
     * @return the time the next sample interval counts from
     */
    private long sleepOneSample(long lastDeadline) {
        long sampleNanos = intervals.sampleNanos();
        long deadline = lastDeadline + sampleNanos;
        long now = clock.nanoTime();
        if (now - deadline > sampleNanos) {
            return now;
        }
        parkUntil(deadline);
        return deadline;
    }

    /** Parks until {@code deadline} on the kdamond's clock, or until a stop is asked. */
    private void parkUntil(long deadline) {
        long now;
        while (!lifecycle.stopRequested() && (now = clock.nanoTime()) < deadline) {
            clock.park(this, deadline - now);
        }
    }

    /**
     * {@code kdamond_wait_activation}: while every scheme's watermarks say
     * no, the kdamond samples nothing and waits, checking again at the
     * shortest of their intervals.
     *
     * @return false if asked to stop while waiting
     */
    private boolean waitActivation() {
        long waitUs;
        while ((waitUs = schemes.activationWaitUs(clock.nanoTime())) > 0) {
            parkUntil(clock.nanoTime() + waitUs * 1_000);
            if (needStop()) {
                return false;
            }
        }
        return true;
    }

    /** {@code kdamond_apply_schemes}, timed for the run's costs. */
    private void applySchemes(MonitoringAttributes attrs) {
        if (schemes.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        schemes.apply(targets, attrs, intervals.window(), aggregationsPassed, clock.nanoTime());
        costs.schemesTook(System.nanoTime() - t0);
    }

    /** At an aggregation boundary: the schemes the user gave while running take effect, from this one on. */
    private void applySchemeChanges() {
        List<Scheme> pending = context.takePendingSchemes();
        if (pending != null) {
            schemes.replace(pending, aggregationsPassed);
        }
    }

    /** Adds this sample's accesses to the regions' counts; ends the targets' measured rounds. */
    private int countAccesses(int maxNrAccesses) {
        long checkedNanos = clock.nanoTime() - runStartNanos;
        int window = intervals.window();
        for (TargetRegions t : targets) {
            maxNrAccesses = t.countAccesses(window, maxNrAccesses);
            t.endMeasuredRound(sampleStartNanos, checkedNanos);
        }
        return maxNrAccesses;
    }

    /** The aggregation as it ended, for {@link KdamondContext#lastAggregation}; late ones are counted. */
    private void publishAggregation() {
        long now = clock.nanoTime() - runStartNanos;
        aggregationEndNanos = now;
        context.snapshotBuffer().publish(targets, aggregationsPassed, aggregationStartNanos, now,
                intervals.sampleIntervalUs(), aggregationSamples);
        if (overruns.aggregationEnded(definition.name(), aggregationsPassed, now - aggregationStartNanos,
                aggregationSamples, intervals.sampleNanos(), now)) {
            costs.aggregationLate();
        }
    }

    private void resetAggregated() {
        for (TargetRegions t : targets) {
            t.resetAggregated();
        }
    }

    private void startAggregation() {
        aggregationsPassed++;
        aggregationSamples = 0;
        aggregationStartNanos = aggregationEndNanos;
    }

    /**
     * At an aggregation boundary: the user's new attributes, the tuner's, or
     * a sample interval the primitive asked for take effect; counts are
     * rescaled to the new number of samples per aggregation (DAMON's online
     * attribute update).
     *
     * @return the sample count at which the next update is due
     */
    private long applyIntervalChanges(MonitoringAttributes tuned, long passed, long nextUpdate) {
        MonitoringAttributes pending = context.takePendingAttributes();
        // the user's new attributes win over the tuner's, and its count starts again from them
        MonitoringAttributes next = pending != null ? pending : tuned != null ? tuned : intervals.attributes();
        if (pending == null && tuned == null && !intervals.sampleIntervalChangesWith(next)) {
            return nextUpdate;
        }
        MonitoringAttributes old = intervals.attributes();
        int oldWindow = intervals.window();
        long oldSampleUs = intervals.sampleIntervalUs();
        if (pending != null) {
            LOG.log(Level.INFO, "context ''{0}'' now runs with {1}", definition.name(), pending);
            tuner.reset();
        } else if (tuned != null) {
            context.attributesTuned(tuned);
        }
        intervals.use(next);
        for (TargetRegions t : targets) {
            t.rescale(oldWindow, intervals.window(), old.aggregationIntervalUs(), next.aggregationIntervalUs());
            t.setInitialPieces(initialPiecesPerTarget(next));
        }
        if (intervals.sampleIntervalUs() != oldSampleUs) {
            LOG.log(tuned != null && pending == null ? Level.DEBUG : Level.INFO,
                    "context ''{0}'' now samples every {1} us ({2} samples per aggregation){3}", definition.name(),
                    intervals.sampleIntervalUs(), intervals.window(), intervals.primitiveChoseSampleInterval()
                            ? ", as primitive '" + definition.primitiveName() + "' asked" : "");
        }
        if (pending == null && tuned != null) {
            // keep the time left to the next update: tuning every few aggregations must not starve it
            long leftUs = Math.max(0, nextUpdate - passed) * oldSampleUs;
            return passed + Math.min(intervals.samplesPerUpdate(),
                    Math.max(1, leftUs / intervals.sampleIntervalUs()));
        }
        return passed + intervals.samplesPerUpdate();
    }

    /**
     * {@code update}, then what the primitive says of itself, and the region
     * limits on the ranges it set.
     *
     * @return false when the run must end
     */
    private boolean updatePrimitive() {
        if (!hooks.update() || !hooks.describe("update")) { // describe: e.g. a sensor's interval changed
            return false;
        }
        regions.enforceLimits(targets, intervals.attributes());
        checkRegions("update");
        return true;
    }

    /**
     * A context without regions samples nothing. It keeps running, because a
     * primitive's {@code update} may provide ranges later (a process maps its
     * memory after it starts), but says so in its status and the log.
     */
    private void checkRegions(String after) {
        int n = RegionLimits.regionCount(targets);
        if (n == 0 && noRegionsDetail.isEmpty()) {
            noRegionsDetail = "no regions to monitor: primitive '" + definition.primitiveName()
                    + "' set no address ranges in " + after + "; waiting for its update (every "
                    + intervals.attributes().updateIntervalUs() + " us) to provide some; a primitive's init should"
                    + " call initRegions on every target";
            LOG.log(Level.WARNING, "context ''{0}'': {1}", definition.name(), noRegionsDetail);
        } else if (n > 0 && !noRegionsDetail.isEmpty()) {
            noRegionsDetail = "";
            LOG.log(Level.INFO, "context ''{0}'': primitive ''{1}'' provided {2} regions in {3}", definition.name(),
                    definition.primitiveName(), n, after);
        }
    }

    // ---- for the context's status ----------------------------------------------------

    long samplesPassed() {
        return samplesPassed;
    }

    long aggregationsPassed() {
        return aggregationsPassed;
    }

    /** @return the run's details for the status: no regions, intervals overrun; empty when neither */
    String[] details() {
        return new String[] {noRegionsDetail, overruns.detail()};
    }

    RunCostMeter costs() {
        return costs;
    }

    /** @return every scheme's stats now, from any thread; asks for the tried regions for the next while */
    List<SchemeStats> schemeStats() {
        schemes.collectTriedRegions();
        return schemes.stats();
    }

    // ---- views handed to plugins ---------------------------------------------------------

    /** What the primitive sees: regions it may set and mark. */
    private final class PrimitiveView implements PrimitiveContext {
        @Override
        public String name() {
            return definition.name();
        }

        @Override
        public MonitoringAttributes attributes() {
            return context.attributesInForce();
        }

        @Override
        public int targetCount() {
            return targets.length;
        }

        @Override
        public MonitoringTarget target(int i) {
            return targets[i];
        }

        @Override
        public Object attachment() {
            return primitiveAttachment;
        }

        @Override
        public void attach(Object state) {
            primitiveAttachment = state;
        }

        @Override
        public void useSampleIntervalUs(long sampleIntervalUs) {
            intervals.request(sampleIntervalUs); // applied at the next aggregation boundary
        }
    }

    /** What callbacks see: the same regions, read-only. */
    private final class CallbackView implements ContextView {
        @Override
        public String name() {
            return definition.name();
        }

        @Override
        public String primitiveName() {
            return definition.primitiveName();
        }

        @Override
        public Map<String, String> primitiveProperties() {
            return context.describedProperties();
        }

        @Override
        public MonitoringAttributes attributes() {
            return context.attributesInForce();
        }

        @Override
        public int targetCount() {
            return readOnlyTargets.length;
        }

        @Override
        public TargetView target(int i) {
            return readOnlyTargets[i];
        }

        @Override
        public long samplesPassed() {
            return samplesPassed;
        }

        @Override
        public long aggregationsPassed() {
            return aggregationsPassed;
        }

        @Override
        public long elapsedNanos() {
            return clock.nanoTime() - runStartNanos;
        }

        @Override
        public long aggregationStartNanos() {
            return aggregationStartNanos;
        }

        @Override
        public long aggregationEndNanos() {
            return aggregationEndNanos;
        }

        @Override
        public long sampleIntervalUs() {
            return intervals.sampleIntervalUs();
        }

        @Override
        public int aggregationSamples() {
            return aggregationSamples;
        }

        @Override
        public Instant startTime() {
            return runStartTime;
        }

        @Override
        public int schemeCount() {
            return schemes.runs().length;
        }

        @Override
        public SchemeView scheme(int s) {
            return schemes.runs()[s];
        }

        @Override
        public void collectTriedRegions() {
            schemes.collectTriedRegions();
        }
    }
}
