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

    private record NamedCallback(String name, Callback callback) {
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
            String warning = hookWarning;
            detail = warning.isEmpty() ? note : note.isEmpty() ? warning : note + "; " + warning;
        } else if (everRan) {
            state = ContextState.STOPPED;
            detail = note.isEmpty() ? stopDetail : stopDetail + "; " + note;
        } else {
            state = ContextState.READY;
            detail = note;
        }
        return new ContextStatus(name(), state, detail, definition.primitiveName(), withProvider(primitiveProperties),
                attributes(),
                Optional.ofNullable(t).map(Thread::getName), samplesPassed, aggregationsPassed,
                lastAggregation.regionCount(), Optional.ofNullable(t == null ? stopReason : null));
    }

    @Override
    public Optional<AggregationSnapshot> lastAggregation() {
        return Optional.ofNullable(lastAggregation.snapshot());
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

    private void run(Primitive p) {
        try {
            LOG.log(Level.INFO, "{0} starts context ''{1}'' with primitive ''{2}''",
                    Thread.currentThread().getName(), name(), definition.primitiveName());
            beginRun(p);
            long deadline = System.nanoTime();
            while (beginSample()) {
                deadline = sleepUntil(deadline + sampleNanos, sampleNanos);
                if (!endSample()) {
                    break;
                }
            }
            endRun();
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
    private int window;
    private long sampleNanos;
    private long passed;
    private long nextAggregation;
    private long nextUpdate;
    private int maxNrAccesses;

    /** {@code init} and {@code before_start}: everything before the first sample. */
    void beginRun(Primitive p) {
        runPrimitive = p;
        runPrimitiveName = definition.primitiveName();
        setUpTargets(p);
        runStartNanos = System.nanoTime();
        runStartTime = Instant.now();
        requestedSampleIntervalUs = 0;
        aggregationStartNanos = 0;
        aggregationEndNanos = 0;
        try {
            p.init(primitiveView);
            primitiveProperties = Map.copyOf(p.describe(primitiveView));
        } catch (Throwable e) {
            pluginFailed("primitive", runPrimitiveName, "init", e);
        }
        syncCallbacks(true);
        useAttributes(attributes);
        passed = 0;
        nextAggregation = window;
        nextUpdate = runAttributes.samplesPerUpdate();
        maxNrAccesses = 0;
    }

    private void useAttributes(MonitoringAttributes attrs) {
        runAttributes = attrs;
        window = attrs.samplesPerAggregation();
        sampleNanos = attrs.sampleIntervalUs() * 1_000;
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
        try {
            p.prepareAccessChecks(primitiveView);
        } catch (Throwable e) {
            pluginFailed("primitive", runPrimitiveName, "prepareAccessChecks", e);
            return false;
        }
        for (NamedCallback c : active) {
            try {
                if (c.callback().afterSampling(callbackView) == CallbackResult.STOP) {
                    callbackAskedToStop(c, "afterSampling");
                }
            } catch (Throwable e) {
                pluginFailed("callback", c.name(), "afterSampling", e);
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
        hookStamp.enter("primitive", runPrimitiveName, "checkAccesses");
        try {
            p.checkAccesses(primitiveView);
        } catch (Throwable e) {
            pluginFailed("primitive", runPrimitiveName, "checkAccesses", e);
            return false;
        } finally {
            hookStamp.exit();
        }
        for (TargetRegions t : targets) {
            maxNrAccesses = t.countAccesses(window, maxNrAccesses);
        }
        samplesPassed = ++passed;

        if (passed >= nextAggregation) {
            aggregate(p, runPrimitiveName, runAttributes, maxNrAccesses);
            maxNrAccesses = 0;
            MonitoringAttributes pending = pendingAttributes;
            if (pending != null) {
                applyAttributes(runAttributes, pending);
                useAttributes(pending);
                nextUpdate = passed + runAttributes.samplesPerUpdate();
            }
            nextAggregation = passed + window;
        }

        if (passed >= nextUpdate) {
            try {
                p.update(primitiveView);
                primitiveProperties = Map.copyOf(p.describe(primitiveView)); // e.g. a sensor's interval changed
            } catch (Throwable e) {
                pluginFailed("primitive", runPrimitiveName, "update", e);
                return false;
            }
            nextUpdate = passed + runAttributes.samplesPerUpdate();
        }
        return true;
    }

    private void setUpTargets(Primitive p) {
        MonitoringAttributes attrs = attributes;
        List<String> specs = definition.targets();
        targets = new TargetRegions[specs.size()];
        readOnlyTargets = new ReadOnlyTarget[specs.size()];
        int capacity = Math.max(16, attrs.maxNrRegions() / Math.max(1, specs.size()) * 2);
        for (int t = 0; t < targets.length; t++) {
            targets[t] = new TargetRegions(t, specs.get(t), p.minRegionSize(), capacity);
            targets[t].setInitialPieces(attrs.minNrRegions());
            readOnlyTargets[t] = new ReadOnlyTarget(targets[t]);
        }
        random = new SplittableRandom();
        samplingSeed = random.nextLong();
        lastSplitRegionCount = 0;
    }

    /** {@code before_terminate} and {@code cleanup}, which always run. */
    void endRun() {
        for (NamedCallback c : active) {
            try {
                c.callback().beforeTerminate(callbackView);
            } catch (Throwable e) {
                pluginFailed("callback", c.name(), "beforeTerminate", e);
            }
        }
        try {
            runPrimitive.cleanup(primitiveView);
        } catch (Throwable e) {
            pluginFailed("primitive", runPrimitiveName, "cleanup", e);
        }
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
        mergeRegions(attrs, maxNrAccesses / 10);
        long now = System.nanoTime() - runStartNanos;
        aggregationEndNanos = now;
        lastAggregation.publish(targets, aggregationsPassed, aggregationStartNanos, now,
                attrs.sampleIntervalUs(), attrs.aggregationIntervalUs());
        for (NamedCallback c : active) {
            try {
                if (c.callback().afterAggregation(callbackView) == CallbackResult.STOP) {
                    callbackAskedToStop(c, "afterAggregation");
                }
            } catch (Throwable e) {
                pluginFailed("callback", c.name(), "afterAggregation", e);
            }
        }
        for (TargetRegions t : targets) {
            t.resetAggregated();
        }
        splitRegions(attrs);
        try {
            p.resetAggregated(primitiveView);
        } catch (Throwable e) {
            pluginFailed("primitive", primitiveName, "resetAggregated", e);
        }
        aggregationsPassed++;
        aggregationStartNanos = now;
    }

    /**
     * DAMON's {@code kdamond_merge_regions}: merge with the threshold, and
     * while there are still too many regions, again with a doubled one.
     */
    private void mergeRegions(MonitoringAttributes attrs, int threshold) {
        long sizeLimit = regionSizeLimit(attrs);
        int maxThreshold = attrs.samplesPerAggregation();
        int regions;
        do {
            regions = 0;
            for (TargetRegions t : targets) {
                t.mergePass(threshold, sizeLimit);
                regions += t.regionCount();
            }
            threshold = Math.max(1, threshold * 2);
        } while (regions > attrs.maxNrRegions() && threshold / 2 < maxThreshold);
    }

    private long regionSizeLimit(MonitoringAttributes attrs) {
        long total = 0;
        for (TargetRegions t : targets) {
            total += t.totalBytes();
        }
        return Math.max(total / attrs.minNrRegions(), runPrimitive.minRegionSize());
    }

    /**
     * DAMON's {@code kdamond_split_regions}: split in two, or in three when
     * the count has not moved since the last split; not at all above half the
     * maximum. The last count is this context's own, not shared.
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

    private void applyAttributes(MonitoringAttributes old, MonitoringAttributes next) {
        synchronized (this) {
            attributes = next;
            if (pendingAttributes == next) {
                pendingAttributes = null;
            }
        }
        for (TargetRegions t : targets) {
            t.rescale(old.samplesPerAggregation(), next.samplesPerAggregation(), old.aggregationIntervalUs(),
                    next.aggregationIntervalUs());
            t.setInitialPieces(next.minNrRegions());
        }
        LOG.log(Level.INFO, "context ''{0}'' now runs with {1}", name(), next);
    }

    private boolean needStop(Primitive p, String primitiveName) {
        if (stopRequested) {
            return true;
        }
        if (targets.length == 0) {
            return false;
        }
        try {
            for (TargetRegions t : targets) {
                if (p.targetValid(t)) {
                    return false;
                }
            }
        } catch (Throwable e) {
            pluginFailed("primitive", primitiveName, "targetValid", e);
            return true;
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
                        old.callback().beforeTerminate(callbackView);
                    } catch (Throwable e) {
                        LOG.log(Level.WARNING, "callback '" + old.name() + "' threw in beforeTerminate of context '"
                                + name() + "' while leaving it", e);
                    }
                }
            }
        }
        List<NamedCallback> previous = starting ? List.of() : List.of(active);
        active = now.toArray(new NamedCallback[0]);
        activeVersion = version;
        for (NamedCallback c : active) {
            if (!previous.contains(c)) {
                try {
                    if (c.callback().beforeStart(callbackView) == CallbackResult.STOP) {
                        callbackAskedToStop(c, "beforeStart");
                    }
                } catch (Throwable e) {
                    pluginFailed("callback", c.name(), "beforeStart", e);
                }
            }
        }
    }

    private void callbackAskedToStop(NamedCallback c, String hook) {
        askStop(StopReason.CALLBACK_REQUESTED, "callback '" + c.name() + "' asked to stop in " + hook);
    }

    private void pluginFailed(String kind, String pluginName, String hook, Throwable e) {
        if (e instanceof VirtualMachineError error && !(e instanceof StackOverflowError)) {
            throw error;
        }
        String detail = kind + " '" + pluginName + "' threw in " + hook + ": " + e;
        LOG.log(Level.ERROR, "context '" + name() + "' stops: " + detail, e);
        askStop(StopReason.PLUGIN_FAILED, detail);
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
            requestedSampleIntervalUs = sampleIntervalUs; // not applied yet
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
            return runAttributes.sampleIntervalUs();
        }

        @Override
        public int aggregationSamples() {
            return window;
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
