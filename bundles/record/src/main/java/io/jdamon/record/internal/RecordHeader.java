package io.jdamon.record.internal;

import java.util.List;
import java.util.Map;

import io.jdamon.record.RecordedSnapshot;
import io.jdamon.record.TargetRecord;

/**
 * What a record (one entry of a record file's list) says about its target,
 * before its snapshots: filled in by a parser as it reads the record's keys.
 */
public final class RecordHeader {
    public int kdamondIdx = -1;
    public int contextIdx = -1;
    public int schemeIdx = -1;
    public String targetId = "";
    /** {@code intervals.sample_us}, 0 if not given */
    public long sampleUs;
    /** {@code intervals.aggr_us}, 0 if not given */
    public long aggrUs;
    /** {@code intervals.ops_update_us}, 0 if not given */
    public long updateUs;
    public String contextName = "";
    public String targetSpec = "";
    public String primitiveName = "";
    public String started = "";
    public int targets;
    /** {@code jdamon.scheme_action}: a jdamon scheme record's action, empty otherwise */
    public String schemeAction = "";
    public Map<String, String> properties = Map.of();

    /** @return what identifies the target: records with the same key are one target's (the running layout) */
    public String key() {
        return kdamondIdx + "/" + contextIdx + "/" + schemeIdx + "/" + targetId;
    }

    /** @return whether this is a jdamon scheme record (kept apart from the targets' records) */
    public boolean jdamonScheme() {
        return schemeIdx >= 0 && targets > 0;
    }

    /** @return the most accesses a region can have per aggregation by the record's intervals, 0 if unknown */
    public int samplesPerAggregation() {
        return sampleUs > 0 && aggrUs > 0 ? (int) Math.max(1, aggrUs / sampleUs) : 0;
    }

    public TargetRecord toRecord(List<RecordedSnapshot> snapshots) {
        return new TargetRecord(kdamondIdx, contextIdx, schemeIdx, targetId, sampleUs, aggrUs, updateUs,
                contextName, targetSpec, primitiveName, properties, targets, snapshots, started, schemeAction);
    }
}
