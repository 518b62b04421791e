package io.jdamon.api;

import java.util.Objects;

/**
 * Which regions a {@link Scheme} applies to: DAMOS's access pattern, each
 * bound inclusive. Made by {@link Scheme.Builder}; immutable.
 *
 * <p>Access frequency is given either in samples per aggregation (DAMON's
 * {@code nr_accesses}) or in percent of the samples an aggregation holds;
 * age either in aggregation intervals or in microseconds. The engine reads
 * percent and time against the intervals in force when it applies the
 * scheme, so they keep their meaning when the intervals change (online, or
 * by auto-tuning); samples and aggregations are taken as they are.
 *
 * @since 2.0
 */
public final class AccessPattern {

    /** How {@link #minNrAccesses()} and {@link #maxNrAccesses()} count. */
    public enum AccessUnit {
        /** samples in which the region was found accessed, as {@code nr_accesses} */
        SAMPLES,
        /** percent (0-100) of the samples an aggregation holds */
        PERCENT
    }

    /** How {@link #minAge()} and {@link #maxAge()} count. */
    public enum AgeUnit {
        /** aggregation intervals the region kept its access frequency, as DAMON's {@code age} */
        AGGREGATIONS,
        /** microseconds */
        MICROSECONDS
    }

    /** Any pattern: every region matches. */
    static final AccessPattern ANY = new AccessPattern(0, Long.MAX_VALUE, 0, Long.MAX_VALUE, AccessUnit.SAMPLES, 0,
            Long.MAX_VALUE, AgeUnit.AGGREGATIONS);

    private final long minSizeBytes;
    private final long maxSizeBytes;
    private final long minNrAccesses;
    private final long maxNrAccesses;
    private final AccessUnit accessUnit;
    private final long minAge;
    private final long maxAge;
    private final AgeUnit ageUnit;

    AccessPattern(long minSizeBytes, long maxSizeBytes, long minNrAccesses, long maxNrAccesses, AccessUnit accessUnit,
            long minAge, long maxAge, AgeUnit ageUnit) {
        this.minSizeBytes = minSizeBytes;
        this.maxSizeBytes = maxSizeBytes;
        this.minNrAccesses = minNrAccesses;
        this.maxNrAccesses = maxNrAccesses;
        this.accessUnit = Objects.requireNonNull(accessUnit, "accessUnit");
        this.minAge = minAge;
        this.maxAge = maxAge;
        this.ageUnit = Objects.requireNonNull(ageUnit, "ageUnit");
    }

    /** @return the least region size, in bytes */
    public long minSizeBytes() {
        return minSizeBytes;
    }

    /** @return the largest region size, in bytes ({@link Long#MAX_VALUE}: no bound) */
    public long maxSizeBytes() {
        return maxSizeBytes;
    }

    /** @return the least access frequency, in {@link #accessUnit()} */
    public long minNrAccesses() {
        return minNrAccesses;
    }

    /** @return the highest access frequency, in {@link #accessUnit()} ({@link Long#MAX_VALUE}: no bound) */
    public long maxNrAccesses() {
        return maxNrAccesses;
    }

    public AccessUnit accessUnit() {
        return accessUnit;
    }

    /** @return the least age, in {@link #ageUnit()} */
    public long minAge() {
        return minAge;
    }

    /** @return the highest age, in {@link #ageUnit()} ({@link Long#MAX_VALUE}: no bound) */
    public long maxAge() {
        return maxAge;
    }

    public AgeUnit ageUnit() {
        return ageUnit;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccessPattern p && p.minSizeBytes == minSizeBytes && p.maxSizeBytes == maxSizeBytes
                && p.minNrAccesses == minNrAccesses && p.maxNrAccesses == maxNrAccesses
                && p.accessUnit == accessUnit && p.minAge == minAge && p.maxAge == maxAge && p.ageUnit == ageUnit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(minSizeBytes, maxSizeBytes, minNrAccesses, maxNrAccesses, accessUnit, minAge, maxAge,
                ageUnit);
    }

    @Override
    public String toString() {
        return "AccessPattern[size=" + minSizeBytes + ".." + bound(maxSizeBytes) + " B, nrAccesses=" + minNrAccesses
                + ".." + bound(maxNrAccesses) + " " + accessUnit + ", age=" + minAge + ".." + bound(maxAge) + " "
                + ageUnit + "]";
    }

    private static String bound(long v) {
        return v == Long.MAX_VALUE ? "max" : Long.toString(v);
    }
}
