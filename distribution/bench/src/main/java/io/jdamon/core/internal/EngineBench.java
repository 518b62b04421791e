package io.jdamon.core.internal;

import java.util.Collection;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link SampleLoopBenchmark} with the GC profiler and prints the
 * engine's cost per region per sample and its allocation per sample.
 * Extra arguments are JMH's own (e.g. {@code -wi 1 -i 2} for a quick run).
 */
public final class EngineBench {

    /** The goal from the engine issue: at most 25 ns per region per sample. */
    static final double GOAL_NS_PER_REGION = 25.0;

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .parent(new CommandLineOptions(args))
                .include(SampleLoopBenchmark.class.getSimpleName())
                .addProfiler(GCProfiler.class);
        Collection<RunResult> results = new Runner(options.build()).run();

        System.out.println();
        System.out.printf("%-8s %14s %20s %18s%n", "regions", "ns/sample", "ns/region/sample", "bytes/sample");
        boolean met = true;
        for (RunResult run : results) {
            int regions = Integer.parseInt(run.getParams().getParam("regions"));
            double nsPerSample = run.getPrimaryResult().getScore();
            Result<?> alloc = run.getSecondaryResults().get("gc.alloc.rate.norm");
            double perRegion = nsPerSample / regions;
            met &= perRegion <= GOAL_NS_PER_REGION;
            System.out.printf("%-8d %14.1f %20.2f %18s%n", regions, nsPerSample, perRegion,
                    alloc == null ? "n/a" : String.format("%.1f", alloc.getScore()));
        }
        System.out.printf("goal: <= %.0f ns per region per sample: %s%n", GOAL_NS_PER_REGION, met ? "met" : "NOT met");
    }

    private EngineBench() {
    }
}
