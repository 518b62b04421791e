package io.jdamon.api;

import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * How to sample one kind of address space (the seed's {@code damon_primitive}).
 *
 * <p>Register an implementation as an OSGi service with the service property
 * {@value #SERVICE_PROPERTY} set to its name; contexts name the primitive they
 * need. One instance may serve many contexts at once: keep per-context state
 * with {@link PrimitiveContext#attach} and per-target state with
 * {@link MonitoringTarget#attach}, not in fields.
 *
 * <p>Each context's hooks run on its kdamond thread in this order:
 * {@code init}; then every sample interval {@code prepareAccessChecks},
 * a sleep, {@code checkAccesses}; after every aggregation interval
 * {@code resetAggregated}; after every update interval {@code update}; the
 * loop ends when stopped or when {@code targetValid} is false for every
 * target; last {@code cleanup}, which always runs. Every hook is optional.
 *
 * <p>A hook that throws stops only its own context (stop reason
 * {@link StopReason#PLUGIN_FAILED}); {@code cleanup} still runs.
 *
 * <p>The per-sample hooks are the hot path: they should allocate nothing.
 */
@ConsumerType
public interface Primitive {

    /** The service property that names a primitive: {@value}. */
    String SERVICE_PROPERTY = "jdamon.primitive";

    /** Linux's page size, the usual {@link #minRegionSize()}. */
    long PAGE_SIZE = 4096;

    /**
     * @return the smallest region, in bytes; region boundaries are aligned to
     *     it (DAMON's {@code DAMON_MIN_REGION}, a page by default)
     */
    default long minRegionSize() {
        return PAGE_SIZE;
    }

    /**
     * Checks a target specification before any monitoring starts, so that a
     * malformed, missing or forbidden target is reported at once. Called on
     * the caller's thread.
     *
     * @param spec the target as the user wrote it
     * @throws InvalidTargetException naming the problem and the fix
     */
    default void checkTarget(String spec) {
    }

    /**
     * Facts about how this primitive samples a context, e.g. which sensor and
     * what it can see. Shown in statuses and written into records. Called on
     * the kdamond thread after {@link #init} and again after each {@link #update}.
     *
     * @return property names and values; empty by default
     */
    default Map<String, String> describe(PrimitiveContext ctx) {
        return Map.of();
    }

    /**
     * Sets up the context: typically {@link MonitoringTarget#initRegions} for
     * each target. A context whose init set no ranges keeps running with no
     * regions (a process may map its memory later), says so in its status and
     * log, and monitors as soon as {@link #update} provides ranges.
     */
    default void init(PrimitiveContext ctx) {
    }

    /** Refreshes the targets' ranges, typically with {@link MonitoringTarget#updateRegions}. */
    default void update(PrimitiveContext ctx) {
    }

    /**
     * Clears the accessed state at each region's
     * {@link MonitoringTarget#samplingAddress sampling address}.
     */
    default void prepareAccessChecks(PrimitiveContext ctx) {
    }

    /**
     * Checks each region's sampling address and calls
     * {@link MonitoringTarget#markAccessed} for those accessed since
     * {@link #prepareAccessChecks}.
     */
    default void checkAccesses(PrimitiveContext ctx) {
    }

    /** Called after each aggregation interval, once callbacks have seen the results. */
    default void resetAggregated(PrimitiveContext ctx) {
    }

    /**
     * @return false once the target is gone for good (e.g. its process
     *     exited); checked every sample interval
     */
    default boolean targetValid(MonitoringTarget target) {
        return true;
    }

    /** Releases what {@link #init} took. Always called when a run ends. */
    default void cleanup(PrimitiveContext ctx) {
    }

    /**
     * The DAMOS actions this primitive applies ({@link #applyAction}); a
     * scheme with another action is refused before its context starts,
     * naming both. {@value Scheme#STAT} is the engine's and need not be listed.
     *
     * @return action names, e.g. {@code pageout}; empty by default
     * @since 2.0
     */
    default Set<String> supportedActions() {
        return Set.of();
    }

    /**
     * The scheme filter types this primitive applies page by page (e.g.
     * {@code anon}); a scheme with another type than these and the engine's
     * own ({@link SchemeFilter#ADDRESS}, {@link SchemeFilter#TARGET}) is refused.
     *
     * @return filter type names; empty by default
     * @since 2.0
     */
    default Set<String> supportedFilterTypes() {
        return Set.of();
    }

    /**
     * Applies a scheme's action to a range of a target, on the kdamond thread,
     * after the engine matched the range against the scheme's pattern, quota
     * and engine filters; a region larger than
     * {@link ActionRequest#MAX_RANGE_BYTES} comes in several calls, each within
     * the hook limit on its own. Called only with an action from
     * {@link #supportedActions}. Time spent here is charged to the scheme's
     * time quota.
     *
     * @return the bytes the action was applied to: from 0 (nothing, e.g. all
     *     filtered out) to the range's size
     * @throws UnsupportedOperationException by default
     * @since 2.0
     */
    default long applyAction(PrimitiveContext ctx, ActionRequest request) {
        throw new UnsupportedOperationException("primitive applies no actions");
    }

    /**
     * The current value of a quota goal metric this primitive provides
     * ({@link QuotaGoal}), asked at each quota reset; empty if it does not
     * know the metric (the engine then refuses the scheme before the start).
     *
     * @param metric the goal's metric, not one of the engine's
     * @since 2.0
     */
    default OptionalLong quotaGoalValue(PrimitiveContext ctx, String metric) {
        return OptionalLong.empty();
    }
}
