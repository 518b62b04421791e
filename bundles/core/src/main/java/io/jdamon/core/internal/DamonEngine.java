package io.jdamon.core.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextNotRunningException;
import io.jdamon.api.ContextState;
import io.jdamon.api.ContextStatus;
import io.jdamon.api.EngineBusyException;
import io.jdamon.api.InvalidAttributesException;
import io.jdamon.api.InvalidTargetException;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.MonitoringEngine;
import io.jdamon.api.Primitive;
import io.jdamon.api.StartMode;
import io.jdamon.api.StopReason;

/**
 * The kdamond engine in plain Java: the seed's {@code damon_start} and
 * {@code damon_stop} over {@link KdamondContext}s. Needs no OSGi; the OSGi
 * layer wraps one instance.
 *
 * <p>No call waits for a kdamond without a bound: a {@link HookWatchdog}
 * interrupts a plugin hook that runs past the hook limit and abandons its
 * kdamond if it still does not return, and every stop waits at most as long
 * as that takes, then abandons the kdamond itself.
 */
public final class DamonEngine implements MonitoringEngine {

    private static final Logger LOG = System.getLogger("io.jdamon.core");

    private final Object lock = new Object();
    private final Map<String, KdamondContext> contexts = new LinkedHashMap<>();
    private final HookWatchdog watchdog;
    private int nrRunning;
    private int nrExclusiveRunning;

    /** An engine with the default hook limit: the larger of 1 s and 10 aggregation intervals. */
    public DamonEngine() {
        this(HookWatchdog.DEFAULT_MIN_LIMIT_NANOS);
    }

    /**
     * An engine whose hook limit is the larger of {@code minHookLimitNanos} and 10 aggregation
     * intervals; a hook that ignores its interrupt is abandoned {@code minHookLimitNanos} later.
     */
    public DamonEngine(long minHookLimitNanos) {
        this.watchdog = new HookWatchdog(this, minHookLimitNanos);
    }

    @Override
    public KdamondContext newContext(ContextDefinition definition, Primitive primitive) {
        if (primitive == null) {
            throw new NullPointerException("primitive; use newWaitingContext for a context that waits for one");
        }
        checkTargets(definition, primitive);
        return register(new KdamondContext(this, definition, primitive));
    }

    /**
     * Creates a context whose primitive is not there yet; it shows as
     * {@link ContextState#WAITING} until {@link KdamondContext#bindPrimitive}.
     */
    public KdamondContext newWaitingContext(ContextDefinition definition) {
        return register(new KdamondContext(this, definition, null));
    }

    private KdamondContext register(KdamondContext context) {
        synchronized (lock) {
            if (contexts.containsKey(context.name())) {
                throw new InvalidAttributesException("name", "a context named '" + context.name()
                        + "' exists already; choose another name or dispose of the old context");
            }
            contexts.put(context.name(), context);
        }
        return context;
    }

    void checkTargets(ContextDefinition definition, Primitive primitive) {
        for (String target : definition.targets()) {
            try {
                primitive.checkTarget(target);
            } catch (InvalidTargetException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new InvalidTargetException(target, "primitive '" + definition.primitiveName()
                        + "' could not check target '" + target + "': " + e, e);
            }
        }
    }

    @Override
    public void start(List<? extends MonitoringContext> group) throws EngineBusyException {
        start(group, StartMode.EXCLUSIVE);
    }

    @Override
    public void start(List<? extends MonitoringContext> group, StartMode mode) throws EngineBusyException {
        synchronized (lock) {
            List<KdamondContext> toStart = checkStartable(group, mode);
            for (KdamondContext c : toStart) {
                c.launch("kdamond." + nrRunning, mode == StartMode.EXCLUSIVE);
                nrRunning++;
                if (mode == StartMode.EXCLUSIVE) {
                    nrExclusiveRunning++;
                }
            }
        }
        watchdog.wake();
    }

    /**
     * Runs one context's kdamond on the calling thread, on {@code clock}, as
     * a shared start would on a thread of its own, and returns when it
     * stopped: for tests and benchmarks that drive the real loop without
     * sleeping (see {@link KdamondClock}).
     */
    public void runOnThisThread(KdamondContext context, KdamondClock clock) throws EngineBusyException {
        synchronized (lock) {
            checkStartable(List.of(context), StartMode.SHARED);
            nrRunning++;
        }
        context.runOnThisThread(clock);
    }

