package io.jdamon.core.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.Callback;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextState;
import io.jdamon.api.ContextStatus;
import io.jdamon.api.InvalidAttributesException;
import io.jdamon.api.InvalidTargetException;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.Primitive;
import io.jdamon.api.RunCosts;
import io.jdamon.api.Scheme;
import io.jdamon.api.SchemeStats;
import io.jdamon.api.StopReason;

/**
 * A monitoring context: the seed's {@code damon_ctx}. It holds what the
 * user gave (definition, attributes, callbacks), the primitive it is bound
 * to, and its status; each run is a {@link Kdamond} ({@code kdamond_fn}) and
 * its {@link ContextLifecycle} says whether one runs and why it stopped.
 * Safe to use from any thread.
 */
public final class KdamondContext implements MonitoringContext {


    private final DamonEngine engine;
    private final ContextDefinition definition;
    private final SnapshotBuffer lastAggregation;
    private final CopyOnWriteArrayList<NamedCallback> registered = new CopyOnWriteArrayList<>();
    /** Which hook the kdamond is in; every plugin hook call is wrapped in enter/exit. */
    private final HookStamp hookStamp = new HookStamp();

    private volatile Primitive primitive;
    private volatile String waitingDetail;
    private volatile String note = "";
    private final OnlineSetting<MonitoringAttributes> attributes;
    /** the schemes in force, and those given while running, taken at the next aggregation boundary */
    private final OnlineSetting<List<Scheme>> schemes;
    private final AtomicInteger callbacksVersion = new AtomicInteger();

    private volatile Map<String, String> primitiveProperties = Map.of();
    /** What the watchdog saw: a hook past its limit (shown in the status), or empty. */
    private volatile String hookWarning = "";
    /** Who provides the primitive, e.g. {@code bundle-symbolic-name version}; empty if unknown. */
    private volatile Map<String, String> providerProperties = Map.of();
    private final ContextLifecycle lifecycle;
    /** The current run, or the last one (its counters and costs stay in the status); null before the first. */
    private volatile Kdamond run;

    KdamondContext(DamonEngine engine, ContextDefinition definition, Primitive primitive) {
        this.engine = engine;
        this.definition = definition;
        this.attributes = new OnlineSetting<>(definition.attributes());
        this.schemes = new OnlineSetting<>(definition.schemes());
        this.primitive = primitive;
        this.lastAggregation = new SnapshotBuffer(definition.name());
        this.lifecycle = new ContextLifecycle(() -> engine.kdamondEnded(this));
        if (primitive == null) {
            waitingDetail = "waiting for primitive '" + definition.primitiveName() + "'";
        }
    }

    /**
     * Compared by identity: the engine never calls a plugin's equals or hashCode. The meter counts
     * its hook time in the run it takes part in.
     */
    record NamedCallback(String name, Callback callback, RunCostMeter.CallbackMeter cost) {
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
        return attributes.visible(isRunning());
    }

    @Override
    public void updateAttributes(MonitoringAttributes newAttributes) {
        if (newAttributes == null) {
            throw new NullPointerException("attributes");
        }
        synchronized (this) {
            attributes.set(newAttributes, isRunning()); // while running: at the next aggregation boundary
        }
    }

    @Override
    public List<Scheme> schemes() {
        return schemes.visible(isRunning());
    }

    @Override
    public void updateSchemes(List<Scheme> newSchemes) {
        List<Scheme> copy = List.copyOf(newSchemes);
        synchronized (this) {
            Primitive p = primitive;
            if (p != null) {
                SchemeCheck.check(copy, p, definition.primitiveName());
            }
            schemes.set(copy, isRunning()); // while running: at the next aggregation boundary
        }
    }

    @Override
    public List<SchemeStats> schemeStats() {
        Kdamond k = run;
        return k == null ? List.of() : k.schemeStats();
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
        Thread t = lifecycle.thread();
        Kdamond k = run;
        String[] runDetails = k == null ? new String[0] : k.details();
        ContextState state;
        String detail;
        if (lifecycle.isAbandoned()) {
            state = ContextState.ABANDONED;
            detail = lifecycle.stopDetail();
        } else if (primitive == null) {
            state = ContextState.WAITING;
            detail = waitingDetail;
        } else if (t != null) {
            state = ContextState.RUNNING;
            detail = joined(note, hookWarning, joined(runDetails));
        } else if (lifecycle.everRan()) {
            state = ContextState.STOPPED;
            detail = joined(lifecycle.stopDetail(), note, joined(runDetails));
        } else {
            state = ContextState.READY;
            detail = note;
        }
        return ContextStatus.builder(name(), state).detail(detail)
                .primitive(definition.primitiveName(), describedProperties()).attributes(attributes())
                .threadName(t == null ? null : t.getName())
                .counts(k == null ? 0 : k.samplesPassed(), k == null ? 0 : k.aggregationsPassed(),
                        lastAggregation.regionCount())
                .stopReason(t == null ? lifecycle.stopReason() : null).build();
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
        Kdamond k = run;
        return (k == null ? NO_RUN : k.costs()).snapshot();
    }

