package io.jdamon.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.List;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.StartMode;
import io.jdamon.core.internal.DamonEngine;

/** The JMX beans in the platform MBean server, read and operated as a JMX client does. */
@Timeout(60)
class ManagementBeansTest {

    private final DamonEngine engine = new DamonEngine();
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    @AfterEach
    void disposeContexts() throws Exception {
        for (MonitoringContext c : engine.contexts()) {
            engine.dispose(c);
        }
    }

    @Test
    void theEngineAndEachContextHaveABeanThatFollowsThem() throws Exception {
        ManagementBeans beans = new ManagementBeans(engine);
        ObjectName engineName = new ObjectName("io.jdamon:type=Engine");
        ObjectName hhName = ManagementBeans.contextName("hh");
        try {
            MonitoringContext hh = engine.newContext(ContextDefinition.builder("hh", "test").target("t0")
                    .attributes(new MonitoringAttributes(1_000, 20_000, 1_000_000, 10, 100))
                    .scheme(io.jdamon.api.Scheme.builder(io.jdamon.api.Scheme.STAT).nrAccesses(0, 0).build()).build(),
                    new HotHalfPrimitive());
            engine.start(List.of(hh), StartMode.SHARED);
            ControlCommandsTest.await("the context's bean", () -> server.isRegistered(hhName));
            ControlCommandsTest.await("an aggregation", () -> hh.lastAggregation().isPresent());

            assertThat((String[]) server.getAttribute(engineName, "ContextNames")).containsExactly("hh");
            assertThat(server.getAttribute(hhName, "State")).isEqualTo("RUNNING");
            assertThat(server.getAttribute(hhName, "Primitive")).isEqualTo("test");
            assertThat(server.getAttribute(hhName, "Sensor")).isEqualTo("hot-half");
            assertThat(server.getAttribute(hhName, "SampleIntervalUs")).isEqualTo(1_000L);
            assertThat((Long) server.getAttribute(hhName, "Aggregations")).isPositive();
            assertThat(server.getAttribute(hhName, "WorkingSetBytes")).isEqualTo(HotHalfPrimitive.SIZE / 2);
            ControlCommandsTest.await("the scheme applied", () -> !hh.schemeStats().isEmpty()
                    && hh.schemeStats().get(0).nrTried() > 0);
            assertThat((String[]) server.getAttribute(hhName, "Schemes")).singleElement().asString()
                    .startsWith("scheme 0 stat").contains("nr_tried=", "sz_applied=0 B");
            assertThat((Long) server.getAttribute(hhName, "SchemeNanos")).isPositive();
            assertThat((String) server.invoke(engineName, "status", new Object[] {true},
                    new String[] {"boolean"})).contains("sensor=hot-half");

            String tuned = (String) server.invoke(hhName, "tune", new Object[] {new String[] {"sampleIntervalUs=2ms"}},
                    new String[] {String[].class.getName()});
            assertThat(tuned).contains("tuned hh");
            // the attributes in force: the tuned ones from the next aggregation on
            ControlCommandsTest.await("the tuned interval in force", () -> hh.attributes().sampleIntervalUs() == 2_000);
            assertThat(server.getAttribute(hhName, "SampleIntervalUs")).isEqualTo(2_000L);
            assertThatThrownBy(() -> server.invoke(hhName, "tune", new Object[] {new String[] {"speed=max"}},
                    new String[] {String[].class.getName()})).isInstanceOf(RuntimeMBeanException.class)
                    .hasRootCauseMessage("'speed=max' is not a setting; write key=value with a key from "
                            + String.join(", ", ContextControl.TUNABLE_KEYS));

            server.invoke(hhName, "stop", new Object[0], new String[0]);
            assertThat(server.getAttribute(hhName, "State")).isEqualTo("STOPPED");
            assertThat(server.getAttribute(hhName, "StopReason")).isEqualTo("STOP_REQUESTED");
            server.invoke(engineName, "start", new Object[] {"hh"}, new String[] {String.class.getName()});
            assertThat(server.getAttribute(hhName, "State")).isEqualTo("RUNNING");

            engine.dispose(hh);
            ControlCommandsTest.await("the bean of a disposed context to go", () -> !server.isRegistered(hhName));
        } finally {
            beans.close();
        }
        assertThat(server.isRegistered(engineName)).isFalse();
        assertThat(server.queryNames(new ObjectName("io.jdamon:*"), null)).isEmpty();
    }
}
