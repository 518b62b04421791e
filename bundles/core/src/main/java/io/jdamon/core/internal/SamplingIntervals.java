package io.jdamon.core.internal;

import io.jdamon.api.MonitoringAttributes;

/**
 * The intervals a run samples at: the attributes in force and what follows
 * from them, with the longer sample interval a primitive may ask for
 * ({@code useSampleIntervalUs}). Owned by the kdamond thread.
 */
final class SamplingIntervals {

    private MonitoringAttributes attributes;
    /** What the primitive asked for; 0 for the attributes' interval. */
    private long requestedSampleIntervalUs;
    private long sampleIntervalUs;
    private int window;
    private long sampleNanos;
    private long samplesPerUpdate;

    SamplingIntervals(MonitoringAttributes attributes) {
        use(attributes);
    }

    /** Samples from now on at {@code attrs}, with the primitive's wish if it asked for a longer interval. */
    void use(MonitoringAttributes attrs) {
        attributes = attrs;
        sampleIntervalUs = sampleIntervalFor(attrs);
        window = (int) (attrs.aggregationIntervalUs() / sampleIntervalUs);
        sampleNanos = sampleIntervalUs * 1_000;
        samplesPerUpdate = Math.max(1, attrs.updateIntervalUs() / sampleIntervalUs);
    }

    /** The primitive's wish, applied at the next {@link #use} (an aggregation boundary); 0 for none. */
    void request(long sampleIntervalUs) {
        requestedSampleIntervalUs = sampleIntervalUs;
    }

    /** @return whether {@link #use}{@code (attrs)} would sample at another interval than now */
    boolean sampleIntervalChangesWith(MonitoringAttributes attrs) {
        return sampleIntervalFor(attrs) != sampleIntervalUs;
    }

    /**
     * The primitive's wish clamped to [sample interval, aggregation interval]
     * (none: the attributes' interval), then lengthened to a whole fraction
     * of the aggregation interval, so that aggregations keep their length:
     * a wish of 80 ms in 100 ms aggregations gives one sample of 100 ms.
     */
    private long sampleIntervalFor(MonitoringAttributes attrs) {
        long wanted = requestedSampleIntervalUs;
        if (wanted <= attrs.sampleIntervalUs()) {
            return attrs.sampleIntervalUs();
        }
        long aggregationUs = attrs.aggregationIntervalUs();
        long samples = Math.max(1, aggregationUs / Math.min(wanted, aggregationUs));
        return aggregationUs / samples;
    }

    /** @return the attributes in force */
    MonitoringAttributes attributes() {
        return attributes;
    }

    /** @return the sample interval in use, in microseconds: the attributes' or the longer one the primitive asked for */
    long sampleIntervalUs() {
        return sampleIntervalUs;
    }

    /** @return whether the sample interval in use is the primitive's wish rather than the attributes' */
    boolean primitiveChoseSampleInterval() {
        return sampleIntervalUs != attributes.sampleIntervalUs();
    }

    long sampleNanos() {
        return sampleNanos;
    }

    /** @return samples per aggregation at the interval in use: the most {@code nr_accesses} can reach */
    int window() {
        return window;
    }

    long samplesPerUpdate() {
        return samplesPerUpdate;
    }
}
