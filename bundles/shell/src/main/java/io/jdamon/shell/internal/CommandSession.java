package io.jdamon.shell.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import io.jdamon.api.MonitoringEngine;

/**
 * Runs the command the {@code jdamon} launcher was started for, inside the
 * framework, through the services.
 *
 * <p>The launcher passes the command in the framework properties
 * {@value #COMMAND_PROPERTY} and {@value #ARGS_PROPERTY} (each argument
 * URL-encoded, separated by spaces), and registers a
 * {@link java.util.function.IntConsumer} service with
 * {@value #EXIT_PROPERTY}{@code =true} that takes the exit status. This
 * component registers a {@link Runnable} with
 * {@value #INTERRUPT_PROPERTY}{@code =true} that the launcher runs on Ctrl-C;
 * the command then ends cleanly, reports its status and stops the framework.
 * Only JDK types cross between the launcher and the framework.
 */
@Component(immediate = true, service = {})
public final class CommandSession {

    /** Framework property: the command to run, e.g. {@code record}. */
    public static final String COMMAND_PROPERTY = "jdamon.command";
    /** Framework property: its arguments, URL-encoded, separated by single spaces. */
    public static final String ARGS_PROPERTY = "jdamon.args";
    /**
     * Framework property: how many arguments {@value #ARGS_PROPERTY} holds (so that one empty
     * argument is not taken for none); absent from older launchers.
     */
    public static final String ARG_COUNT_PROPERTY = "jdamon.args.count";
    /** Framework property: {@code true} if standard output is a terminal. */
    public static final String TTY_PROPERTY = "jdamon.tty";
    /** Service property of the launcher's IntConsumer that takes the exit status. */
    public static final String EXIT_PROPERTY = "jdamon.exit";
    /** Service property of this component's Runnable that asks the command to stop. */
    public static final String INTERRUPT_PROPERTY = "jdamon.command.interrupt";

    /** The command runs once per framework, even if this component is activated again. */
    private static final AtomicBoolean TAKEN = new AtomicBoolean();

    /** The factory PID of the configuration that marks the end of a command's configuration events. */
    static final String DRAIN_MARKER_PID = "io.jdamon.command.end";
    private static final long DRAIN_WAIT_MS = 5_000;

    private final BundleContext bundleContext;
    private final ConfigurationAdmin configurationAdmin;
    private final AtomicBoolean stopAsked = new AtomicBoolean();
    private Thread thread;
    private ServiceRegistration<Runnable> interrupt;

    @Activate
    public CommandSession(BundleContext bundleContext, @Reference ConfigurationAdmin configurationAdmin,
            @Reference MonitoringEngine engine) {
        this.bundleContext = bundleContext;
        this.configurationAdmin = configurationAdmin;
        String command = bundleContext.getProperty(COMMAND_PROPERTY);
        if (command == null || command.isBlank() || !TAKEN.compareAndSet(false, true)) {
            return;
        }
        String[] args = decode(bundleContext.getProperty(ARGS_PROPERTY), bundleContext.getProperty(ARG_COUNT_PROPERTY));
        boolean tty = Boolean.parseBoolean(bundleContext.getProperty(TTY_PROPERTY));
        PrintStream out = System.out;
        PrintStream err = System.err;
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(INTERRUPT_PROPERTY, Boolean.TRUE);
        interrupt = bundleContext.registerService(Runnable.class, () -> stopAsked.set(true), props);
        thread = new Thread(() -> {
            int code;
            try {
                code = switch (command) {
                    case "record" -> new RecordCommand(bundleContext, configurationAdmin, engine)
                            .run(args, out, err, stopAsked::get, tty);
                    default -> {
                        err.println("jdamon: unknown command '" + command + "'; run jdamon --help");
                        yield 2;
                    }
                };
            } catch (RuntimeException | Error e) {
                err.println("jdamon " + command + ": failed: " + e);
                code = 1;
            }
            out.flush();
            finish(code);
        }, "jdamon-" + command);
        thread.start();
    }

    /** Reports the exit status to the launcher and stops the framework. */
    private void finish(int code) {
        try {
            Collection<ServiceReference<IntConsumer>> refs = bundleContext.getServiceReferences(IntConsumer.class,
                    "(" + EXIT_PROPERTY + "=true)");
            for (ServiceReference<IntConsumer> ref : refs) {
                IntConsumer exit = bundleContext.getService(ref);
                if (exit != null) {
                    exit.accept(code);
                    bundleContext.ungetService(ref);
                }
            }
            drainConfigurationEvents();
            bundleContext.getBundle(0).stop();
        } catch (InvalidSyntaxException | BundleException | IllegalStateException e) {
            // the framework is already stopping
        }
    }

    /**
     * Waits until Config Admin has delivered the command's configuration deletions to every
     * listener. It delivers events on a thread of its own, in order; were the framework to stop the
     * listeners' bundles (SCR, FileInstall) first, the last deletions would go to listeners already
     * gone, and Config Admin prints an error with a stack trace. So a marker configuration is made
     * and deleted, and its deletion awaited: every earlier event was delivered before it.
     */
    private void drainConfigurationEvents() {
        CountDownLatch delivered = new CountDownLatch(1);
        String[] markerPid = new String[1];
        ServiceRegistration<ConfigurationListener> listener = null;
        try {
            listener = bundleContext.registerService(ConfigurationListener.class, event -> {
                if (event.getType() == ConfigurationEvent.CM_DELETED && event.getPid().equals(markerPid[0])) {
                    delivered.countDown();
                }
            }, null);
            Configuration marker = configurationAdmin.createFactoryConfiguration(DRAIN_MARKER_PID, null);
            markerPid[0] = marker.getPid();
            marker.update(new Hashtable<>(java.util.Map.of("purpose", "marks the end of a command's events")));
            marker.delete();
            delivered.await(DRAIN_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (IOException | IllegalStateException e) {
            // Config Admin is going away already: nothing more will be delivered
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (listener != null) {
                try {
                    listener.unregister();
                } catch (IllegalStateException e) {
                    // unregistered with the bundle
                }
            }
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        stopAsked.set(true);
        if (thread != null) {
            thread.join(30_000);
        }
        if (interrupt != null) {
            try {
                interrupt.unregister();
            } catch (IllegalStateException alreadyGone) {
                // unregistered with the bundle
            }
        }
    }

    /**
     * @param count how many arguments there are, or null if the launcher did not say
     * @return the arguments as the launcher encoded them
     */
    static String[] decode(String encoded, String count) {
        if (encoded == null || encoded.isEmpty() && (count == null || count.trim().equals("0"))) {
            return new String[0];
        }
        List<String> args = new ArrayList<>();
        for (String part : encoded.split(" ", -1)) {
            args.add(URLDecoder.decode(part, StandardCharsets.UTF_8));
        }
        return args.toArray(String[]::new);
    }
}
