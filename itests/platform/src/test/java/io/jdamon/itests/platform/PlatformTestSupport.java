package io.jdamon.itests.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

import io.jdamon.api.ContextState;
import io.jdamon.api.ContextStatus;
import io.jdamon.api.MonitoringEngine;

/**
 * What every in-framework test needs: the engine and Config Admin services,
 * the plugin bundles built in the reactor (installed from their jars at run
 * time), and waiting for observable state with a deadline. After each test,
 * every context configuration is deleted and every plugin bundle
 * uninstalled, and the engine is awaited empty, so tests do not leak into
 * each other.
 */
abstract class PlatformTestSupport {

    static final String FACTORY_PID = "io.jdamon.context";
    static final String PRIMITIVE = "itest";
    static final String CALLBACK = "counting";
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** Quick attributes: 2 ms samples, 10 per 20 ms aggregation. */
    static final long FAST_SAMPLE_US = 2_000;
    static final long FAST_AGGREGATION_US = 20_000;

    @InjectBundleContext
    BundleContext bundleContext;

    @InjectService(timeout = 10_000)
    MonitoringEngine engine;

    @InjectService(timeout = 10_000)
    ConfigurationAdmin configAdmin;

    private final List<Bundle> installed = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        Configuration[] configs = configAdmin.listConfigurations("(service.factoryPid=" + FACTORY_PID + ")");
        if (configs != null) {
            for (Configuration c : configs) {
                c.delete();
            }
        }
        for (Bundle b : installed) {
            if (b.getState() != Bundle.UNINSTALLED) {
                b.uninstall();
            }
        }
        installed.clear();
        await("every context gone after the test", () -> engine.statuses().isEmpty());
    }

    // ---- plugin bundles ---------------------------------------------------------------------------

    /** The test primitive's bundle, installed and started. */
    Bundle installPrimitive() throws BundleException {
        return install("primitive");
    }

    /** The counting callback's bundle, installed and started. */
    Bundle installCallback() throws BundleException {
        return install("callback");
    }

    private Bundle install(String which) throws BundleException {
        String folder = bundleContext.getProperty("jdamon.itests.bundles");
        assertThat(folder).as("framework property jdamon.itests.bundles (set in itests.bndrun)").isNotNull();
        File jar = new File(folder, "io.jdamon.itests." + which + ".jar");
        assertThat(jar).as("the test %s bundle, copied by the build", which).isFile();
        Bundle b = bundleContext.installBundle(jar.toURI().toString());
        installed.add(b);
        b.start();
        return b;
    }

    /** @return the counts a test plugin keeps, read through its {@link Supplier} face */
    @SuppressWarnings("unchecked")
    Supplier<Map<String, Long>> counter(String filter) {
        await("a service matching " + filter, () -> serviceReference(filter) != null);
        ServiceReference<?> ref = serviceReference(filter);
        Object service = bundleContext.getService(ref);
        assertThat(service).as("service %s", filter).isInstanceOf(Supplier.class);
        return (Supplier<Map<String, Long>>) service;
    }

    Supplier<Map<String, Long>> primitiveCounter() {
        return counter("(jdamon.primitive=" + PRIMITIVE + ")");
    }

    Supplier<Map<String, Long>> callbackCounter() {
        return counter("(jdamon.callback=" + CALLBACK + ")");
    }

    private ServiceReference<?> serviceReference(String filter) {
        try {
            ServiceReference<?>[] refs = bundleContext.getServiceReferences((String) null, filter);
            return refs == null ? null : refs[0];
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static long count(Supplier<Map<String, Long>> counter, String key) {
        return counter.get().getOrDefault(key, 0L);
    }

    // ---- configurations ---------------------------------------------------------------------------

    /** @return properties for a quick context of the test primitive on the given targets */
    static Hashtable<String, Object> fastContext(String targets) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("primitive", PRIMITIVE);
        p.put("targets", targets);
        p.put("sampleIntervalUs", FAST_SAMPLE_US);
        p.put("aggregationIntervalUs", FAST_AGGREGATION_US);
        p.put("minNrRegions", 10);
        p.put("maxNrRegions", 100);
        return p;
    }

    /** Creates or updates the named factory configuration {@code io.jdamon.context~name}. */
    Configuration configure(String configName, Dictionary<String, Object> properties) throws Exception {
        Configuration c = configAdmin.getFactoryConfiguration(FACTORY_PID, configName, "?");
        c.update(properties);
        return c;
    }

    // ---- state --------------------------------------------------------------------------------------

    Optional<ContextStatus> status(String name) {
        return status(name, null);
    }

    /** @return the status of that name, in that state if {@code state} is not null */
    Optional<ContextStatus> status(String name, ContextState state) {
        for (ContextStatus s : engine.statuses()) {
            if (s.name().equals(name) && (state == null || s.state() == state)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Waits until the context is in that state and the condition holds for its status. */
    ContextStatus awaitStatus(String name, ContextState state, java.util.function.Predicate<ContextStatus> more,
            String what) {
        await("context '" + name + "' " + state + (what.isEmpty() ? "" : ", " + what),
                () -> status(name, state).filter(more).isPresent());
        return status(name, state).orElseThrow();
    }

    ContextStatus awaitStatus(String name, ContextState state) {
        return awaitStatus(name, state, s -> true, "");
    }

    /** Polls the condition every 10 ms until it holds; fails after {@link #TIMEOUT} naming what was awaited. */
    void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + TIMEOUT.toSeconds() + " s waiting for " + what + "; engine statuses: "
                        + engine.statuses());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }
}
