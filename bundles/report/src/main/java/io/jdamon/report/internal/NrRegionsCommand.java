package io.jdamon.report.internal;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import io.jdamon.record.Recording;
import io.jdamon.record.TargetRecord;
import io.jdamon.report.internal.Problems.DataException;
import io.jdamon.report.internal.Problems.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code report nr_regions}: the distribution of the number of regions per
 * snapshot, for each target, as damo prints it (the first
 * {@value WssCommand#DAMO_SKIP} snapshots skipped: the regions are still
 * adapting).
 */
@Command(name = "nr_regions", description = "distribution of the number of regions per snapshot, per target "
        + "(the first 20 snapshots skipped, as damo)")
final class NrRegionsCommand implements Callable<Integer> {

    @Mixin
    Input input;

    @Option(names = {"-r", "--range"}, arity = "3", paramLabel = "START STOP STEP", hideParamSyntax = true,
            description = "percentiles from START below STOP by STEP (default 0 25 50 75 100)")
    List<String> range;

    @Option(names = {"-s", "--sortby"}, paramLabel = "size|time", description = "size: sorted (default); time: "
            + "in time order")
    String sortBy;

    @Option(names = "--exclude_samples", paramLabel = "N", description = "skip each target's first N snapshots "
            + "(default 20, as damo)")
    String excludeSamples;

    @Option(names = {"-p", "--plot"}, paramLabel = "FILE", description = "refused: jdamon draws no plots")
    String plot;

    private final PrintStream out;
    private final PrintStream err;

    NrRegionsCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws UsageException, DataException {
        if (plot != null) {
            throw Problems.damoOnly("--plot", "damo draws the distribution with gnuplot",
                    "plot the numbers this report prints with any tool");
        }
        int[] pct = {0, 25, 50, 75, 100};
        if (range != null) {
            int start = Values.wholeInt("--range", range.get(0));
            int stop = Values.wholeInt("--range", range.get(1));
            int step = Values.wholeInt("--range", range.get(2));
            if (step <= 0 || start < 0 || start > 100 || stop <= start) {
                throw new UsageException("--range " + String.join(" ", range) + " is not START STOP STEP with "
                        + "0 <= START < STOP and STEP > 0, e.g. 0 101 25");
            }
            pct = java.util.stream.IntStream.iterate(start, v -> v < stop && v <= 100, v -> v + step).toArray();
        }
        boolean byTime = "time".equals(sortBy);
        if (sortBy != null && !byTime && !sortBy.equals("size")) {
            throw new UsageException("--sortby " + sortBy + " is not size or time");
        }
        int skip = excludeSamples == null ? WssCommand.DAMO_SKIP
                : Values.wholeInt("--exclude_samples", excludeSamples);
        if (skip < 0) {
            throw new UsageException("--exclude_samples " + excludeSamples + " must be 0 or more");
        }
        java.util.Map<Integer, LongList> regionCounts = new java.util.HashMap<>();
        Recording rec = input.stream(err, (record, index, snapshot) -> regionCounts
                .computeIfAbsent(index, k -> new LongList()).add(snapshot.regions().size()));
        out.println("# <percentile> <# regions>");
        for (int t = 0; t < rec.records().size(); t++) {
            TargetRecord r = rec.records().get(t);
            LongList all = regionCounts.getOrDefault(t, new LongList());
            long[] counts = all.from(skip);
            int n = counts.length;
            if (!byTime) {
                Arrays.sort(counts);
            }
            out.println("# target_id\t" + r.targetId());
            if (n == 0) {
                out.println("# no snapshot (the file has " + all.size() + "; the first " + skip
                        + " are skipped: count them with --exclude_samples 0)");
                continue;
            }
            double sum = 0;
            for (long c : counts) {
                sum += c;
            }
            out.println("# avr:\t" + (long) (sum / n));
            for (int p : pct) {
                out.println(p + "\t" + Distribution.percentile(counts, p));
            }
        }
        return 0;
    }
}
