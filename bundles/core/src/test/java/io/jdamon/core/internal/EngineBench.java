package io.jdamon.core.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Collection;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code jdamon bench engine}: runs {@link SampleLoopBenchmark} with the GC profiler and prints the
 * engine's cost per region per sample and its allocation per sample.
 * Extra arguments are JMH's own (e.g. {@code -wi 1 -i 2} for a quick run).
 * Lives in core's tests beside what it measures; the distribution's
 * benchmark jar ships it from core's test jar. From a build:
 * {@code java -jar distribution/bench/target/jdamon-bench.jar engine}.
 */
public final class EngineBench {

    /** The goal from the engine issue: at most 25 ns per region per sample. */
    static final double GOAL_NS_PER_REGION = 25.0;

    public static void main(String[] args) {
        int code = run(args, "java -cp jdamon-bench.jar " + EngineBench.class.getName(), System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /**
     * Runs the benchmark with JMH's options {@code args} and prints the table to {@code out}.
     *
     * @param program the command's name in messages, e.g. {@code jdamon bench engine}
     * @return the exit status: 0 done (goal met or not), 1 JMH failed, 2 bad options
     */
    public static int run(String[] args, String program, PrintStream out, PrintStream err) {
        if (Arrays.asList(args).contains("--help")) {
            help(program, out);
            return 0;
        }
        CommandLineOptions jmhOptions;
        try {
            jmhOptions = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            err.println(program + ": " + e.getMessage() + "; '" + program + " --help' lists the options");
            return 2;
        }
        if (jmhOptions.shouldHelp()) {
            help(program, out);
            return 0;
        }
        if (jmhOptions.shouldList() || jmhOptions.shouldListWithParams() || jmhOptions.shouldListProfilers()
                || jmhOptions.shouldListResultFormats()) {
            err.println(program + ": JMH's -l, -lp, -lprof and -lrf are not offered here; the one benchmark is "
                    + SampleLoopBenchmark.class.getSimpleName() + " with regions = 100, 1000, 10000");
            return 2;
        }
        Collection<RunResult> results;
        try {
            ChainedOptionsBuilder options = new OptionsBuilder()
                    .parent(jmhOptions)
                    .include(SampleLoopBenchmark.class.getSimpleName())
                    .addProfiler(GCProfiler.class);
            results = new Runner(options.build(),
                    OutputFormatFactory.createFormatInstance(out, jmhOptions.verbosity().orElse(VerboseMode.NORMAL))).run();
        } catch (RunnerException e) {
            err.println(program + ": JMH failed: " + e.getMessage());
            return 1;
        }
        if (results.isEmpty()) {
            err.println(program + ": JMH ran nothing; check the options (" + String.join(" ", args) + ")");
            return 1;
        }

        out.println();
        out.printf("%-8s %14s %20s %18s%n", "regions", "ns/sample", "ns/region/sample", "bytes/sample");
        boolean met = true;
        for (RunResult run : results) {
            int regions = Integer.parseInt(run.getParams().getParam("regions"));
            double nsPerSample = run.getPrimaryResult().getScore();
            Result<?> alloc = run.getSecondaryResults().get("gc.alloc.rate.norm");
            double perRegion = nsPerSample / regions;
            met &= perRegion <= GOAL_NS_PER_REGION;
            out.printf("%-8d %14.1f %20.2f %18s%n", regions, nsPerSample, perRegion,
                    alloc == null ? "n/a" : String.format("%.1f", alloc.getScore()));
        }
        out.printf("goal: <= %.0f ns per region per sample: %s%n", GOAL_NS_PER_REGION, met ? "met" : "NOT met");
        return 0;
    }

    static String usage(String program) {
        return """
                usage: %1$s [JMH options]

                The engine's own cost of one sample (SampleLoopBenchmark: the real kdamond loop on a clock that
                never sleeps, runs of 10,000 samples: sampling addresses, an in-memory primitive's prepare and
                check, counting, and every 20th sample merge, reset and split) at
                100, 1,000 and 10,000 regions, with JMH's GC profiler; then a table of ns per region per
                sample (goal: <= %2$.0f) and bytes allocated per sample. About 30 s per region count by default.
                A quick run: %1$s -f 1 -wi 1 -i 2 -w 500ms -r 500ms

                JMH options:
                """.formatted(program, GOAL_NS_PER_REGION);
    }

    /** Prints the usage, then JMH's own option list (JMH writes that to System.out). */
    private static void help(String program, PrintStream out) {
        out.print(usage(program));
        out.flush();
        try {
            new CommandLineOptions().showHelp();
        } catch (CommandLineOptionException | IOException e) {
            out.println("  (JMH could not list them: " + e.getMessage() + ")");
        }
    }

    private EngineBench() {
    }
}
