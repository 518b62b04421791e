package io.jdamon.sim.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.jdamon.api.Callback;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextView;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.StartMode;
import io.jdamon.core.internal.DamonEngine;
import io.jdamon.sim.GroundTruth;
import io.jdamon.sim.GroundTruthWindow;

/**
 * Monitoring cost against target size: the kdamond's CPU time per sample and
 * per second (its own thread CPU time, read on the kdamond) for virtual
 * targets of 1 GiB, 64 GiB and 1 TiB, next to a full-scan baseline that checks
 * every page's accessed bit each sample with the same per-page check; then
 * WSS error against ground truth for the real stairs_30secs and
 * zigzag_30secs workloads.
 *
 * <pre>
 * cd /work/main &amp;&amp; mvn -B -o -q -pl bundles/sim test-compile exec:java \
 *     -Dexec.mainClass=io.jdamon.sim.internal.SimBenchmark -Dexec.classpathScope=test
 * </pre>
 * Arguments: {@code [seconds per size, default 6] [skip-accuracy]}.
 */
public final class SimBenchmark {

    private static final long GIB = 1L << 30;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Reads the kdamond's own CPU time at aggregation boundaries, after a warm-up. */
    private static final class CpuMeter implements Callback {
        private final int warmupAggregations;
        private final List<Long> wss = new ArrayList<>();
        private volatile long cpu0 = -1;
        private volatile long cpu1;
        private volatile long samples0;
        private volatile long samples1;
        private volatile long wall0;
        private volatile long wall1;
        private volatile int maxRegions;

        CpuMeter(int warmupAggregations) {
            this.warmupAggregations = warmupAggregations;
        }

        @Override
        public CallbackResult afterAggregation(ContextView ctx) {
            long cpu = THREADS.getCurrentThreadCpuTime();
            if (ctx.aggregationsPassed() == warmupAggregations) {
                cpu0 = cpu;
                samples0 = ctx.samplesPassed();
                wall0 = ctx.elapsedNanos();
            } else if (ctx.aggregationsPassed() > warmupAggregations) {
                cpu1 = cpu;
                samples1 = ctx.samplesPassed();
                wall1 = ctx.elapsedNanos();
                long w = 0;
                int regions = 0;
                for (int t = 0; t < ctx.targetCount(); t++) {
                    var tv = ctx.target(t);
                    regions += tv.regionCount();
                    for (int i = 0; i < tv.regionCount(); i++) {
                        if (tv.nrAccesses(i) > 0) {
                            w += tv.regionEnd(i) - tv.regionStart(i);
                        }
                    }
                }
                maxRegions = Math.max(maxRegions, regions);
                synchronized (wss) {
                    wss.add(w);
                }
            }
            return CallbackResult.CONTINUE;
        }

        long median() {
            synchronized (wss) {
                long[] w = wss.stream().mapToLong(Long::longValue).sorted().toArray();
                return w.length == 0 ? 0 : w[w.length / 2];
            }
        }
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        boolean accuracy = !(args.length > 1 && args[1].equals("skip-accuracy"));
        if (!THREADS.isCurrentThreadCpuTimeSupported()) {
            System.err.println("this JVM cannot measure thread CPU time; the benchmark needs it");
            System.exit(2);
        }
        System.out.println("jdamon sim benchmark: default attributes (sample 5 ms, aggregation 100 ms,"
                + " 10..1000 regions), workload virtual:stairs_30secs scaled to each size, "
                + seconds + " s measured per size after 1 s warm-up; " + Runtime.getRuntime().availableProcessors()
                + " CPUs");
        // warm up: JIT-compile the engine's and the primitive's paths before anything is measured
        row(GIB, 2, false);
        System.out.println();
        System.out.printf(Locale.ROOT, "%-8s | %-40s | %-44s | %s%n", "size", "DAMON regions: kdamond CPU",
                "full scan of every page (baseline)", "WSS median: monitored / true");
        System.out.printf(Locale.ROOT, "%-8s | %-40s | %-44s |%n", "", "per sample     per second   max regions",
                "pages        per sample     per second");
        for (long size : new long[] {GIB, 64 * GIB, 1024 * GIB}) {
            row(size, seconds, true);
        }
        if (accuracy) {
            System.out.println();
            accuracy();
        }
    }

