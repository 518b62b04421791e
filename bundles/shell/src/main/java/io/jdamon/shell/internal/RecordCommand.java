package io.jdamon.shell.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.Callback;
import io.jdamon.api.Configurations;
import io.jdamon.api.ContextState;
import io.jdamon.api.ContextStatus;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.MonitoringEngine;
import io.jdamon.api.StopReason;
import io.jdamon.units.UnitFormat;
import io.jdamon.record.RecordingCallback;

/**
 * {@code jdamon record}: configures a recorder ({@value #RECORDER_FACTORY_PID})
 * and a monitoring context ({@value #CONTEXT_FACTORY_PID}) through Config
 * Admin, shows progress, and ends at the duration, when the target ends, or
 * when asked to, removing both configurations so the record file is finished.
 */
public final class RecordCommand {

    /** The factory PID of monitoring contexts (the core bundle's). */
    public static final String CONTEXT_FACTORY_PID = Configurations.CONTEXT_FACTORY_PID;
    /** The factory PID of recorders (the record bundle's). */
    public static final String RECORDER_FACTORY_PID = Configurations.RECORDER_FACTORY_PID;

    /** How long a context may wait for its primitive before the recording gives up. */
    static final long PRIMITIVE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(15);
    /** How long to wait for a service to come or go, or a context to stop. */
    static final long SERVICE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(15);
    /** After a started command exited, how long the context may take to notice. */
    static final long TARGET_EXIT_GRACE_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final long POLL_MILLIS = 50;

    private final BundleContext bundleContext;
    private final ConfigurationAdmin configurationAdmin;
    private final MonitoringEngine engine;

    public RecordCommand(BundleContext bundleContext, ConfigurationAdmin configurationAdmin, MonitoringEngine engine) {
        this.bundleContext = bundleContext;
        this.configurationAdmin = configurationAdmin;
        this.engine = engine;
    }

