package io.jdamon.record;

import java.util.List;
import java.util.Map;

/**
 * The results for one monitoring target: one entry of damo's record list.
 *
 * @param kdamondIdx the kdamond that produced it (damo's {@code kdamond_idx}), -1 if not given
 * @param contextIdx the context within the kdamond ({@code context_idx}), -1 if not given
 * @param schemeIdx the DAMOS scheme for tried-regions records ({@code scheme_idx}), -1 for plain monitoring results
 * @param targetId damo's {@code target_id} as written (jdamon writes the target's index), may be empty
 * @param sampleIntervalUs {@code intervals.sample_us}, 0 if not given
 * @param aggregationIntervalUs {@code intervals.aggr_us}, 0 if not given
 * @param updateIntervalUs {@code intervals.ops_update_us}, 0 if not given
 * @param contextName the jdamon context's name, empty for damo files
 * @param targetSpec the target as specified in jdamon (e.g. {@code pid=1234}), empty for damo files
 * @param primitiveName the primitive that sampled it, empty for damo files
 * @param primitiveProperties what the primitive said about how it sampled
 *     (e.g. {@code sensor=page-idle}); empty for damo files
 * @param targetCount how many targets the context had (jdamon files), 0 if not known
 * @param snapshots every complete snapshot, in time order
 * @param started the run's time zero as written ({@code jdamon.started}, ISO-8601), empty if not given
 * @param schemeAction a jdamon scheme record's action ({@code jdamon.scheme_action}, e.g. {@code pageout}),
 *     empty for other records
 * @since 1.1 (started; schemeAction: 1.5)
 */
public record TargetRecord(int kdamondIdx, int contextIdx, int schemeIdx, String targetId, long sampleIntervalUs,
        long aggregationIntervalUs, long updateIntervalUs, String contextName, String targetSpec,
        String primitiveName, Map<String, String> primitiveProperties, int targetCount, List<RecordedSnapshot> snapshots,
        String started, String schemeAction) {

    public TargetRecord {
        primitiveProperties = Map.copyOf(primitiveProperties);
        snapshots = List.copyOf(snapshots);
        started = started == null ? "" : started;
        schemeAction = schemeAction == null ? "" : schemeAction;
    }

    /** A record without a scheme action (the form of 1.1). */
    public TargetRecord(int kdamondIdx, int contextIdx, int schemeIdx, String targetId, long sampleIntervalUs,
            long aggregationIntervalUs, long updateIntervalUs, String contextName, String targetSpec,
            String primitiveName, Map<String, String> primitiveProperties, int targetCount,
            List<RecordedSnapshot> snapshots, String started) {
        this(kdamondIdx, contextIdx, schemeIdx, targetId, sampleIntervalUs, aggregationIntervalUs, updateIntervalUs,
                contextName, targetSpec, primitiveName, primitiveProperties, targetCount, snapshots, started, "");
    }

    /** A record without its time zero (the form of 1.0). */
    public TargetRecord(int kdamondIdx, int contextIdx, int schemeIdx, String targetId, long sampleIntervalUs,
            long aggregationIntervalUs, long updateIntervalUs, String contextName, String targetSpec,
            String primitiveName, Map<String, String> primitiveProperties, int targetCount,
            List<RecordedSnapshot> snapshots) {
        this(kdamondIdx, contextIdx, schemeIdx, targetId, sampleIntervalUs, aggregationIntervalUs, updateIntervalUs,
                contextName, targetSpec, primitiveName, primitiveProperties, targetCount, snapshots, "");
    }

    /** @return the most accesses a region can have in one aggregation (aggr / sample), at least 1 */
    public int samplesPerAggregation() {
        if (sampleIntervalUs <= 0 || aggregationIntervalUs <= 0) {
            return 1;
        }
        return (int) Math.max(1, aggregationIntervalUs / sampleIntervalUs);
    }

    /** @return a label for messages: the target spec, else {@code target_id}, else the position */
    public String label() {
        if (!targetSpec.isEmpty()) {
            return targetSpec;
        }
        return targetId.isEmpty() ? "?" : "target_id " + targetId;
    }
}
