package io.jdamon.api;

/**
 * The attributes of a monitoring context: its three intervals and the limits
 * on its number of regions. Immutable; every instance is valid. Made with
 * {@link #builder()} (or {@link #DEFAULTS} and the {@code with} methods);
 * a class rather than a record since 2.0, so that it can take new fields in
 * a minor version: new fields come with builder methods and accessors, never
 * as new constructor parameters.
 *
 * <p>Fields, each with its accessor of the same name:
 *
 * @param sampleIntervalUs time between two access samples, in microseconds
 *     (seed default 5,000 = 5 ms)
 * @param aggregationIntervalUs time over which samples are counted into
 *     {@code nr_accesses} before callbacks see them and regions are merged and
 *     split, in microseconds (default 100,000 = 100 ms); a whole multiple of
 *     the sample interval is expected, the remainder is ignored
 * @param updateIntervalUs time between two calls of the primitive's
 *     {@link Primitive#update update} hook, in microseconds (default
 *     60,000,000 = 60 s)
 * @param minNrRegions the least number of regions the adaptive adjustment
 *     keeps over all targets (default 10, at least 3)
 * @param maxNrRegions the most regions the adaptive adjustment keeps over all
 *     targets (default 1,000); monitoring cost grows with it, not with the
 *     size of the address space
 * @param intervalsGoal the goal of the intervals auto-tuning, {@link IntervalsGoal#NONE} for
 *     none (the default); while it tunes, the sample and aggregation intervals here are the
 *     ones it chose (since 1.4)
 * @throws InvalidAttributesException naming the first invalid field, the
 *     limit it breaks and the fix; besides the limits of each field, every
 *     interval is at most {@link #MAX_INTERVAL_US} and an aggregation
 *     interval holds at most {@link #MAX_SAMPLES_PER_AGGREGATION} samples, so
 *     that every quantity derived from the attributes fits its type
 */
public final class MonitoringAttributes {

    private final long sampleIntervalUs;
    private final long aggregationIntervalUs;
    private final long updateIntervalUs;
    private final int minNrRegions;
    private final int maxNrRegions;
    private final IntervalsGoal intervalsGoal;

    /** Seed default sample interval: 5 ms. */
    public static final long DEFAULT_SAMPLE_INTERVAL_US = 5_000;
    /** Seed default aggregation interval: 100 ms. */
    public static final long DEFAULT_AGGREGATION_INTERVAL_US = 100_000;
    /** Seed default primitive update interval: 60 s. */
    public static final long DEFAULT_UPDATE_INTERVAL_US = 60_000_000;
    /** Default least number of regions. */
    public static final int DEFAULT_MIN_NR_REGIONS = 10;
    /** Default most number of regions. */
    public static final int DEFAULT_MAX_NR_REGIONS = 1_000;
    /** The least {@link #minNrRegions} allowed (DAMON needs three to split and merge). */
    public static final int LOWEST_MIN_NR_REGIONS = 3;

    /**
     * The longest interval of any kind, in microseconds: 366 days. Keeps every
     * interval, in nanoseconds and added to a monotonic clock, inside a {@code long}.
     *
     * @since 1.1
     */
    public static final long MAX_INTERVAL_US = 366L * 24 * 3600 * 1_000_000;

    /**
     * The most samples one aggregation interval may hold ({@code 2^24}, e.g.
     * 1 us samples over a 16.7 s aggregation): the highest {@code nr_accesses}
     * a region can reach, kept small enough that counts and their rescaling
     * between intervals never overflow.
     *
     * @since 1.1
     */
    public static final int MAX_SAMPLES_PER_AGGREGATION = 1 << 24;

    /** The seed's defaults: 5 ms, 100 ms, 60 s, 10 to 1,000 regions. */
    public static final MonitoringAttributes DEFAULTS = new MonitoringAttributes(
            DEFAULT_SAMPLE_INTERVAL_US, DEFAULT_AGGREGATION_INTERVAL_US, DEFAULT_UPDATE_INTERVAL_US,
            DEFAULT_MIN_NR_REGIONS, DEFAULT_MAX_NR_REGIONS);

    /** Attributes without intervals auto-tuning; see {@link #builder()} for the rest. */
    public MonitoringAttributes(long sampleIntervalUs, long aggregationIntervalUs, long updateIntervalUs,
            int minNrRegions, int maxNrRegions) {
        this(sampleIntervalUs, aggregationIntervalUs, updateIntervalUs, minNrRegions, maxNrRegions,
                IntervalsGoal.NONE);
    }

