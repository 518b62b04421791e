package io.jdamon.itests.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextState;
import io.jdamon.api.ContextStatus;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.Primitive;

/**
 * Configured contexts start shared; while an exclusive group started through
 * the engine service runs, they are held back and start as soon as it stops.
 */
class ExclusiveGroupTest extends PlatformTestSupport {

    @Test
    void configuredContextsWaitForAnExclusiveGroupToStop() throws Exception {
        installPrimitive();
        await("the primitive service", () -> bundleContext.getServiceReference(Primitive.class) != null);
        ServiceReference<Primitive> ref = bundleContext.getServiceReference(Primitive.class);
        Primitive primitive = bundleContext.getService(ref);
        MonitoringContext exclusive = null;
        try {
            exclusive = engine.newContext(new ContextDefinition("exclusive", PRIMITIVE,
                    List.of("half"), new MonitoringAttributes(FAST_SAMPLE_US, FAST_AGGREGATION_US,
                            MonitoringAttributes.DEFAULT_UPDATE_INTERVAL_US, 10, 100)), primitive);
            engine.start(List.of(exclusive));
            awaitStatus("exclusive", ContextState.RUNNING, s -> s.samples() > 0, "sampling");

            configure("held", fastContext("half"));
            ContextStatus held = awaitStatus("held", ContextState.READY);
            assertThat(held.samples()).isZero();
            awaitStatus("exclusive", ContextState.RUNNING, s -> s.samples() > 50, "the exclusive group sampling on");
            assertThat(status("held").orElseThrow().state()).as("still held back").isEqualTo(ContextState.READY);
            assertThat(status("held").orElseThrow().detail()).contains("held back: an exclusive group runs");

            engine.stop(List.of(exclusive));
            awaitStatus("held", ContextState.RUNNING, s -> s.samples() > 0 && !s.detail().contains("held back"),
                    "started once the exclusive group stopped, no longer said to be held back");
        } finally {
            if (exclusive != null) {
                engine.dispose(exclusive);
            }
            bundleContext.ungetService(ref);
        }
    }
}
