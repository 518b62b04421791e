package io.jdamon.itests.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

import io.jdamon.api.ContextState;
import io.jdamon.api.ContextStatus;
import io.jdamon.api.MonitoringEngine;

/** Stopping the core bundle stops every context cleanly; its configurations bring them back. */
class CoreRestartTest extends PlatformTestSupport {

    @Test
    void stoppingTheCoreStopsEveryContextAndStartingItBringsThemBack() throws Exception {
        installPrimitive();
        configure("kept", fastContext("half"));
        awaitStatus("kept", ContextState.RUNNING, s -> s.samples() > 0, "sampling");
        Supplier<Map<String, Long>> counts = primitiveCounter();

        Bundle core = null;
        for (Bundle b : bundleContext.getBundles()) {
            if (b.getSymbolicName().equals("io.jdamon.core")) {
                core = b;
            }
        }
        assertThat(core).isNotNull();
        core.stop();
        assertThat(count(counts, "kept.cleanup")).as("the engine's deactivation stopped the context").isEqualTo(1);
        assertThat(bundleContext.getServiceReference(MonitoringEngine.class)).isNull();
        assertThat(Thread.getAllStackTraces().keySet()).as("no kdamond thread left")
                .noneMatch(t -> t.getName().startsWith("kdamond.") && t.isAlive());

        core.start();
        await("the engine service is back", () -> bundleContext.getServiceReference(MonitoringEngine.class) != null);
        ServiceReference<MonitoringEngine> ref = bundleContext.getServiceReference(MonitoringEngine.class);
        MonitoringEngine restarted = bundleContext.getService(ref);
        try {
            await("the configured context runs again", () -> restarted.statuses().stream()
                    .anyMatch(s -> s.name().equals("kept") && s.state() == ContextState.RUNNING && s.samples() > 0));
            ContextStatus kept = restarted.statuses().get(0);
            assertThat(kept.name()).isEqualTo("kept");
            assertThat(count(counts, "kept.init")).isEqualTo(2);
        } finally {
            bundleContext.ungetService(ref);
        }
        engine = restarted; // so that the clean-up after this test waits on the live engine
    }
}
