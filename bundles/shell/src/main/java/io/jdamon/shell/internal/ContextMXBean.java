package io.jdamon.shell.internal;

import java.util.Map;

/**
 * One context as JMX shows it, {@code io.jdamon:type=Context,name=NAME}: its
 * state, attributes in force, counters of the current or last run and its
 * last aggregation. Attributes of a context that has gone throw
 * {@link IllegalStateException}; the bean itself goes within a second.
 */
public interface ContextMXBean {

    String getName();

    /** @return e.g. {@code RUNNING}, {@code WAITING}, {@code STOPPED} */
    String getState();

    /** @return what it waits for, what is wrong, or why it stopped; empty otherwise */
    String getDetail();

    /** @return the stop reason of the last run, or empty while running or never run */
    String getStopReason();

    String getPrimitive();

    /** @return what the primitive said about this run (e.g. {@code sensor}) */
    Map<String, String> getPrimitiveProperties();

    /** @return the primitive's {@code sensor} property, or empty when it names none */
    String getSensor();

    long getSampleIntervalUs();

    long getAggregationIntervalUs();

    long getUpdateIntervalUs();

    int getMinNrRegions();

    int getMaxNrRegions();

    /** @return samples taken in the current or last run */
    long getSamples();

    /** @return aggregations completed in the current or last run */
    long getAggregations();

    /** @return regions over all targets at the last aggregation */
    int getRegions();

    /** @return the last aggregation's working set over all targets, in bytes; -1 before the first */
    long getWorkingSetBytes();

    /** @return aggregations of this run that ended later than their interval allowed */
    long getLateAggregations();

    /** @return nanoseconds the primitive's sensor (prepare and check accesses) took in this run */
    long getSensorNanos();

    /**
     * @return one line per DAMOS scheme: its action and pattern and DAMOS's counters ({@code nr_tried},
     *     {@code sz_tried}, {@code nr_applied}, {@code sz_applied}, {@code qt_exceeds}), as {@code jdamon:status}
     *     shows them; empty without schemes
     */
    String[] getSchemes();

    /** @return nanoseconds applying DAMOS schemes in this run, the primitive's actions included */
    long getSchemeNanos();

    /** Starts it again when stopped. @return what was done */
    String start();

    /** Stops it. @return what was done */
    String stop();

    /** Changes attributes online. @return the attributes now asked for */
    String tune(String[] settings);
}
