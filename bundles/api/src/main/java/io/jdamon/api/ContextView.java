package io.jdamon.api;

import java.time.Instant;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a {@link Callback} hook is handed: the context's attributes, progress
 * and read-only regions. Valid on the kdamond thread only, during the hook.
 */
@ProviderType
public interface ContextView {

    /** @return the context's name, unique in the engine */
    String name();

    /** @return the name of the primitive that samples this context */
    String primitiveName();

    /**
     * @return facts the primitive states about how it samples this context,
     *     e.g. {@code sensor=page-idle}, {@code sees=reads,writes},
     *     {@code granularity=page} (see {@link Primitive#describe}); in the OSGi engine also
     *     {@code provider}, the bundle that registered the primitive service
     *     ({@code bundle-symbolic-name version}), and after a switch to another service of the same
     *     name {@code previousProvider}
     */
    Map<String, String> primitiveProperties();

    /** @return the attributes in force now */
    MonitoringAttributes attributes();

    /** @return the number of targets */
    int targetCount();

    /** @return target {@code i}, from 0 to {@link #targetCount()} - 1 */
    TargetView target(int i);

    /** @return the number of samples taken since this run started */
    long samplesPassed();

    /** @return the number of aggregation intervals completed since this run started */
    long aggregationsPassed();

    /** @return nanoseconds since this run started (monotonic clock) */
    long elapsedNanos();

    /**
     * @return when the current aggregation interval began, in nanoseconds
     *     since this run started; in {@link Callback#afterAggregation}, the
     *     start of the interval just finished
     */
    long aggregationStartNanos();

    /**
     * @return when the last completed aggregation interval ended, in
     *     nanoseconds since this run started; in {@link Callback#afterAggregation},
     *     the end of the interval just finished (0 before the first one)
     */
    long aggregationEndNanos();

    /**
     * @return the sample interval the kdamond uses now, in microseconds: the
     *     attributes' one unless the primitive asked for a longer one with
     *     {@link PrimitiveContext#useSampleIntervalUs}
     * @since 1.1
     */
    long sampleIntervalUs();

    /**
     * @return the number of samples taken in the aggregation interval; in
     *     {@link Callback#afterAggregation}, in the interval just finished:
     *     the highest possible {@link TargetView#nrAccesses} value. Together
     *     with {@link #aggregationStartNanos()} and {@link #aggregationEndNanos()}
     *     it gives the intervals that really happened (a slow hook stretches them)
     * @since 1.1
     */
    int aggregationSamples();

    /**
     * @return the wall-clock time of this run's time zero: when monitoring of
     *     the targets began, after the primitive's {@code init} and the
     *     callbacks' {@code beforeStart}; every {@code ...Nanos} time of this
     *     view counts from it, and the first aggregation interval starts
     *     there. In the {@code beforeStart} of a run's first callbacks it is
     *     not known yet: there it is when the run began setting up (read it
     *     again from {@code afterSampling} or {@code afterAggregation})
     * @since 1.1
     */
    Instant startTime();

    /**
     * @return the number of DAMOS schemes the context applies now
     * @since 2.0
     */
    default int schemeCount() {
        return 0;
    }

    /**
     * @return scheme {@code s}, from 0 to {@link #schemeCount()} - 1; the same
     *     object for the same scheme until the schemes change
     * @since 2.0
     */
    default SchemeView scheme(int s) {
        throw new IndexOutOfBoundsException("scheme " + s + " of 0");
    }

    /**
     * Asks the schemes to collect the regions they try for the next
     * {@link #TRIED_REGIONS_COLLECTION_SECONDS} seconds: DAMON keeps tried
     * regions only on request ({@code update_schemes_tried_regions}), since
     * noting each one costs more than testing it. A callback that reads
     * them every aggregation asks every aggregation.
     *
     * @since 2.0
     */
    default void collectTriedRegions() {
    }

    /**
     * How long a request for tried regions ({@link #collectTriedRegions()},
     * {@link MonitoringContext#schemeStats()}) lasts: {@value} seconds.
     *
     * @since 2.0
     */
    int TRIED_REGIONS_COLLECTION_SECONDS = 10;
}
