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
 * The {@code report} command line over record files is internal (the
 * launcher runs {@code io.jdamon.report.internal.ReportCommand} by name).
 *
 * @since 2.0 {@code ReportCommand} left this package; {@code Formats} is
 *     deprecated for {@code io.jdamon.units.UnitFormat}
 */
@Export
@Version("2.1.0")
package io.jdamon.report;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
