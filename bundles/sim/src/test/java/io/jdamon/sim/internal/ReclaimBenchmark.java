package io.jdamon.sim.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.jdamon.api.Callback;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextView;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.Scheme;
import io.jdamon.api.SchemeStats;
import io.jdamon.api.StartMode;
import io.jdamon.core.internal.DamonEngine;
import io.jdamon.sim.GroundTruth;

/**
 * Not a test: a DAMON_RECLAIM-style evaluation on sim's virtual workloads
 * with residency ground truth. One cold-pageout scheme (regions not accessed
 * for {@code MIN_AGE}, paged out within a quota of 10 ms and 128 MiB per
 * second, the oldest first, as DAMON_RECLAIM's defaults weigh them) runs on
 * stairs_30secs, zigzag_30secs and a workload whose 960 MiB are populated
 * and never touched again next to a 64 MiB hot set. Per workload: the
 * resident memory saved (mean over the run and at its end), what was paged
 * out, the refaults per second and as a share of the workload's page
 * touches, and the scheme's stats. The kdamond runs on the wall clock
 * (about 85 s in all):
 *
 * <pre>
 * mvn -o -q -pl bundles/sim test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp bundles/sim/target/test-classes:bundles/sim/target/classes:$(cat /tmp/cp.txt) \
 *     io.jdamon.sim.internal.ReclaimBenchmark [MIN_AGE_MS (default 2000)]
 * </pre>
 */
public final class ReclaimBenchmark {

    private static final long MIB = 1L << 20;

    private ReclaimBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long minAgeMs = args.length > 0 ? Long.parseLong(args[0]) : 2_000;
        Path cold = Files.createTempFile("jdamon-never-touched", ".cfg");
        Files.writeString(cold, "hot, 64M\nnever, 960M\n\nhot only\n25000\nhot, 1, 4096, 1\n");
        System.out.printf(Locale.ROOT, "cold pageout: not accessed for %d ms, quota 10 ms / 128 MiB per 1 s,"
                + " weights size 0, frequency 0, age 1%n", minAgeMs);
        System.out.printf(Locale.ROOT, "%-16s %9s %10s %10s %10s %11s %10s %9s %s%n", "workload", "size MiB",
                "saved avg", "saved end", "paged MiB", "refaults/s", "refault %", "seconds", "scheme");
        try {
            for (String target : List.of("virtual:stairs_30secs", "virtual:zigzag_30secs", "virtual:file=" + cold)) {
                run(target, minAgeMs);
            }
        } finally {
            Files.deleteIfExists(cold);
        }
    }

    private static void run(String target, long minAgeMs) throws Exception {
        DamonEngine engine = new DamonEngine();
        SimPrimitive sim = new SimPrimitive();
        Scheme scheme = Scheme.builder(Scheme.PAGEOUT).nrAccesses(0, 0).ageUs(minAgeMs * 1_000, Long.MAX_VALUE)
                .quota(10, 128 * MIB, 1_000).quotaWeights(0, 0, 1).build();
        String name = "reclaim";
        MonitoringContext ctx = engine.newContext(ContextDefinition.builder(name, "sim").target(target)
                .scheme(scheme).build(), sim);
        double[] residentSum = new double[1];
        long[] aggregations = new long[1];
        ctx.addCallback("resident", new Callback() {
            @Override
            public CallbackResult afterAggregation(ContextView view) {
                sim.groundTruth(name, 0).ifPresent(t -> {
                    residentSum[0] += t.residentBytes();
                    aggregations[0]++;
                });
                return CallbackResult.CONTINUE;
            }
        });
        long start = System.nanoTime();
        engine.start(List.of(ctx), StartMode.SHARED);
        if (!ctx.awaitTermination(120, TimeUnit.SECONDS)) {
            engine.stop(List.of(ctx));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        GroundTruth truth = sim.groundTruth(name, 0).orElseThrow();
        long size = truth.regionSizes().stream().mapToLong(Long::longValue).sum();
        double meanResident = aggregations[0] == 0 ? size : residentSum[0] / aggregations[0];
        SchemeStats s = ctx.schemeStats().get(0);
        System.out.printf(Locale.ROOT, "%-16s %9d %9.1f%% %9.1f%% %10.1f %11.1f %9.3f%% %9.1f %s%n",
                label(target), size / MIB, 100 * (1 - meanResident / size),
                100 * (1 - (double) truth.residentBytes() / size), truth.pagedOutPages() * 4096.0 / MIB,
                truth.refaultedPages() / seconds, 100.0 * truth.refaultedPages() / Math.max(1, truth.touchedPages()),
                seconds, "tried " + s.nrTried() + ", applied " + s.nrApplied() + " (" + s.szApplied() / MIB
                        + " MiB), quota exceeded " + s.qtExceeds());
    }

    private static String label(String target) {
        return target.startsWith("virtual:file=") ? "never-touched" : target.substring("virtual:".length());
    }
}
