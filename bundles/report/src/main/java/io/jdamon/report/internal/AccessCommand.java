package io.jdamon.report.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;

import io.jdamon.api.AggregationSnapshot;
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
        Recording rec = input.read(err);
        int t = tid != null ? Input.byTargetId(rec, tid) : target == null ? 0 : Values.wholeInt("--target", target);
        List<AggregationSnapshot> snaps = Input.snapshots(rec, t);
        int first;
        int last;
        if (snapshotIdx != null) {
            first = Values.wholeInt("--snapshot_idx", snapshotIdx.get(0));
            last = Values.wholeInt("--snapshot_idx", snapshotIdx.get(1));
            if (first < 0 || last < first || last >= snaps.size()) {
                throw new UsageException("--snapshot_idx " + first + " " + last + " is out of range; "
                        + rec.file() + " has " + snaps.size() + " snapshots (0 to " + (snaps.size() - 1)
                        + "); give START <= END");
            }
        } else {
            int n = snapshot == null ? -1 : Values.wholeInt("--snapshot", snapshot);
            int idx = n < 0 ? snaps.size() + n : n;
            if (idx < 0 || idx >= snaps.size()) {
                throw new UsageException("--snapshot " + n + " is out of range; " + rec.file() + " has "
                        + snaps.size() + " snapshots (0 to " + (snaps.size() - 1) + ", or -1 for the last)");
            }
            first = idx;
            last = idx;
        }
        if (json) {
            out.print(json(rec.records().get(t), first, last));
            return 0;
        }
        Input.printSensor(rec, out);
        for (int i = first; i <= last; i++) {
            out.print(AccessReport.toText(snaps.get(i), 0, "snapshot " + i + " of " + snaps.size(), raw));
        }
        return 0;
    }

    /** @return the record with snapshots {@code first..last}, in damo's record layout */
    static String json(TargetRecord r, int first, int last) {
        StringBuilder sb = new StringBuilder("[\n{\"kdamond_idx\": ").append(Math.max(0, r.kdamondIdx()))
                .append(", \"context_idx\": ").append(Math.max(0, r.contextIdx()))
                .append(",\n \"intervals\": {\"sample_us\": ").append(r.sampleIntervalUs())
                .append(", \"aggr_us\": ").append(r.aggregationIntervalUs())
                .append(", \"ops_update_us\": ").append(r.updateIntervalUs()).append("},\n")
                .append(" \"scheme_idx\": null, \"target_id\": ")
                .append(r.targetId().matches("[0-9]+") ? r.targetId() : "\"" + r.targetId().replace("\"", "") + "\"")
                .append(",\n \"snapshots\": [");
        for (int i = first; i <= last; i++) {
            RecordedSnapshot s = r.snapshots().get(i);
            int perAggr = s.samplesTaken() > 0 ? s.samplesTaken()
                    : s.sampleIntervalUs() > 0 && s.aggregationIntervalUs() > 0
                            ? (int) Math.max(1, s.aggregationIntervalUs() / s.sampleIntervalUs())
                            : r.samplesPerAggregation();
            long aggrUs = s.aggregationIntervalUs() > 0 ? s.aggregationIntervalUs() : r.aggregationIntervalUs();
            sb.append(i == first ? "\n" : ",\n").append("{\"start_time\": ").append(s.startNanos())
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
