package io.jdamon.api;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A monitoring context (the seed's {@code damon_ctx}) as the engine hands it
 * out. Every method is safe to call from any thread.
 */
@ProviderType
public interface MonitoringContext {

    /** @return the context's name, unique in the engine */
    String name();

    /** @return the definition it was created with (attributes as first given) */
    ContextDefinition definition();

    /** @return the attributes in force now, including online changes already applied */
    MonitoringAttributes attributes();

    /**
     * Changes the attributes. While running, the change is applied at the next
     * aggregation boundary without restarting the kdamond; region ages and
     * access counts are rescaled to the new intervals. Otherwise it applies to
     * the next run.
     *
     * @throws InvalidAttributesException never, attributes are valid by construction
     */
    void updateAttributes(MonitoringAttributes attributes);

    /**
     * @return the DAMOS schemes in force now (the definition's, or those of the last
     *     {@link #updateSchemes}), in order
     * @since 2.0
     */
    List<Scheme> schemes();

    /**
     * Replaces the schemes. While running, the change takes effect at the
     * next aggregation boundary, like attributes; a scheme at the same
     * position with the same action keeps its stats and quota state (a tuned
     * quota, a user_input goal's new value), others start afresh. Otherwise
     * it applies to the next run.
     *
     * @throws InvalidAttributesException if the primitive bound to the context lacks a scheme's action
     *     or filter type, naming both; nothing changes then
     * @since 2.0
     */
    void updateSchemes(List<Scheme> schemes);

    /**
     * What each scheme has done. The counters are always kept; the regions
     * tried are collected only on request, as DAMON collects them: this call
     * asks for them for the next {@link ContextView#TRIED_REGIONS_COLLECTION_SECONDS}
     * seconds, so a caller that polls sees those of recent applications, and a
     * first call those of an application collected earlier, or none
     * ({@link SchemeStats#triedRegionsApplication()} says which).
     *
     * @return what each scheme has done in the current or last run, in scheme order; empty
     *     without schemes or before the first run
     * @since 2.0
     */
    List<SchemeStats> schemeStats();

    /**
     * Adds a callback. On a running context it joins at the next sample.
     *
     * @param name the callback's name, used in logs and statuses
     */
    void addCallback(String name, Callback callback);

    /**
     * Removes a callback; on a running context it gets {@code beforeTerminate}
     * at the next sample.
     *
     * @return false if it was not added
     */
    boolean removeCallback(Callback callback);

    /** @return a consistent status, from any thread */
    ContextStatus status();

    /** @return the results of the last completed aggregation interval of this run or the last one */
    Optional<AggregationSnapshot> lastAggregation();

    /**
     * @return what the current or last run has cost so far (hook times, late aggregations); all zero
     *     before the first run
     * @since 1.3
     */
    RunCosts runCosts();

    /** @return whether a kdamond runs this context (the seed's {@code kdamond != NULL}) */
    boolean isRunning();

    /**
     * Waits until this context's kdamond has ended.
     *
     * @return true if it is not running (any more), false if the time ran out
     */
    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException;
}