    private static void row(long size, int seconds, boolean print) throws Exception {
        String spec = "virtual:stairs_30secs,size=" + (size / GIB) + "GiB";
        DamonEngine engine = new DamonEngine();
        SimPrimitive sim = new SimPrimitive();
        MonitoringContext ctx = engine.newContext(ContextDefinition.of("bench", "sim", spec), sim);
        CpuMeter meter = new CpuMeter(10);
        ctx.addCallback("cpu", meter);
        engine.start(List.of(ctx), StartMode.SHARED);
        Thread.sleep(TimeUnit.SECONDS.toMillis(1 + seconds) + 150);
        engine.stop(List.of(ctx));
        long samples = meter.samples1 - meter.samples0;
        double cpuPerSampleUs = (meter.cpu1 - meter.cpu0) / 1_000.0 / samples;
        double cpuPerSecondPercent = 100.0 * (meter.cpu1 - meter.cpu0) / (meter.wall1 - meter.wall0);
        GroundTruth truth = sim.groundTruth("bench", 0).orElseThrow();
        long trueMedian = median(truth.windows().subList(10, truth.windows().size()));

        // the baseline: every page's accessed state checked each sample, with the primitive's own check
        VirtualWorkload w = new VirtualWorkload(TargetSpec.parse(spec), 16);
        w.start();
        long pages = w.layout.dataPages();
        int scans = size <= 64 * GIB ? 3 : 1;
        long accessedPages = 0;
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        for (int s = 0; s < scans; s++) {
            accessedPages += fullScan(w);
        }
        double scanUs = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1_000.0 / scans;
        double scanPerSecondPercent = 100.0 * scanUs / 5_000.0;
        if (accessedPages == 0) {
            throw new AssertionError("the full scan found no accessed page");
        }

        if (!print) {
            return;
        }
        System.out.printf(Locale.ROOT, "%-8s | %9.2f us %9.3f %% CPU %9d    | %11d %12.0f us %11.0f %% CPU  | %s / %s%n",
                Sizes.format(size), cpuPerSampleUs, cpuPerSecondPercent, meter.maxRegions, pages, scanUs,
                scanPerSecondPercent, Sizes.format(meter.median()), Sizes.format(trueMedian));
    }

    /** @return accessed pages found by checking every page of the target */
    private static long fullScan(VirtualWorkload w) {
        int phase = w.currentPhase();
        long count = 0;
        AddressLayout l = w.layout;
        for (int r = 0; r < l.regionCount(); r++) {
            for (long a = l.start(r); a < l.end(r); a += Sizes.PAGE) {
                if (w.accessedIn(a, phase)) {
                    count++;
                }
            }
        }
        return count;
    }

    private static long median(List<GroundTruthWindow> windows) {
        long[] w = windows.stream().mapToLong(GroundTruthWindow::workingSetBytes).toArray();
        Arrays.sort(w);
        return w.length == 0 ? 0 : w[w.length / 2];
    }

    private static void accuracy() throws Exception {
        System.out.println("WSS against ground truth, real workloads (threads touching off-heap memory), run together:");
        DamonEngine engine = new DamonEngine();
        SimPrimitive sim = new SimPrimitive();
        List<MonitoringContext> ctxs = new ArrayList<>();
        List<AggregationLog> logs = new ArrayList<>();
        for (String workload : List.of("stairs_30secs", "zigzag_30secs")) {
            MonitoringContext c = engine.newContext(ContextDefinition.of(workload, "sim", workload), sim);
            AggregationLog log = new AggregationLog();
            c.addCallback("wss", log);
            ctxs.add(c);
            logs.add(log);
        }
        engine.start(ctxs, StartMode.SHARED);
        for (MonitoringContext c : ctxs) {
            c.awaitTermination(2, TimeUnit.MINUTES);
        }
        for (int i = 0; i < ctxs.size(); i++) {
            String name = ctxs.get(i).name();
            AggregationLog log = logs.get(i);
            GroundTruth truth = sim.groundTruth(name, 0).orElseThrow();
            long monitored = log.medianWorkingSetBytes();
            long actual = truth.medianWorkingSetBytes();
            System.out.printf(Locale.ROOT, "  %-14s %4d snapshots  median WSS %-10s true %-10s error %+.1f%%"
                    + "  intervals in 90-110 ms %.1f%%  region counts in [5, 1100] %.1f%%%n",
                    name, log.rows().size(), Sizes.format(monitored), Sizes.format(actual),
                    100.0 * (monitored - actual) / actual, 100 * log.shareOfIntervalsWithin(90_000_000L, 110_000_000L),
                    100 * log.shareOfRegionCountsWithin(5, 1100));
        }
    }
}
