package io.jdamon.record;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.TargetSnapshot;

/**
 * What {@link RecordReader} found in a record file: one {@link TargetRecord}
 * per monitoring target, each with every complete snapshot.
 *
 * @param file the file read
 * @param records one per target, in file order
 * @param complete false if the file ended early: still being written, or cut
 *     by a crash or {@code kill -9}; the records then hold every snapshot that
 *     was complete
 * @param runningLayout true if a target's records repeat (the layout a
 *     jdamon multi-target file has while it is written), which damo cannot
 *     read; {@link RecordRepair} rewrites it
 * @param warnings what is odd about the content but was read anyway
 *     (overlapping regions, rates above 100%), each naming the record,
 *     snapshot and region
 * @param schemeRecords a jdamon file's DAMOS records: one per scheme and
 *     target ({@link TargetRecord#schemeIdx()} from 0, {@code targetId} the
 *     target's index), each snapshot an application of the scheme with its
 *     counters ({@link RecordedSnapshot#damosStats()}) and the regions it
 *     tried in that target; kept apart from {@link #records()}, which are the
 *     targets' monitoring results. damo's files keep every record in
 *     {@code records()}, as damo shows them
 * @since 1.0 (schemeRecords: 1.5)
 */
public record Recording(Path file, List<TargetRecord> records, boolean complete, boolean runningLayout,
        List<String> warnings, List<TargetRecord> schemeRecords) {

    public Recording {
        records = List.copyOf(records);
        warnings = List.copyOf(warnings);
        schemeRecords = List.copyOf(schemeRecords);
    }

    /** A recording without scheme records (the form of 1.4). */
    public Recording(Path file, List<TargetRecord> records, boolean complete, boolean runningLayout,
            List<String> warnings) {
        this(file, records, complete, runningLayout, warnings, List.of());
    }

    /** A recording without layout facts or warnings (the form of 1.0). */
    public Recording(Path file, List<TargetRecord> records, boolean complete) {
        this(file, records, complete, false, List.of());
    }

    /**
     * @return whether damo cannot read the file as it is, but could after
     *     {@link RecordRepair#repair}: it ends early (cut by a crash, a full
     *     disk or {@code kill -9}, or still being written) or is in the
     *     running multi-target layout
     * @since 1.1
     */
    public boolean needsRepair() {
        return !complete || runningLayout;
    }

    /** @return the number of snapshots over all targets */
    public int snapshotCount() {
        int n = 0;
        for (TargetRecord r : records) {
            n += r.snapshots().size();
        }
        return n;
    }

    /** @return the context's name, from the first record; empty for damo files */
    public String contextName() {
        return records.isEmpty() ? "" : records.get(0).contextName();
    }

    /** @return the primitive's name, from the first record; empty for damo files */
    public String primitiveName() {
        return records.isEmpty() ? "" : records.get(0).primitiveName();
    }

    /** @return what the primitive said about how it sampled, from the first record */
    public Map<String, String> primitiveProperties() {
        return records.isEmpty() ? Map.of() : records.get(0).primitiveProperties();
    }

    /**
     * One target's snapshots as API snapshots with a single target each, for
     * the reports.
     *
     * @param recordIndex from 0 to {@code records().size() - 1}
     */
    public List<AggregationSnapshot> aggregations(int recordIndex) {
        TargetRecord r = records.get(recordIndex);
        List<AggregationSnapshot> out = new ArrayList<>(r.snapshots().size());
        for (RecordedSnapshot s : r.snapshots()) {
            out.add(aggregation(r, recordIndex, s));
        }
        return out;
    }

    /**
     * One snapshot of a record as an API snapshot with a single target, as
     * {@link #aggregations(int)} gives them; for snapshots handed over by
     * {@link RecordReader#stream}.
     *
     * @param r the snapshot's record
     * @param recordIndex the record's position in the file's records
     * @since 1.4
     */
    public static AggregationSnapshot aggregation(TargetRecord r, int recordIndex, RecordedSnapshot s) {
        return new AggregationSnapshot(r.contextName(), s.aggregationIndex(), s.startNanos(), s.endNanos(),
                s.sampleIntervalUs() > 0 ? s.sampleIntervalUs() : Math.max(1, r.sampleIntervalUs()),
                aggregationIntervalUs(r, s),
                List.of(new TargetSnapshot(recordIndex, r.label(), s.regions(), s.measuredRounds())));
    }

    /**
     * Every aggregation with all targets, as the engine saw it: the i-th
     * snapshot of every record joined into one. Only aggregations that every
     * target completed are returned.
     */
    public List<AggregationSnapshot> aggregations() {
        if (records.isEmpty()) {
            return List.of();
        }
        int n = Integer.MAX_VALUE;
        for (TargetRecord r : records) {
            n = Math.min(n, r.snapshots().size());
            if (r.targetCount() > records.size()) {
                n = 0; // a target's first record was cut before its snapshots began
            }
        }
        List<AggregationSnapshot> out = new ArrayList<>(n);
        TargetRecord first = records.get(0);
        for (int i = 0; i < n; i++) {
            RecordedSnapshot s0 = first.snapshots().get(i);
            List<TargetSnapshot> targets = new ArrayList<>(records.size());
            for (int t = 0; t < records.size(); t++) {
                TargetRecord r = records.get(t);
                RecordedSnapshot s = r.snapshots().get(i);
                targets.add(new TargetSnapshot(t, r.label(), s.regions(), s.measuredRounds()));
            }
            out.add(new AggregationSnapshot(first.contextName(), s0.aggregationIndex(), s0.startNanos(),
                    s0.endNanos(), s0.sampleIntervalUs() > 0 ? s0.sampleIntervalUs() : Math.max(1, first.sampleIntervalUs()),
                    aggregationIntervalUs(first, s0), targets));
        }
        return out;
    }

    /**
     * The aggregation interval the reports see: where the file says how many
     * samples were taken ({@code jdamon_samples}), the time those samples
     * covered (samples x sample interval), so that
     * {@link AggregationSnapshot#samplesPerAggregation()} is the samples really
     * taken and rates are exact; the snapshot's start and end times keep the
     * time that really elapsed.
     */
    private static long aggregationIntervalUs(TargetRecord r, RecordedSnapshot s) {
        long sampleUs = s.sampleIntervalUs() > 0 ? s.sampleIntervalUs() : r.sampleIntervalUs();
        if (s.samplesTaken() > 0 && sampleUs > 0) {
            return s.samplesTaken() * sampleUs;
        }
        if (s.aggregationIntervalUs() > 0) {
            return s.aggregationIntervalUs();
        }
        if (r.aggregationIntervalUs() > 0) {
            return r.aggregationIntervalUs();
        }
        long us = (s.endNanos() - s.startNanos()) / 1000;
        return Math.max(1, us);
    }
}
