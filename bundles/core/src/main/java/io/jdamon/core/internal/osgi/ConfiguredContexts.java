package io.jdamon.core.internal.osgi;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.osgi.framework.ServiceReference;

import io.jdamon.api.Callback;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextStatus;
import io.jdamon.api.EngineBusyException;
import io.jdamon.api.InvalidAttributesException;
import io.jdamon.api.InvalidTargetException;
import io.jdamon.api.Primitive;
import io.jdamon.api.StartMode;
import io.jdamon.api.StopReason;
import io.jdamon.core.internal.DamonEngine;
import io.jdamon.core.internal.KdamondContext;

/**
 * Keeps the configured contexts in step with their configurations and with
 * the primitive and callback services:
 * <ul>
 * <li>a context whose primitive is missing waits, naming it, and starts
 * (shared) as soon as it is registered;</li>
 * <li>when the primitive goes away its contexts stop ({@code beforeTerminate}
 * and {@code cleanup} run before the service is gone) and wait again, or take
 * another service of that name (said in log, status and record);</li>
 * <li>callbacks join and leave running contexts without stopping them;</li>
 * <li>a configuration change applies online when only attributes or
 * callbacks change on a running context, otherwise restarts that context
 * only; deleting the configuration disposes of the context;</li>
 * <li>an abandoned context (a hook that never returned) starts afresh with a
 * new configuration or a new registration of its primitive.</li>
 * </ul>
 *
 * <p>Every change of state runs under one lock, so events from the service
 * registry and from Config Admin never interleave; but no thread waits for a
 * kdamond under that lock. A change that must wait (a context stopping or
 * being disposed of) records the wait and the steps that follow it in a
 * {@link Work}; the waits run with the lock released, each bounded by the
 * engine, and the following steps take the lock again and check that the
 * state is still what they expect.
 */
final class ConfiguredContexts {

    private static final Logger LOG = System.getLogger("io.jdamon.core.osgi");
    /** How long deactivating the engine waits for every kdamond together: {@value} ns (3 s). */
    static final long SHUTDOWN_WAIT_NANOS = 3_000_000_000L;

    private final Object lock = new Object();
    private final DamonEngine engine;
    private final ProviderRegistry<Primitive> primitives = new ProviderRegistry<>("primitive",
            Primitive.SERVICE_PROPERTY);
    private final ProviderRegistry<Callback> callbacks = new ProviderRegistry<>("callback",
            Callback.SERVICE_PROPERTY);
    /** Configured contexts by configuration PID, in the order they came. */
    private final Map<String, ConfiguredContext> configured = new LinkedHashMap<>();
    private final StartRetry retry = new StartRetry(this::retryHeldBack);
    private boolean closed;

    ConfiguredContexts(DamonEngine engine) {
        this.engine = engine;
    }

    /** What a change leaves for after the lock: kdamonds to stop or dispose of, then the next steps. */
    private static final class Work {
        final List<KdamondContext> dispose = new ArrayList<>();
        final List<KdamondContext> primitiveGone = new ArrayList<>();
        String primitiveGoneDetail = "";
        final List<Runnable> then = new ArrayList<>();

        boolean isEmpty() {
            return dispose.isEmpty() && primitiveGone.isEmpty() && then.isEmpty();
        }
    }

    /** Runs the step under the lock, then its waits without the lock, then what follows them under it. */
    private void change(Consumer<Work> step) {
        Work work = new Work();
        synchronized (lock) {
            if (closed) {
                return;
            }
            step.accept(work);
        }
        while (!work.isEmpty()) {
            List<KdamondContext> stop = List.copyOf(work.primitiveGone);
            List<KdamondContext> dispose = List.copyOf(work.dispose);
            List<Runnable> then = List.copyOf(work.then);
            work.primitiveGone.clear();
            work.dispose.clear();
            work.then.clear();
            engine.stopAll(stop, StopReason.PRIMITIVE_GONE, work.primitiveGoneDetail);
            engine.disposeAll(dispose, Long.MAX_VALUE);
            synchronized (lock) {
                if (closed) {
                    return;
                }
                then.forEach(Runnable::run);
            }
        }
    }

    // ---- configurations ------------------------------------------------------------------------------

    void configure(ContextConfiguration config) {
        change(work -> configure(config, work));
    }

    private void configure(ContextConfiguration config, Work work) {
        ConfiguredContext old = configured.remove(config.pid());
        String oldName = old != null && old.context != null ? old.context.name() : null;
        if (old != null) {
            tearDown(old, work);
        }
        ConfiguredContext m = new ConfiguredContext(config);
        configured.put(config.pid(), m);
        work.then.add(() -> {
            if (configured.get(config.pid()) == m && m.context == null) {
                setUp(m, work);
            }
            if (oldName != null && !oldName.equals(config.name())) {
                nameFreed(oldName, work);
            }
        });
    }

