package io.jdamon.core.internal.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

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
            + "in microseconds. Default 5000 (5 ms).")
    long sampleIntervalUs() default 5_000;

    @AttributeDefinition(type = AttributeType.LONG, min = "1", description = "Time over which samples are counted "
            + "before callbacks see them and regions are merged and split, in microseconds; a multiple of "
            + "sampleIntervalUs. Default 100000 (100 ms).")
    long aggregationIntervalUs() default 100_000;

    @AttributeDefinition(type = AttributeType.LONG, min = "1", description = "Time between two refreshes of the "
            + "targets' address ranges by the primitive, in microseconds. Default 60000000 (60 s).")
    long updateIntervalUs() default 60_000_000;

    @AttributeDefinition(type = AttributeType.INTEGER, min = "3", description = "The least number of regions, "
            + "over all targets. At least 3. Default 10.")
    int minNrRegions() default 10;

    @AttributeDefinition(type = AttributeType.INTEGER, min = "3", description = "The most number of regions, "
            + "over all targets; monitoring cost grows with it. Default 1000.")
    int maxNrRegions() default 1_000;

    @AttributeDefinition(required = false, cardinality = 100, description = "Callbacks that receive the results: "
            + "the jdamon.callback service properties of registered Callbacks. They join and leave while the "
            + "context runs. Default: none.")
    String[] callbacks();
}
