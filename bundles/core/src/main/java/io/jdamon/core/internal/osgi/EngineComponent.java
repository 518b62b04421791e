package io.jdamon.core.internal.osgi;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import io.jdamon.api.Callback;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextNotRunningException;
import io.jdamon.api.ContextStatus;
import io.jdamon.api.EngineBusyException;
import io.jdamon.api.InvalidAttributesException;
import io.jdamon.api.InvalidTargetException;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.MonitoringEngine;
import io.jdamon.api.Primitive;
import io.jdamon.api.StartMode;
import io.jdamon.core.internal.DamonEngine;
import io.jdamon.core.internal.KdamondContext;

/**
 * The kdamond engine as an OSGi service, and the whiteboard around it.
 *
 * <p>Wraps one {@link DamonEngine}. Tracks every {@link Primitive} and
 * {@link Callback} service by its {@value Primitive#SERVICE_PROPERTY} /
 * {@value Callback#SERVICE_PROPERTY} name (the highest
 * {@code service.ranking}, then the oldest, wins a name), and keeps the
 * configured contexts in step with them:
 * <ul>
 * <li>a context whose primitive is missing waits, naming it, and starts
 * (shared) as soon as it is registered;</li>
 * <li>when the primitive goes away its contexts stop ({@code beforeTerminate}
 * and {@code cleanup} run before the service is gone) and wait again;</li>
 * <li>callbacks join and leave running contexts without stopping them;</li>
 * <li>a configuration change applies online when only attributes or
 * callbacks change on a running context, otherwise restarts that context
 * only; deleting the configuration disposes of the context.</li>
 * </ul>
 * Every change runs under one lock, so events from the service registry and
 * from Config Admin never interleave.
 */
@Component(name = "io.jdamon.engine", service = { MonitoringEngine.class, EngineComponent.class }, immediate = true)
public final class EngineComponent implements MonitoringEngine {

    private static final Logger LOG = System.getLogger("io.jdamon.core.osgi");

    private final DamonEngine engine = new DamonEngine();
    private final Object lock = new Object();
    private final Map<String, List<Plugin<Primitive>>> primitives = new HashMap<>();
    private final Map<String, List<Plugin<Callback>>> callbacks = new HashMap<>();
    /** Configured contexts by configuration PID, in the order they came. */
    private final Map<String, Managed> configured = new LinkedHashMap<>();
    /** Contexts that could not start while an exclusive group ran; retried until they start. */
    private final Set<Managed> deferred = Collections.newSetFromMap(new IdentityHashMap<>());
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jdamon-start-retry");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> retryTask;
    /** How often contexts held back by an exclusive group try to start again. */
    static final long START_RETRY_MS = 250;

    /** A whiteboard service and what ranks it among services of the same name. */
    private record Plugin<T>(T service, String name, int ranking, long serviceId) {
        boolean beats(Plugin<T> other) {
            return ranking != other.ranking ? ranking > other.ranking : serviceId < other.serviceId;
        }
    }

    /** One configuration and the context made from it. */
    private static final class Managed {
        ContextConfiguration config;
        KdamondContext context;
        Primitive primitive;
        final Map<String, Callback> boundCallbacks = new LinkedHashMap<>();
        /** The name under which an invalid configuration is reported, or null. */
        String reportedInvalid;
        /** What was reported under {@link #reportedInvalid}, or null. */
        String invalidDetail;
        /** Whether the primitive rejected a target, so a new primitive of that name may accept it. */
        boolean targetRejected;

        Managed(ContextConfiguration config) {
            this.config = config;
        }
    }

    /** @return the plain engine, for tests in this bundle */
    DamonEngine engine() {
        return engine;
    }

    // ---- configured contexts (called by ConfiguredContextComponent) ------------------------------

    void configure(ContextConfiguration config) {
        synchronized (lock) {
            Managed old = configured.remove(config.pid());
            if (old != null) {
                tearDown(old);
            }
            Managed m = new Managed(config);
            configured.put(config.pid(), m);
            setUp(m);
        }
    }

