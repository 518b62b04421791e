package io.jdamon.report.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.jdamon.api.RegionSnapshot;
import io.jdamon.record.RecordedSnapshot;
import io.jdamon.record.Recording;
import io.jdamon.report.WorkingSetSize;
import io.jdamon.report.internal.Problems.DataException;
import io.jdamon.report.internal.Problems.UsageException;
import io.jdamon.units.UnitFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code report wss}: the working set size distribution, with damo's
 * defaults so that both print the same numbers on the same file: the first
 * {@value #DAMO_SKIP} snapshots of each target skipped, a region counted when
 * it has at least 1 access and 1 byte, each target's sizes sorted and then
 * summed rank by rank ({@code --sum percentiles}, damo's
 * {@code collapse_targets}); {@code --sum snapshots} sums the targets of each
 * snapshot first (the working set of the whole context at one time).
 */
@Command(name = "wss", description = "working set size percentiles and average (damo's defaults: the first 20 "
        + "snapshots skipped, targets summed rank by rank)")
final class WssCommand implements Callable<Integer> {

    /** damo skips this many first snapshots by default: {@value}. */
    static final int DAMO_SKIP = 20;
    /** damo's default bar width: {@value} columns. */
    static final int DAMO_BAR_COLUMNS = 59;

    @Mixin
    Input input;

    @Option(names = "--target", paramLabel = "N|all", description = "one target by position, or all (default all)")
    String target;

    @Option(names = "--percentiles", paramLabel = "LIST", description = "comma-separated, 0-100 (default 0,25,50,75,100)")
    String percentiles;

    @Option(names = {"-r", "--range"}, arity = "3", paramLabel = "START STOP STEP", hideParamSyntax = true,
            description = "damo's percentiles: from START below STOP by STEP (default 0 101 25)")
    List<String> range;

    @Option(names = {"--raw", "--raw_number"}, description = "print bytes instead of KiB/MiB")
    boolean raw;

    @Option(names = "--exclude_samples", paramLabel = "N", description = "skip each target's first N snapshots "
            + "(default 20, as damo: the regions are still adapting; 0 counts all)")
    String excludeSamples;

    @Option(names = {"-t", "--acc_thres"}, paramLabel = "N",
            description = "a region is in the working set with at least N accesses (default 1)")
    String accThres;

    @Option(names = "--sz_thres", paramLabel = "SIZE",
            description = "... and at least SIZE bytes, e.g. 4KiB (default 1)")
    String szThres;

    @Option(names = "--work_time", paramLabel = "TIME", description = "damo's work unit (bare number: us); "
            + "values up to the aggregation interval are accepted and change nothing")
    String workTime;

    @Option(names = {"-s", "--sortby"}, paramLabel = "size|time", description = "size: percentiles of the sorted "
            + "sizes (default); time: the values in time order, at each percent of the run")
    String sortBy;

    @Option(names = "--sum", paramLabel = "percentiles|snapshots", description = "how targets are summed: "
            + "rank by rank after sorting each (default, as damo) or snapshot by snapshot")
    String sum;

    @Option(names = "--per_target", description = "one distribution per target (damo)")
    boolean perTarget;

    @Option(names = "--collapse_targets", description = "one distribution for all targets (damo; the default)")
    boolean collapseTargets;

    @Option(names = "--wss_source", paramLabel = "measured|regions", description = "measured (default where the "
            + "record has them): the bytes the primitive measured per range, e.g. a mapping's referenced bytes; "
            + "regions: sizes of the regions with accesses, as damo counts (overstates a mapping-level sensor)")
    String wssSource;

    @Option(names = "--all_wss", description = "print every snapshot's size instead of percentiles (damo)")
    boolean allWss;

    @Option(names = "--nr_cols_bar", paramLabel = "N", description = "width of the bars (default 59, 0 for none)")
    String barColumns;

    @Option(names = {"-p", "--plot"}, paramLabel = "FILE", description = "refused: jdamon draws no wss plots")
    String plot;

    private final PrintStream out;
    private final PrintStream err;

    WssCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws UsageException, DataException {
        if (plot != null) {
            throw Problems.damoOnly("--plot", "damo draws the distribution with gnuplot",
                    "print the values with --all_wss --raw_number and plot them with any tool");
        }
        int[] pct = percentiles();
        int skip = excludeSamples == null ? DAMO_SKIP : Values.wholeInt("--exclude_samples", excludeSamples);
        if (skip < 0) {
            throw new UsageException("--exclude_samples " + excludeSamples + " must be 0 or more");
        }
        int minAccesses = accThres == null ? 1 : Values.wholeInt("--acc_thres", accThres);
        long minBytes = szThres == null ? 1 : Values.size("--sz_thres", szThres);
        boolean byTime = false;
        if (sortBy != null) {
            switch (sortBy) {
                case "size" -> byTime = false;
                case "time" -> byTime = true;
                default -> throw new UsageException("--sortby " + sortBy + " is not size or time");
            }
        }
        boolean sumSnapshots = false;
        if (sum != null) {
            switch (sum) {
                case "percentiles" -> sumSnapshots = false;
                case "snapshots" -> sumSnapshots = true;
                default -> throw new UsageException("--sum " + sum + " is not percentiles or snapshots");
            }
        }
        if (perTarget && collapseTargets) {
            throw new UsageException("--per_target and --collapse_targets contradict each other; give one");
        }
        int bar = barColumns == null ? DAMO_BAR_COLUMNS : Values.wholeInt("--nr_cols_bar", barColumns);
        boolean useMeasured = true;
        if (wssSource != null) {
            switch (wssSource) {
                case "measured" -> useMeasured = true;
                case "regions" -> useMeasured = false;
                default -> throw new UsageException("--wss_source " + wssSource + " is not measured or regions");
            }
        }
        // streamed: each snapshot leaves two numbers behind, so a report of any file fits in memory
        Integer onlyTarget = target == null || target.equals("all") ? null : Values.wholeInt("--target", target);
        Map<Integer, TargetSizes> seen = new HashMap<>();
        Recording rec = input.stream(err, (record, index, snapshot) -> {
            if (onlyTarget == null || onlyTarget == index) {
                seen.computeIfAbsent(index, k -> new TargetSizes()).add(snapshot, minAccesses, minBytes);
            }
        });
        List<Integer> targets = new ArrayList<>();
        if (onlyTarget == null) {
            for (int t = 0; t < rec.records().size(); t++) {
                targets.add(t);
            }
        } else {
            Input.checkTarget(rec, onlyTarget);
            targets.add(onlyTarget);
        }
        if (workTime != null) {
            checkWorkTime(targets, seen, Values.timeUs("--work_time", workTime));
        }
        List<long[]> perTargetSizes = new ArrayList<>();
        int counted = 0;
        int total = 0;
        int measuredTargets = 0;
        for (int t : targets) {
            TargetSizes ts = seen.getOrDefault(t, new TargetSizes());
            total += ts.count();
            int first = Math.min(skip, ts.count());
            counted += ts.count() - first;
            boolean measured = useMeasured && ts.anyMeasured;
            measuredTargets += measured ? 1 : 0;
            long[] sizes = new long[ts.count() - first];
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = measured ? Math.max(0, ts.measured.get(first + i)) : ts.regions.get(first + i);
            }
            if (!byTime && !sumSnapshots) {
                Arrays.sort(sizes);
            }
            perTargetSizes.add(sizes);
        }
        if (total == 0) {
            throw Input.noSnapshots(rec.file());
        }
        if (counted == 0) {
            err.println("note: " + rec.file() + " has " + total / targets.size() + " snapshot(s) per target, all "
                    + "within the first " + skip + " that are skipped (damo's default); count them with "
                    + "--exclude_samples 0");
        }
        Input.printSensor(rec, out);
        if (measuredTargets > 0) {
            out.println("# wss: " + (measuredTargets == targets.size() ? "" : measuredTargets + " of "
                    + targets.size() + " targets ") + WorkingSetSize.MEASURED_NOTE
                    + " (" + Input.measuredLevel(rec) + ")"
                    + "; --wss_source regions counts region sizes as damo does"
                    + (accThres != null || szThres != null ? "; --acc_thres and --sz_thres apply to regions only"
                            : ""));
        }
        out.println("# " + (targets.size() == 1 ? "target " + targets.get(0) + " (" + rec.records()
                .get(targets.get(0)).label() + ")" : targets.size() + " targets") + ", " + counted
                + " snapshots (" + (skip > 0 ? "the first " + skip + " of each target skipped" : "none skipped")
                + (targets.size() > 1 && !perTarget ? "; summed " + (sumSnapshots ? "snapshot by snapshot"
                        : "rank by rank") : "") + ")");
        Distribution.DoubleAware fmt = UnitFormat::bytes;
        if (perTarget || targets.size() == 1) {
            for (int k = 0; k < targets.size(); k++) {
                long[] v = perTargetSizes.get(k);
                if (sumSnapshots && !byTime) {
                    Arrays.sort(v);
                }
                out.println("# target_id\t" + (perTarget ? rec.records().get(targets.get(k)).targetId() : "0"));
                out.print(Distribution.format("wss", v, pct, allWss, fmt, raw, bar));
            }
            return 0;
        }
        long[] collapsed = collapse(perTargetSizes);
        if (sumSnapshots && !byTime) {
            Arrays.sort(collapsed);
        }
        out.println("# target_id\t0");
        out.print(Distribution.format("wss", collapsed, pct, allWss, fmt, raw, bar));
        return 0;
    }

    /** damo's collapse: the i-th values of all targets added (their lengths may differ). */
    static long[] collapse(List<long[]> lists) {
        int n = 0;
        for (long[] l : lists) {
            n = Math.max(n, l.length);
        }
        long[] out = new long[n];
        for (long[] l : lists) {
            for (int i = 0; i < l.length; i++) {
                out[i] += l[i];
            }
        }
        return out;
    }

    /** What one target's snapshots leave behind, in file order: their two working set sizes. */
    private static final class TargetSizes {
        /** measured bytes ({@link RecordedSnapshot#measuredWorkingSetBytes}), -1 where the snapshot has none */
        final LongList measured = new LongList();
        /** bytes of the regions over the thresholds */
        final LongList regions = new LongList();
        boolean anyMeasured;
        long shortestNs = Long.MAX_VALUE;

        void add(RecordedSnapshot s, int minAccesses, long minBytes) {
            long m = s.measuredWorkingSetBytes();
            measured.add(m);
            regions.add(workingSet(s.regions(), minAccesses, minBytes));
            anyMeasured |= m >= 0;
            shortestNs = Math.min(shortestNs, s.endNanos() - s.startNanos());
        }

        int count() {
            return regions.size();
        }
    }

    static long workingSet(List<RegionSnapshot> regions, int minAccesses, long minBytes) {
        long wss = 0;
        for (RegionSnapshot r : regions) {
            if (r.nrAccesses() >= minAccesses && r.size() >= minBytes) {
                wss += r.size();
            }
        }
        return wss;
    }

    private int[] percentiles() throws UsageException {
        if (percentiles != null && range != null) {
            throw new UsageException("--percentiles and --range both choose the percentiles; give one");
        }
        if (range != null) {
            int start = Values.wholeInt("--range", range.get(0));
            int stop = Values.wholeInt("--range", range.get(1));
            int step = Values.wholeInt("--range", range.get(2));
            if (step <= 0 || start < 0 || start > 100 || stop <= start) {
                throw new UsageException("--range " + String.join(" ", range) + " is not START STOP STEP with "
                        + "0 <= START < STOP and STEP > 0, e.g. 0 101 25");
            }
            List<Integer> p = new ArrayList<>();
            for (int v = start; v < stop && v <= 100; v += step) {
                p.add(v);
            }
            return p.stream().mapToInt(Integer::intValue).toArray();
        }
        if (percentiles == null) {
            return io.jdamon.report.WorkingSetSize.DEFAULT_PERCENTILES;
        }
        String[] parts = percentiles.split(",");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Values.wholeInt("--percentiles", parts[i].trim());
            if (out[i] < 0 || out[i] > 100) {
                throw new UsageException("--percentiles: " + out[i] + " is not between 0 and 100");
            }
        }
        return out;
    }

    /** damo merges snapshots into work units of this length; jdamon takes only lengths that merge nothing. */
    private static void checkWorkTime(List<Integer> targets, Map<Integer, TargetSizes> seen, long workUs)
            throws UsageException {
        long shortestNs = Long.MAX_VALUE;
        for (int t : targets) {
            TargetSizes ts = seen.get(t);
            shortestNs = ts == null ? shortestNs : Math.min(shortestNs, ts.shortestNs);
        }
        if (shortestNs != Long.MAX_VALUE && workUs * 1000 > shortestNs) {
            throw new UsageException("--work_time " + UnitFormat.micros(workUs) + " is longer than the shortest "
                    + "snapshot (" + UnitFormat.nanos(shortestNs) + "): jdamon does not merge snapshots into work "
                    + "units; give at most " + UnitFormat.nanos(shortestNs) + ", or record with a longer "
                    + "aggregation interval (jdamon record -a TIME)");
        }
    }
}
