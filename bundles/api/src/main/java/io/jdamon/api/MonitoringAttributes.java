package io.jdamon.api;

/**
 * The attributes of a monitoring context: its three intervals and the limits
 * on its number of regions. Immutable; every instance is valid.
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
public record MonitoringAttributes(long sampleIntervalUs, long aggregationIntervalUs,
        long updateIntervalUs, int minNrRegions, int maxNrRegions, IntervalsGoal intervalsGoal) {

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

    /** The attributes of API 1.0 to 1.3: no intervals auto-tuning. */
    public MonitoringAttributes(long sampleIntervalUs, long aggregationIntervalUs, long updateIntervalUs,
            int minNrRegions, int maxNrRegions) {
        this(sampleIntervalUs, aggregationIntervalUs, updateIntervalUs, minNrRegions, maxNrRegions,
                IntervalsGoal.NONE);
    }

    public MonitoringAttributes {
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