    void reconfigure(ContextConfiguration config) {
        synchronized (lock) {
            Managed m = configured.get(config.pid());
            if (m == null) {
                configure(config);
                return;
            }
            if (m.context != null && m.context.isRunning() && m.config.sameRun(config)) {
                applyOnline(m, config);
                return;
            }
            LOG.log(Level.INFO, "configuration {0} changed: restarting context ''{1}''", config.pid(), config.name());
            String oldName = m.context != null ? m.context.name() : null;
            tearDown(m);
            m.config = config;
            setUp(m);
            if (oldName != null && !oldName.equals(config.name())) {
                retryNameTakenBy(oldName);
            }
        }
    }

    void unconfigure(String pid) {
        synchronized (lock) {
            Managed m = configured.remove(pid);
            if (m != null) {
                boolean hadContext = m.context != null;
                tearDown(m);
                LOG.log(Level.INFO, "configuration {0} deleted: context ''{1}'' disposed of", pid, m.config.name());
                if (hadContext) {
                    retryNameTakenBy(m.config.name());
                }
            }
        }
    }

    /** A context name was freed: a configuration rejected because it wanted that name may start now. */
    private void retryNameTakenBy(String freedName) {
        for (Managed m : configured.values()) {
            if (m.context == null && m.config.isValid() && m.config.name().equals(freedName)) {
                LOG.log(Level.INFO, "configuration {0}: context name ''{1}'' is free now", m.config.pid(), freedName);
                setUp(m);
                return;
            }
        }
    }

    private void setUp(Managed m) {
        ContextConfiguration config = m.config;
        m.targetRejected = false;
        if (!config.isValid()) {
            markInvalid(m, config.problemText());
            return;
        }
        String name = config.name();
        for (Managed other : configured.values()) {
            if (other != m && other.context != null && other.context.name().equals(name)) {
                markInvalid(m, ContextConfiguration.problem(config.pid(), ContextConfiguration.NAME,
                        "context name '" + name + "' is taken by configuration " + other.config.pid()
                                + "; set another name"));
                return;
            }
        }
        try {
            m.context = engine.newWaitingContext(config.definition());
        } catch (InvalidAttributesException e) {
            markInvalid(m, ContextConfiguration.problem(config.pid(), ContextConfiguration.NAME, e.getMessage()));
            return;
        }
        dropReport(m);
        // the engine dropped every report under this name with the new context; the other
        // configurations reported under it (e.g. refused because the name is taken) still are invalid
        reportAgain(name);
        for (String callbackName : config.callbackNames()) {
            attachCallback(m, callbackName);
        }
        bindAndStart(m);
    }

    private void markInvalid(Managed m, String detail) {
        LOG.log(Level.WARNING, "{0}. The context does not start.", detail);
        if (!m.config.name().equals(m.reportedInvalid)) {
            dropReport(m);
        }
        m.reportedInvalid = m.config.name();
        m.invalidDetail = detail;
        engine.reportInvalid(m.config.name(), detail);
    }

    private void tearDown(Managed m) {
        deferred.remove(m);
        if (m.context != null) {
            KdamondContext context = m.context;
            awaitStop(() -> engine.dispose(context));
            m.context = null;
        }
        dropReport(m);
        m.primitive = null;
        m.boundCallbacks.clear();
    }

    /** A stop that waits for a kdamond to end. */
    private interface Stop {
        void run() throws InterruptedException;
    }

