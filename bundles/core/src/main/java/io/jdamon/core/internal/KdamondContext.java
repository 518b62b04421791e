package io.jdamon.core.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.Callback;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextState;
import io.jdamon.api.ContextStatus;
import io.jdamon.api.ContextView;
import io.jdamon.api.InvalidTargetException;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.MonitoringTarget;
import io.jdamon.api.Primitive;
import io.jdamon.api.PrimitiveContext;
import io.jdamon.api.RunCosts;
import io.jdamon.api.StopReason;
import io.jdamon.api.TargetView;

/**
 * A monitoring context and its kdamond: the seed's {@code damon_ctx} and
 * {@code kdamond_fn}, with today's regions-based sampling on top.
 *
 * <p>Other threads touch only the volatile state fields, the registered
 * callback list and the snapshot buffer; everything else belongs to the
 * kdamond thread while it runs.
 */
public final class KdamondContext implements MonitoringContext {

    private static final Logger LOG = System.getLogger("io.jdamon.core");

    private final DamonEngine engine;
    private final ContextDefinition definition;
    private final SnapshotBuffer lastAggregation;
    private final CopyOnWriteArrayList<NamedCallback> registered = new CopyOnWriteArrayList<>();
    /** Which hook the kdamond is in; every plugin hook call is wrapped in enter/exit. */
    private final HookStamp hookStamp = new HookStamp();

    private volatile Primitive primitive;
    private volatile String waitingDetail;
    private volatile String note = "";
    /** Set while the run has no region to sample (see checkRegions); empty otherwise. */
    private volatile String noRegionsDetail = "";
    private volatile MonitoringAttributes attributes;
    private volatile MonitoringAttributes pendingAttributes;
    private final AtomicInteger callbacksVersion = new AtomicInteger();

    // run state, shared with other threads
    private volatile Thread thread;
    private volatile boolean stopRequested;
    private volatile StopReason stopReason;
    private volatile String stopDetail = "";
    private volatile boolean everRan;
    private volatile boolean exclusive;
    private volatile long samplesPassed;
    private volatile long aggregationsPassed;
    private volatile Map<String, String> primitiveProperties = Map.of();
    private volatile CountDownLatch terminated = new CountDownLatch(0);
    /** Whether the current run's end was counted (by the kdamond, or by {@link #abandon}). */
    private volatile AtomicBoolean runEnded = new AtomicBoolean(true);
    /** Set for good when the engine gave up a kdamond stuck in a hook. */
    private volatile boolean abandoned;
    /** What the watchdog saw: a hook past its limit (shown in the status), or empty. */
    private volatile String hookWarning = "";
    /** Who provides the primitive, e.g. {@code bundle-symbolic-name version}; empty if unknown. */
    private volatile Map<String, String> providerProperties = Map.of();

    // kdamond-thread state
    private TargetRegions[] targets = new TargetRegions[0];
    private final PrimitiveView primitiveView = new PrimitiveView();
    private final CallbackView callbackView = new CallbackView();
    private ReadOnlyTarget[] readOnlyTargets = new ReadOnlyTarget[0];
    private NamedCallback[] active = new NamedCallback[0];
    private int activeVersion;
    private Object primitiveAttachment;
    private SplittableRandom random;
    private long samplingSeed;
    private int lastSplitRegionCount;
    private long runStartNanos;
    private Instant runStartTime = Instant.EPOCH;
    /** What the primitive asked for with useSampleIntervalUs; 0 for the attributes' interval. */
    private long requestedSampleIntervalUs;
    private long aggregationStartNanos;
    /** when the current sample's preparation began, since the run's time zero: a measured round's start */
    private long sampleStartNanos;
    private long aggregationEndNanos;

    KdamondContext(DamonEngine engine, ContextDefinition definition, Primitive primitive) {
        this.engine = engine;
        this.definition = definition;
        this.attributes = definition.attributes();
        this.primitive = primitive;
        this.lastAggregation = new SnapshotBuffer(definition.name());
        if (primitive == null) {
            waitingDetail = "waiting for primitive '" + definition.primitiveName() + "'";
        }
    }

    /**
     * Compared by identity: the engine never calls a plugin's equals or hashCode. The meter counts
     * its hook time in the run it takes part in.
     */
    private record NamedCallback(String name, Callback callback, RunCostMeter.CallbackMeter cost) {
        NamedCallback(String name, Callback callback) {
            this(name, callback, new RunCostMeter.CallbackMeter(name));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof NamedCallback o && o.callback == callback && o.name.equals(name);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(callback) * 31 + name.hashCode();
        }
    }

