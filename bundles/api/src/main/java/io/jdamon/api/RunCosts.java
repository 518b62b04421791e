package io.jdamon.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a context's current or last run has cost so far, as the kdamond
 * measured it: wall-clock time on the kdamond thread in each plugin's hooks,
 * and the aggregation intervals that ended late. Every figure counts from the
 * start of the run and only grows during it; a new run starts again from 0.
 * A consistent look, safe to keep and to read from any thread
 * ({@link MonitoringContext#runCosts()}).
 *
 * @since 1.3
 */
@ProviderType
public interface RunCosts {

    /**
     * @return aggregation intervals of this run that lasted more than one and a half times what their
     *     samples were planned to take (a slow hook, or a sample interval shorter than the machine's timers
     *     allow); the status detail names the slowest hook while it happens
     */
    long lateAggregations();

    /**
     * @return nanoseconds the primitive spent sampling: in {@link Primitive#prepareAccessChecks} and
     *     {@link Primitive#checkAccesses}, the cost of its sensor as the kdamond sees it
     */
    long sensorNanos();

    /**
     * @return nanoseconds in the primitive's other hooks ({@code init}, {@code update},
     *     {@code resetAggregated}, {@code targetValid}, {@code cleanup})
     */
    long primitiveOtherNanos();

    /**
     * @return nanoseconds applying DAMOS schemes after aggregations: the engine's pattern, quota and
     *     filter work and the primitive's {@link Primitive#applyAction} calls (which are not in
     *     {@link #primitiveOtherNanos()}); 0 without schemes
     * @since 2.0
     */
    default long schemeNanos() {
        return 0;
    }

    /** @return each callback that ran in this run, in the order they were added, with its hook time */
    List<CallbackCost> callbacks();

    /**
     * One callback's share.
     *
     * @param name the name it was added with ({@link MonitoringContext#addCallback})
     * @param hookNanos nanoseconds in all its hooks in this run
     * @param hookCalls how many of its hooks were called in this run
     */
    record CallbackCost(String name, long hookNanos, long hookCalls) {
    }
}
