package io.jdamon.sim.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.Callback;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextView;
import io.jdamon.api.IntervalsGoal;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.StartMode;
import io.jdamon.core.internal.DamonEngine;

/**
 * Not a test: how fast the intervals auto-tuning (Linux 6.15's, DAMON's
 * recommended goal: 4% of access events, every 3 aggregations, 5 ms to 10 s)
 * converges on sim workloads whose active pages are touched at a steady rate
 * ({@code touch=}), phase by phase. Per phase: the sample interval at which the
 * goal holds ({@code -touch ln(1 - 0.04 / active share)}), the aggregations
 * until the share of access events seen first came within 10% of 4%, and the
 * sample interval then. Runs the real kdamond on the wall clock:
 *
 * <pre>
 * mvn -o -q -pl bundles/sim test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp bundles/sim/target/test-classes:bundles/sim/target/classes:$(cat /tmp/cp.txt) \
 *     io.jdamon.sim.internal.IntervalsTuningBenchmark [TOUCH]
 * </pre>
 */
public final class IntervalsTuningBenchmark {

    private IntervalsTuningBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String touch = args.length > 0 ? args[0] : "200ms";
        System.out.printf(Locale.ROOT, "goal %s; touch=%s%n", IntervalsGoal.RECOMMENDED, touch);
        for (String workload : List.of("stairs_30secs", "zigzag_30secs")) {
            run(workload, touch);
        }
    }

    private static void run(String workload, String touch) throws Exception {
        String spec = "virtual:" + workload + ",touch=" + touch;
        TargetSpec target = TargetSpec.parse(spec);
        DamonEngine engine = new DamonEngine();
        List<AggregationSnapshot> seen = new CopyOnWriteArrayList<>();
        MonitoringContext c = engine.newContext(new ContextDefinition("bench", "sim", List.of(spec),
                MonitoringAttributes.DEFAULTS.withIntervalsGoal(IntervalsGoal.RECOMMENDED)), new SimPrimitive());
        c.addCallback("seen", new Callback() {
            @Override
            public CallbackResult afterAggregation(ContextView ctx) {
                seen.add(c.lastAggregation().orElseThrow());
                return CallbackResult.CONTINUE;
            }
        });
        engine.start(List.of(c), StartMode.SHARED);
        c.awaitTermination(10, TimeUnit.MINUTES);

        System.out.printf(Locale.ROOT, "%n%s (%d aggregations in %.1f s)%n", spec, seen.size(),
                seen.isEmpty() ? 0 : seen.get(seen.size() - 1).endNanos() / 1e9);
        System.out.println("phase            start_s  active  goal_sample  aggrs_to_10%  sample_then  in_10%_of_phase");
        long total = 0;
        for (WorkloadConfig.Region r : target.config().regions()) {
            total += r.sizeBytes();
        }
        long phaseStart = 0;
        double touchNanos = target.touchNanos();
        for (WorkloadConfig.Phase p : target.config().phases()) {
            long phaseEnd = phaseStart + TimeUnit.MILLISECONDS.toNanos(p.durationMs());
            long active = 0;
            for (int r = 0; r < target.config().regions().size(); r++) {
                active += p.accesses(r) ? target.config().regions().get(r).sizeBytes() : 0;
            }
            double activeShare = (double) active / total;
            double goalSampleMs = activeShare <= 0.04 ? Double.POSITIVE_INFINITY
                    : -touchNanos * Math.log(1 - 0.04 / activeShare) / 1e6;
            List<AggregationSnapshot> in = new ArrayList<>();
            for (AggregationSnapshot s : seen) {
                if (s.startNanos() >= phaseStart && s.endNanos() <= phaseEnd) {
                    in.add(s);
                }
            }
            int until = -1;
            int within = 0;
            for (int i = 0; i < in.size(); i++) {
                double share = TouchRateTest.share(List.of(in.get(i)));
                if (share >= 0.036 && share <= 0.044) {
                    within++;
                    if (until < 0) {
                        until = i + 1;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%-16s %7.1f  %5.0f%%  %8.1f ms  %12s  %11s  %d of %d%n",
                    p.name().length() > 16 ? p.name().substring(0, 16) : p.name(), phaseStart / 1e9,
                    activeShare * 100, goalSampleMs, until < 0 ? "not reached" : Integer.toString(until),
                    until < 0 ? "-" : String.format(Locale.ROOT, "%.1f ms", in.get(until - 1).sampleIntervalUs() / 1e3),
                    within, in.size());
            phaseStart = phaseEnd;
        }
        engine.dispose(c);
    }
}
