package io.jdamon.report.internal;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import io.jdamon.record.RecordedSnapshot;
import io.jdamon.record.Recording;
import io.jdamon.record.TargetRecord;
import io.jdamon.report.AccessReport;
import io.jdamon.report.internal.Problems.DataException;
import io.jdamon.report.internal.Problems.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code report access}: one snapshot's regions (by default the last; damo
 * shows every snapshot unless {@code --snapshot_idx START END} picks some),
 * as text or, with {@code --json}, as a damo record file holding just those
 * snapshots (numbers, not damo's human strings, which damo and jdamon both read).
 */
@Command(name = "access", description = "the regions of one snapshot: address, size, access rate, age")
final class AccessCommand implements Callable<Integer> {

    @Mixin
    Input input;

    @Option(names = "--target", paramLabel = "N", description = "target index (default 0)")
    String target;

    @Option(names = "--tid", paramLabel = "ID", description = "the target by damo's target_id instead")
    String tid;

    @Option(names = "--snapshot", paramLabel = "N",
            description = "snapshot index from 0; negative counts from the end (default -1, the last)")
    String snapshot;

    @Option(names = "--snapshot_idx", arity = "2", paramLabel = "START END", hideParamSyntax = true,
            description = "damo's: the snapshots START to END, both included")
    List<String> snapshotIdx;

    @Option(names = {"--raw", "--raw_number"}, description = "print plain numbers")
    boolean raw;

    @Option(names = "--json", description = "print the snapshots as a damo record (JSON)")
    boolean json;

    private final PrintStream out;
    private final PrintStream err;

    AccessCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws UsageException, DataException {
        if (snapshot != null && snapshotIdx != null) {
            throw new UsageException("--snapshot and --snapshot_idx both choose snapshots; give one");
        }
        int t = tid != null || target == null ? 0 : Values.wholeInt("--target", target);
        int n = snapshot == null ? -1 : Values.wholeInt("--snapshot", snapshot);
        int from = snapshotIdx != null ? Values.wholeInt("--snapshot_idx", snapshotIdx.get(0)) : n;
        int to = snapshotIdx != null ? Values.wholeInt("--snapshot_idx", snapshotIdx.get(1)) : n;
        if (snapshotIdx != null && (from < 0 || to < from)) {
            throw new UsageException("--snapshot_idx " + from + " " + to + " is out of range; give 0 <= START <= END");
        }
        // streamed: only the snapshots asked for are kept (for a negative --snapshot, the last few)
        int[] count = {0};
        ArrayDeque<RecordedSnapshot> kept = new ArrayDeque<>();
        TargetRecord[] chosen = {null};
        int[] chosenIndex = {-1};
        Recording rec = input.stream(err, (record, index, s) -> {
            if (tid != null ? !record.targetId().equals(tid.trim()) : index != t) {
                return;
            }
            chosen[0] = record;
            chosenIndex[0] = index;
            int position = count[0]++;
            if (from < 0 || position >= from && position <= to) {
                kept.addLast(s);
                if (from < 0 && kept.size() > -from) {
                    kept.removeFirst();
                }
            }
        });
        int target = tid != null ? Input.byTargetId(rec, tid) : t;
        Input.checkTarget(rec, target);
        int size = count[0];
        if (size == 0) {
            throw Input.noSnapshots(rec.file());
        }
        int first = from >= 0 ? from : size + from;
        int last = from >= 0 ? to : first;
        if (snapshotIdx != null && last >= size) {
            throw new UsageException("--snapshot_idx " + from + " " + to + " is out of range; " + rec.file()
                    + " has " + size + " snapshots (0 to " + (size - 1) + "); give START <= END");
        }
        if (snapshotIdx == null && (first < 0 || first >= size)) {
            throw new UsageException("--snapshot " + n + " is out of range; " + rec.file() + " has "
                    + size + " snapshots (0 to " + (size - 1) + ", or -1 for the last)");
        }
        List<RecordedSnapshot> shown = new ArrayList<>(kept).subList(0, last - first + 1);
        if (json) {
            out.print(json(chosen[0], shown));
            return 0;
        }
        Input.printSensor(rec, out);
        for (int i = 0; i < shown.size(); i++) {
            out.print(AccessReport.toText(Recording.aggregation(chosen[0], chosenIndex[0], shown.get(i)), 0,
                    "snapshot " + (first + i) + " of " + size, raw));
        }
        return 0;
    }

    /** @return the record with these of its snapshots, in damo's record layout */
    static String json(TargetRecord r, List<RecordedSnapshot> snapshots) {
        StringBuilder sb = new StringBuilder("[\n{\"kdamond_idx\": ").append(Math.max(0, r.kdamondIdx()))
                .append(", \"context_idx\": ").append(Math.max(0, r.contextIdx()))
                .append(",\n \"intervals\": {\"sample_us\": ").append(r.sampleIntervalUs())
                .append(", \"aggr_us\": ").append(r.aggregationIntervalUs())
                .append(", \"ops_update_us\": ").append(r.updateIntervalUs()).append("},\n")
                .append(" \"scheme_idx\": null, \"target_id\": ")
                .append(r.targetId().matches("[0-9]+") ? r.targetId() : "\"" + r.targetId().replace("\"", "") + "\"")
                .append(",\n \"snapshots\": [");
        for (int i = 0; i < snapshots.size(); i++) {
            RecordedSnapshot s = snapshots.get(i);
            int perAggr = s.samplesTaken() > 0 ? s.samplesTaken()
                    : s.sampleIntervalUs() > 0 && s.aggregationIntervalUs() > 0
                            ? (int) Math.max(1, s.aggregationIntervalUs() / s.sampleIntervalUs())
                            : r.samplesPerAggregation();
            long aggrUs = s.aggregationIntervalUs() > 0 ? s.aggregationIntervalUs() : r.aggregationIntervalUs();
            sb.append(i == 0 ? "\n" : ",\n").append("{\"start_time\": ").append(s.startNanos())
                    .append(", \"end_time\": ").append(s.endNanos()).append(", \"regions\": [");
            for (int k = 0; k < s.regions().size(); k++) {
                var g = s.regions().get(k);
                sb.append(k == 0 ? "\n" : ",\n").append("  {\"start\": ").append(Long.toUnsignedString(g.start()))
                        .append(", \"end\": ").append(Long.toUnsignedString(g.end()))
                        .append(", \"nr_accesses\": {\"samples\": ").append(g.nrAccesses())
                        .append(", \"percent\": ").append(g.nrAccesses() * 100 / Math.max(1, perAggr))
                        .append("}, \"age\": {\"usec\": ").append((long) g.age() * aggrUs)
                        .append(", \"aggr_intervals\": ").append(g.age()).append("}}");
            }
            sb.append("]}");
        }
        return sb.append("]\n}\n]\n").toString();
    }
}
