package io.jdamon.core.internal.osgi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgi.framework.ServiceReference;
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
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.MonitoringEngine;
import io.jdamon.api.Primitive;
import io.jdamon.api.StartMode;
import io.jdamon.core.internal.DamonEngine;

/**
 * The kdamond engine as an OSGi service: the Declarative Services component
 * that provides {@link MonitoringEngine} over one {@link DamonEngine}, and
 * hands every {@link Primitive} and {@link Callback} service (by its
 * {@value Primitive#SERVICE_PROPERTY} / {@value Callback#SERVICE_PROPERTY}
 * name) and every context configuration to {@link ConfiguredContexts}.
 *
 * <p>Its statuses are the engine's contexts and one INVALID report per
 * rejected configuration. Deactivating it (the framework shutting down) stops
 * every context, waiting at most {@link ConfiguredContexts#SHUTDOWN_WAIT_NANOS}
 * whatever a plugin does.
 */
@Component(name = "io.jdamon.engine", service = { MonitoringEngine.class, EngineComponent.class }, immediate = true)
public final class EngineComponent implements MonitoringEngine {

    private final DamonEngine engine = new DamonEngine();
    private final ConfiguredContexts configured = new ConfiguredContexts(engine);

    /** @return the plain engine, for tests in this bundle */
    DamonEngine engine() {
        return engine;
    }

    // ---- configured contexts (called by ConfiguredContextComponent) ------------------------------

    void configure(ContextConfiguration config) {
        configured.configure(config);
    }

    void reconfigure(ContextConfiguration config) {
        configured.reconfigure(config);
    }

    void unconfigure(String pid) {
        configured.unconfigure(pid);
    }

    // ---- whiteboard ---------------------------------------------------------------------------------

    @Reference(name = "primitive", service = Primitive.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "removePrimitive", updated = "updatedPrimitive")
    void addPrimitive(Primitive primitive, ServiceReference<Primitive> reference) {
        configured.addPrimitive(primitive, reference);
    }

    void removePrimitive(Primitive primitive, ServiceReference<Primitive> reference) {
        configured.removePrimitive(primitive);
    }

    void updatedPrimitive(Primitive primitive, ServiceReference<Primitive> reference) {
        configured.updatedPrimitive(primitive, reference);
    }

    @Reference(name = "callback", service = Callback.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "removeCallback", updated = "updatedCallback")
    void addCallback(Callback callback, ServiceReference<Callback> reference) {
        configured.addCallback(callback, reference);
    }

    void removeCallback(Callback callback, ServiceReference<Callback> reference) {
        configured.removeCallback(callback);
    }

    void updatedCallback(Callback callback, ServiceReference<Callback> reference) {
        configured.updatedCallback(callback, reference);
    }

    @Deactivate
    void deactivate() {
        configured.close();
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
        List<ContextStatus> out = new ArrayList<>(engine.statuses());
        out.addAll(configured.invalidStatuses());
        return out;
    }
}