    void reconfigure(ContextConfiguration config) {
        change(work -> {
            ConfiguredContext m = configured.get(config.pid());
            if (m == null) {
                configure(config, work);
                return;
            }
            if (m.context != null && m.context.isRunning() && m.config.sameRun(config)) {
                applyOnline(m, config);
                return;
            }
            LOG.log(Level.INFO, "configuration {0} changed: restarting context ''{1}''", config.pid(), config.name());
            String oldName = m.context != null ? m.context.name() : null;
            tearDown(m, work);
            m.config = config;
            work.then.add(() -> {
                if (configured.get(config.pid()) == m && m.config == config && m.context == null) {
                    setUp(m, work);
                }
                if (oldName != null && !oldName.equals(config.name())) {
                    nameFreed(oldName, work);
                }
            });
        });
    }

    void unconfigure(String pid) {
        change(work -> {
            ConfiguredContext m = configured.remove(pid);
            if (m == null) {
                return;
            }
            String name = m.context != null ? m.context.name() : null;
            tearDown(m, work);
            LOG.log(Level.INFO, "configuration {0} deleted: context ''{1}'' disposed of", pid, m.config.name());
            if (name != null) {
                work.then.add(() -> nameFreed(name, work));
            }
        });
    }

    /** A context name was freed: a configuration rejected because it wanted that name may start now. */
    private void nameFreed(String freedName, Work work) {
        for (ConfiguredContext m : configured.values()) {
            if (m.context == null && m.rejection != null && m.config.isValid()
                    && m.config.name().equals(freedName)) {
                LOG.log(Level.INFO, "configuration {0}: context name ''{1}'' is free now", m.pid(), freedName);
                setUp(m, work);
                return;
            }
        }
    }

    private void setUp(ConfiguredContext m, Work work) {
        ContextConfiguration config = m.config;
        m.targetRejected = false;
        m.rejection = null;
        if (!config.isValid()) {
            reject(m, config.problemText());
            return;
        }
        String name = config.name();
        for (ConfiguredContext other : configured.values()) {
            if (other != m && other.context != null && other.context.name().equals(name)) {
                reject(m, ContextConfiguration.problem(config.pid(), ContextConfiguration.NAME,
                        "context name '" + name + "' is taken by configuration " + other.pid() + "; set another name"));
                return;
            }
        }
        try {
            m.context = engine.newWaitingContext(config.definition());
        } catch (InvalidAttributesException e) {
            reject(m, ContextConfiguration.problem(config.pid(), ContextConfiguration.NAME, e.getMessage()));
            return;
        }
        for (String callbackName : config.callbackNames()) {
            attachCallback(m, callbackName);
        }
        bindAndStart(m, work);
    }

    private void reject(ConfiguredContext m, String detail) {
        LOG.log(Level.WARNING, "{0}. The context does not start.", detail);
        m.reject(detail);
    }

    /** Detaches the context from the configuration; the work disposes of it. */
    private void tearDown(ConfiguredContext m, Work work) {
        retry.release(m);
        if (m.context != null) {
            work.dispose.add(m.context);
            m.context = null;
        }
        m.rejection = null;
        m.primitive = null;
        m.boundCallbacks.clear();
    }

    /** Starts the configuration's context afresh, once the old one is disposed of. */
    private void restart(ConfiguredContext m, Work work) {
        ContextConfiguration config = m.config;
        tearDown(m, work);
        work.then.add(() -> {
            if (configured.get(config.pid()) == m && m.config == config && m.context == null) {
                setUp(m, work);
            }
        });
    }

    private void applyOnline(ConfiguredContext m, ContextConfiguration config) {
        ContextConfiguration old = m.config;
        m.config = config;
        if (!old.definition().attributes().equals(config.definition().attributes())) {
            m.context.updateAttributes(config.definition().attributes());
            LOG.log(Level.INFO, "configuration {0} changed: context ''{1}'' takes {2} at its next aggregation",
                    config.pid(), config.name(), config.definition().attributes());
        }
        if (!old.definition().schemes().equals(config.definition().schemes())) {
            try {
                m.context.updateSchemes(config.definition().schemes());
                LOG.log(Level.INFO, "configuration {0} changed: context ''{1}'' applies {2} scheme(s) from its next"
                        + " aggregation", config.pid(), config.name(), config.definition().schemes().size());
            } catch (InvalidAttributesException e) {
                LOG.log(Level.ERROR, "{0}; the context keeps its schemes", ContextConfiguration.problem(config.pid(),
                        ContextConfiguration.SCHEMES, e.getMessage()));
            }
        }
        for (String name : old.callbackNames()) {
            if (!config.callbackNames().contains(name)) {
                Callback bound = m.boundCallbacks.remove(name);
                if (bound != null) {
                    m.context.removeCallback(bound);
                }
            }
        }
        refreshNote(m);
        for (String name : config.callbackNames()) {
            if (!m.boundCallbacks.containsKey(name)) {
                attachCallback(m, name);
            }
        }
    }