    /** Called under the lock: the group may start in this mode now, or the reason is thrown. */
    private List<KdamondContext> checkStartable(List<? extends MonitoringContext> group, StartMode mode)
            throws EngineBusyException {
        if (nrExclusiveRunning > 0) {
            throw new EngineBusyException("an exclusive group of " + nrExclusiveRunning
                    + " context(s) runs; stop it first (" + runningNames() + ")");
        }
        if (mode == StartMode.EXCLUSIVE && nrRunning > 0) {
            throw new EngineBusyException("cannot start an exclusive group while " + nrRunning
                    + " context(s) run (" + runningNames() + "); stop them or start in SHARED mode");
        }
        List<KdamondContext> toStart = ownContexts(group);
        for (KdamondContext c : toStart) {
            if (c.isRunning()) {
                throw new IllegalStateException("context '" + c.name() + "' runs already; nothing was started");
            }
            if (c.isAbandoned()) {
                throw new IllegalStateException("context '" + c.name() + "' was abandoned (" + c.status().detail()
                        + "); dispose of it and make a new one; nothing was started");
            }
            if (c.primitive() == null) {
                throw new IllegalStateException("context '" + c.name() + "' cannot start: "
                        + c.status().detail() + "; nothing was started");
            }
            try {
                SchemeCheck.check(c.schemes(), c.primitive(), c.definition().primitiveName());
            } catch (InvalidAttributesException e) {
                throw new InvalidAttributesException("schemes", "context '" + c.name() + "' cannot start: "
                        + e.getMessage() + "; nothing was started");
            }
        }
        return toStart;
    }

    /** @return the contexts whose kdamond runs now, for the watchdog */
    List<KdamondContext> running() {
        synchronized (lock) {
            List<KdamondContext> out = new ArrayList<>();
            for (KdamondContext c : contexts.values()) {
                if (c.isRunning()) {
                    out.add(c);
                }
            }
            return out;
        }
    }

    private List<KdamondContext> ownContexts(List<? extends MonitoringContext> group) {
        if (group == null || group.isEmpty()) {
            throw new IllegalArgumentException("the group of contexts is empty");
        }
        Map<KdamondContext, Boolean> seen = new IdentityHashMap<>();
        List<KdamondContext> own = new ArrayList<>();
        for (MonitoringContext c : group) {
            if (!(c instanceof KdamondContext k) || contexts.get(k.name()) != k) {
                throw new IllegalStateException("context '" + (c == null ? null : c.name())
                        + "' does not belong to this engine (disposed, or made elsewhere); nothing was started");
            }
            if (seen.put(k, Boolean.TRUE) != null) {
                throw new IllegalStateException("context '" + k.name() + "' appears twice in the group");
            }
            own.add(k);
        }
        return own;
    }

    private String runningNames() {
        StringBuilder names = new StringBuilder();
        for (KdamondContext c : contexts.values()) {
            if (c.isRunning()) {
                names.append(names.length() == 0 ? "" : ", ").append(c.name());
            }
        }
        return names.toString();
    }

    void kdamondEnded(KdamondContext context) {
        synchronized (lock) {
            nrRunning--;
            if (context.isExclusive()) {
                nrExclusiveRunning--;
            }
        }
    }

    @Override
    public void stop(List<? extends MonitoringContext> group) throws ContextNotRunningException, InterruptedException {
        for (MonitoringContext c : group) {
            if (!(c instanceof KdamondContext k)) {
                throw new ContextNotRunningException(c == null ? "null" : c.name());
            }
            CountDownLatch done = k.requestStop(StopReason.STOP_REQUESTED, "stopped on request");
            if (done == null) {
                throw new ContextNotRunningException(c.name());
            }
            awaitEnd(k, done, System.nanoTime(), stopBoundNanos(k));
        }
    }

    @Override
    public void dispose(MonitoringContext context) throws InterruptedException {
        if (!(context instanceof KdamondContext k)) {
            return;
        }
        try {
            CountDownLatch done = k.requestStop(StopReason.STOP_REQUESTED, "disposed");
            if (done != null) {
                awaitEnd(k, done, System.nanoTime(), stopBoundNanos(k));
            }
        } finally {
            // even when interrupted while waiting: the stop is asked, the thread ends within a sample
            // (or is abandoned), and a disposed context must not keep its name taken
            forget(k);
        }
    }

