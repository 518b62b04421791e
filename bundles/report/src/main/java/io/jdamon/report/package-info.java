/**
 * Reports over DAMON monitoring results, like damo's {@code report}: a
 * {@link io.jdamon.report.Heatmap} (time x address, as digits or a PNG), the
 * {@link io.jdamon.report.WorkingSetSize} distribution, and an
 * {@link io.jdamon.report.AccessReport} of one snapshot.
 *
 * <p>Each is a pure function over {@link io.jdamon.api.AggregationSnapshot}s,
 * so it works on a record file ({@code Recording.aggregations(i)} from
 * {@code io.jdamon.record}) or on a live context
 * ({@code MonitoringContext.lastAggregation()}).
 * {@link io.jdamon.report.ReportCommand} is the command line over record files.
 */
@Export
@Version("1.1.0")
package io.jdamon.report;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