    /**
     * Runs {@code jdamon record}.
     *
     * @param stopAsked true once the user asked to stop (Ctrl-C); checked often
     * @param tty whether {@code out} is a terminal (one updating progress line) or not (periodic lines)
     * @return 0 when recorded (whatever ended it), 1 when the recording failed, 2 for bad arguments
     */
    public int run(String[] args, PrintStream out, PrintStream err, BooleanSupplier stopAsked, boolean tty) {
        int checked = RecordArguments.run(args, out, err);
        if (checked != RecordArguments.FINE) {
            return checked;
        }
        RecordOptions options = RecordOptions.parse(args);
        Path file;
        try {
            file = Path.of(options.out()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            err.println("jdamon record: -o '" + options.out() + "' is not a valid file name (" + e.getReason()
                    + "); give a file name such as damon.data");
            return 2;
        }
        Path dir = file.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            err.println("jdamon record: cannot write " + file + ": the folder " + dir
                    + " does not exist; create it or choose another -o");
            return 1;
        }
        if (Files.isDirectory(file)) {
            err.println("jdamon record: cannot write " + file + ": it is a folder; give a file name with -o");
            return 1;
        }
        String blocking = blockingKind(file);
        if (blocking != null) {
            // opening one for writing waits for a reader, for ever: the recording would hang before it began
            err.println("jdamon record: cannot write " + file + ": it is a " + blocking + ", and a record is a "
                    + "file that report reads back; give a regular file name with -o");
            return 1;
        }

        Process child = null;
        CommandGate gate = null;
        List<String> targets = options.targets();
        if (!options.command().isEmpty()) {
            String program = options.command().get(0);
            String problem = unstartable(program);
            if (problem != null) {
                err.println("jdamon record: cannot start '" + program + "': " + problem
                        + "; check the command name and that it is executable");
                return 2;
            }
            try {
                ProcessBuilder pb;
                try {
                    pb = commandProcess(options);
                } catch (IllegalStateException noShim) {
                    err.println("jdamon record: --sensor " + options.sensor() + ": " + noShim.getMessage());
                    return 1;
                }
                if (!options.needsUffdShim()) { // the shim's userfaultfd must be the command's, made after exec
                    gate = CommandGate.create(gatePath());
                    pb.command(gate.wrap(pb.command()));
                }
                child = pb.start();
            } catch (IOException e) {
                if (gate != null) {
                    gate.close();
                }
                err.println("jdamon record: cannot start '" + String.join(" ", options.command()) + "': "
                        + e.getMessage() + "; check the command name and that it is executable");
                return 2;
            }
            targets = List.of(options.vaddrTarget(child.pid()));
        }
        try {
            return record(options, targets, file, child, gate, out, err, stopAsked, tty);
        } finally {
            if (gate != null) {
                gate.close(); // a gate still waiting reads end of file and exits without running the command
            }
            if (child != null && child.isAlive()) {
                child.destroy();
                try {
                    if (!child.waitFor(5, TimeUnit.SECONDS)) {
                        child.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    child.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** @return where the gate's FIFO goes: the bundle's private data area (removed with the framework's cache) */
    private Path gatePath() throws IOException {
        java.io.File data = bundleContext.getDataFile("");
        Path folder = data != null ? data.toPath() : Files.createTempDirectory("jdamon-gate-");
        Files.createDirectories(folder);
        return folder.resolve("gate-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".fifo");
    }

    /** @return why {@code program} cannot be started (as {@code execvp} would look for it), or null if it can */
    static String unstartable(String program) {
        if (program.isEmpty()) {
            return "the command name is empty";
        }
        if (program.contains("/")) {
            Path p = Path.of(program);
            if (!Files.exists(p)) {
                return "no such file";
            }
            return Files.isRegularFile(p) && Files.isExecutable(p) ? null : "not an executable file";
        }
        String path = System.getenv("PATH");
        for (String d : (path == null ? "/usr/bin:/bin" : path).split(":", -1)) {
            Path p = Path.of(d.isEmpty() ? "." : d).resolve(program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return null;
            }
        }
        return "no such program on the PATH";
    }

    /** The file type bits of {@code st_mode}, and those of a FIFO and a socket. */
    private static final int S_IFMT = 0170000, S_IFIFO = 0010000, S_IFSOCK = 0140000;

    /** @return "FIFO (named pipe)" or "socket" if {@code file} is one (an open for writing would block), else null */
    static String blockingKind(Path file) {
        if (!Files.exists(file) || Files.isRegularFile(file)) {
            return null;
        }
        try {
            int type = ((Integer) Files.getAttribute(file, "unix:mode")) & S_IFMT;
            return type == S_IFIFO ? "FIFO (named pipe)" : type == S_IFSOCK ? "socket" : null;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return null; // no unix view: the recorder's own checks apply
        }
    }

    /**
     * @return how to start the command of {@code options}: its I/O inherited, and for
     *     {@code --sensor uffd-write} with jdamon's userfaultfd preload shim in {@code LD_PRELOAD}
     * @throws IllegalStateException if the shim is needed but cannot be had; the message says why and what to do
     */
    static ProcessBuilder commandProcess(RecordOptions options) {
        ProcessBuilder pb = new ProcessBuilder(options.command()).inheritIO();
        if (options.needsUffdShim() || options.wantsUffdShim()) {
            String problem = UffdShimLauncher.preload(pb);
            if (problem != null && options.needsUffdShim()) {
                throw new IllegalStateException(problem);
            }
            if (problem != null) {
                LOG.log(System.Logger.Level.INFO, () -> "sensor auto: the command is started without jdamon's "
                        + "userfaultfd shim (" + problem + "), so uffd-write cannot be combined with referenced");
            }
        }
        return pb;
    }

    private static final System.Logger LOG = System.getLogger(RecordCommand.class.getName());

    private int record(RecordOptions options, List<String> targets, Path file, Process child, CommandGate gate,
            PrintStream out, PrintStream err, BooleanSupplier stopAsked, boolean tty) {
        String contextName = freeContextName();
        String recorderName = "jdamon-" + contextName;
        String gateName = recorderName + "-gate";
        ServiceRegistration<Callback> gateRegistration = null;
        Configuration recorderConfig = null;
        Configuration contextConfig = null;
        ServiceReference<Callback> recorderRef = null;
        RecordingCallback recorder = null;
        Progress progress = new Progress(out, tty, options.durationUs());
        String ending = null;
        int code = 0;
        List<String> schemeLines = List.of();
        long snapshots = 0;
        try {
            // 1. the recorder, and wait until its callback service is there
            recorderConfig = configurationAdmin.getFactoryConfiguration(RECORDER_FACTORY_PID, recorderName, "?");
            Dictionary<String, Object> rp = new Hashtable<>();
            rp.put(Configurations.Recorder.NAME, recorderName);
            rp.put(Configurations.Recorder.FILE, file.toString());
            rp.put(Configurations.Recorder.OUTPUT_TYPE, options.outputType());
            recorderConfig.update(rp);
            recorderRef = awaitCallback(recorderName, stopAsked);
            if (recorderRef == null) {
                err.println("jdamon record: the recorder did not start within "
                        + TimeUnit.NANOSECONDS.toSeconds(SERVICE_WAIT_NANOS) + " s; check that bundle/"
                        + "io.jdamon.record.jar is installed and active (jdamon container, then 'lb')");
                return 1;
            }
            if (bundleContext.getService(recorderRef) instanceof RecordingCallback r) {
                recorder = r;
            }

            // 2. the context
            MonitoringAttributes a = options.attributes();
            contextConfig = configurationAdmin.getFactoryConfiguration(CONTEXT_FACTORY_PID, contextName, "?");
            Dictionary<String, Object> cp = new Hashtable<>();
            cp.put(Configurations.Context.NAME, contextName);
            cp.put(Configurations.Context.PRIMITIVE, options.primitive());
            cp.put(Configurations.Context.TARGETS, targets.toArray(String[]::new));
            cp.put(Configurations.Context.SAMPLE_INTERVAL_US, a.sampleIntervalUs());
            cp.put(Configurations.Context.AGGREGATION_INTERVAL_US, a.aggregationIntervalUs());
            cp.put(Configurations.Context.UPDATE_INTERVAL_US, a.updateIntervalUs());
            cp.put(Configurations.Context.MIN_NR_REGIONS, a.minNrRegions());
            cp.put(Configurations.Context.MAX_NR_REGIONS, a.maxNrRegions());
            if (a.intervalsGoal().aggrs() > 0) {
                cp.put(Configurations.Context.INTERVALS_GOAL_AGGRS, a.intervalsGoal().aggrs());
                cp.put(Configurations.Context.INTERVALS_GOAL_ACCESS_BP, a.intervalsGoal().accessBp());
                cp.put(Configurations.Context.INTERVALS_GOAL_MIN_SAMPLE_US, a.intervalsGoal().minSampleUs());
                cp.put(Configurations.Context.INTERVALS_GOAL_MAX_SAMPLE_US, a.intervalsGoal().maxSampleUs());
            }
            if (!options.schemeFlags().isEmpty()) {
                cp.put(Configurations.Context.SCHEMES, String.join(" ", options.schemeFlags()));
            }
            if (gate != null) {
                // after the recorder: the command runs once the file is started and before the first sample
                Dictionary<String, Object> gp = new Hashtable<>();
                gp.put(Callback.SERVICE_PROPERTY, gateName);
                gateRegistration = bundleContext.registerService(Callback.class, gate, gp);
            }
            cp.put(Configurations.Context.CALLBACKS, gate == null ? new String[] {recorderName} : new String[] {recorderName, gateName});
            contextConfig.update(cp);
            out.println("jdamon record: " + options.primitive() + " " + String.join(" ", targets) + ", sample "
                    + UnitFormat.micros(a.sampleIntervalUs()) + ", aggr "
                    + UnitFormat.micros(a.aggregationIntervalUs()) + ", update "
                    + UnitFormat.micros(a.updateIntervalUs()) + ", regions " + a.minNrRegions() + ","
                    + a.maxNrRegions() + (options.durationUs() > 0 ? ", for "
                            + UnitFormat.micros(options.durationUs()) : "") + " -> " + file);

            // 3. watch it
            long begin = System.nanoTime();
            long runningSince = -1;
            long childGoneAt = -1;
            boolean waitingShown = false;
            while (true) {
                long now = System.nanoTime();
                ContextStatus status = status(contextName).orElse(null);
                ContextState state = status == null ? ContextState.WAITING : status.state();
                if (state == ContextState.INVALID) {
                    progress.end();
                    err.println("jdamon record: the context was rejected: " + status.detail());
                    code = 2;
                    break;
                }
                if (state == ContextState.RUNNING && runningSince < 0) {
                    runningSince = now;
                }
                if (status == null && runningSince >= 0) {
                    // removed by someone else (its configuration deleted in the container, the engine stopped)
                    progress.end();
                    err.println("jdamon record: the context '" + contextName + "' went away while recording (its "
                            + "configuration was deleted or the engine stopped); what was recorded stays in " + file);
                    code = 1;
                    break;
                }
                if (runningSince >= 0) {
                    MonitoringContext ctx = engine.context(contextName).orElse(null);
                    Optional<AggregationSnapshot> last = ctx == null ? Optional.empty() : ctx.lastAggregation();
                    snapshots = status.aggregations();
                    progress.update(now - runningSince, snapshots, status.regions(),
                            last.map(AggregationSnapshot::workingSetBytes).orElse(-1L));
                }
                if ((state == ContextState.STOPPED || state == ContextState.ABANDONED) && status.stopReason().isPresent()) {
                    progress.end();
                    StopReason reason = status.stopReason().orElse(StopReason.STOP_REQUESTED);
                    if (reason == StopReason.TARGETS_INVALID) {
                        ending = child != null ? "the command exited" : "the target ended";
                    } else if (reason == StopReason.CALLBACK_REQUESTED) {
                        String why = recorder != null ? recorder.lastError().orElse(status.detail())
                                : status.detail();
                        err.println("jdamon record: recording stopped: " + why);
                        code = 1;
                    } else if (reason == StopReason.STOP_REQUESTED) {
                        ending = "stopped";
                    } else {
                        err.println("jdamon record: monitoring stopped (" + reason + "): " + status.detail());
                        code = 1;
                    }
                    break;
                }
                if (state == ContextState.WAITING || state == ContextState.READY) {
                    if (!waitingShown && now - begin > TimeUnit.SECONDS.toNanos(3)) {
                        out.println("jdamon record: waiting: " + (status == null ? "the context is not there yet"
                                : status.detail()));
                        waitingShown = true;
                    }
                    if (now - begin > PRIMITIVE_WAIT_NANOS) {
                        err.println("jdamon record: monitoring did not start within "
                                + TimeUnit.NANOSECONDS.toSeconds(PRIMITIVE_WAIT_NANOS) + " s: "
                                + (status == null ? "no context status" : status.state() + " " + status.detail())
                                + "; check that the primitive '" + options.primitive() + "' is installed "
                                + "(bundle/ or deploy/)");
                        code = 1;
                        break;
                    }
                }
                if (runningSince >= 0 && options.durationUs() > 0
                        && (now - runningSince) / 1_000 >= options.durationUs()) { // durationUs * 1000 may overflow
                    progress.end();
                    ending = "duration reached";
                    break;
                }
                if (stopAsked.getAsBoolean()) {
                    progress.end();
                    ending = "interrupted";
                    break;
                }
                if (child != null && !child.isAlive()) {
                    if (childGoneAt < 0) {
                        childGoneAt = now;
                    } else if (now - childGoneAt > TARGET_EXIT_GRACE_NANOS) {
                        progress.end();
                        ending = "the command exited";
                        break;
                    }
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (IOException e) {
            progress.end();
            err.println("jdamon record: Config Admin refused the configuration: " + e.getMessage());
            code = 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            progress.end();
            ending = "interrupted";
        } finally {
            // what the schemes did, read before the context goes with its configuration
            schemeLines = engine.context(contextName).map(c -> c.schemeStats().stream()
                    .map(st -> ContextControl.scheme(st, c.schemes())).toList()).orElse(List.of());
            // deleting the context configuration stops the context; its recorder finishes the file
            deleteAndWait(contextConfig, () -> engine.context(contextName).isEmpty());
            if (recorder != null) {
                snapshots = Math.max(snapshots, recorder.snapshotsWritten());
            }
            if (recorderRef != null) {
                try {
                    bundleContext.ungetService(recorderRef);
                } catch (IllegalStateException bundleStopping) {
                    // nothing to release any more
                }
            }
            deleteAndWait(recorderConfig, () -> findCallback(recorderName) == null);
            if (gateRegistration != null) {
                try {
                    gateRegistration.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // unregistered with the bundle
                }
            }
        }
        if (ending != null) {
            out.println("jdamon record: " + ending + "; " + snapshots + " snapshots recorded to " + file
                    + (recorder == null ? "" : recorder.lastMovedAside()
                            .map(p -> " (the file there before was moved aside to " + p + ")").orElse("")));
            for (String line : schemeLines) {
                out.println("  " + line);
            }
            out.println("  next: jdamon report heatmap -i " + options.out() + "   (or: report wss, report access)");
        }
        return code;
    }

    private String freeContextName() {
        String name = "record";
        for (int i = 2; engine.context(name).isPresent() || statusNamed(name); i++) {
            name = "record-" + i;
        }
        return name;
    }

    private boolean statusNamed(String name) {
        return status(name).isPresent();
    }

    private Optional<ContextStatus> status(String name) {
        for (ContextStatus s : engine.statuses()) {
            if (s.name().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private ServiceReference<Callback> awaitCallback(String name, BooleanSupplier stopAsked)
            throws InterruptedException {
        long deadline = System.nanoTime() + SERVICE_WAIT_NANOS;
        while (System.nanoTime() < deadline && !stopAsked.getAsBoolean()) {
            ServiceReference<Callback> ref = findCallback(name);
            if (ref != null) {
                return ref;
            }
            Thread.sleep(20);
        }
        return null;
    }

    private ServiceReference<Callback> findCallback(String name) {
        try {
            for (ServiceReference<Callback> ref : bundleContext.getServiceReferences(Callback.class,
                    "(" + Callback.SERVICE_PROPERTY + "=" + name + ")")) {
                return ref;
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("bad filter for callback name " + name, e);
        } catch (IllegalStateException bundleStopping) {
            return null;
        }
        return null;
    }

    private static void deleteAndWait(Configuration config, BooleanSupplier gone) {
        if (config == null) {
            return;
        }
        try {
            config.delete();
        } catch (IOException | IllegalStateException e) {
            return; // already deleted, or Config Admin is going away with everything else
        }
        long deadline = System.nanoTime() + SERVICE_WAIT_NANOS;
        boolean interrupted = false;
        while (System.nanoTime() < deadline && !gone.getAsBoolean()) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                interrupted = true; // finish the wait: the record file must be complete
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