    /**
     * Stops the running ones of these contexts: asks them all at once, then waits for each at most
     * {@link #stopBoundNanos} (and at most {@code maxWaitNanos} in all), abandoning a kdamond that
     * has not ended by then. Waits on through interrupts and keeps the interrupt for the caller.
     * Call it holding no lock that a plugin or the kdamond could need.
     */
    public void stopAll(List<KdamondContext> group, StopReason reason, String detail, long maxWaitNanos) {
        long asked = System.nanoTime();
        List<KdamondContext> stopping = new ArrayList<>();
        List<CountDownLatch> latches = new ArrayList<>();
        for (KdamondContext k : group) {
            CountDownLatch done = k.requestStop(reason, detail);
            if (done != null) {
                stopping.add(k);
                latches.add(done);
            }
        }
        boolean interrupted = false;
        for (int i = 0; i < stopping.size(); i++) {
            KdamondContext k = stopping.get(i);
            long bound = Math.min(stopBoundNanos(k), maxWaitNanos);
            while (true) {
                try {
                    awaitEnd(k, latches.get(i), asked, bound);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #stopAll} with no overall bound but the per-context one. */
    public void stopAll(List<KdamondContext> group, StopReason reason, String detail) {
        stopAll(group, reason, detail, Long.MAX_VALUE);
    }

    /** Stops these contexts as {@link #stopAll} does and removes them from the engine: their names are free. */
    public void disposeAll(List<KdamondContext> group, long maxWaitNanos) {
        try {
            stopAll(group, StopReason.STOP_REQUESTED, "disposed", maxWaitNanos);
        } finally {
            for (KdamondContext k : group) {
                forget(k);
            }
        }
    }

    /**
     * Stops and removes every context, waiting at most {@code maxWaitNanos} in all (a framework
     * shutting down must not wait on plugins).
     */
    public void shutdown(long maxWaitNanos) {
        List<KdamondContext> all;
        synchronized (lock) {
            all = List.copyOf(contexts.values());
        }
        disposeAll(all, maxWaitNanos);
    }

    private void forget(KdamondContext k) {
        synchronized (lock) {
            contexts.remove(k.name(), k);
        }
    }

    /**
     * How long a stop may take before the engine abandons the kdamond: as long as the watchdog
     * takes to abandon a hung hook (the hook limit and the grace after its interrupt), but at most
     * {@value #STOP_WAIT_LIMITS} least hook limits (3 s by default) whatever the aggregation
     * interval, so that a stop or a shutdown stays short; and two watchdog looks.
     */
    long stopBoundNanos(KdamondContext k) {
        return Math.min(watchdog.abandonAfterNanos(k.attributes()), STOP_WAIT_LIMITS * watchdog.minLimitNanos())
                + 2 * watchdog.periodNanos();
    }

    /** A stop waits at most this many least hook limits for a kdamond in a hook. */
    static final int STOP_WAIT_LIMITS = 3;

    /**
     * Waits until the kdamond ended, from {@code askedNanos} on for at most {@code boundNanos};
     * then abandons it. A kdamond stopping its own context only asks.
     */
    private void awaitEnd(KdamondContext k, CountDownLatch done, long askedNanos, long boundNanos)
            throws InterruptedException {
        if (k.kdamondThread() == Thread.currentThread()) {
            return;
        }
        long left = boundNanos - (System.nanoTime() - askedNanos);
        if (done.await(Math.max(0, left), TimeUnit.NANOSECONDS)) {
            return;
        }
        HookStamp stamp = k.hookStamp();
        String where = stamp.enteredNanos() != 0
                ? "in " + stamp.kind() + " '" + stamp.pluginName() + "' hook " + stamp.hook()
                : "outside any plugin hook";
        String detail = "the kdamond did not stop within " + HookWatchdog.seconds(boundNanos) + " s of being asked ("
                + where + "); the engine abandoned its thread";
        Thread t = k.kdamondThread();
        StackTraceElement[] frames = t == null ? new StackTraceElement[0] : t.getStackTrace();
        if (t != null && stamp.enteredNanos() != 0) {
            stamp.interrupt(t); // it may still return, and end by itself
        }
        if (k.abandon(detail)) {
            LOG.log(Level.WARNING, "context ''{0}'': {1}; its stack:{2}", k.name(), detail,
                    HookWatchdog.format(frames, Integer.MAX_VALUE, "\n\tat "));
        }
    }

    @Override
    public List<MonitoringContext> contexts() {
        synchronized (lock) {
            return List.copyOf(contexts.values());
        }
    }

    @Override
    public Optional<MonitoringContext> context(String name) {
        synchronized (lock) {
            return Optional.ofNullable(contexts.get(name));
        }
    }

    @Override
    public List<ContextStatus> statuses() {
        List<MonitoringContext> known;
        synchronized (lock) {
            known = List.copyOf(contexts.values());
        }
        List<ContextStatus> out = new ArrayList<>();
        for (MonitoringContext c : known) {
            out.add(c.status());
        }
        return out;
    }
}
