package io.jdamon.itests.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

import io.jdamon.api.MonitoringEngine;

/** The core bundle runs and offers the engine as a service. */
class EngineServiceTest {

    @InjectBundleContext
    BundleContext bundleContext;

    @InjectService(timeout = 10_000)
    MonitoringEngine engine;

    @Test
    void coreBundleIsActiveAndOffersTheEngine() {
        Bundle core = null;
        for (Bundle b : bundleContext.getBundles()) {
            if (b.getSymbolicName().equals("io.jdamon.core")) {
                core = b;
            }
        }
        assertThat(core).as("the core bundle is installed").isNotNull();
        assertThat(core.getState()).isEqualTo(Bundle.ACTIVE);
        assertThat(engine.statuses()).as("no context configured yet").isNotNull();
    }
}