    private void bindAndStart(ConfiguredContext m, Work work) {
        if (m.context == null || m.primitive != null || m.context.isAbandoned()) {
            return;
        }
        ContextDefinition definition = m.context.definition();
        String primitiveName = definition.primitiveName();
        Provider<Primitive> best = primitives.best(primitiveName);
        if (best == null) {
            String known = primitives.names().isEmpty() ? "none" : String.join(", ", primitives.names());
            m.context.setWaiting("waiting for primitive '" + primitiveName + "': no service with "
                    + Primitive.SERVICE_PROPERTY + "=" + primitiveName + " is registered (registered: " + known + ")");
            LOG.log(Level.WARNING, "{0}. The context waits for it.", ContextConfiguration.problem(m.pid(),
                    ContextConfiguration.PRIMITIVE, "no primitive named '" + primitiveName + "' is registered "
                            + "(registered: " + known + "); install the bundle that provides it, or set "
                            + ContextConfiguration.PRIMITIVE + " to a registered name"));
            return;
        }
        try {
            m.context.bindPrimitive(best.service(), best.properties(m.lastProvider));
        } catch (InvalidTargetException | InvalidAttributesException e) {
            // the primitive refuses a target, or a scheme it cannot apply
            String detail = e instanceof InvalidTargetException t
                    ? ContextConfiguration.problem(m.pid(), ContextConfiguration.TARGETS, "primitive '" + primitiveName
                            + "' rejects target '" + t.target() + "': " + e.getMessage())
                    : ContextConfiguration.problem(m.pid(), ContextConfiguration.SCHEMES, e.getMessage());
            tearDown(m, work);
            reject(m, detail);
            m.targetRejected = true;
            return;
        }
        noteProvider(m, best);
        m.primitive = best;
        start(m);
        refreshNote(m);
    }

    /** Says in log and status when the context's primitive comes from another provider than before. */
    private void noteProvider(ConfiguredContext m, Provider<Primitive> now) {
        String previous = m.lastProvider;
        m.lastProvider = now.description();
        if (previous == null || previous.equals(now.description())) {
            return;
        }
        m.providerChange = "primitive '" + now.name() + "' is now provided by " + now.description() + " (was "
                + previous + ")";
        LOG.log(Level.WARNING, "configuration {0}: context ''{1}'': primitive ''{2}'' is now provided by {3}, "
                + "before by {4}; the record says {5}={6} and {7}={4}", m.pid(), m.context.name(), now.name(),
                now.longDescription(), previous, Provider.PROVIDER_PROPERTY, now.description(),
                Provider.PREVIOUS_PROVIDER_PROPERTY);
    }

    private void start(ConfiguredContext m) {
        try {
            engine.start(List.of(m.context), StartMode.SHARED);
            if (retry.release(m)) {
                LOG.log(Level.INFO, "configuration {0}: context ''{1}'' starts now that the engine is free",
                        m.pid(), m.context.name());
                refreshNote(m);
            }
        } catch (EngineBusyException e) {
            if (retry.hold(m)) {
                LOG.log(Level.WARNING, "configuration {0}: context ''{1}'' cannot start yet: {2}. It starts as soon "
                        + "as the exclusive group stops.", m.pid(), m.context.name(), e.getMessage());
                refreshNote(m);
            }
        } catch (IllegalStateException e) {
            LOG.log(Level.WARNING, "configuration {0}: context ''{1}'' cannot start: {2}. It starts with the next "
                    + "change of its primitive or configuration.", m.pid(), m.context.name(), e.getMessage());
        }
    }

    private void retryHeldBack() {
        change(work -> {
            retry.fired();
            for (ConfiguredContext m : retry.held()) {
                if (m.context == null || m.primitive == null || m.context.isRunning()) {
                    retry.release(m);
                    refreshNote(m);
                } else {
                    start(m);
                }
            }
        });
    }

    private void attachCallback(ConfiguredContext m, String callbackName) {
        Provider<Callback> best = callbacks.best(callbackName);
        if (best == null) {
            LOG.log(Level.INFO, "configuration {0}: callback ''{1}'' is not registered yet; context ''{2}'' runs "
                    + "without it until it is", m.pid(), callbackName, m.context.name());
            refreshNote(m);
            return;
        }
        m.context.addCallback(callbackName, best.service());
        m.boundCallbacks.put(callbackName, best.service());
        refreshNote(m);
    }

