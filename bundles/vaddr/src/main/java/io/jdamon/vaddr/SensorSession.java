package io.jdamon.vaddr;

import java.util.Map;

import io.jdamon.api.MonitoringTarget;

/**
 * A {@link Sensor} at work on one process. Used only on the kdamond thread;
 * {@link #prepare} and {@link #check} run every sample interval and should
 * allocate nothing.
 */
@org.osgi.annotation.versioning.ConsumerType
public interface SensorSession extends AutoCloseable {

    /** Clears the accessed state of each region's {@link MonitoringTarget#samplingAddress}. */
    void prepare(MonitoringTarget target);

    /** Calls {@link MonitoringTarget#markAccessed} for each region whose sampling address was accessed. */
    void check(MonitoringTarget target);

    /**
     * Called every update interval, after the target's regions followed its
     * mappings: e.g. to start watching mappings that appeared since.
     */
    default void update() {
    }

    /**
     * @return facts about this session beyond the sensor's own, e.g. an
     *     effective sample interval raised because each round is expensive;
     *     keys without a prefix
     */
    default Map<String, String> describe() {
        return Map.of();
    }

    /** Releases files and descriptors. */
    @Override
    void close();
}
