package io.jdamon.shell.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.ContextStatus;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.MonitoringEngine;

/**
 * Gogo commands for the container ({@code jdamon container}), also usable in
 * Karaf's shell: {@code jdamon:status} lists every context, and
 * {@code jdamon:record} records like {@code jdamon record} on the command line.
 */
@Component(service = JdamonCommands.class, property = {
    "osgi.command.scope=jdamon",
    "osgi.command.function=status",
    "osgi.command.function=record"
})
public final class JdamonCommands {

    private final BundleContext bundleContext;
    private final ConfigurationAdmin configurationAdmin;
    private final MonitoringEngine engine;

    @Activate
    public JdamonCommands(BundleContext bundleContext, @Reference ConfigurationAdmin configurationAdmin,
            @Reference MonitoringEngine engine) {
        this.bundleContext = bundleContext;
        this.configurationAdmin = configurationAdmin;
        this.engine = engine;
    }

    /**
     * {@code jdamon:status}: one line per context, then its detail if any,
     * printed to the session's output (Gogo redirects {@code System.out} per
     * session): Karaf's {@code bin/client} prints no return values in batch mode.
     */
    public void status() {
        System.out.print(status(engine));
        System.out.flush();
    }

    static String status(MonitoringEngine engine) {
        StringBuilder b = new StringBuilder();
        // one look: contexts come and go meanwhile, and "no contexts" must not precede one
        List<ContextStatus> statuses = engine.statuses();
        if (statuses.isEmpty()) {
            b.append("no contexts; drop a io.jdamon.context-<name>.cfg into deploy/ (see the README)\n");
        }
        for (ContextStatus s : statuses) {
            Optional<AggregationSnapshot> last = engine.context(s.name()).flatMap(MonitoringContext::lastAggregation);
            b.append(String.format("%-20s %-8s primitive=%s samples=%d aggregations=%d regions=%d wss=%s%s%n",
                    s.name(), s.state(), s.primitiveName(), s.samples(), s.aggregations(), s.regions(),
                    last.map(a -> Progress.bytes(a.effectiveWorkingSetBytes())).orElse("-"),
                    s.stopReason().map(r -> " stopped=" + r).orElse("")));
            if (!s.detail().isEmpty()) {
                b.append("    ").append(s.detail()).append('\n');
            }
        }
        return b.toString();
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
