package io.jdamon.shell.internal;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

import io.jdamon.api.MonitoringEngine;

/**
 * Gogo commands for the container ({@code jdamon container}), also usable in
 * Karaf's shell: {@code jdamon:status [-v]}, {@code jdamon:start NAME},
 * {@code jdamon:stop NAME}, {@code jdamon:tune NAME KEY=VALUE...},
 * {@code jdamon:report heatmap|wss|access NAME} (see {@link ControlCommands}),
 * and {@code jdamon:record} as {@code jdamon record} on the command line;
 * {@link CommandRegistrations} registers them. Output goes to the session's
 * {@code System.out} (Gogo redirects it per session; Karaf's {@code bin/client}
 * prints no return values in batch mode). A command that fails throws
 * {@link CommandFailedException} with the message, so the shell shows it as an
 * error and {@code bin/client} exits non-zero.
 */
public final class JdamonCommands {

    /** A command that could not be done; the message is what it printed to explain why. */
    public static final class CommandFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CommandFailedException(String message) {
            super(message);
        }
    }

    private final BundleContext bundleContext;
    private final ConfigurationAdmin configurationAdmin;
    private final MonitoringEngine engine;
    private final ContextControl control;

    public JdamonCommands(BundleContext bundleContext, ConfigurationAdmin configurationAdmin,
            MonitoringEngine engine) {
        this.bundleContext = bundleContext;
        this.configurationAdmin = configurationAdmin;
        this.engine = engine;
        this.control = new ContextControl(engine);
    }

    /** {@code jdamon:status [-v]}: one line per context; {@code -v} adds attributes, sensor, costs, regions. */
    public void status(String... args) {
        run("status", args);
    }

    /** {@code jdamon:start NAME}: starts a stopped context again. */
    public void start(String... args) {
        run("start", args);
    }

    /** {@code jdamon:stop NAME}: stops a running context; its configuration stays. */
    public void stop(String... args) {
        run("stop", args);
    }

    /** {@code jdamon:tune NAME KEY=VALUE...}: changes attributes online, from the next aggregation. */
    public void tune(String... args) {
        run("tune", args);
    }

    /** {@code jdamon:report heatmap|wss|access NAME [options]}: a report on a running context, no file. */
    public void report(String... args) {
        run("report", args);
    }

    private void run(String command, String... args) {
        List<String> argv = new ArrayList<>(List.of(command));
        argv.addAll(List.of(args));
        runOrThrow(control, argv);
    }

    /**
     * Runs a management command line, printing to {@code System.out} and {@code System.err}.
     *
     * @throws CommandFailedException with what the command said, if it did not do it
     */
    static void runOrThrow(ContextControl control, List<String> argv) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream out = System.out;
        int status = ControlCommands.run(control, argv, out, new PrintStream(err, true, StandardCharsets.UTF_8));
        out.flush();
        if (status != 0) {
            throw new CommandFailedException(err.toString(StandardCharsets.UTF_8).trim());
        }
        System.err.print(err.toString(StandardCharsets.UTF_8));
    }


    /**
     * {@code jdamon:record [options]}: records in the foreground, as
     * {@code jdamon record}; give a {@code --duration} (the shell's Ctrl-C
     * does not reach it).
     */
    public int record(String... args) {
        PrintStream out = System.out;
        return new RecordCommand(bundleContext, configurationAdmin, engine).run(args, out, System.err,
                () -> Thread.currentThread().isInterrupted(), false);
    }
}
