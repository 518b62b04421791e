package io.jdamon.shell.internal;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.MonitoringContext;
import io.jdamon.report.AccessReport;
import io.jdamon.report.Heatmap;
import io.jdamon.report.WorkingSetSize;
import io.jdamon.shell.internal.ContextControl.ControlException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The management commands, parsed one way for every surface: the Gogo
 * functions {@code jdamon:status|start|stop|tune|report} and the local channel
 * that {@code bin/jdamon status|start|stop|tune|report} talks to. Exit status
 * 0 when done, 1 when the request could not be done (the message says why), 2
 * for a command line that does not parse (the message and the usage).
 */
@Command(name = "jdamon", description = "Commands on the contexts of a running jdamon container.")
final class ControlCommands implements Callable<Integer> {

    /** The commands this class runs, as the first word of a command line. */
    static final List<String> NAMES = List.of("status", "start", "stop", "tune", "report");

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
    boolean help;
    @Spec
    CommandSpec spec;

    /** No command was given. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("jdamon: give a command: " + String.join(", ", NAMES));
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /**
     * Runs one command line.
     *
     * @param argv the command's name (one of {@link #NAMES}) and its arguments
     * @return the exit status: 0 done, 1 not done, 2 bad usage
     */
    static int run(ContextControl control, List<String> argv, PrintStream out, PrintStream err) {
        CommandLine cl = commandLine(control);
        PrintWriter o = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter e = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        cl.setOut(o).setErr(e);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof ControlException) {
                e.println("jdamon " + line.getCommandName() + ": " + ex.getMessage());
                return 1;
            }
            if (ex instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                e.println("jdamon " + line.getCommandName() + ": interrupted");
                return 1;
            }
            throw ex;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            e.println("jdamon " + c.getCommandName() + ": " + ex.getMessage());
            c.usage(e);
            return 2;
        });
        int status = cl.execute(argv.toArray(String[]::new));
        o.flush();
        e.flush();
        return status;
    }

    /** @return the one-line description of a command of {@link #NAMES} */
    static String description(String command) {
        return String.join(" ", commandLine(null).getSubcommands().get(command).getCommandSpec().usageMessage()
                .description());
    }

    /** @return the commands, their context names completed from {@code control} (null: none) */
    private static CommandLine commandLine(ContextControl control) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == ContextNames.class ? type.cast(new ContextNames(control))
                        : CommandLine.defaultFactory().create(type);
            }
        };
        return new CommandLine(new ControlCommands(), factory)
                .addSubcommand(new Status(control))
                .addSubcommand(new Start(control))
                .addSubcommand(new Stop(control))
                .addSubcommand(new Tune(control))
                .addSubcommand(new Report(control));
    }

    /**
     * Completes a command line as it is being typed, from the commands' own
     * picocli model: the commands, their options once a {@code -} is typed, the
     * report types, {@code tune}'s keys and the names of the engine's contexts now. Karaf's tab key and the bash
     * completion of {@code bin/jdamon} (through {@code jdamon complete}) use it.
     *
     * @param words the command and its arguments, e.g. {@code [stop, he]}
     * @param wordIndex the word being completed
     * @param positionInWord the cursor's position in that word
     * @return the words that may stand there, whole and sorted
     */
    static List<String> complete(ContextControl control, List<String> words, int wordIndex, int positionInWord) {
        String typed = wordIndex < words.size() ? words.get(wordIndex).substring(0, positionInWord) : "";
        CommandLine root = commandLine(control);
        List<String> candidates = new ArrayList<>();
        CommandLine command = wordIndex == 0 ? null : root.getSubcommands().get(words.get(0));
        if (wordIndex == 0) {
            candidates.addAll(root.getSubcommands().keySet());
        } else if (command == null) {
            return List.of();
        } else if (typed.startsWith("-")) {
            command.getCommandSpec().options().forEach(o -> candidates.addAll(List.of(o.names())));
        } else {
            // which positional parameter this word is: count the positional words before it, skipping options' values
            int position = 0;
            for (int w = 1; w < wordIndex; w++) {
                Model.OptionSpec option = command.getCommandSpec().findOption(words.get(w));
                if (option != null) {
                    w += Math.max(0, option.arity().max() == Integer.MAX_VALUE ? 0 : option.arity().max());
                } else {
                    position++;
                }
            }
            for (Model.PositionalParamSpec p : command.getCommandSpec().positionalParameters()) {
                if (p.index().contains(position)) {
                    if (p.completionCandidates() != null) {
                        p.completionCandidates().forEach(candidates::add);
                    } else if (p.type().isEnum()) {
                        for (Object e : p.type().getEnumConstants()) {
                            candidates.add(e.toString());
                        }
                    }
                }
            }
        }
        return candidates.stream().filter(c -> c.startsWith(typed)).distinct().sorted().toList();
    }

    /** The names of the contexts, as completion candidates of a NAME parameter; asked when completing. */
    static final class ContextNames implements Iterable<String> {
        private final ContextControl control;

        ContextNames(ContextControl control) {
            this.control = control;
        }

        @Override
        public java.util.Iterator<String> iterator() {
            return (control == null ? List.<String>of() : control.names()).iterator();
        }
    }

    /** {@code tune}'s keys, each with its {@code =}. */
    static final class TuneKeys implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return ContextControl.TUNABLE_KEYS.stream().map(k -> k + "=").iterator();
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, versionProvider = ControlCommands.NoVersion.class, description = "One line per context; -v adds attributes, sensor, costs and regions.")
    static final class Status implements Callable<Integer> {
        private final ContextControl control;
        @Option(names = {"-v", "--verbose"}, description = "attributes, what the primitive said (its sensor), "
                + "run costs and every region of the last aggregation")
        boolean verbose;
        @Option(names = "--names", description = "only the contexts' names, one a line (for scripts and completion)")
        boolean names;

        Status(ContextControl control) {
            this.control = control;
        }

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            if (names) {
                control.names().forEach(spec.commandLine().getOut()::println);
            } else {
                spec.commandLine().getOut().print(control.status(verbose));
            }
            return 0;
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true, versionProvider = ControlCommands.NoVersion.class, description = "Starts a stopped context again, beside the running ones.")
    static final class Start implements Callable<Integer> {
        private final ContextControl control;
        @Parameters(paramLabel = "NAME", description = "the context", completionCandidates = ContextNames.class)
        String name;
        @Spec
        CommandSpec spec;

        Start(ContextControl control) {
            this.control = control;
        }

        @Override
        public Integer call() throws ControlException {
            spec.commandLine().getOut().println(control.start(name));
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, versionProvider = ControlCommands.NoVersion.class, description = "Stops a running context; its configuration stays ('start NAME' resumes).")
    static final class Stop implements Callable<Integer> {
        private final ContextControl control;
        @Parameters(paramLabel = "NAME", description = "the context", completionCandidates = ContextNames.class)
        String name;
        @Spec
        CommandSpec spec;

        Stop(ContextControl control) {
            this.control = control;
        }

        @Override
        public Integer call() throws ControlException, InterruptedException {
            spec.commandLine().getOut().println(control.stop(name));
            return 0;
        }
    }

    @Command(name = "tune", mixinStandardHelpOptions = true, versionProvider = ControlCommands.NoVersion.class, description = "Changes attributes of a context online, from its next aggregation "
            + "(not saved in its configuration).")
    static final class Tune implements Callable<Integer> {
        private final ContextControl control;
        @Parameters(index = "0", paramLabel = "NAME", description = "the context",
                completionCandidates = ContextNames.class)
        String name;
        @Parameters(index = "1..*", paramLabel = "KEY=VALUE", completionCandidates = TuneKeys.class, description = "sampleIntervalUs, "
                + "aggregationIntervalUs, updateIntervalUs (times: 5ms, 1s; bare numbers are us), minNrRegions, "
                + "maxNrRegions; intervals auto-tuning: intervalsGoalAggrs (0: off), intervalsGoalAccessBp, "
                + "intervalsGoalMinSampleUs, intervalsGoalMaxSampleUs")
        List<String> settings = new ArrayList<>();
        @Spec
        CommandSpec spec;

        Tune(ContextControl control) {
            this.control = control;
        }

        @Override
        public Integer call() throws ControlException {
            spec.commandLine().getOut().println(control.tune(name, settings));
            return 0;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true, versionProvider = ControlCommands.NoVersion.class, description = "Reports on a running context from its next aggregations, "
            + "without a record file: heatmap, wss (working set size distribution) or access (last aggregation).")
    static final class Report implements Callable<Integer> {
        private final ContextControl control;
        @Parameters(index = "0", paramLabel = "heatmap|wss|access", description = "the report")
        ReportType type;
        @Parameters(index = "1", paramLabel = "NAME", description = "the context",
                completionCandidates = ContextNames.class)
        String name;
        @Option(names = "--aggregations", paramLabel = "N", description = "aggregations to wait for "
                + "(heatmap, wss; default ${DEFAULT-VALUE})")
        int aggregations = 20;
        @Option(names = "--resol", arity = "2", paramLabel = "N", description = "heatmap rows (time) and columns "
                + "(space); default 20 80")
        int[] resolution = {20, 80};
        @Option(names = "--target", paramLabel = "INDEX", description = "the target (default ${DEFAULT-VALUE})")
        int target = 0;
        @Option(names = "--raw_number", description = "plain bytes instead of units")
        boolean raw;
        @Spec
        CommandSpec spec;

        Report(ContextControl control) {
            this.control = control;
        }

        @Override
        public Integer call() throws ControlException, InterruptedException {
            MonitoringContext context = control.context(name);
            String text;
            try {
                if (type == ReportType.access) {
                    AggregationSnapshot last = LiveReport.last(context);
                    text = AccessReport.toText(last, target, "context " + name + ", last aggregation", raw);
                } else {
                    List<AggregationSnapshot> snapshots = LiveReport.next(context, aggregations);
                    text = type == ReportType.wss
                            ? WorkingSetSize.of(snapshots, target, WorkingSetSize.DEFAULT_PERCENTILES).toText(raw)
                            : Heatmap.of(snapshots, target, resolution[0], resolution[1], null, null).toText();
                    if (snapshots.size() < aggregations) {
                        text += "# the run ended after " + snapshots.size() + " of " + aggregations
                                + " aggregations\n";
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new ControlException(e.getMessage());
            }
            spec.commandLine().getOut().print(text);
            return 0;
        }
    }

    /** The management commands have no version of their own: the container's is in {@code lb}. */
    static final class NoVersion implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"the commands are the shell bundle's; see its version in the bundle list"};
        }
    }

    /** The reports on a running context. */
    enum ReportType {
        heatmap, wss, access
    }
}
