package io.jdamon.shell.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import io.jdamon.api.ContextStatus;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.MonitoringEngine;
import io.jdamon.shell.internal.ContextControl.ControlException;

/**
 * JMX beans in the platform MBean server, for jconsole, VisualVM, Karaf's JMX
 * or any JMX client the user already runs: {@code io.jdamon:type=Engine} and
 * one {@code io.jdamon:type=Context,name=NAME} per context. The engine API has
 * no event for contexts that come and go, so the context beans follow the
 * engine's list every {@value #SYNC_MS} ms. Nothing is opened to the network
 * here: what a JMX connector the JVM may have exposes is the JVM's setting.
 */
@Component(service = {}, immediate = true)
public final class ManagementBeans {

    private static final Logger LOG = System.getLogger("io.jdamon.shell.jmx");
    /** The domain of the beans. */
    static final String DOMAIN = "io.jdamon";
    /** How often the context beans follow the engine's contexts: {@value} ms. */
    static final long SYNC_MS = 1_000;

    private final MonitoringEngine engine;
    private final ContextControl control;
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final ObjectName engineName;
    /** Registered context beans by context name; touched by the sync thread and deactivation, under this. */
    private final Map<String, ObjectName> contextBeans = new HashMap<>();
    private final ScheduledExecutorService sync;
    private boolean closed;

    @Activate
    public ManagementBeans(@Reference MonitoringEngine engine) throws JMException {
        this.engine = engine;
        this.control = new ContextControl(engine);
        this.engineName = new ObjectName(DOMAIN + ":type=Engine");
        if (server.isRegistered(engineName)) {
            server.unregisterMBean(engineName); // left by an earlier activation in this JVM that failed to clean up
        }
        server.registerMBean(new EngineBean(), engineName);
        sync = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jdamon-jmx");
            t.setDaemon(true);
            return t;
        });
        sync.scheduleWithFixedDelay(this::sync, 0, SYNC_MS, TimeUnit.MILLISECONDS);
    }

    /** @return the bean name of a context */
    static ObjectName contextName(String name) throws MalformedObjectNameException {
        // context names are letters, digits, ".", "_" and "-" (ContextDefinition): no quoting needed
        return new ObjectName(DOMAIN + ":type=Context,name=" + name);
    }

    synchronized void sync() {
        if (closed) {
            return;
        }
        Set<String> names = new HashSet<>(control.names());
        contextBeans.entrySet().removeIf(e -> {
            if (names.contains(e.getKey())) {
                return false;
            }
            unregister(e.getValue());
            return true;
        });
        for (String name : names) {
            if (!contextBeans.containsKey(name)) {
                try {
                    ObjectName on = contextName(name);
                    if (server.isRegistered(on)) {
                        server.unregisterMBean(on);
                    }
                    server.registerMBean(new ContextBean(name), on);
                    contextBeans.put(name, on);
                } catch (JMException | RuntimeException e) {
                    LOG.log(Level.WARNING, "no JMX bean for context '" + name + "': " + e);
                }
            }
        }
    }

    private void unregister(ObjectName on) {
        try {
            server.unregisterMBean(on);
        } catch (JMException e) {
            // gone already
        }
    }

    @Deactivate
    void close() throws InterruptedException {
        sync.shutdownNow();
        sync.awaitTermination(5, TimeUnit.SECONDS);
        synchronized (this) {
            closed = true;
            contextBeans.values().forEach(this::unregister);
            contextBeans.clear();
        }
        unregister(engineName);
    }

    /** @return what the operation said; a refusal is thrown with its message, which JMX clients show */
    private static String done(Operation op) {
        try {
            return op.run();
        } catch (ControlException e) {
            throw new IllegalArgumentException(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private interface Operation {
        String run() throws ControlException, InterruptedException;
    }

    private final class EngineBean implements EngineMXBean {
        @Override
        public String[] getContextNames() {
            return control.names().toArray(String[]::new);
        }

        @Override
        public String status(boolean verbose) {
            return control.status(verbose);
        }

        @Override
        public String start(String name) {
            return done(() -> control.start(name));
        }

        @Override
        public String stop(String name) {
            return done(() -> control.stop(name));
        }

        @Override
        public String tune(String name, String[] settings) {
            return done(() -> control.tune(name, settings == null ? List.of() : List.of(settings)));
        }
    }

    private final class ContextBean implements ContextMXBean {
        private final String name;

        ContextBean(String name) {
            this.name = name;
        }

        private MonitoringContext context() {
            return engine.context(name).orElseThrow(() -> new IllegalStateException("context '" + name
                    + "' has gone"));
        }

        private ContextStatus status() {
            return context().status();
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getState() {
            return status().state().name();
        }

        @Override
        public String getDetail() {
            return status().detail();
        }

        @Override
        public String getStopReason() {
            return status().stopReason().map(Enum::name).orElse("");
        }

        @Override
        public String getPrimitive() {
            return status().primitiveName();
        }

        @Override
        public Map<String, String> getPrimitiveProperties() {
            return status().primitiveProperties();
        }

        @Override
        public String getSensor() {
            return status().primitiveProperties().getOrDefault("sensor", "");
        }

        @Override
        public long getSampleIntervalUs() {
            return context().attributes().sampleIntervalUs();
        }

        @Override
        public long getAggregationIntervalUs() {
            return context().attributes().aggregationIntervalUs();
        }

        @Override
        public long getUpdateIntervalUs() {
            return context().attributes().updateIntervalUs();
        }

        @Override
        public int getMinNrRegions() {
            return context().attributes().minNrRegions();
        }

        @Override
        public int getMaxNrRegions() {
            return context().attributes().maxNrRegions();
        }

        @Override
        public long getSamples() {
            return status().samples();
        }

        @Override
        public long getAggregations() {
            return status().aggregations();
        }

        @Override
        public int getRegions() {
            return status().regions();
        }

        @Override
        public long getWorkingSetBytes() {
            return context().lastAggregation().map(a -> a.effectiveWorkingSetBytes()).orElse(-1L);
        }

        @Override
        public long getLateAggregations() {
            return context().runCosts().lateAggregations();
        }

        @Override
        public long getSensorNanos() {
            return context().runCosts().sensorNanos();
        }

        @Override
        public String[] getSchemes() {
            MonitoringContext c = context();
            return c.schemeStats().stream().map(st -> ContextControl.scheme(st, c.schemes())).toArray(String[]::new);
        }

        @Override
        public long getSchemeNanos() {
            return context().runCosts().schemeNanos();
        }

        @Override
        public String start() {
            return done(() -> control.start(name));
        }

        @Override
        public String stop() {
            return done(() -> control.stop(name));
        }

        @Override
        public String tune(String[] settings) {
            return done(() -> control.tune(name, settings == null ? List.of() : List.of(settings)));
        }
    }
}