    /** Shows in the context's status what it runs without, a held-back start, a provider change. */
    private void refreshNote(ConfiguredContext m) {
        if (m.context == null) {
            return;
        }
        List<String> remarks = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : m.config.callbackNames()) {
            if (!m.boundCallbacks.containsKey(name)) {
                missing.add("'" + name + "'");
            }
        }
        if (!missing.isEmpty()) {
            remarks.add("runs without callback(s) " + String.join(", ", missing) + ": no service with "
                    + Callback.SERVICE_PROPERTY + " of that name is registered yet");
        }
        if (retry.isHeld(m)) {
            remarks.add("held back: an exclusive group runs; it starts when that group stops");
        }
        if (!m.providerChange.isEmpty()) {
            remarks.add(m.providerChange);
        }
        m.context.setNote(String.join("; ", remarks));
    }

    // ---- whiteboard -----------------------------------------------------------------------------------

    void addPrimitive(Primitive primitive, ServiceReference<?> reference) {
        change(work -> {
            Provider<Primitive> p = primitives.add(primitive, reference);
            if (p == null) {
                return;
            }
            for (ConfiguredContext m : List.copyOf(configured.values())) {
                if (!m.config.isValid() || !m.config.definition().primitiveName().equals(p.name())) {
                    continue;
                }
                if (m.context != null && m.context.isAbandoned()) {
                    LOG.log(Level.INFO, "configuration {0}: primitive ''{1}'' registered by {2}: the abandoned "
                            + "context ''{3}'' starts afresh", m.pid(), p.name(), p.longDescription(), m.context.name());
                    restart(m, work);
                } else if (m.targetRejected) {
                    restart(m, work); // another primitive of that name may accept the targets
                } else {
                    bindAndStart(m, work);
                }
            }
        });
    }

    void removePrimitive(Primitive primitive) {
        change(work -> {
            Provider<Primitive> gone = primitives.remove(primitive);
            if (gone == null) {
                return;
            }
            work.primitiveGoneDetail = "primitive '" + gone.name() + "' went away (" + gone.longDescription() + ")";
            for (ConfiguredContext m : configured.values()) {
                if (m.primitive == null || m.primitive.service() != primitive || m.context == null) {
                    continue;
                }
                KdamondContext context = m.context;
                work.primitiveGone.add(context);
                work.then.add(() -> {
                    if (m.context == context) {
                        context.detachPrimitive();
                        m.primitive = null;
                        bindAndStart(m, work); // another service of that name, or wait
                    }
                });
            }
        });
    }

    void updatedPrimitive(Primitive primitive, ServiceReference<?> reference) {
        synchronized (lock) {
            if (primitives.refresh(primitive, reference)) {
                return;
            }
        }
        removePrimitive(primitive);
        addPrimitive(primitive, reference);
    }

    void addCallback(Callback callback, ServiceReference<?> reference) {
        change(work -> {
            Provider<Callback> p = callbacks.add(callback, reference);
            if (p == null) {
                return;
            }
            for (ConfiguredContext m : configured.values()) {
                if (m.context != null && m.config.callbackNames().contains(p.name())
                        && !m.boundCallbacks.containsKey(p.name())) {
                    attachCallback(m, p.name());
                }
            }
        });
    }

    void removeCallback(Callback callback) {
        change(work -> {
            Provider<Callback> gone = callbacks.remove(callback);
            if (gone == null) {
                return;
            }
            for (ConfiguredContext m : configured.values()) {
                if (m.context != null && m.boundCallbacks.get(gone.name()) == callback) {
                    m.context.removeCallback(callback);
                    m.boundCallbacks.remove(gone.name());
                    attachCallback(m, gone.name()); // another service of that name, if any
                }
            }
        });
    }

    void updatedCallback(Callback callback, ServiceReference<?> reference) {
        synchronized (lock) {
            if (callbacks.refresh(callback, reference)) {
                return;
            }
        }
        removeCallback(callback);
        addCallback(callback, reference);
    }

    // ---- status and shutdown ------------------------------------------------------------------------

    /** @return one INVALID report per rejected configuration, computed from its state */
    List<ContextStatus> invalidStatuses() {
        synchronized (lock) {
            List<ContextStatus> out = new ArrayList<>();
            for (ConfiguredContext m : configured.values()) {
                m.invalidStatus().ifPresent(out::add);
            }
            return out;
        }
    }

    /**
     * Stops every context (configured or not) and forgets the configurations, waiting at most
     * {@link #SHUTDOWN_WAIT_NANOS} for the kdamonds in all.
     */
    void close() {
        synchronized (lock) {
            closed = true;
            retry.close();
            configured.clear();
        }
        engine.shutdown(SHUTDOWN_WAIT_NANOS);
    }
}
