package io.jdamon.report.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.jdamon.record.RecordedSnapshot;
import io.jdamon.record.Recording;
import io.jdamon.record.TargetRecord;
import io.jdamon.report.Range;
import io.jdamon.report.internal.Problems.DataException;
import io.jdamon.report.internal.Problems.UsageException;
import io.jdamon.units.UnitFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code report record_info}: per target, its ids, the time it covers and
 * its contiguous monitored address ranges (the ranges to give
 * {@code report heatmap --address-range}), as damo's {@code record_info}
 * lists them.
 */
@Command(name = "record_info", description = "per target: ids, time covered and the monitored address ranges")
final class RecordInfoCommand implements Callable<Integer> {

    @Mixin
    Input input;

    @Option(names = {"--raw", "--raw_number", "--raw_numbers"}, description = "print plain numbers")
    boolean raw;

    private final PrintStream out;
    private final PrintStream err;

    RecordInfoCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws UsageException, DataException {
        // streamed: per target its first snapshot, its last end and the ranges it covered
        Map<Integer, CoveredRanges> covered = new HashMap<>();
        Map<Integer, RecordedSnapshot> firsts = new HashMap<>();
        Map<Integer, Long> lastEnds = new HashMap<>();
        Recording rec = input.stream(err, (record, index, s) -> {
            firsts.putIfAbsent(index, s);
            lastEnds.put(index, s.endNanos());
            covered.computeIfAbsent(index, k -> new CoveredRanges()).add(s.regions());
        });
        // damo lists the targets with the most monitored space first (a stable sort: equals keep their order)
        List<Integer> order = new ArrayList<>();
        for (int t = 0; t < rec.records().size(); t++) {
            if (covered.containsKey(t) && !covered.get(t).isEmpty()) {
                order.add(t);
            }
        }
        order.sort(Comparator.comparingLong((Integer t) -> space(covered.get(t).ranges())).reversed());
        for (int t : order) {
            TargetRecord r = rec.records().get(t);
            if (r.kdamondIdx() >= 0) {
                out.println("kdamond_idx: " + r.kdamondIdx());
            }
            if (r.contextIdx() >= 0) {
                out.println("context_idx: " + r.contextIdx());
            }
            if (r.schemeIdx() >= 0) {
                out.println("scheme_idx: " + r.schemeIdx());
            }
            out.println("target_id: " + r.targetId());
            long[] times = RawHeatmap.guideTimes(r, firsts.get(t), lastEnds.get(t));
            out.println("time: [" + time(times[0]) + ", " + time(times[1]) + ") (" + time(times[1] - times[0]) + ")");
            List<Range> ranges = covered.get(t).ranges();
            for (int k = 0; k < ranges.size(); k++) {
                Range g = ranges.get(k);
                out.println(String.format("region\t%2d: [%s, %s) (%s)", k, address(g.start()), address(g.end()),
                        raw ? Long.toString(g.length()) : UnitFormat.bytes(g.length())));
            }
        }
        return 0;
    }

    private static long space(List<Range> ranges) {
        long sum = 0;
        for (Range g : ranges) {
            sum += g.length();
        }
        return sum;
    }

    private String time(long ns) {
        return raw ? Long.toString(ns) : UnitFormat.nanos(ns);
    }

    private String address(long a) {
        return raw ? Long.toUnsignedString(a) : UnitFormat.address(a);
    }
}
