package io.jdamon.record;

import java.util.List;
import java.util.Optional;

import io.jdamon.api.MeasuredRound;
import io.jdamon.api.RegionSnapshot;

/**
 * One target's regions at the end of one aggregation interval, as read from a
 * record file (damo's {@code snapshots[]} entry).
 *
 * @param aggregationIndex the aggregation's number in the run (jdamon files),
 *     or its position in the record (damo files)
 * @param startNanos when the interval began, in nanoseconds (jdamon: since the
 *     run started; damo: the clock damo used)
 * @param endNanos when it ended, in nanoseconds, same clock
 * @param sampleIntervalUs the sample interval in force, in microseconds
 * @param aggregationIntervalUs the aggregation interval in force, in
 *     microseconds (jdamon files say it per snapshot; for damo files it is
 *     the record's {@code intervals.aggr_us}, or 0 if not given)
 * @param totalBytes the sum of region sizes, in bytes
 * @param regions sorted by address
 * @param samplesTaken the samples really taken in the aggregation (jdamon's
 *     {@code jdamon_samples}, the most accesses a region can have), 0 if the
 *     file does not say
 * @param measuredRounds what the primitive measured of whole ranges, one
 *     round per access check (jdamon's {@code jdamon_measured}, e.g.
 *     referenced bytes per mapping); empty if the file has none
 * @param damosStats the scheme's counters at this snapshot (damo's
 *     {@code damos_stats}), in the snapshots of a scheme's record
 *     ({@link Recording#schemeRecords()}, or a damo record with a
 *     {@code scheme_idx}); empty elsewhere
 * @since 1.1 (measuredRounds: 1.3, damosStats: 1.5)
 */
public record RecordedSnapshot(long aggregationIndex, long startNanos, long endNanos, long sampleIntervalUs,
        long aggregationIntervalUs, long totalBytes, List<RegionSnapshot> regions, int samplesTaken,
        List<MeasuredRound> measuredRounds, Optional<DamosStats> damosStats) {

    public RecordedSnapshot {
        regions = List.copyOf(regions);
        measuredRounds = List.copyOf(measuredRounds);
        damosStats = damosStats == null ? Optional.empty() : damosStats;
    }

    /** A snapshot without DAMOS stats (the form of 1.3). */
    public RecordedSnapshot(long aggregationIndex, long startNanos, long endNanos, long sampleIntervalUs,
            long aggregationIntervalUs, long totalBytes, List<RegionSnapshot> regions, int samplesTaken,
            List<MeasuredRound> measuredRounds) {
        this(aggregationIndex, startNanos, endNanos, sampleIntervalUs, aggregationIntervalUs, totalBytes, regions,
                samplesTaken, measuredRounds, Optional.empty());
    }

    /** A snapshot without measured rounds (the form of 1.1). */
    public RecordedSnapshot(long aggregationIndex, long startNanos, long endNanos, long sampleIntervalUs,
            long aggregationIntervalUs, long totalBytes, List<RegionSnapshot> regions, int samplesTaken) {
        this(aggregationIndex, startNanos, endNanos, sampleIntervalUs, aggregationIntervalUs, totalBytes, regions,
                samplesTaken, List.of());
    }

    /** A snapshot whose samples taken are not known (the form of 1.0). */
    public RecordedSnapshot(long aggregationIndex, long startNanos, long endNanos, long sampleIntervalUs,
            long aggregationIntervalUs, long totalBytes, List<RegionSnapshot> regions) {
        this(aggregationIndex, startNanos, endNanos, sampleIntervalUs, aggregationIntervalUs, totalBytes, regions, 0);
    }

    /** @return bytes in regions accessed at least once (DAMON's working set size) */
    public long workingSetBytes() {
        return RegionSnapshot.workingSetBytes(regions);
    }

    /**
     * @return the working set size measured of whole ranges
     *     ({@link MeasuredRound#workingSetBytes}), or -1 if the snapshot has no measured rounds
     * @since 1.3
     */
    public long measuredWorkingSetBytes() {
        return measuredRounds.isEmpty() ? -1 : MeasuredRound.workingSetBytes(measuredRounds);
    }

    /**
     * @return {@link #measuredWorkingSetBytes()} where the file has measured
     *     rounds, else {@link #workingSetBytes()}
     * @since 1.3
     */
    public long effectiveWorkingSetBytes() {
        long m = measuredWorkingSetBytes();
        return m >= 0 ? m : workingSetBytes();
    }
}