    // ---- MonitoringContext ----------------------------------------------

    @Override
    public String name() {
        return definition.name();
    }

    @Override
    public ContextDefinition definition() {
        return definition;
    }

    @Override
    public MonitoringAttributes attributes() {
        MonitoringAttributes pending = pendingAttributes;
        return pending != null && !isRunning() ? pending : attributes;
    }

    @Override
    public void updateAttributes(MonitoringAttributes newAttributes) {
        if (newAttributes == null) {
            throw new NullPointerException("attributes");
        }
        synchronized (this) {
            if (isRunning()) {
                pendingAttributes = newAttributes; // applied by the kdamond at the next aggregation boundary
            } else {
                attributes = newAttributes;
                pendingAttributes = null;
            }
        }
    }

    @Override
    public void addCallback(String name, Callback callback) {
        if (name == null || callback == null) {
            throw new NullPointerException("callback name and callback are required");
        }
        registered.add(new NamedCallback(name, callback));
        callbacksVersion.incrementAndGet();
    }

    @Override
    public boolean removeCallback(Callback callback) {
        boolean removed = registered.removeIf(c -> c.callback() == callback);
        if (removed) {
            callbacksVersion.incrementAndGet();
        }
        return removed;
    }

    @Override
    public ContextStatus status() {
        Thread t = thread;
        ContextState state;
        String detail;
        if (abandoned) {
            state = ContextState.ABANDONED;
            detail = stopDetail;
        } else if (primitive == null) {
            state = ContextState.WAITING;
            detail = waitingDetail;
        } else if (t != null) {
            state = ContextState.RUNNING;
            detail = joined(note, hookWarning, noRegionsDetail, overruns.detail());
        } else if (everRan) {
            state = ContextState.STOPPED;
            detail = joined(stopDetail, note, noRegionsDetail, overruns.detail());
        } else {
            state = ContextState.READY;
            detail = note;
        }
        return new ContextStatus(name(), state, detail, definition.primitiveName(), withProvider(primitiveProperties),
                attributes(),
                Optional.ofNullable(t).map(Thread::getName), samplesPassed, aggregationsPassed,
                lastAggregation.regionCount(), Optional.ofNullable(t == null ? stopReason : null));
    }

    private static String joined(String... parts) {
        StringBuilder sb = new StringBuilder();
        for (String part : parts) {
            if (part != null && !part.isEmpty()) {
                sb.append(sb.length() == 0 ? "" : "; ").append(part);
            }
        }
        return sb.toString();
    }

    @Override
    public Optional<AggregationSnapshot> lastAggregation() {
        return Optional.ofNullable(lastAggregation.snapshot());
    }

