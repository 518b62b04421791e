package io.jdamon.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextStatus;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.MonitoringEngine;
import io.jdamon.api.MonitoringTarget;
import io.jdamon.api.Primitive;
import io.jdamon.api.PrimitiveContext;
import io.jdamon.api.StartMode;
import io.jdamon.core.internal.DamonEngine;
import io.jdamon.record.RecordReader;
import io.jdamon.record.Recording;
import io.jdamon.record.RecordingCallback;

/**
 * {@link RecordCommand} against the real engine and recorder, with Config
 * Admin and the service registry played by small stand-ins that do what the
 * core and record bundles' components do with the configurations.
 */
@Timeout(60)
class RecordCommandTest {

    @TempDir
    Path dir;

    private final DamonEngine engine = new DamonEngine();
    /** While true, the engine as the command sees it no longer knows the context (it was removed). */
    private volatile boolean contextRemoved;
    private volatile RecordingCallback recorder;

    @AfterEach
    void disposeContexts() throws Exception {
        for (MonitoringContext c : engine.contexts()) {
            engine.dispose(c);
        }
    }

    @Test
    void aContextRemovedWhileRecordingEndsTheCommandWithAMessageNotACrash() throws Exception {
        Path file = dir.resolve("damon.data");
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
        RecordCommand command = new RecordCommand(bundleContext(), configurationAdmin(), visibleEngine());
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> command.run(
                new String[] {"--primitive", "hot-half", "--target", "t", "-s", "1ms", "-a", "20ms", "-o",
                    file.toString()}, out, err, () -> false, false));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (aggregations() < 3 && System.nanoTime() < deadline && !exit.isDone()) {
            Thread.sleep(10);
        }
        assertThat(aggregations()).as("the context ran; err: %s", errBytes).isGreaterThanOrEqualTo(3);
        // the context goes away while running, as when its configuration is deleted in the container
        contextRemoved = true;

        int code = exit.get(30, TimeUnit.SECONDS);
        String errText = errBytes.toString(StandardCharsets.UTF_8);
        assertThat(code).as("err: %s", errText).isEqualTo(1);
        assertThat(errText).contains("the context 'record' went away while recording")
                .contains(file.toString()).doesNotContain("Exception");
        // what was recorded stays readable
        Recording rec = RecordReader.read(file);
        assertThat(rec.snapshotCount()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aDurationOfCenturiesRecordsUntilStoppedRatherThanEndingAtOnce() throws Exception {
        // 3,000,000 h in nanoseconds is past Long.MAX_VALUE
        Path file = dir.resolve("long.data");
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        RecordCommand command = new RecordCommand(bundleContext(), configurationAdmin(), visibleEngine());
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> command.run(
                new String[] {"--primitive", "hot-half", "--target", "t", "-s", "1ms", "-a", "20ms", "-d",
                    "3000000h", "-o", file.toString()}, out, out, stop::get, false));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (aggregations() < 5 && System.nanoTime() < deadline && !exit.isDone()) {
            Thread.sleep(10);
        }
        assertThat(exit).as("still recording; output: %s", outBytes).isNotDone();
        assertThat(aggregations()).isGreaterThanOrEqualTo(5);
        stop.set(true);
        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(outBytes.toString(StandardCharsets.UTF_8)).contains("jdamon record: interrupted; ")
                .doesNotContain("duration reached");
    }

    private long aggregations() {
        return engine.context("record").map(c -> c.status().aggregations()).orElse(0L);
    }

    /** The engine as the command sees it: the real one, minus the context once {@link #contextRemoved}. */
    private MonitoringEngine visibleEngine() {
        return (MonitoringEngine) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {MonitoringEngine.class}, (p, m, args) -> {
                    if (contextRemoved && m.getName().equals("statuses")) {
                        List<ContextStatus> visible = new ArrayList<>(engine.statuses());
                        visible.removeIf(s -> s.name().equals("record"));
                        return visible;
                    }
                    if (contextRemoved && m.getName().equals("context") && "record".equals(args[0])) {
                        return Optional.empty();
                    }
                    try {
                        return m.invoke(engine, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Config Admin: a recorder configuration makes a recorder, a context configuration a running context. */
    private ConfigurationAdmin configurationAdmin() {
        return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (p, m, args) -> {
                    if (!m.getName().equals("getFactoryConfiguration")) {
                        throw new UnsupportedOperationException(m.getName());
                    }
                    return configuration((String) args[0]);
                });
    }

    private Configuration configuration(String factoryPid) {
        String[] name = new String[1];
        return (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Configuration.class}, (p, m, args) -> {
                    switch (m.getName()) {
                        case "update" -> {
                            Dictionary<?, ?> props = (Dictionary<?, ?>) args[0];
                            name[0] = (String) props.get("name");
                            if (factoryPid.equals(RecordCommand.RECORDER_FACTORY_PID)) {
                                recorder = new RecordingCallback(Path.of((String) props.get("file")));
                            } else {
                                MonitoringContext ctx = engine.newContext(new ContextDefinition(name[0],
                                        (String) props.get("primitive"), List.of((String[]) props.get("targets")),
                                        new MonitoringAttributes((long) props.get("sampleIntervalUs"),
                                                (long) props.get("aggregationIntervalUs"),
                                                (long) props.get("updateIntervalUs"),
                                                (int) props.get("minNrRegions"), (int) props.get("maxNrRegions"))),
                                        new HotHalfPrimitive());
                                ctx.addCallback(((String[]) props.get("callbacks"))[0], recorder);
                                engine.start(List.of(ctx), StartMode.SHARED);
                            }
                            return null;
                        }
                        case "delete" -> {
                            if (factoryPid.equals(RecordCommand.RECORDER_FACTORY_PID)) {
                                recorder.close();
                                recorder = null;
                            } else {
                                Optional<MonitoringContext> ctx = engine.context(name[0]);
                                if (ctx.isPresent()) {
                                    engine.dispose(ctx.get());
                                }
                            }
                            return null;
                        }
                        default -> throw new UnsupportedOperationException(m.getName());
                    }
                });
    }

    /** The service registry: the recorder is the one callback service, there while it exists. */
    private BundleContext bundleContext() {
        ServiceReference<?> ref = (ServiceReference<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (p, m, args) -> {
                    throw new UnsupportedOperationException(m.getName());
                });
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (p, m, args) -> switch (m.getName()) {
                    case "getServiceReferences" -> recorder == null ? List.of() : List.of(ref);
                    case "getService" -> recorder;
                    case "ungetService" -> true;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }
}
