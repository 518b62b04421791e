package io.jdamon.report.internal;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.jdamon.report.internal.Problems.DataException;
import io.jdamon.report.internal.Problems.UsageException;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code report} command over record files, parsed with picocli, in
 * jdamon's option spellings and damo's:
 * {@code report heatmap|wss|access|nr_regions|record_info|times|repair|convert [options]}.
 *
 * <p>Exit codes: {@value #OK} done, {@value #DATA_PROBLEM} the data cannot be
 * used (missing, corrupt or foreign file, no snapshot yet, an image that
 * cannot be written), {@value #USAGE} the command line is wrong. Errors are
 * one line on the error stream, never a stack trace.
 *
 * <p>Use: {@code System.exit(new ReportCommand().run(args, System.out, System.err))}
 * (the launcher finds this class by its name). A leading {@code report}
 * argument is skipped, so both {@code heatmap ...} and
 * {@code report heatmap ...} work.
 */
public final class ReportCommand {

    /** Success. */
    public static final int OK = 0;
    /** The data cannot be used. */
    public static final int DATA_PROBLEM = 1;
    /** The command line is wrong. */
    public static final int USAGE = 2;

    static final List<String> REPORTS = List.of("heatmap", "wss", "access", "nr_regions", "record_info", "times",
            "repair", "convert");
    private static final String EXIT_TEXT = "exit status: 0 ok, 1 data problem, 2 usage error";

    /**
     * Runs a report.
     *
     * @param args e.g. {@code heatmap -i damon.data --resol 20x60}
     * @param out where the report goes
     * @param err where notes and errors go
     * @return the exit status: {@link #OK}, {@link #DATA_PROBLEM} or {@link #USAGE}
     */
    public int run(String[] args, PrintStream out, PrintStream err) {
        List<String> a = new ArrayList<>(List.of(args));
        if (!a.isEmpty() && a.get(0).equals("report")) {
            a.remove(0);
        }
        if (a.isEmpty()) {
            err.print(usage(out, err));
            return USAGE;
        }
        String sub = a.remove(0);
        if (sub.equals("-h") || sub.equals("--help") || sub.equals("help")) {
            out.print(usage(out, err));
            return OK;
        }
        if (!REPORTS.contains(sub)) {
            err.println("report: unknown report '" + sub + "'; use heatmap, wss, access, nr_regions, record_info, "
                    + "times, repair or convert");
            err.println("run 'report --help' for the options");
            return USAGE;
        }
        CommandLine cl = line(sub, out, err);
        if (a.contains("-h") || a.contains("--help")) {
            out.print(help(cl));
            return OK;
        }
        String[] rest = a.toArray(String[]::new);
        try {
            cl.parseArgs(rest);
            Integer code = ((Callable<Integer>) cl.getCommand()).call();
            return code == null ? OK : code;
        } catch (ParameterException e) {
            err.println("report: " + describe(e, rest, sub));
            err.println("run 'report " + sub + " --help' for the options");
            return USAGE;
        } catch (UsageException e) {
            err.println("report: " + e.getMessage());
            err.println("run 'report " + sub + " --help' for the options");
            return USAGE;
        } catch (DataException e) {
            err.println("report: " + e.getMessage());
            return DATA_PROBLEM;
        } catch (Exception e) {
            err.println("report: internal error (" + e + "); please report it with the command line used");
            return DATA_PROBLEM;
        }
    }

    private static CommandLine line(String sub, PrintStream out, PrintStream err) {
        Object command = switch (sub) {
            case "heatmap" -> new HeatmapCommand(out, err);
            case "wss" -> new WssCommand(out, err);
            case "access" -> new AccessCommand(out, err);
            case "nr_regions" -> new NrRegionsCommand(out, err);
            case "record_info" -> new RecordInfoCommand(out, err);
            case "times" -> new TimesCommand(out, err);
            case "repair" -> new RepairCommand(out);
            case "convert" -> new ConvertCommand(out);
            default -> throw new IllegalArgumentException(sub);
        };
        CommandLine cl = new CommandLine(command);
        cl.setOverwrittenOptionsAllowed(true); // the last value wins, as before
        cl.setUnmatchedOptionsArePositionalParams(false);
        return cl;
    }

    /** @return one report's help: generated from its options, shown as {@code --option VALUE} */
    static String help(CommandLine cl) {
        cl.setSeparator(" ");
        cl.getCommandSpec().usageMessage().customSynopsis("usage: report " + cl.getCommandName() + " [options]", "")
                .headerHeading("").synopsisHeading("").descriptionHeading("  ").optionListHeading("")
                .footer("", EXIT_TEXT).width(110).sortOptions(false).longOptionsMaxWidth(40);
        StringWriter sw = new StringWriter();
        cl.usage(new PrintWriter(sw), CommandLine.Help.Ansi.OFF);
        return sw.toString();
    }

    private static String usage(PrintStream out, PrintStream err) {
        StringBuilder sb = new StringBuilder("usage: report heatmap|wss|access|nr_regions|record_info|times|repair|convert "
                + "[options]\n\n");
        for (String r : REPORTS) {
            String h = help(line(r, out, err));
            sb.append("report ").append(r).append(':').append(h.substring(h.indexOf('\n'), h.indexOf(EXIT_TEXT)));
        }
        return sb.append(EXIT_TEXT).append('\n').toString();
    }

    /** picocli's complaint, in the words the reports have always used. */
    static String describe(ParameterException e, String[] args, String report) {
        if (e instanceof MissingParameterException m && !m.getMissing().isEmpty()
                && m.getMissing().get(0) instanceof OptionSpec o) {
            String typed = typedName(o, args);
            if (o.arity().min == 2) {
                return typed + " needs two values, " + o.paramLabel().replace(" ", " and ");
            }
            if (o.arity().min > 2) {
                return typed + " needs " + o.arity().min + " values, " + o.paramLabel();
            }
            return typed + " needs a value";
        }
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String first = u.getUnmatched().get(0);
            return (first.startsWith("-") ? "unknown option '" : "unexpected argument '") + first + "' for 'report "
                    + report + "'";
        }
        return e.getMessage();
    }

    /** @return the name of {@code o} as typed last on the command line (e.g. {@code -i}, not {@code --input}) */
    private static String typedName(ArgSpec spec, String[] args) {
        OptionSpec o = (OptionSpec) spec;
        for (int i = args.length - 1; i >= 0; i--) {
            for (String n : o.names()) {
                if (args[i].equals(n) || args[i].startsWith(n + "=")) {
                    return n;
                }
            }
        }
        return o.longestName();
    }

}
