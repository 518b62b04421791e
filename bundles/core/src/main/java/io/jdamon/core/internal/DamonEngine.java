package io.jdamon.core.internal;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextNotRunningException;
import io.jdamon.api.ContextState;
import io.jdamon.api.ContextStatus;
import io.jdamon.api.EngineBusyException;
import io.jdamon.api.InvalidAttributesException;
import io.jdamon.api.InvalidTargetException;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.MonitoringEngine;
import io.jdamon.api.Primitive;
import io.jdamon.api.StartMode;
import io.jdamon.api.StopReason;

/**
 * The kdamond engine in plain Java: the seed's {@code damon_start} and
 * {@code damon_stop} over {@link KdamondContext}s. Needs no OSGi; the OSGi
 * layer wraps one instance.
 */
public final class DamonEngine implements MonitoringEngine {

    private final Object lock = new Object();
    private final Map<String, KdamondContext> contexts = new LinkedHashMap<>();
    private final Map<String, String> invalid = new LinkedHashMap<>();
    private int nrRunning;
    private int nrExclusiveRunning;

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
            invalid.remove(context.name());
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

    /** Shows a rejected definition in {@link #statuses()} until it is forgotten or replaced. */
    public void reportInvalid(String name, String detail) {
        synchronized (lock) {
            invalid.put(name, detail);
        }
    }

    /** Drops what {@link #reportInvalid} said about that name. */
    public void forgetInvalid(String name) {
        synchronized (lock) {
            invalid.remove(name);
        }
    }

    @Override
    public void start(List<? extends MonitoringContext> group) throws EngineBusyException {
        start(group, StartMode.EXCLUSIVE);
    }

    @Override
    public void start(List<? extends MonitoringContext> group, StartMode mode) throws EngineBusyException {
        synchronized (lock) {
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
                if (c.primitive() == null) {
                    throw new IllegalStateException("context '" + c.name() + "' cannot start: "
                            + c.status().detail() + "; nothing was started");
                }
            }
            for (KdamondContext c : toStart) {
                c.launch("kdamond." + nrRunning, mode == StartMode.EXCLUSIVE);
                nrRunning++;
                if (mode == StartMode.EXCLUSIVE) {
                    nrExclusiveRunning++;
                }
            }
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
            if (!(c instanceof KdamondContext k) || !k.stopAndWait(StopReason.STOP_REQUESTED, "stopped on request")) {
                throw new ContextNotRunningException(c == null ? "null" : c.name());
            }
        }
    }

    @Override
    public void dispose(MonitoringContext context) throws InterruptedException {
        if (!(context instanceof KdamondContext k)) {
            return;
        }
        try {
            k.stopAndWait(StopReason.STOP_REQUESTED, "disposed");
        } finally {
            // even when interrupted while waiting: the stop is asked, the thread ends within a sample,
            // and a disposed context must not keep its name taken
            synchronized (lock) {
                contexts.remove(k.name(), k);
            }
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
        Map<String, String> rejected;
        synchronized (lock) {
            known = List.copyOf(contexts.values());
            rejected = new LinkedHashMap<>(invalid);
        }
        List<ContextStatus> out = new ArrayList<>();
        for (MonitoringContext c : known) {
            out.add(c.status());
        }
        rejected.forEach((name, detail) -> out.add(new ContextStatus(name, ContextState.INVALID, detail, "",
                Map.of(), MonitoringAttributes.DEFAULTS, Optional.empty(), 0, 0, 0, Optional.empty())));
        return out;
    }
}
