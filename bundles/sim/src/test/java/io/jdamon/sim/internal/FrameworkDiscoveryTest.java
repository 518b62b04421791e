package io.jdamon.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

import io.jdamon.api.ContextState;
import io.jdamon.api.ContextStatus;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.MonitoringEngine;
import io.jdamon.api.Primitive;
import io.jdamon.api.StopReason;

/**
 * The sim bundle in a real Felix framework with SCR and Config Admin, next to
 * the core bundle: its DS component registers the primitive, and a factory
 * configuration that names {@code sim} makes the engine run a context on it
 * until the workload ends. The API package comes from the test's class path
 * (exported by the system bundle) so that the test and the bundles share its types.
 */
class FrameworkDiscoveryTest {

    @TempDir
    Path dir;

    @Test
    void theEngineDiscoversTheSimPrimitiveAndRunsAConfiguredContextOnIt() throws Exception {
        Path cfg = dir.resolve("short.cfg");
        Files.writeString(cfg, "a, 2M\nb, 2M\n\nfirst a\n500\na, 1, 4096, 1\n\nthen b\n500\nb, 1, 4096, 1\n");
        Map<String, String> config = Map.of(
                Constants.FRAMEWORK_STORAGE, dir.resolve("felix-cache").toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "io.jdamon.api;version=1.1.0");
        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow()
                .newFramework(config);
        framework.start();
        try {
            BundleContext bc = framework.getBundleContext();
            List<Bundle> bundles = new ArrayList<>();
            for (String artifact : List.of("org.osgi.util.function", "org.osgi.util.promise",
                    "org.osgi.service.component-", "org.apache.felix.scr", "org.apache.felix.configadmin",
                    "io.jdamon.core")) {
                bundles.add(bc.installBundle(new File(jarOnClassPath(artifact)).toURI().toString()));
            }
            Path classes = Path.of(SimPrimitive.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            assertThat(classes.resolve("META-INF/MANIFEST.MF")).as("bnd wrote the bundle manifest").exists();
            Bundle sim = bc.installBundle("reference:" + classes.toUri());
            bundles.add(sim);
            for (Bundle b : bundles) {
                b.start();
            }
            assertThat(sim.getSymbolicName()).isEqualTo("io.jdamon.sim");

            ServiceReference<?>[] primitives = await(() -> Optional.ofNullable(
                    bc.getAllServiceReferences(Primitive.class.getName(), "(jdamon.primitive=sim)")));
            assertThat(primitives).singleElement().satisfies(r -> {
                assertThat(r.getBundle()).isEqualTo(sim);
                assertThat(r.isAssignableTo(framework, Primitive.class.getName())).isTrue();
            });
            assertThat(bc.getAllServiceReferences("io.jdamon.sim.SimulatedWorkloads", null)).hasSize(1);

            // a context configured by name, as users do: the engine finds the primitive on its own
            ServiceReference<?> caRef = await(() -> service(bc, "org.osgi.service.cm.ConfigurationAdmin"));
            Object configAdmin = bc.getService(caRef);
            Class<?> caType = caRef.getBundle().loadClass("org.osgi.service.cm.ConfigurationAdmin");
            Object configuration = caType.getMethod("createFactoryConfiguration", String.class, String.class)
                    .invoke(configAdmin, "io.jdamon.context", null);
            Hashtable<String, Object> props = new Hashtable<>();
            props.put("name", "configured-sim");
            props.put("primitive", "sim");
            props.put("targets", new String[] {"file=" + cfg});
            Method update = caRef.getBundle().loadClass("org.osgi.service.cm.Configuration")
                    .getMethod("update", java.util.Dictionary.class);
            update.invoke(configuration, props);

            ServiceReference<?> engineRef = await(() -> service(bc, MonitoringEngine.class.getName()));
            MonitoringEngine engine = (MonitoringEngine) bc.getService(engineRef);
            MonitoringContext ctx = await(() -> engine.context("configured-sim"));
            // the context may wait for the primitive first; it has run once it reports why it stopped
            ContextStatus status = await(() -> Optional.of(ctx.status()).filter(st -> st.stopReason().isPresent()),
                    30);
            assertThat(status.stopReason()).contains(StopReason.TARGETS_INVALID);
            assertThat(status.aggregations()).isGreaterThanOrEqualTo(5);
            assertThat(status.primitiveProperties()).containsEntry("sensor", "simulated-accessed-bit");
            assertThat(status.state()).isNotEqualTo(ContextState.INVALID);
            assertThat(ctx.lastAggregation()).hasValueSatisfying(
                    a -> assertThat(a.targets().get(0).totalBytes()).isEqualTo(4L << 20));
        } finally {
            framework.stop();
            framework.waitForStop(10_000);
        }
    }

    /**
     * Looks a service up by class name without the requester's class-space
     * check: the system bundle, whose context the test uses, does not wire to
     * the bundles' packages.
     */
    private static Optional<ServiceReference<?>> service(BundleContext bc, String type) throws Exception {
        ServiceReference<?>[] refs = bc.getAllServiceReferences(type, null);
        return refs == null || refs.length == 0 ? Optional.empty() : Optional.of(refs[0]);
    }

    private interface Probe<T> {
        Optional<T> get() throws Exception;
    }

    private static <T> T await(Probe<T> probe) throws Exception {
        return await(probe, 10);
    }

    private static <T> T await(Probe<T> probe, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting in the framework");
            }
            Thread.sleep(10);
        }
    }

    private static String jarOnClassPath(String artifact) {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = new File(entry).getName();
            if (name.startsWith(artifact) && name.endsWith(".jar")) {
                return entry;
            }
        }
        throw new IllegalStateException(artifact + " is not on the test class path; check the test dependencies");
    }
}