    /**
     * Runs the stop to its end even if this thread is interrupted, and keeps the interrupt for the
     * caller. The stop is requested at once and the kdamond ends within a sample interval; leaving
     * early would let it run on a primitive whose service is going away (and call cleanup after it
     * is gone), or leave a disposed context registered, its name taken until the engine restarts.
     */
    private static void awaitStop(Stop stop) {
        boolean interrupted = false;
        while (true) {
            try {
                stop.run();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Withdraws what was reported about this configuration. The engine keeps one report per name,
     * so another configuration reported under the same name is reported again.
     */
    private void dropReport(Managed m) {
        String name = m.reportedInvalid;
        if (name == null) {
            return;
        }
        m.reportedInvalid = null;
        m.invalidDetail = null;
        engine.forgetInvalid(name);
        reportAgain(name);
    }

    /** Reports again every configuration still invalid under that name. */
    private void reportAgain(String name) {
        for (Managed other : configured.values()) {
            if (name.equals(other.reportedInvalid)) {
                engine.reportInvalid(name, other.invalidDetail);
            }
        }
    }

    private void applyOnline(Managed m, ContextConfiguration config) {
        ContextConfiguration old = m.config;
        m.config = config;
        if (!old.definition().attributes().equals(config.definition().attributes())) {
            m.context.updateAttributes(config.definition().attributes());
            LOG.log(Level.INFO, "configuration {0} changed: context ''{1}'' takes {2} at its next aggregation",
                    config.pid(), config.name(), config.definition().attributes());
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

    private void bindAndStart(Managed m) {
        if (m.context == null || m.primitive != null) {
            return;
        }
        ContextDefinition definition = m.context.definition();
        String primitiveName = definition.primitiveName();
        Plugin<Primitive> best = best(primitives, primitiveName);
        if (best == null) {
            String known = primitives.isEmpty() ? "none" : String.join(", ", new TreeSet<>(primitives.keySet()));
            m.context.setWaiting("waiting for primitive '" + primitiveName + "': no service with "
                    + Primitive.SERVICE_PROPERTY + "=" + primitiveName + " is registered (registered: " + known + ")");
            LOG.log(Level.WARNING, "{0}. The context waits for it.", ContextConfiguration.problem(m.config.pid(),
                    ContextConfiguration.PRIMITIVE, "no primitive named '" + primitiveName + "' is registered "
                            + "(registered: " + known + "); install the bundle that provides it, or set "
                            + ContextConfiguration.PRIMITIVE + " to a registered name"));
            return;
        }
        try {
            m.context.bindPrimitive(best.service());
        } catch (InvalidTargetException e) {
            String detail = ContextConfiguration.problem(m.config.pid(), ContextConfiguration.TARGETS,
                    "primitive '" + primitiveName + "' rejects target '" + e.target() + "': " + e.getMessage());
            tearDown(m);
            markInvalid(m, detail);
            m.targetRejected = true;
            return;
        }
        m.primitive = best.service();
        start(m);
    }

    private void start(Managed m) {
        try {
            engine.start(List.of(m.context), StartMode.SHARED);
            if (deferred.remove(m)) {
                LOG.log(Level.INFO, "configuration {0}: context ''{1}'' starts now that the engine is free",
                        m.config.pid(), m.context.name());
                refreshNote(m);
            }
        } catch (EngineBusyException e) {
            if (deferred.add(m)) {
                LOG.log(Level.WARNING, "configuration {0}: context ''{1}'' cannot start yet: {2}. It starts as soon "
                        + "as the exclusive group stops.", m.config.pid(), m.context.name(), e.getMessage());
                refreshNote(m);
            }
            if (retryTask == null) {
                retryTask = retries.schedule(this::retryDeferred, START_RETRY_MS, TimeUnit.MILLISECONDS);
            }
        } catch (IllegalStateException e) {
            LOG.log(Level.WARNING, "configuration {0}: context ''{1}'' cannot start: {2}. It starts with the next "
                    + "change of its primitive or configuration.", m.config.pid(), m.context.name(), e.getMessage());
        }
    }

    private void retryDeferred() {
        synchronized (lock) {
            retryTask = null;
            for (Managed m : List.copyOf(deferred)) {
                if (m.context == null || m.primitive == null || m.context.isRunning()) {
                    deferred.remove(m);
                    refreshNote(m);
                } else {
                    start(m);
                }
            }
        }
    }

    private void attachCallback(Managed m, String callbackName) {
        Plugin<Callback> best = best(callbacks, callbackName);
        if (best == null) {
            LOG.log(Level.INFO, "configuration {0}: callback ''{1}'' is not registered yet; context ''{2}'' runs "
                    + "without it until it is", m.config.pid(), callbackName, m.context.name());
            refreshNote(m);
            return;
        }
        m.context.addCallback(callbackName, best.service());
        m.boundCallbacks.put(callbackName, best.service());
        refreshNote(m);
    }

    /** Shows in the context's status what it runs without: missing callbacks, a held-back start. */
    private void refreshNote(Managed m) {
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
        if (deferred.contains(m)) {
            remarks.add("held back: an exclusive group runs; it starts when that group stops");
        }
        m.context.setNote(String.join("; ", remarks));
    }

    // ---- whiteboard ---------------------------------------------------------------------------------

    @Reference(name = "primitive", service = Primitive.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "removePrimitive", updated = "updatedPrimitive")
    void addPrimitive(Primitive primitive, Map<String, Object> properties) {
        Plugin<Primitive> plugin = plugin(primitive, properties, Primitive.SERVICE_PROPERTY);
        if (plugin == null) {
            return;
        }
        synchronized (lock) {
            primitives.computeIfAbsent(plugin.name(), k -> new ArrayList<>()).add(plugin);
            LOG.log(Level.INFO, "primitive ''{0}'' registered", plugin.name());
            for (Managed m : List.copyOf(configured.values())) {
                if (!m.config.isValid() || !m.config.definition().primitiveName().equals(plugin.name())) {
                    continue;
                }
                if (m.targetRejected) {
                    setUp(m); // another primitive of that name may accept the targets
                } else {
                    bindAndStart(m);
                }
            }
        }
    }

    void removePrimitive(Primitive primitive, Map<String, Object> properties) {
        synchronized (lock) {
            String name = removePlugin(primitives, primitive);
            if (name == null) {
                return;
            }
            LOG.log(Level.INFO, "primitive ''{0}'' unregistered", name);
            for (Managed m : configured.values()) {
                if (m.primitive != primitive || m.context == null) {
                    continue;
                }
                awaitStop(m.context::unbindPrimitive);
                m.primitive = null;
                bindAndStart(m); // another service of that name, or wait
            }
        }
    }

    void updatedPrimitive(Primitive primitive, Map<String, Object> properties) {
        synchronized (lock) {
            Plugin<Primitive> now = plugin(primitive, properties, Primitive.SERVICE_PROPERTY);
            if (now != null && replaceIfSameName(primitives, now)) {
                return;
            }
            removePrimitive(primitive, properties);
            if (now != null) {
                addPrimitive(primitive, properties);
            }
        }
    }

    @Reference(name = "callback", service = Callback.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "removeCallback", updated = "updatedCallback")
    void addCallback(Callback callback, Map<String, Object> properties) {
        Plugin<Callback> plugin = plugin(callback, properties, Callback.SERVICE_PROPERTY);
        if (plugin == null) {
            return;
        }
        synchronized (lock) {
            callbacks.computeIfAbsent(plugin.name(), k -> new ArrayList<>()).add(plugin);
            LOG.log(Level.INFO, "callback ''{0}'' registered", plugin.name());
            for (Managed m : configured.values()) {
                if (m.context != null && m.config.callbackNames().contains(plugin.name())
                        && !m.boundCallbacks.containsKey(plugin.name())) {
                    attachCallback(m, plugin.name());
                }
            }
        }
    }

    void removeCallback(Callback callback, Map<String, Object> properties) {
        synchronized (lock) {
            String name = removePlugin(callbacks, callback);
            if (name == null) {
                return;
            }
            LOG.log(Level.INFO, "callback ''{0}'' unregistered", name);
            for (Managed m : configured.values()) {
                if (m.context != null && m.boundCallbacks.get(name) == callback) {
                    m.context.removeCallback(callback);
                    m.boundCallbacks.remove(name);
                    attachCallback(m, name); // another service of that name, if any
                }
            }
        }
    }

    void updatedCallback(Callback callback, Map<String, Object> properties) {
        synchronized (lock) {
            Plugin<Callback> now = plugin(callback, properties, Callback.SERVICE_PROPERTY);
            if (now != null && replaceIfSameName(callbacks, now)) {
                return;
            }
            removeCallback(callback, properties);
            if (now != null) {
                addCallback(callback, properties);
            }
        }
    }

    private static <T> Plugin<T> plugin(T service, Map<String, Object> properties, String nameProperty) {
        Object name = properties.get(nameProperty);
        if (!(name instanceof String s) || s.isBlank()) {
            LOG.log(Level.WARNING, "ignoring {0} service {1} (service.id {2}): its service property {3} is "
                    + "missing or not a string; register it with {3}=<name>",
                    service instanceof Primitive ? "primitive" : "callback", service.getClass().getName(),
                    properties.get("service.id"), nameProperty);
            return null;
        }
        Object ranking = properties.get("service.ranking");
        Object id = properties.get("service.id");
        return new Plugin<>(service, s.trim(), ranking instanceof Integer r ? r : 0,
                id instanceof Long l ? l : Long.MAX_VALUE);
    }

    private static <T> Plugin<T> best(Map<String, List<Plugin<T>>> plugins, String name) {
        Plugin<T> best = null;
        for (Plugin<T> p : plugins.getOrDefault(name, List.of())) {
            if (best == null || p.beats(best)) {
                best = p;
            }
        }
        return best;
    }

    /** @return the name the service was registered under, or null if unknown */
    private static <T> String removePlugin(Map<String, List<Plugin<T>>> plugins, T service) {
        for (Map.Entry<String, List<Plugin<T>>> e : plugins.entrySet()) {
            if (e.getValue().removeIf(p -> p.service() == service)) {
                String name = e.getKey();
                if (e.getValue().isEmpty()) {
                    plugins.remove(name);
                }
                return name;
            }
        }
        return null;
    }

    /** @return true if the service kept its name, so only its ranking was refreshed */
    private static <T> boolean replaceIfSameName(Map<String, List<Plugin<T>>> plugins, Plugin<T> now) {
        List<Plugin<T>> list = plugins.get(now.name());
        if (list == null) {
            return false;
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).service() == now.service()) {
                list.set(i, now);
                return true;
            }
        }
        return false;
    }

    @Deactivate
    void deactivate() {
        retries.shutdownNow();
        synchronized (lock) {
            deferred.clear();
            for (Managed m : configured.values()) {
                tearDown(m);
            }
            configured.clear();
            for (MonitoringContext c : engine.contexts()) {
                awaitStop(() -> engine.dispose(c));
            }
        }
    }

    // ---- MonitoringEngine -------------------------------------------------------------------------

    @Override
    public MonitoringContext newContext(ContextDefinition definition, Primitive primitive) {
        return engine.newContext(definition, primitive);
    }

    @Override
    public void start(List<? extends MonitoringContext> group) throws EngineBusyException {
        engine.start(group);
    }

    @Override
    public void start(List<? extends MonitoringContext> group, StartMode mode) throws EngineBusyException {
        engine.start(group, mode);
    }

    @Override
    public void stop(List<? extends MonitoringContext> group) throws ContextNotRunningException, InterruptedException {
        engine.stop(group);
    }

    @Override
    public void dispose(MonitoringContext context) throws InterruptedException {
        engine.dispose(context);
    }

    @Override
    public List<MonitoringContext> contexts() {
        return engine.contexts();
    }

    @Override
    public Optional<MonitoringContext> context(String name) {
        return engine.context(name);
    }

    @Override
    public List<ContextStatus> statuses() {
        return engine.statuses();
    }
}
