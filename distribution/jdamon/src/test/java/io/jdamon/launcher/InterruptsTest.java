package io.jdamon.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;

/**
 * The launcher's Ctrl-C / SIGTERM handling: a signal landing while the
 * framework stops throws nothing (no stack trace on the terminal), and a
 * command that does not end after a signal still ends the JVM.
 */
class InterruptsTest {

    /**
     * A framework caught stopping: the first getBundleContext() still answers with a context that
     * lists the command's stop service but is invalid by the time it is asked for it; later calls
     * answer null, as a stopped framework does.
     */
    private static Framework stopping(AtomicInteger stops) {
        ServiceReference<?> ref = (ServiceReference<?>) Proxy.newProxyInstance(InterruptsTest.class.getClassLoader(),
                new Class<?>[] {ServiceReference.class}, (p, m, a) -> null);
        BundleContext context = (BundleContext) Proxy.newProxyInstance(InterruptsTest.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (p, m, a) -> switch (m.getName()) {
                    case "getServiceReferences" -> List.of(ref);
                    case "getService" -> throw new IllegalStateException("Invalid BundleContext.");
                    default -> null;
                });
        AtomicInteger calls = new AtomicInteger();
        return (Framework) Proxy.newProxyInstance(InterruptsTest.class.getClassLoader(),
                new Class<?>[] {Framework.class}, (p, m, a) -> switch (m.getName()) {
                    case "getBundleContext" -> calls.getAndIncrement() == 0 ? context : null;
                    case "stop" -> {
                        stops.incrementAndGet();
                        yield null;
                    }
                    default -> null;
                });
    }

    @Test
    void aSignalWhileTheFrameworkStopsThrowsNothing() {
        AtomicInteger stops = new AtomicInteger();
        BlockingQueue<Integer> halts = new ArrayBlockingQueue<>(4);
        Main.Interrupts interrupts = new Main.Interrupts(stopping(stops), TimeUnit.HOURS.toNanos(1), halts::add);

        assertThatCode(() -> interrupts.interrupted("INT")).doesNotThrowAnyException();
        assertThat(stops).as("no stop service to ask: the framework is stopped instead").hasValue(1);
        assertThatCode(() -> interrupts.interrupted("INT")).doesNotThrowAnyException();
        assertThat(halts).as("the second signal stops, it does not halt").isEmpty();
        assertThatCode(() -> interrupts.interrupted("INT")).doesNotThrowAnyException();
        assertThat(halts).as("the third ends the JVM").containsExactly(Main.Interrupts.SIGNAL_EXIT);
    }

    @Test
    void aCommandThatIgnoresTheSignalIsEndedAfterTwoGraceTimes() throws Exception {
        AtomicInteger stops = new AtomicInteger();
        Runnable ignored = () -> { }; // the command is asked to stop and never does
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (p, m, a) -> switch (m.getName()) {
                    case "getServiceReferences" -> List.of(Proxy.newProxyInstance(getClass().getClassLoader(),
                            new Class<?>[] {ServiceReference.class}, (q, n, b) -> null));
                    case "getService" -> ignored;
                    default -> null;
                });
        Framework framework = (Framework) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Framework.class}, (p, m, a) -> switch (m.getName()) {
                    case "getBundleContext" -> context;
                    case "stop" -> {
                        stops.incrementAndGet(); // and it does not stop either
                        yield null;
                    }
                    default -> null;
                });
        BlockingQueue<Integer> halts = new ArrayBlockingQueue<>(4);
        long grace = TimeUnit.MILLISECONDS.toNanos(200);
        Main.Interrupts interrupts = new Main.Interrupts(framework, grace, halts::add);

        long begin = System.nanoTime();
        interrupts.interrupted("TERM");
        assertThat(stops).as("the first signal asks the command only").hasValue(0);
        Integer status = halts.poll(30, TimeUnit.SECONDS);
        assertThat(status).as("the JVM is ended").isEqualTo(Main.Interrupts.SIGNAL_EXIT);
        assertThat(System.nanoTime() - begin).as("after two grace times").isGreaterThanOrEqualTo(2 * grace);
        assertThat(stops).as("after the framework was asked to stop").hasValue(1);
    }
}
