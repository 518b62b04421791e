package io.jdamon.web.internal;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.jdamon.api.MonitoringContext;
import io.jdamon.api.MonitoringEngine;
import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.ContextState;
import io.jdamon.api.ContextStatus;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.RunCosts;
import io.jdamon.api.TargetSnapshot;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * {@code /metrics}: every context's figures, read from the engine at each
 * scrape, in the Prometheus text format, or OpenMetrics when the scraper asks
 * for it. Labels: {@code context}, {@code primitive}, {@code sensor} (the
 * primitive's {@code sensor} property), {@code target} on per-target series and
 * {@code callback} on per-callback ones.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/metrics")
public final class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    /** The upper bounds of the access-rate buckets of {@code jdamon_access_rate_bucket_bytes}. */
    static final double[] RATE_BUCKETS = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};

    private final transient MonitoringEngine engine;
    private final transient ExpositionFormatWriter openMetrics = OpenMetricsTextFormatWriter.create();
    private final transient ExpositionFormatWriter prometheus = PrometheusTextFormatWriter.create();

    @Activate
    public MetricsServlet(@Reference MonitoringEngine engine) {
        this.engine = engine;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String accept = req.getHeader("Accept");
        ExpositionFormatWriter writer = openMetrics.accepts(accept) ? openMetrics : prometheus;
        MetricSnapshots snapshots = collect();
        resp.setContentType(writer.getContentType());
        resp.setHeader("Cache-Control", "no-store");
        writer.write(resp.getOutputStream(), snapshots, EscapingScheme.fromAcceptHeader(accept));
    }

    MetricSnapshots collect() {
        GaugeSnapshot.Builder state = GaugeSnapshot.builder().name("jdamon_context_state")
                .help("1 for the state the context is in (WAITING, READY, RUNNING, STOPPED, INVALID), 0 for the others");
        CounterSnapshot.Builder samples = CounterSnapshot.builder().name("jdamon_samples")
                .help("Samples taken in the context's current or last run");
        CounterSnapshot.Builder aggregations = CounterSnapshot.builder().name("jdamon_aggregations")
                .help("Aggregation intervals completed in the context's current or last run");
        GaugeSnapshot.Builder regions = GaugeSnapshot.builder().name("jdamon_regions")
                .help("Regions over all targets at the last aggregation");
        GaugeSnapshot.Builder wss = GaugeSnapshot.builder().name("jdamon_wss_bytes").unit(Unit.BYTES)
                .help("Working set size at the last aggregation: bytes of the regions accessed at least once");
        GaugeSnapshot.Builder monitored = GaugeSnapshot.builder().name("jdamon_monitored_bytes").unit(Unit.BYTES)
                .help("Bytes in the target's regions at the last aggregation");
        GaugeSnapshot.Builder byRate = GaugeSnapshot.builder().name("jdamon_access_rate_bucket_bytes").unit(Unit.BYTES)
                .help("Bytes of the target's regions by access rate at the last aggregation (rate: the bucket's upper"
                        + " bound, accesses per sample)");
        GaugeSnapshot.Builder interval = GaugeSnapshot.builder().name("jdamon_aggregation_interval_seconds")
                .unit(Unit.SECONDS).help("How long the last aggregation interval really took");
        GaugeSnapshot.Builder sample = GaugeSnapshot.builder().name("jdamon_sample_interval_seconds")
                .unit(Unit.SECONDS).help("The sample interval the last aggregation used (intervals auto-tuning"
                        + " and primitives change it)");
        CounterSnapshot.Builder late = CounterSnapshot.builder().name("jdamon_late_aggregations")
                .help("Aggregation intervals of the current or last run that lasted more than 1.5 times their"
                        + " planned length (a slow hook, or a sample interval too short for this machine)");
        CounterSnapshot.Builder sensorTime = CounterSnapshot.builder().name("jdamon_sensor_seconds").unit(Unit.SECONDS)
                .help("Time the kdamond spent in the primitive's sampling hooks (prepareAccessChecks,"
                        + " checkAccesses) in the current or last run: the sensor's cost");
        CounterSnapshot.Builder primitiveHooks = CounterSnapshot.builder().name("jdamon_primitive_hook_seconds")
                .unit(Unit.SECONDS).help("Time the kdamond spent in the primitive's other hooks (init, update,"
                        + " resetAggregated, targetValid, cleanup) in the current or last run");
        CounterSnapshot.Builder callbackHooks = CounterSnapshot.builder().name("jdamon_callback_hook_seconds")
                .unit(Unit.SECONDS).help("Time the kdamond spent in each callback's hooks in the current or last run");
        CounterSnapshot.Builder callbackCalls = CounterSnapshot.builder().name("jdamon_callback_hooks")
                .help("Hook calls of each callback in the current or last run");
        for (ContextStatus s : engine.statuses()) {
            String sensor = s.primitiveProperties().getOrDefault("sensor", "");
            String primitive = s.primitiveName() == null ? "" : s.primitiveName();
            Labels labels = Labels.of("context", s.name(), "primitive", primitive, "sensor", sensor);
            for (ContextState st : ContextState.values()) {
                state.dataPoint(GaugeDataPointSnapshot.builder().labels(labels.add("state", st.name()))
                        .value(st == s.state() ? 1 : 0).build());
            }
            if (s.state() == ContextState.INVALID) {
                continue;
            }
            samples.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(s.samples()).build());
            aggregations.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(s.aggregations()).build());
            regions.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(s.regions()).build());
            Optional<MonitoringContext> context = engine.context(s.name());
            if (context.isEmpty()) {
                continue;
            }
            RunCosts costs = context.get().runCosts();
            late.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(costs.lateAggregations()).build());
            sensorTime.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(costs.sensorNanos() / 1e9)
                    .build());
            primitiveHooks.dataPoint(CounterDataPointSnapshot.builder().labels(labels)
                    .value(costs.primitiveOtherNanos() / 1e9).build());
            for (RunCosts.CallbackCost c : costs.callbacks()) {
                Labels cl = labels.add("callback", c.name());
                callbackHooks.dataPoint(CounterDataPointSnapshot.builder().labels(cl).value(c.hookNanos() / 1e9)
                        .build());
                callbackCalls.dataPoint(CounterDataPointSnapshot.builder().labels(cl).value(c.hookCalls()).build());
            }
            Optional<AggregationSnapshot> last = context.get().lastAggregation();
            if (last.isEmpty()) {
                continue;
            }
            AggregationSnapshot a = last.get();
            interval.dataPoint(GaugeDataPointSnapshot.builder().labels(labels)
                    .value((a.endNanos() - a.startNanos()) / 1e9).build());
            sample.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(a.sampleIntervalUs() / 1e6).build());
            int max = a.samplesPerAggregation();
            for (TargetSnapshot t : a.targets()) {
                Labels tl = labels.add("target", t.spec());
                wss.dataPoint(GaugeDataPointSnapshot.builder().labels(tl).value(t.effectiveWorkingSetBytes()).build());
                monitored.dataPoint(GaugeDataPointSnapshot.builder().labels(tl).value(t.totalBytes()).build());
                double[] bytes = bytesByRate(t.regions(), max);
                for (int i = 0; i < RATE_BUCKETS.length; i++) {
                    byRate.dataPoint(GaugeDataPointSnapshot.builder()
                            .labels(tl.add("rate", Double.toString(RATE_BUCKETS[i]))).value(bytes[i]).build());
                }
            }
        }
        return MetricSnapshots.of(state.build(), samples.build(), aggregations.build(), regions.build(),
                wss.build(), monitored.build(), byRate.build(), interval.build(), sample.build(), late.build(),
                sensorTime.build(), primitiveHooks.build(), callbackHooks.build(), callbackCalls.build());
    }

    /** @return bytes per bucket of {@link #RATE_BUCKETS}: a region goes to the first bound at or above its rate */
    static double[] bytesByRate(List<RegionSnapshot> regions, int maxAccesses) {
        double[] bytes = new double[RATE_BUCKETS.length];
        for (RegionSnapshot r : regions) {
            double rate = Math.min(1.0, r.nrAccesses() / (double) Math.max(1, maxAccesses));
            int i = 0;
            while (i < RATE_BUCKETS.length - 1 && rate > RATE_BUCKETS[i] + 1e-9) {
                i++;
            }
            bytes[i] += r.size();
        }
        return bytes;
    }
}