    /**
     * All the fields of 2.0; fields added later are set through {@link #builder()}.
     *
     * @param intervalsGoal null for {@link IntervalsGoal#NONE}
     */
    public MonitoringAttributes(long sampleIntervalUs, long aggregationIntervalUs, long updateIntervalUs,
            int minNrRegions, int maxNrRegions, IntervalsGoal intervalsGoal) {
        if (intervalsGoal == null) {
            intervalsGoal = IntervalsGoal.NONE;
        }
        positive("sampleIntervalUs", sampleIntervalUs);
        positive("aggregationIntervalUs", aggregationIntervalUs);
        positive("updateIntervalUs", updateIntervalUs);
        if (sampleIntervalUs > aggregationIntervalUs) {
            throw new InvalidAttributesException("sampleIntervalUs",
                    "sampleIntervalUs (" + sampleIntervalUs + ") is longer than aggregationIntervalUs ("
                            + aggregationIntervalUs + "); make the aggregation interval a multiple of the sample interval");
        }
        long samples = aggregationIntervalUs / sampleIntervalUs;
        if (samples > MAX_SAMPLES_PER_AGGREGATION) {
            throw new InvalidAttributesException("aggregationIntervalUs",
                    "aggregationIntervalUs (" + aggregationIntervalUs + ") over sampleIntervalUs (" + sampleIntervalUs
                            + ") makes " + samples + " samples per aggregation, more than the "
                            + MAX_SAMPLES_PER_AGGREGATION + " allowed; shorten the aggregation interval to at most "
                            + saturatedProduct(sampleIntervalUs, MAX_SAMPLES_PER_AGGREGATION)
                            + " us or lengthen the sample interval to at least "
                            + ceilDiv(aggregationIntervalUs, MAX_SAMPLES_PER_AGGREGATION) + " us");
        }
        if (minNrRegions < LOWEST_MIN_NR_REGIONS) {
            throw new InvalidAttributesException("minNrRegions",
                    "minNrRegions is " + minNrRegions + " but must be at least " + LOWEST_MIN_NR_REGIONS);
        }
        if (minNrRegions > maxNrRegions) {
            throw new InvalidAttributesException("maxNrRegions",
                    "maxNrRegions (" + maxNrRegions + ") is smaller than minNrRegions (" + minNrRegions
                            + "); raise maxNrRegions or lower minNrRegions");
        }
        this.sampleIntervalUs = sampleIntervalUs;
        this.aggregationIntervalUs = aggregationIntervalUs;
        this.updateIntervalUs = updateIntervalUs;
        this.minNrRegions = minNrRegions;
        this.maxNrRegions = maxNrRegions;
        this.intervalsGoal = intervalsGoal;
    }

    /** @return a builder starting from the seed's defaults ({@link #DEFAULTS}) */
    public static Builder builder() {
        return DEFAULTS.toBuilder();
    }

