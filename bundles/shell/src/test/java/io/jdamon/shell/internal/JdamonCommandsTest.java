package io.jdamon.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.MonitoringEngine;
import io.jdamon.api.Primitive;
import io.jdamon.core.internal.DamonEngine;

class JdamonCommandsTest {

    private final DamonEngine engine = new DamonEngine();

    @AfterEach
    void disposeContexts() throws Exception {
        for (MonitoringContext c : engine.contexts()) {
            engine.dispose(c);
        }
    }

    @Test
    void statusListsEachContextAndSaysSoWhenThereIsNone() throws Exception {
        assertThat(new ContextControl(engine).status(false)).startsWith("no contexts; drop a io.jdamon.context-<name>.cfg");
        engine.newContext(new ContextDefinition("web", "sim", List.of("stairs"), MonitoringAttributes.DEFAULTS),
                new Primitive() { });
        assertThat(new ContextControl(engine).status(false)).doesNotContain("no contexts").startsWith("web ")
                .contains("primitive=sim");
    }

    @Test
    void aContextAppearingMeanwhileIsNotListedAfterNoContexts() throws Exception {
        // the engine's first answer is empty, every later one has a context: one status reads it once
        AtomicInteger calls = new AtomicInteger();
        engine.newContext(new ContextDefinition("late", "sim", List.of("stairs"), MonitoringAttributes.DEFAULTS),
                new Primitive() { });
        MonitoringEngine racing = (MonitoringEngine) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MonitoringEngine.class}, (p, m, args) -> {
                    if (m.getName().equals("statuses") && calls.getAndIncrement() == 0) {
                        return List.of();
                    }
                    try {
                        return m.invoke(engine, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        String status = new ContextControl(racing).status(false);
        assertThat(status.contains("no contexts") && status.contains("late "))
                .as("contradictory status:%n%s", status).isFalse();
    }
}
