package io.jdamon.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a {@link Primitive} hook is handed: the context's attributes and its
 * targets with write access to their regions. Valid on the kdamond thread only.
 */
@ProviderType
public interface PrimitiveContext {

    /** @return the context's name, unique in the engine */
    String name();

    /** @return the attributes in force now */
    MonitoringAttributes attributes();

    /** @return the number of targets */
    int targetCount();

    /** @return target {@code i}, from 0 to {@link #targetCount()} - 1 */
    MonitoringTarget target(int i);

    /** @return the primitive's per-context state set with {@link #attach}, or null */
    Object attachment();

    /** Keeps per-context state for the primitive. */
    void attach(Object state);

    /**
     * Asks the kdamond to take a sample every {@code sampleIntervalUs}
     * microseconds instead of the attributes' sample interval, e.g. because
     * one round of the primitive's access check costs more than its budget at
     * the configured interval. Takes effect at the next aggregation boundary
     * (asked in {@code init}: from the start); the value is clamped to at
     * least the attributes' sample interval and at most their aggregation
     * interval, then lengthened to a whole fraction of the aggregation
     * interval so that aggregations keep their length (80 ms asked with
     * 100 ms aggregations gives one sample every 100 ms). Counts are rescaled
     * as for an online attribute change. The attributes are not changed:
     * {@link ContextView#sampleIntervalUs()}, snapshots and records carry the
     * interval actually used. Asking for the attributes' interval again
     * returns to it.
     *
     * @param sampleIntervalUs the wanted sample interval, in microseconds
     * @since 1.1
     */
    void useSampleIntervalUs(long sampleIntervalUs);
}
