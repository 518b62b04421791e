package io.jdamon.itests.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;

import io.jdamon.api.Callback;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextState;
import io.jdamon.api.ContextStatus;
import io.jdamon.api.ContextView;
import io.jdamon.api.Primitive;
import io.jdamon.api.PrimitiveContext;

/**
 * Issue 12 A4: two primitives of one name. The engine warns naming both bundles and versions,
 * the status and what callbacks (the recorder) see name the providing bundle, and a switch to
 * the other provider is said in log, status and callback view.
 */
class ProviderTest extends PlatformTestSupport {

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            String message = r.getMessage();
            Object[] params = r.getParameters();
            log.add(params == null ? message : java.text.MessageFormat.format(message, params));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        Logger.getLogger("io.jdamon.core.osgi").addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        Logger.getLogger("io.jdamon.core.osgi").removeHandler(capture);
    }

    /** A second provider of 'itest', registered by this test bundle: the whole space, never accessed. */
    private static final class OtherPrimitive implements Primitive {
        @Override
        public void init(PrimitiveContext ctx) {
            for (int t = 0; t < ctx.targetCount(); t++) {
                ctx.target(t).initRegions(0x100000, 0x200000);
            }
        }

        @Override
        public void checkAccesses(PrimitiveContext ctx) {
        }
    }

    /** Keeps what callbacks see as primitive properties at each start: what the recorder writes. */
    private static final class PropertiesCallback implements Callback {
        final List<Map<String, String>> seen = new CopyOnWriteArrayList<>();

        @Override
        public CallbackResult beforeStart(ContextView view) {
            seen.add(view.primitiveProperties());
            return CallbackResult.CONTINUE;
        }
    }

    @Test
    void aSecondProviderIsWarnedAboutAndASwitchIsSaid() throws Exception {
        Bundle first = installPrimitive();
        String firstProvider = first.getSymbolicName() + " " + first.getVersion();
        String secondProvider = bundleContext.getBundle().getSymbolicName() + " " + bundleContext.getBundle().getVersion();

        PropertiesCallback callback = new PropertiesCallback();
        Hashtable<String, Object> callbackProps = new Hashtable<>();
        callbackProps.put(Callback.SERVICE_PROPERTY, "properties");
        ServiceRegistration<Callback> callbackReg = bundleContext.registerService(Callback.class, callback,
                callbackProps);
        Hashtable<String, Object> p = fastContext("half");
        p.put("callbacks", new String[] { "properties" });
        configure("provided", p);

        ContextStatus running = awaitStatus("provided", ContextState.RUNNING, s -> s.samples() > 0, "sampling");
        assertThat(running.primitiveProperties()).containsEntry("provider", firstProvider).containsKey("space");
        await("the callback saw the start", () -> !callback.seen.isEmpty());
        assertThat(callback.seen.get(0)).containsEntry("provider", firstProvider);

        // a second provider of the same name: warned about, naming both bundles and versions; nothing switches
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Primitive.SERVICE_PROPERTY, PRIMITIVE);
        ServiceRegistration<Primitive> second = bundleContext.registerService(Primitive.class, new OtherPrimitive(),
                props);
        try {
            await("a warning about two providers", () -> log.stream().anyMatch(l -> l.contains("share the name 'itest'")));
            String warning = log.stream().filter(l -> l.contains("share the name 'itest'")).findFirst().orElseThrow();
            assertThat(warning).contains("bundle " + firstProvider).contains("bundle " + secondProvider)
                    .contains("is used");
            assertThat(status("provided").orElseThrow().primitiveProperties()).containsEntry("provider",
                    firstProvider);

            // the first provider leaves: the context switches to the second, and says so
            first.stop();
            ContextStatus switched = awaitStatus("provided", ContextState.RUNNING,
                    s -> secondProvider.equals(s.primitiveProperties().get("provider")) && s.samples() > 0,
                    "sampling with the second provider");
            assertThat(switched.primitiveProperties()).containsEntry("previousProvider", firstProvider)
                    .doesNotContainKey("space");
            assertThat(switched.detail()).contains("primitive 'itest' is now provided by " + secondProvider + " (was "
                    + firstProvider + ")");
            assertThat(log).anySatisfy(l -> assertThat(l).contains("context 'provided'")
                    .contains("is now provided by bundle " + secondProvider).contains("before by " + firstProvider));
            await("the callback saw the restart", () -> callback.seen.size() == 2);
            assertThat(callback.seen.get(1)).containsEntry("provider", secondProvider)
                    .containsEntry("previousProvider", firstProvider);
        } finally {
            second.unregister();
            callbackReg.unregister();
        }
    }
}
