package io.jdamon.core.internal.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.jdamon.api.IntervalsGoal;
import io.jdamon.api.MonitoringAttributes;

/**
 * The metatype of a monitoring context's factory configuration (factory PID
 * {@value ConfiguredContextComponent#FACTORY_PID}). It describes the keys for
 * tools (web console, Karaf's config commands); the values are checked by
 * {@link ContextConfiguration}, which reports wrong types and unknown keys
 * instead of silently coercing them.
 */
@ObjectClassDefinition(name = "jdamon monitoring context",
        description = "One DAMON monitoring context: the primitive that samples it, its targets, its intervals "
                + "(microseconds), its region limits and the callbacks that receive its results. "
                + "Each factory configuration starts one context as soon as its primitive is registered.")
@interface ContextConfig {

    @AttributeDefinition(required = false, description = "Context name, unique in the engine: letters, digits, "
            + "'.', '_' and '-'. Default: the configuration's name (the part of its PID after '~').")
    String name();

    @AttributeDefinition(description = "The primitive that samples the targets: the jdamon.primitive service "
            + "property of a registered Primitive, e.g. 'sim' or 'vaddr'. Required.")
    String primitive();

    @AttributeDefinition(cardinality = 100, description = "The targets, in the primitive's syntax (e.g. "
            + "'pid=1234' or a workload name): several values, or one comma-separated string. At least one.")
    String[] targets();

    @AttributeDefinition(type = AttributeType.LONG, min = "1", description = "Time between two access samples, "
            + "in microseconds.")
    long sampleIntervalUs() default MonitoringAttributes.DEFAULT_SAMPLE_INTERVAL_US;

    @AttributeDefinition(type = AttributeType.LONG, min = "1", description = "Time over which samples are counted "
            + "before callbacks see them and regions are merged and split, in microseconds; a multiple of "
            + "sampleIntervalUs.")
    long aggregationIntervalUs() default MonitoringAttributes.DEFAULT_AGGREGATION_INTERVAL_US;

    @AttributeDefinition(type = AttributeType.LONG, min = "1", description = "Time between two refreshes of the "
            + "targets' address ranges by the primitive, in microseconds.")
    long updateIntervalUs() default MonitoringAttributes.DEFAULT_UPDATE_INTERVAL_US;

    @AttributeDefinition(type = AttributeType.INTEGER, min = "" + MonitoringAttributes.LOWEST_MIN_NR_REGIONS, description = "The least number of regions, "
            + "over all targets.")
    int minNrRegions() default MonitoringAttributes.DEFAULT_MIN_NR_REGIONS;

    @AttributeDefinition(type = AttributeType.INTEGER, min = "" + MonitoringAttributes.LOWEST_MIN_NR_REGIONS, description = "The most number of regions, "
            + "over all targets; monitoring cost grows with it.")
    int maxNrRegions() default MonitoringAttributes.DEFAULT_MAX_NR_REGIONS;

    @AttributeDefinition(required = false, cardinality = 100, description = "Callbacks that receive the results: "
            + "the jdamon.callback service properties of registered Callbacks. They join and leave while the "
            + "context runs. Default: none.")
    String[] callbacks();

    @AttributeDefinition(type = AttributeType.INTEGER, min = "0", description = "Intervals auto-tuning (Linux 6.15): "
            + "aggregations between two tunings of the sample and aggregation intervals towards "
            + "intervalsGoalAccessBp; 0 turns tuning off.")
    int intervalsGoalAggrs() default 0;

    @AttributeDefinition(type = AttributeType.INTEGER, min = "1", max = "10000", description = "The share of "
            + "possible access events (region bytes times samples) tuning aims to observe, in basis points: "
            + "400 = 4%.")
    int intervalsGoalAccessBp() default IntervalsGoal.RECOMMENDED_ACCESS_BP;

    @AttributeDefinition(type = AttributeType.LONG, min = "1", description = "The shortest sample interval "
            + "tuning may choose, in microseconds.")
    long intervalsGoalMinSampleUs() default IntervalsGoal.RECOMMENDED_MIN_SAMPLE_US;

    @AttributeDefinition(type = AttributeType.LONG, min = "1", description = "The longest sample interval "
            + "tuning may choose, in microseconds.")
    long intervalsGoalMaxSampleUs() default IntervalsGoal.RECOMMENDED_MAX_SAMPLE_US;

    @AttributeDefinition(required = false, cardinality = 100, description = "DAMOS schemes, in damo's"
            + " command-line flags: --damos_action ACTION, then for the same scheme --damos_access_rate MIN% MAX%,"
            + " --damos_sz_region MIN MAX, --damos_age MIN MAX, --damos_apply_interval US, --damos_quotas MS BYTES"
            + " RESET_MS [WEIGHTS], --damos_quota_goal METRIC TARGET [VALUE], --damos_wmarks METRIC US HIGH MID"
            + " LOW, --damos_filter allow|reject [none] TYPE [ARGS]; the next --damos_action starts the next"
            + " scheme. One string or several, read in order; changed online at the next aggregation")
    String[] schemes();
}