    /** @return a builder starting from these attributes */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Builds attributes; {@link #build()} checks them all at once.
     *
     * @since 2.0
     */
    public static final class Builder {
        private long sampleIntervalUs;
        private long aggregationIntervalUs;
        private long updateIntervalUs;
        private int minNrRegions;
        private int maxNrRegions;
        private IntervalsGoal intervalsGoal;

        private Builder(MonitoringAttributes from) {
            sampleIntervalUs = from.sampleIntervalUs;
            aggregationIntervalUs = from.aggregationIntervalUs;
            updateIntervalUs = from.updateIntervalUs;
            minNrRegions = from.minNrRegions;
            maxNrRegions = from.maxNrRegions;
            intervalsGoal = from.intervalsGoal;
        }

        /** @param us time between two access samples, in microseconds */
        public Builder sampleIntervalUs(long us) {
            sampleIntervalUs = us;
            return this;
        }

        /** @param us time over which samples are counted, in microseconds */
        public Builder aggregationIntervalUs(long us) {
            aggregationIntervalUs = us;
            return this;
        }

        /** @param us time between two primitive updates, in microseconds */
        public Builder updateIntervalUs(long us) {
            updateIntervalUs = us;
            return this;
        }

        /** @param min the least and {@code max} the most regions over all targets */
        public Builder nrRegions(int min, int max) {
            minNrRegions = min;
            maxNrRegions = max;
            return this;
        }

        /** @param goal the intervals auto-tuning's goal; {@link IntervalsGoal#NONE} or null for none */
        public Builder intervalsGoal(IntervalsGoal goal) {
            intervalsGoal = goal;
            return this;
        }

        /**
         * @return the attributes
         * @throws InvalidAttributesException naming the first invalid field, as the class says
         */
        public MonitoringAttributes build() {
            return new MonitoringAttributes(sampleIntervalUs, aggregationIntervalUs, updateIntervalUs, minNrRegions,
                    maxNrRegions, intervalsGoal);
        }
    }

    /** @return time between two access samples, in microseconds */
    public long sampleIntervalUs() {
        return sampleIntervalUs;
    }

    /** @return time over which samples are counted into {@code nr_accesses}, in microseconds */
    public long aggregationIntervalUs() {
        return aggregationIntervalUs;
    }

    /** @return time between two calls of the primitive's {@link Primitive#update update}, in microseconds */
    public long updateIntervalUs() {
        return updateIntervalUs;
    }

    /** @return the least number of regions over all targets */
    public int minNrRegions() {
        return minNrRegions;
    }

    /** @return the most regions over all targets */
    public int maxNrRegions() {
        return maxNrRegions;
    }

    /**
     * @return the intervals auto-tuning's goal; {@link IntervalsGoal#NONE} for none
     * @since 1.4
     */
    public IntervalsGoal intervalsGoal() {
        return intervalsGoal;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MonitoringAttributes a && a.sampleIntervalUs == sampleIntervalUs
                && a.aggregationIntervalUs == aggregationIntervalUs && a.updateIntervalUs == updateIntervalUs
                && a.minNrRegions == minNrRegions && a.maxNrRegions == maxNrRegions
                && a.intervalsGoal.equals(intervalsGoal);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(sampleIntervalUs, aggregationIntervalUs, updateIntervalUs, minNrRegions,
                maxNrRegions, intervalsGoal);
    }

    @Override
    public String toString() {
        return "MonitoringAttributes[sampleIntervalUs=" + sampleIntervalUs + ", aggregationIntervalUs="
                + aggregationIntervalUs + ", updateIntervalUs=" + updateIntervalUs + ", minNrRegions=" + minNrRegions
                + ", maxNrRegions=" + maxNrRegions + ", intervalsGoal=" + intervalsGoal + "]";
    }

    private static void positive(String field, long valueUs) {
        if (valueUs <= 0) {
            throw new InvalidAttributesException(field,
                    field + " is " + valueUs + " but must be a positive number of microseconds");
        }
        if (valueUs > MAX_INTERVAL_US) {
            throw new InvalidAttributesException(field, field + " is " + valueUs + " us (about " + valueUs / 86_400_000_000L
                    + " days) but may be at most " + MAX_INTERVAL_US + " us (366 days); give a shorter interval");
        }
    }

    private static long saturatedProduct(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        return high == 0 && a * b >= 0 ? a * b : Long.MAX_VALUE;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    /**
     * The number of samples in one aggregation interval, which is also the
     * highest {@code nr_accesses} a region can reach in one aggregation.
     *
     * @return {@code aggregationIntervalUs / sampleIntervalUs}, from 1 to
     *     {@link #MAX_SAMPLES_PER_AGGREGATION}
     */
    public int samplesPerAggregation() {
        return (int) (aggregationIntervalUs / sampleIntervalUs);
    }

    /**
     * The number of samples in one primitive update interval.
     *
     * @return {@code updateIntervalUs / sampleIntervalUs}, at least 1 and at
     *     most {@link #MAX_INTERVAL_US}
     */
    public long samplesPerUpdate() {
        return Math.max(1, updateIntervalUs / sampleIntervalUs);
    }

    /** @return a copy with another sample interval, in microseconds */
    public MonitoringAttributes withSampleIntervalUs(long us) {
        return new MonitoringAttributes(us, aggregationIntervalUs, updateIntervalUs, minNrRegions, maxNrRegions,
                intervalsGoal);
    }

    /** @return a copy with another aggregation interval, in microseconds */
    public MonitoringAttributes withAggregationIntervalUs(long us) {
        return new MonitoringAttributes(sampleIntervalUs, us, updateIntervalUs, minNrRegions, maxNrRegions,
                intervalsGoal);
    }

    /** @return a copy with another primitive update interval, in microseconds */
    public MonitoringAttributes withUpdateIntervalUs(long us) {
        return new MonitoringAttributes(sampleIntervalUs, aggregationIntervalUs, us, minNrRegions, maxNrRegions,
                intervalsGoal);
    }

    /** @return a copy with other region limits */
    public MonitoringAttributes withNrRegions(int min, int max) {
        return new MonitoringAttributes(sampleIntervalUs, aggregationIntervalUs, updateIntervalUs, min, max,
                intervalsGoal);
    }

    /**
     * @return a copy with another intervals goal
     * @since 1.4
     */
    public MonitoringAttributes withIntervalsGoal(IntervalsGoal goal) {
        return new MonitoringAttributes(sampleIntervalUs, aggregationIntervalUs, updateIntervalUs, minNrRegions,
                maxNrRegions, goal);
    }

    /**
     * @return a copy with other sample and aggregation intervals, in microseconds (as tuning sets them)
     * @since 1.4
     */
    public MonitoringAttributes withIntervalsUs(long sampleUs, long aggregationUs) {
        return new MonitoringAttributes(sampleUs, aggregationUs, updateIntervalUs, minNrRegions, maxNrRegions,
                intervalsGoal);
    }
}