    @Override
    public RunCosts runCosts() {
        return costs.snapshot();
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    // ---- primitive binding, for the OSGi layer -----------------------------

    /**
     * Binds the primitive this context waits for, after checking every target
     * with it.
     *
     * @throws InvalidTargetException if the primitive rejects a target; the
     *     context keeps waiting, with the reason as its detail
     */
    public synchronized void bindPrimitive(Primitive newPrimitive) {
        bindPrimitive(newPrimitive, Map.of());
    }

    /**
     * Binds the primitive as {@link #bindPrimitive(Primitive)} does, with properties that say who
     * provides it (e.g. {@code provider=bundle version}); they join the primitive's own properties
     * in the status and in what callbacks see.
     */
    public synchronized void bindPrimitive(Primitive newPrimitive, Map<String, String> provider) {
        if (abandoned) {
            throw new IllegalStateException("context '" + name() + "' was abandoned: " + stopDetail);
        }
        try {
            engine.checkTargets(definition, newPrimitive);
        } catch (InvalidTargetException e) {
            waitingDetail = e.getMessage();
            throw e;
        }
        primitive = newPrimitive;
        primitiveProperties = Map.of(); // what an earlier primitive said; this one says its own at init
        providerProperties = Map.copyOf(provider);
        waitingDetail = null;
    }

    /** The primitive's own properties and who provides it; the provider's keys win. */
    private Map<String, String> withProvider(Map<String, String> own) {
        Map<String, String> provider = providerProperties;
        if (provider.isEmpty()) {
            return own;
        }
        Described last = described;
        if (last != null && last.own == own && last.provider == provider) {
            return last.all; // computed once per change, not per call
        }
        Map<String, String> all = new java.util.TreeMap<>(own);
        all.putAll(provider);
        Map<String, String> copy = Map.copyOf(all);
        described = new Described(own, provider, copy);
        return copy;
    }

    private record Described(Map<String, String> own, Map<String, String> provider, Map<String, String> all) {
    }

    private volatile Described described;

    /**
     * The primitive went away: stops the kdamond if it runs (reason
     * {@link StopReason#PRIMITIVE_GONE}), waits for {@code beforeTerminate}
     * and {@code cleanup} to run, and goes back to waiting.
     */
    public void unbindPrimitive() throws InterruptedException {
        stopAndWait(StopReason.PRIMITIVE_GONE, "primitive '" + definition.primitiveName() + "' went away");
        detachPrimitive();
    }

    /**
     * Forgets the primitive without waiting: for a context whose kdamond has ended (or was
     * abandoned) after a stop asked with {@link #requestStop(StopReason, String)}. A context not
     * abandoned goes back to waiting.
     */
    public synchronized void detachPrimitive() {
        primitive = null;
        providerProperties = Map.of();
        waitingDetail = "waiting for primitive '" + definition.primitiveName() + "'";
    }

    /** @return whether the engine gave up this context's kdamond (see {@link ContextState#ABANDONED}) */
    public boolean isAbandoned() {
        return abandoned;
    }

    /**
     * The watchdog saw a hook past its limit: shown in the status while the context runs;
     * empty to clear.
     */
    void setHookWarning(String warning) {
        hookWarning = warning == null ? "" : warning;
    }

    /**
     * Gives up the kdamond, stuck in a hook that ignored its interrupt: the context is no longer
     * running for the engine (its run is counted as ended, waiters are released) and stays
     * {@link ContextState#ABANDONED}; the thread is left to end by itself if the hook returns.
     *
     * @return false if no kdamond ran
     */
    boolean abandon(String detail) {
        synchronized (this) {
            if (thread == null) {
                return false;
            }
            abandoned = true;
            stopRequested = true;
            stopReason = StopReason.HOOK_ABANDONED;
            stopDetail = detail;
            hookWarning = "";
            thread = null;
        }
        runEnded();
        return true;
    }

    /** Counts the run's end once: by the kdamond when it ends, or by {@link #abandon}. */
    private void runEnded() {
        if (runEnded.compareAndSet(false, true)) {
            engine.kdamondEnded(this);
            terminated.countDown();
        }
    }

    /**
     * Sets a remark on a context that is not waiting for its primitive, shown
     * as its status detail, e.g. a configured callback that is not there yet;
     * empty for none.
     */
    public void setNote(String remark) {
        note = remark == null ? "" : remark;
    }

    /** Sets what a waiting context waits for (shown as the status detail). */
    public void setWaiting(String detail) {
        waitingDetail = detail;
    }

    Primitive primitive() {
        return primitive;
    }

    /** @return which plugin hook the kdamond is in, for the watchdog */
    HookStamp hookStamp() {
        return hookStamp;
    }

    /** @return the kdamond thread while it runs, else null (for the watchdog's stack dump) */
    Thread kdamondThread() {
        return thread;
    }

    // ---- start and stop, called by the engine under its lock ---------------

    void launch(String threadName, boolean exclusiveGroup) {
        if (abandoned) {
            throw new IllegalStateException("context '" + name() + "' was abandoned: " + stopDetail);
        }
        Primitive p = primitive;
        if (p == null) {
            throw new IllegalStateException("context '" + name() + "' cannot start: " + waitingDetail);
        }
        MonitoringAttributes pending = pendingAttributes;
        if (pending != null) {
            attributes = pending;
            pendingAttributes = null;
        }
        stopRequested = false;
        stopReason = null;
        stopDetail = "";
        samplesPassed = 0;
        aggregationsPassed = 0;
        exclusive = exclusiveGroup;
        everRan = true;
        lastAggregation.clear();
        terminated = new CountDownLatch(1);
        runEnded = new AtomicBoolean();
        hookWarning = "";
        Thread t = new Thread(() -> run(p), threadName);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    boolean isExclusive() {
        return exclusive;
    }

    /**
     * Asks the kdamond to stop and waits until it ended. Called from the
     * kdamond itself (a callback stopping its own context), it only asks.
     *
     * @return false if it was not running
     */
    boolean stopAndWait(StopReason reason, String detail) throws InterruptedException {
        CountDownLatch done = requestStop(reason, detail);
        if (done == null) {
            return false;
        }
        if (thread != Thread.currentThread()) {
            done.await();
        }
        return true;
    }

    /**
     * Asks a running kdamond to stop, without waiting.
     *
     * @return what counts down when the run ended (or was abandoned), or null if it was not running
     */
    CountDownLatch requestStop(StopReason reason, String detail) {
        Thread t;
        CountDownLatch done;
        synchronized (this) {
            t = thread;
            done = terminated;
            if (t == null) {
                return null;
            }
            askStop(reason, detail);
        }
        LockSupport.unpark(t);
        return done;
    }

    private void askStop(StopReason reason, String detail) {
        synchronized (this) {
            if (stopReason == null) {
                stopReason = reason;
                stopDetail = detail;
            }
            stopRequested = true;
        }
    }

    // ---- the kdamond -------------------------------------------------------

    /**
     * The kdamond's body. Whatever throws, in a plugin or in the engine itself,
     * {@code beforeTerminate} and {@code cleanup} still run and the status says why.
     */
    private void run(Primitive p) {
        try {
            LOG.log(Level.INFO, "{0} starts context ''{1}'' with primitive ''{2}''",
                    Thread.currentThread().getName(), name(), definition.primitiveName());
            try {
                beginRun(p);
                long deadline = System.nanoTime();
                while (beginSample()) {
                    deadline = sleepUntil(deadline + sampleNanos, sampleNanos);
                    if (!endSample()) {
                        break;
                    }
                }
            } catch (Throwable e) {
                kdamondFailed(e);
            }
            try {
                endRun();
            } catch (Throwable e) {
                kdamondFailed(e);
            }
        } finally {
            active = new NamedCallback[0];
            primitiveAttachment = null;
            LOG.log(Level.INFO, "{0} finishes context ''{1}'': {2} {3}", Thread.currentThread().getName(), name(),
                    stopReason, stopDetail);
            synchronized (this) {
                if (thread == Thread.currentThread()) {
                    thread = null;
                }
            }
            runEnded();
        }
    }

    // The seed's loop, cut where the kdamond sleeps so that a benchmark can
    // drive it without sleeping. State below belongs to the kdamond thread.
    private Primitive runPrimitive;
    private String runPrimitiveName;
    private MonitoringAttributes runAttributes;
    /** The sample interval in use: the attributes' one or the longer one the primitive asked for. */
    private long usedSampleIntervalUs;
    /** Samples per aggregation at the interval in use. */
    private int window;
    private long sampleNanos;
    private long samplesPerUpdate;
    private long passed;
    private long nextAggregation;
    private long nextUpdate;
    private int maxNrAccesses;
    /** Samples taken in the current aggregation interval so far. */
    private int aggregationSamples;
    private long runMinRegionSize = Primitive.PAGE_SIZE;
    private final IntervalOverrunWatch overruns = new IntervalOverrunWatch();
    private final IntervalsTuner tuner = new IntervalsTuner();
    /** What the tuner chose at the last aggregation, for {@link #applyIntervalChanges}; null: no change. */
    private MonitoringAttributes tunedAttributes;
    private final RunCostMeter costs = new RunCostMeter();

    /**
     * {@code init} and {@code before_start}: everything before the first
     * sample. Time zero, from which every time of the run counts, is set
     * after them: when monitoring of the targets begins.
     */
    void beginRun(Primitive p) {
        runPrimitive = p;
        runPrimitiveName = definition.primitiveName();
        requestedSampleIntervalUs = 0;
        aggregationStartNanos = 0;
        aggregationEndNanos = 0;
        aggregationSamples = 0;
        overruns.reset();
        costs.reset();
        tuner.reset();
        tunedAttributes = null;
        noRegionsDetail = "";
        startClock(); // provisional, for hooks that ask before time zero
        useAttributes(attributes);
        setUpTargets(p);
        boolean initialised = false;
        try {
            hookStamp.enter("primitive", runPrimitiveName, "init");
            p.init(primitiveView);
            initialised = true;
        } catch (Throwable e) {
            pluginFailed("primitive", runPrimitiveName, "init", e);
        } finally {
            costs.primitiveTook(hookEnded());
        }
        if (initialised) {
            describePrimitive(p, "init");
            RegionLimits.enforce(targets, attributes, runMinRegionSize);
            checkRegions("init");
        }
        syncCallbacks(true);
        useAttributes(attributes); // a longer interval the primitive asked for in init counts from the start
        passed = 0;
        nextAggregation = window;
        nextUpdate = samplesPerUpdate;
        maxNrAccesses = 0;
        startClock();
        overruns.intervalStarts();
    }

    private void startClock() {
        runStartNanos = System.nanoTime();
        runStartTime = Instant.now();
    }

    private void useAttributes(MonitoringAttributes attrs) {
        runAttributes = attrs;
        usedSampleIntervalUs = sampleIntervalFor(attrs);
        window = (int) (attrs.aggregationIntervalUs() / usedSampleIntervalUs);
        sampleNanos = usedSampleIntervalUs * 1_000;
        samplesPerUpdate = Math.max(1, attrs.updateIntervalUs() / usedSampleIntervalUs);
    }

    /**
     * The primitive's wish clamped to [sample interval, aggregation interval]
     * (none: the attributes' interval), then lengthened to a whole fraction
     * of the aggregation interval, so that aggregations keep their length:
     * a wish of 80 ms in 100 ms aggregations gives one sample of 100 ms.
     */
    private long sampleIntervalFor(MonitoringAttributes attrs) {
        long wanted = requestedSampleIntervalUs;
        if (wanted <= attrs.sampleIntervalUs()) {
            return attrs.sampleIntervalUs();
        }
        long aggregationUs = attrs.aggregationIntervalUs();
        long samples = Math.max(1, aggregationUs / Math.min(wanted, aggregationUs));
        return aggregationUs / samples;
    }

    /**
     * The first half of a sample: stop check, sampling addresses,
     * {@code prepare_access_checks}, {@code after_sampling}.
     *
     * @return false when the run must end
     */
    boolean beginSample() {
        Primitive p = runPrimitive;
        if (needStop(p, runPrimitiveName)) {
            return false;
        }
        if (activeVersion != callbacksVersion.get()) {
            syncCallbacks(false);
        }
        for (TargetRegions t : targets) {
            samplingSeed = t.pickSamplingAddresses(samplingSeed);
        }
        sampleStartNanos = System.nanoTime() - runStartNanos;
        try {
            hookStamp.enter("primitive", runPrimitiveName, "prepareAccessChecks");
            p.prepareAccessChecks(primitiveView);
        } catch (Throwable e) {
            pluginFailed("primitive", runPrimitiveName, "prepareAccessChecks", e);
            return false;
        } finally {
            costs.sensorTook(hookEnded());
        }
        for (NamedCallback c : active) {
            try {
                hookStamp.enter("callback", c.name(), "afterSampling");
                if (c.callback().afterSampling(callbackView) == CallbackResult.STOP) {
                    callbackAskedToStop(c, "afterSampling");
                }
            } catch (Throwable e) {
                pluginFailed("callback", c.name(), "afterSampling", e);
            } finally {
                c.cost().took(hookEnded());
            }
        }
        return true;
    }

    /**
     * The second half, after the sleep: {@code check_accesses}, counting, and
     * at the interval ends aggregation and {@code update}.
     *
     * @return false when the run must end
     */
    boolean endSample() {
        Primitive p = runPrimitive;
        try {
            hookStamp.enter("primitive", runPrimitiveName, "checkAccesses");
            p.checkAccesses(primitiveView);
        } catch (Throwable e) {
            pluginFailed("primitive", runPrimitiveName, "checkAccesses", e);
            return false;
        } finally {
            costs.sensorTook(hookEnded());
        }
        long checkedNanos = System.nanoTime() - runStartNanos;
        for (TargetRegions t : targets) {
            maxNrAccesses = t.countAccesses(window, maxNrAccesses);
            t.endMeasuredRound(sampleStartNanos, checkedNanos);
        }
        samplesPassed = ++passed;
        aggregationSamples++;

        if (passed >= nextAggregation) {
            aggregate(p, runPrimitiveName, runAttributes, maxNrAccesses);
            maxNrAccesses = 0;
            applyIntervalChanges();
            nextAggregation = passed + window;
        }

        if (passed >= nextUpdate) {
            try {
                hookStamp.enter("primitive", runPrimitiveName, "update");
                p.update(primitiveView);
            } catch (Throwable e) {
                pluginFailed("primitive", runPrimitiveName, "update", e);
                return false;
            } finally {
                costs.primitiveTook(hookEnded());
            }
            if (!describePrimitive(p, "update")) { // e.g. a sensor's interval changed
                return false;
            }
            RegionLimits.enforce(targets, runAttributes, runMinRegionSize);
            checkRegions("update");
            nextUpdate = passed + samplesPerUpdate;
        }
        return true;
    }

    /**
     * At an aggregation boundary: new attributes, or a sample interval the
     * primitive asked for, take effect; counts are rescaled to the new number
     * of samples per aggregation (DAMON's online attribute update).
     */
    private void applyIntervalChanges() {
        MonitoringAttributes pending = pendingAttributes;
        // the user's new attributes win over the tuner's, and its count starts again from them
        MonitoringAttributes tuned = pending == null ? tunedAttributes : null;
        tunedAttributes = null;
        MonitoringAttributes next = pending != null ? pending : tuned != null ? tuned : runAttributes;
        long nextSampleUs = sampleIntervalFor(next);
        if (pending == null && tuned == null && nextSampleUs == usedSampleIntervalUs) {
            return;
        }
        MonitoringAttributes old = runAttributes;
        int oldWindow = window;
        long oldSampleUs = usedSampleIntervalUs;
        if (pending != null) {
            synchronized (this) {
                attributes = pending;
                if (pendingAttributes == pending) {
                    pendingAttributes = null;
                }
            }
            LOG.log(Level.INFO, "context ''{0}'' now runs with {1}", name(), pending);
            tuner.reset();
        } else if (tuned != null) {
            synchronized (this) {
                attributes = tuned;
            }
        }
        useAttributes(next);
        for (TargetRegions t : targets) {
            t.rescale(oldWindow, window, old.aggregationIntervalUs(), next.aggregationIntervalUs());
            t.setInitialPieces(initialPiecesPerTarget(next));
        }
        if (usedSampleIntervalUs != oldSampleUs) {
            LOG.log(tuned != null ? Level.DEBUG : Level.INFO,
                    "context ''{0}'' now samples every {1} us ({2} samples per aggregation){3}", name(),
                    usedSampleIntervalUs, window, usedSampleIntervalUs != next.sampleIntervalUs()
                            ? ", as primitive '" + runPrimitiveName + "' asked" : "");
        }
        if (tuned != null) {
            // keep the time left to the next update: tuning every few aggregations must not starve it
            long leftUs = Math.max(0, nextUpdate - passed) * oldSampleUs;
            nextUpdate = passed + Math.min(samplesPerUpdate, Math.max(1, leftUs / usedSampleIntervalUs));
        } else {
            nextUpdate = passed + samplesPerUpdate;
        }
    }

    /**
     * Asks the primitive to {@code describe} itself after {@code after}.
     *
     * @return false if it threw (the run then stops)
     */
    private boolean describePrimitive(Primitive p, String after) {
        try {
            hookStamp.enter("primitive", runPrimitiveName, "describe");
            primitiveProperties = Map.copyOf(p.describe(primitiveView));
            return true;
        } catch (Throwable e) {
            pluginFailed("primitive", runPrimitiveName, "describe (after " + after + ")", e);
            return false;
        } finally {
            costs.primitiveTook(hookEnded());
        }
    }

    /**
     * A context without regions samples nothing. It keeps running, because a
     * primitive's {@code update} may provide ranges later (a process maps its
     * memory after it starts), but says so in its status and the log.
     */
    private void checkRegions(String after) {
        int regions = 0;
        for (TargetRegions t : targets) {
            regions += t.regionCount();
        }
        if (regions == 0 && noRegionsDetail.isEmpty()) {
            noRegionsDetail = "no regions to monitor: primitive '" + runPrimitiveName + "' set no address ranges in "
                    + after + "; waiting for its update (every " + runAttributes.updateIntervalUs()
                    + " us) to provide some; a primitive's init should call initRegions on every target";
            LOG.log(Level.WARNING, "context ''{0}'': {1}", name(), noRegionsDetail);
        } else if (regions > 0 && !noRegionsDetail.isEmpty()) {
            noRegionsDetail = "";
            LOG.log(Level.INFO, "context ''{0}'': primitive ''{1}'' provided {2} regions in {3}", name(),
                    runPrimitiveName, regions, after);
        }
    }

    /** The primitive's minimum region size, asked once per run; a page if it throws or answers garbage. */
    private long askMinRegionSize(Primitive p) {
        try {
            hookStamp.enter("primitive", runPrimitiveName, "minRegionSize");
            long size = p.minRegionSize();
            if (size > 0) {
                return size;
            }
            pluginFailed("primitive", runPrimitiveName, "minRegionSize", new IllegalStateException(
                    "minRegionSize() returned " + size + "; return a positive number of bytes, e.g. Primitive.PAGE_SIZE"));
        } catch (Throwable e) {
            pluginFailed("primitive", runPrimitiveName, "minRegionSize", e);
        } finally {
            costs.primitiveTook(hookEnded());
        }
        return Primitive.PAGE_SIZE;
    }

    private void setUpTargets(Primitive p) {
        MonitoringAttributes attrs = attributes;
        runMinRegionSize = askMinRegionSize(p);
        List<String> specs = definition.targets();
        targets = new TargetRegions[specs.size()];
        readOnlyTargets = new ReadOnlyTarget[specs.size()];
        // arrays grow with the regions; this only avoids early growth
        int capacity = Math.min(1 << 16, Math.max(16, attrs.maxNrRegions() / Math.max(1, specs.size()) * 2));
        for (int t = 0; t < targets.length; t++) {
            targets[t] = new TargetRegions(t, specs.get(t), runMinRegionSize, capacity);
            targets[t].setInitialPieces(initialPiecesPerTarget(attrs));
            readOnlyTargets[t] = new ReadOnlyTarget(targets[t]);
        }
        random = new SplittableRandom();
        samplingSeed = random.nextLong();
        lastSplitRegionCount = 0;
    }

    /** minNrRegions is over all targets: each target's init cuts its share. */
    private int initialPiecesPerTarget(MonitoringAttributes attrs) {
        int n = Math.max(1, definition.targets().size());
        return Math.max(1, (attrs.minNrRegions() + n - 1) / n);
    }

    /** {@code before_terminate} and {@code cleanup}, which always run. */
    void endRun() {
        try {
            for (NamedCallback c : active) {
                try {
                    hookStamp.enter("callback", c.name(), "beforeTerminate");
                    c.callback().beforeTerminate(callbackView);
                } catch (Throwable e) {
                    pluginFailed("callback", c.name(), "beforeTerminate", e);
                } finally {
                    c.cost().took(hookEnded());
                }
            }
        } finally {
            try {
                hookStamp.enter("primitive", runPrimitiveName, "cleanup");
                runPrimitive.cleanup(primitiveView);
            } catch (Throwable e) {
                pluginFailed("primitive", runPrimitiveName, "cleanup", e);
            } finally {
                costs.primitiveTook(hookEnded());
            }
        }
    }

    /**
     * A hook returned: the stamp is cleared and its time counted against the interval.
     *
     * @return how long the hook ran, in nanoseconds, for the run's costs
     */
    private long hookEnded() {
        long nanos = hookStamp.exit();
        overruns.hookTook(hookStamp, nanos);
        return nanos;
    }

    /**
     * Parks until the deadline or a stop request. Keeps the sampling cadence
     * steady; when far behind (a slow hook), starts afresh from now instead of
     * sampling in a burst to catch up.
     *
     * @return the deadline the next sample interval counts from
     */
    private long sleepUntil(long deadline, long sampleNanos) {
        long now = System.nanoTime();
        if (now - deadline > sampleNanos) {
            return now;
        }
        while (!stopRequested && (now = System.nanoTime()) < deadline) {
            LockSupport.parkNanos(this, deadline - now);
        }
        return deadline;
    }

    private void aggregate(Primitive p, String primitiveName, MonitoringAttributes attrs, int maxNrAccesses) {
        RegionLimits.merge(targets, maxNrAccesses / 10, window, attrs, runMinRegionSize);
        long now = System.nanoTime() - runStartNanos;
        aggregationEndNanos = now;
        lastAggregation.publish(targets, aggregationsPassed, aggregationStartNanos, now, usedSampleIntervalUs,
                aggregationSamples);
        if (overruns.aggregationEnded(name(), aggregationsPassed, now - aggregationStartNanos, aggregationSamples,
                sampleNanos, now)) {
            costs.aggregationLate();
        }
        for (NamedCallback c : active) {
            try {
                hookStamp.enter("callback", c.name(), "afterAggregation");
                if (c.callback().afterAggregation(callbackView) == CallbackResult.STOP) {
                    callbackAskedToStop(c, "afterAggregation");
                }
            } catch (Throwable e) {
                pluginFailed("callback", c.name(), "afterAggregation", e);
            } finally {
                c.cost().took(hookEnded());
            }
        }
        tunedAttributes = tuner.aggregationEnded(attrs, targets, window); // after merging, before counts reset
        for (TargetRegions t : targets) {
            t.resetAggregated();
        }
        splitRegions(attrs);
        try {
            hookStamp.enter("primitive", primitiveName, "resetAggregated");
            p.resetAggregated(primitiveView);
        } catch (Throwable e) {
            pluginFailed("primitive", primitiveName, "resetAggregated", e);
        } finally {
            costs.primitiveTook(hookEnded());
        }
        aggregationsPassed++;
        aggregationSamples = 0;
        aggregationStartNanos = now;
    }

    /**
     * DAMON's {@code kdamond_split_regions}: split in two, or in three when
     * the count has not moved since the last split; not at all above half the
     * maximum, so that the count stays within it. The last count is this
     * context's own, not shared.
     */
    private void splitRegions(MonitoringAttributes attrs) {
        int regions = 0;
        for (TargetRegions t : targets) {
            regions += t.regionCount();
        }
        if (regions > attrs.maxNrRegions() / 2) {
            return;
        }
        int pieces = lastSplitRegionCount == regions && regions < attrs.maxNrRegions() / 3 ? 3 : 2;
        for (TargetRegions t : targets) {
            t.split(pieces, random);
        }
        lastSplitRegionCount = regions;
    }

    private boolean needStop(Primitive p, String primitiveName) {
        if (stopRequested) {
            return true;
        }
        if (targets.length == 0) {
            return false;
        }
        try {
            hookStamp.enter("primitive", primitiveName, "targetValid");
            for (TargetRegions t : targets) {
                if (p.targetValid(t)) {
                    return false;
                }
            }
        } catch (Throwable e) {
            pluginFailed("primitive", primitiveName, "targetValid", e);
            return true;
        } finally {
            costs.primitiveTook(hookEnded());
        }
        askStop(StopReason.TARGETS_INVALID, "every target is gone");
        return true;
    }

    /**
     * Brings the active callbacks in line with the registered ones: newcomers
     * get {@code beforeStart}, leavers {@code beforeTerminate}. Allocates, but
     * only when the set changed.
     */
    private void syncCallbacks(boolean starting) {
        int version = callbacksVersion.get();
        List<NamedCallback> now = new ArrayList<>(registered);
        if (!starting) {
            for (NamedCallback old : active) {
                if (!now.contains(old)) {
                    try {
                        hookStamp.enter("callback", old.name(), "beforeTerminate");
                        old.callback().beforeTerminate(callbackView);
                    } catch (Throwable e) {
                        LOG.log(Level.WARNING, "callback '" + old.name() + "' threw in beforeTerminate of context '"
                                + name() + "' while leaving it", e);
                    } finally {
                        old.cost().took(hookEnded());
                    }
                }
            }
        }
        List<NamedCallback> previous = starting ? List.of() : List.of(active);
        active = now.toArray(new NamedCallback[0]);
        activeVersion = version;
        for (NamedCallback c : active) {
            if (!previous.contains(c)) {
                costs.join(c.cost());
                try {
                    hookStamp.enter("callback", c.name(), "beforeStart");
                    if (c.callback().beforeStart(callbackView) == CallbackResult.STOP) {
                        callbackAskedToStop(c, "beforeStart");
                    }
                } catch (Throwable e) {
                    pluginFailed("callback", c.name(), "beforeStart", e);
                } finally {
                    c.cost().took(hookEnded());
                }
            }
        }
    }

    private void callbackAskedToStop(NamedCallback c, String hook) {
        askStop(StopReason.CALLBACK_REQUESTED, "callback '" + c.name() + "' asked to stop in " + hook);
    }

    /**
     * A plugin hook threw, whatever it threw (an {@link Error} included): its
     * context stops, and {@code beforeTerminate} and {@code cleanup} still run.
     */
    private void pluginFailed(String kind, String pluginName, String hook, Throwable e) {
        String detail = kind + " '" + pluginName + "' threw in " + hook + ": " + e;
        LOG.log(Level.ERROR, "context '" + name() + "' stops: " + detail, e);
        askStop(StopReason.PLUGIN_FAILED, detail);
    }

    /** The engine's own code threw: the run ends as after a plugin failure, and says why. */
    private void kdamondFailed(Throwable e) {
        String where = hookStamp.enteredNanos() != 0 ? " (in " + hookStamp.kind() + " '" + hookStamp.pluginName()
                + "' " + hookStamp.hook() + ")" : "";
        String detail = "the kdamond failed" + where + ": " + e;
        try {
            LOG.log(Level.ERROR, "context '" + name() + "' stops: " + detail
                    + "; this is a jdamon bug, please report it with this stack trace", e);
        } finally {
            hookStamp.exit();
            askStop(StopReason.ENGINE_FAILED, detail);
        }
    }

    // ---- views handed to plugins ---------------------------------------------

    /** What the primitive sees: regions it may set and mark. */
    private final class PrimitiveView implements PrimitiveContext {
        @Override
        public String name() {
            return definition.name();
        }

        @Override
        public MonitoringAttributes attributes() {
            return attributes;
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
            requestedSampleIntervalUs = sampleIntervalUs; // applied at the next aggregation boundary
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
            return withProvider(primitiveProperties);
        }

        @Override
        public MonitoringAttributes attributes() {
            return attributes;
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
            return System.nanoTime() - runStartNanos;
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
            return usedSampleIntervalUs;
        }

        @Override
        public int aggregationSamples() {
            return aggregationSamples;
        }

        @Override
        public Instant startTime() {
            return runStartTime;
        }
    }

    @Override
    public String toString() {
        return "context '" + name() + "' (" + definition.primitiveName() + ")";
    }
}