    private static final RunCostMeter NO_RUN = new RunCostMeter();

    @Override
    public boolean isRunning() {
        return lifecycle.isRunning();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return lifecycle.terminated().await(timeout, unit);
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
        if (lifecycle.isAbandoned()) {
            throw new IllegalStateException("context '" + name() + "' was abandoned: " + lifecycle.stopDetail());
        }
        try {
            engine.checkTargets(definition, newPrimitive);
            SchemeCheck.check(schemes(), newPrimitive, definition.primitiveName());
        } catch (InvalidTargetException | InvalidAttributesException e) {
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
        return lifecycle.isAbandoned();
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
        hookWarning = "";
        return lifecycle.abandon(detail);
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
        return lifecycle.thread();
    }

    // ---- start and stop, called by the engine under its lock ---------------

    void launch(String threadName, boolean exclusiveGroup) {
        Kdamond k = beginRun(KdamondClock.SYSTEM);
        Thread t = new Thread(k::run, threadName);
        t.setDaemon(true);
        lifecycle.begins(t, exclusiveGroup);
        t.start();
    }

    /** See {@link DamonEngine#runOnThisThread}, which counts the run as the engine's. */
    void runOnThisThread(KdamondClock clock) {
        Kdamond k = beginRun(clock);
        lifecycle.begins(Thread.currentThread(), false);
        k.run();
    }

    /** A new run's kdamond, with the attributes the user gave since the last run in force. */
    private Kdamond beginRun(KdamondClock clock) {
        if (lifecycle.isAbandoned()) {
            throw new IllegalStateException("context '" + name() + "' was abandoned: " + lifecycle.stopDetail());
        }
        Primitive p = primitive;
        if (p == null) {
            throw new IllegalStateException("context '" + name() + "' cannot start: " + waitingDetail);
        }
        takePendingAttributes();
        takePendingSchemes();
        lastAggregation.clear();
        hookWarning = "";
        Kdamond k = new Kdamond(this, p, clock);
        run = k;
        return k;
    }

    boolean isExclusive() {
        return lifecycle.isExclusive();
    }

    /**
     * Asks the kdamond to stop and waits until it ended. Called from the
     * kdamond itself (a callback stopping its own context), it only asks.
     *
     * @return false if it was not running
     */
    boolean stopAndWait(StopReason reason, String detail) throws InterruptedException {
        return lifecycle.stopAndWait(reason, detail);
    }

    /**
     * Asks a running kdamond to stop, without waiting.
     *
     * @return what counts down when the run ended (or was abandoned), or null if it was not running
     */
    public CountDownLatch requestStop(StopReason reason, String detail) {
        return lifecycle.requestStop(reason, detail);
    }

    // ---- for the kdamond ----------------------------------------------------

    ContextLifecycle lifecycle() {
        return lifecycle;
    }

    SnapshotBuffer snapshotBuffer() {
        return lastAggregation;
    }

    /** @return the attributes in force: the user's, or the tuner's since */
    MonitoringAttributes attributesInForce() {
        return attributes.inForce();
    }

    /**
     * At an aggregation boundary: the user's new attributes, if any, become
     * the ones in force.
     *
     * @return them, or null if none were given since
     */
    MonitoringAttributes takePendingAttributes() {
        return attributes.takePending();
    }

    /** @return the schemes in force: the definition's, or the user's since */
    List<Scheme> schemesInForce() {
        return schemes.inForce();
    }

    /**
     * At an aggregation boundary: the user's new schemes, if any, become the ones in force.
     *
     * @return them, or null if none were given since
     */
    List<Scheme> takePendingSchemes() {
        return schemes.takePending();
    }

    /** The intervals tuner chose new intervals: they are the attributes in force. */
    void attributesTuned(MonitoringAttributes tuned) {
        attributes.force(tuned);
    }

    int callbacksVersion() {
        return callbacksVersion.get();
    }

    List<NamedCallback> registeredCallbacks() {
        return registered;
    }

    /** What the primitive said of itself at its last {@code describe}. */
    void primitiveDescribed(Map<String, String> properties) {
        primitiveProperties = properties;
    }

    /** @return the primitive's properties with who provides it, as the status and callbacks see them */
    Map<String, String> describedProperties() {
        return withProvider(primitiveProperties);
    }

    @Override
    public String toString() {
        return "context '" + name() + "' (" + definition.primitiveName() + ")";
    }
}
