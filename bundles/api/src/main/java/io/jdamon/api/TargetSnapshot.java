package io.jdamon.api;

import java.util.List;

/**
 * One target's regions at the end of an aggregation interval. A class rather
 * than a record since 2.0, so that it can take new fields in a minor version
 * (through {@link #builder(int, String)}, never as constructor parameters).
 *
 * <p>Fields, each with its accessor of the same name:
 *
 * @param index the target's position in its context, from 0
 * @param spec the target as specified
 * @param regions sorted by address, not overlapping
 * @param measuredRounds what the primitive measured of whole ranges in each
 *     sample of the interval ({@link MonitoringTarget#reportMeasuredAccess}),
 *     in time order; empty when its primitive measures nothing that way
 * @since 1.2 (measuredRounds)
 */
public final class TargetSnapshot {

    private final int index;
    private final String spec;
    private final List<RegionSnapshot> regions;
    private final List<MeasuredRound> measuredRounds;

    /** All the fields of 2.0; fields added later are set through {@link #builder(int, String)}. */
    public TargetSnapshot(int index, String spec, List<RegionSnapshot> regions, List<MeasuredRound> measuredRounds) {
        this.index = index;
        this.spec = spec;
        this.regions = List.copyOf(regions);
        this.measuredRounds = List.copyOf(measuredRounds);
    }

    /**
     * @return a builder of target {@code index}'s snapshot: no region, no measured round yet
     * @since 2.0
     */
    public static Builder builder(int index, String spec) {
        return new Builder(index, spec);
    }

    /**
     * Builds a target's snapshot.
     *
     * @since 2.0
     */
    public static final class Builder {
        private final int index;
        private final String spec;
        private List<RegionSnapshot> regions = List.of();
        private List<MeasuredRound> measuredRounds = List.of();

        private Builder(int index, String spec) {
            this.index = index;
            this.spec = spec;
        }

        public Builder regions(List<RegionSnapshot> sortedRegions) {
            regions = sortedRegions;
            return this;
        }

        public Builder measuredRounds(List<MeasuredRound> rounds) {
            measuredRounds = rounds;
            return this;
        }

        public TargetSnapshot build() {
            return new TargetSnapshot(index, spec, regions, measuredRounds);
        }
    }

    /** @return the target's position in its context, from 0 */
    public int index() {
        return index;
    }

    /** @return the target as specified */
    public String spec() {
        return spec;
    }

    /** @return the regions, sorted by address, not overlapping; unmodifiable */
    public List<RegionSnapshot> regions() {
        return regions;
    }

    /** @return what the primitive measured of whole ranges in each sample, in time order; unmodifiable */
    public List<MeasuredRound> measuredRounds() {
        return measuredRounds;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TargetSnapshot t && t.index == index && t.spec.equals(spec) && t.regions.equals(regions)
                && t.measuredRounds.equals(measuredRounds);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(index, spec, regions, measuredRounds);
    }

    @Override
    public String toString() {
        return "TargetSnapshot[index=" + index + ", spec=" + spec + ", regions=" + regions + ", measuredRounds="
                + measuredRounds + "]";
    }

    /** A snapshot without measured rounds (the form of 1.0). */
    public TargetSnapshot(int index, String spec, List<RegionSnapshot> regions) {
        this(index, spec, regions, List.of());
    }

    /**
     * @return DAMON's working set size: bytes in regions that were accessed at
     *     least once; for a target with {@linkplain #measuredRounds measured
     *     rounds} see {@link #measuredWorkingSetBytes()} instead
     */
    public long workingSetBytes() {
        return RegionSnapshot.workingSetBytes(regions);
    }

    /**
     * @return the working set size the primitive measured
     *     ({@link MeasuredRound#workingSetBytes}), or -1 if it measured none
     * @since 1.2
     */
    public long measuredWorkingSetBytes() {
        return measuredRounds.isEmpty() ? -1 : MeasuredRound.workingSetBytes(measuredRounds);
    }

    /**
     * @return the working set size to show: {@link #measuredWorkingSetBytes()}
     *     where the primitive measured, else {@link #workingSetBytes()}
     * @since 1.2
     */
    public long effectiveWorkingSetBytes() {
        long m = measuredWorkingSetBytes();
        return m >= 0 ? m : workingSetBytes();
    }

    /** @return the sum of region sizes, in bytes */
    public long totalBytes() {
        long sum = 0;
        for (RegionSnapshot r : regions) {
            sum += r.size();
        }
        return sum;
    }
}
