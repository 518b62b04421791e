package io.jdamon.sim.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
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
import io.jdamon.api.TargetView;
import io.jdamon.core.internal.DamonEngine;
import io.jdamon.sim.GroundTruth;
import io.jdamon.sim.GroundTruthWindow;

/**
 * Monitoring cost against target size, with the real engine and default
 * attributes: the kdamond's own thread CPU time (read on the kdamond at each
 * aggregation), per sample and per second, for targets of 1 GiB, 64 GiB and
 * 1 TiB, next to a full-scan baseline that checks every page's accessed state
 * each sample with the same per-page check the primitive uses. Sizes are
 * measured in interleaved rounds and the median round is shown, so that bursts
 * of load on a shared machine do not pass for a trend. Then WSS error against
 * ground truth for the real stairs_30secs and zigzag_30secs workloads.
 *
 * <pre>
 * cd /work/main &amp;&amp; mvn -B -o -q -pl bundles/sim test-compile exec:java \
 *     -Dexec.mainClass=io.jdamon.sim.internal.SimBenchmark -Dexec.classpathScope=test \
 *     [-Dexec.args="[seconds per measurement, default 3] [rounds, default 3] [skip-accuracy]"]
 * </pre>
 */
public final class SimBenchmark {

    private static final long GIB = 1L << 30;
    private static final long[] SIZES = {GIB, 64 * GIB, 1024 * GIB};
    private static final int WARMUP_AGGREGATIONS = 10;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** Reads the kdamond's own CPU time at aggregation boundaries, after a warm-up. */
    private static final class CpuMeter implements Callback {
        private final List<Double> perSampleNanos = new ArrayList<>();
        private final List<Long> wss = new ArrayList<>();
        private long lastCpu;
        private long lastSamples;
        private volatile long cpu0;
        private volatile long cpu1;
        private volatile long wall0;
        private volatile long wall1;
        private volatile int maxRegions;

        @Override
        public CallbackResult afterAggregation(ContextView ctx) {
            long cpu = THREADS.getCurrentThreadCpuTime();
            long samples = ctx.samplesPassed();
            long aggregation = ctx.aggregationsPassed();
            if (aggregation == WARMUP_AGGREGATIONS) {
                cpu0 = cpu;
                wall0 = ctx.elapsedNanos();
            } else if (aggregation > WARMUP_AGGREGATIONS) {
                cpu1 = cpu;
                wall1 = ctx.elapsedNanos();
                long w = 0;
                int regions = 0;
                for (int t = 0; t < ctx.targetCount(); t++) {
                    TargetView tv = ctx.target(t);
                    regions += tv.regionCount();
                    for (int i = 0; i < tv.regionCount(); i++) {
                        if (tv.nrAccesses(i) > 0) {
                            w += tv.regionEnd(i) - tv.regionStart(i);
                        }
                    }
                }
                maxRegions = Math.max(maxRegions, regions);
                synchronized (this) {
                    perSampleNanos.add((double) (cpu - lastCpu) / (samples - lastSamples));
                    wss.add(w);
                }
            }
            lastCpu = cpu;
            lastSamples = samples;
            return CallbackResult.CONTINUE;
        }

        synchronized double medianPerSampleNanos() {
            double[] v = perSampleNanos.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return v.length == 0 ? Double.NaN : v[v.length / 2];
        }

        synchronized long medianWss() {
            long[] v = wss.stream().mapToLong(Long::longValue).sorted().toArray();
            return v.length == 0 ? 0 : v[v.length / 2];
        }
    }

    /** One monitoring run: kdamond CPU per sample (median over aggregations) and per second (over the run). */
    private record Run(double perSampleUs, double perSecondPercent, int maxRegions, long wss, long trueWss) {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        boolean accuracy = !(args.length > 2 && args[2].equals("skip-accuracy"));
        if (!THREADS.isCurrentThreadCpuTimeSupported()) {
            System.err.println("this JVM cannot measure thread CPU time; the benchmark needs it");
            System.exit(2);
        }
        System.out.printf(Locale.ROOT, "jdamon sim benchmark: default attributes (sample 5 ms, aggregation 100 ms,"
                + " 10..1000 regions); %d s measured per run after %d aggregations of warm-up; median of %d"
                + " interleaved rounds; %d CPUs%n", seconds, WARMUP_AGGREGATIONS, rounds,
                Runtime.getRuntime().availableProcessors());
        monitor("virtual:stairs_30secs,size=1GiB", 2); // JIT warm-up, not shown
        System.out.println();
        System.out.printf(Locale.ROOT, "%-10s | %-40s | %-42s | %s%n", "target", "DAMON regions: kdamond CPU",
                "full scan of every page (baseline)", "WSS median: monitored / true");
        System.out.printf(Locale.ROOT, "%-10s | %-40s | %-42s |%n", "", "per sample   per second     max regions",
                "pages        per sample    per second");

        System.out.println("virtual stairs_30secs: ten regions, all then one at a time");
        table("virtual:stairs_30secs", seconds, rounds);
        System.out.println("virtual checkerboard: 200 regions, the even ones then the odd ones");
        table("virtual:file=" + checkerboardConfig(), seconds, rounds);
        System.out.println("real stairs_30secs: a thread touches the memory; the baseline reads and clears every"
                + " page's accessed bit");
        realRow(seconds);
        if (accuracy) {
            System.out.println();
            accuracy();
        }
    }

    private static void table(String workload, int seconds, int rounds) throws Exception {
        List<List<Run>> runs = new ArrayList<>();
        for (int s = 0; s < SIZES.length; s++) {
            runs.add(new ArrayList<>());
        }
        for (int round = 0; round < rounds; round++) {
            for (int s = 0; s < SIZES.length; s++) {
                runs.get(s).add(monitor(workload + ",size=" + (SIZES[s] / GIB) + "GiB", seconds));
            }
        }
        for (int s = 0; s < SIZES.length; s++) {
            String spec = workload + ",size=" + (SIZES[s] / GIB) + "GiB";
            List<Run> r = new ArrayList<>(runs.get(s));
            r.sort((a, b) -> Double.compare(a.perSampleUs(), b.perSampleUs()));
            Run median = r.get(r.size() / 2);
            VirtualWorkload w = new VirtualWorkload(TargetSpec.parse(spec), 16);
            w.start();
            int scans = SIZES[s] <= 64 * GIB ? 3 : 1;
            long found = 0;
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < scans; i++) {
                found += fullScan(w);
            }
            double scanUs = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1_000.0 / scans;
            if (found == 0) {
                throw new AssertionError("the full scan found no accessed page");
            }
            print(Sizes.format(SIZES[s]), median, w.layout.dataPages(), scanUs,
                    Sizes.format(median.wss()) + " / " + Sizes.format(median.trueWss()));
        }
    }

    private static void realRow(int seconds) throws Exception {
        Run run = monitor("stairs_30secs,size=1GiB", seconds);
        RealWorkload w = new RealWorkload(TargetSpec.parse("stairs_30secs,size=1GiB"), 100_000_000L, "sim.bench", 16);
        w.start();
        double scanUs;
        long pages = w.layout.dataPages();
        try {
            int scans = 200;
            long cpuTotal = 0;
            for (int i = 0; i < scans; i++) {
                Thread.sleep(5);
                long cpuStart = THREADS.getCurrentThreadCpuTime();
                w.scanAllPages();
                cpuTotal += THREADS.getCurrentThreadCpuTime() - cpuStart;
            }
            scanUs = cpuTotal / 1_000.0 / scans;
        } finally {
            w.stop();
        }
        print("1 GiB", run, pages, scanUs, "(accuracy below)");
    }

    private static void print(String size, Run run, long pages, double scanUs, String wss) {
        System.out.printf(Locale.ROOT, "%-10s | %8.1f us %8.2f %% CPU %11d    | %11d %10.0f us %9.0f %% CPU | %s%n",
                size, run.perSampleUs(), run.perSecondPercent(), run.maxRegions(), pages, scanUs,
                100.0 * scanUs / 5_000.0, wss);
    }

    private static Run monitor(String spec, int seconds) throws Exception {
        DamonEngine engine = new DamonEngine();
        SimPrimitive sim = new SimPrimitive();
        MonitoringContext ctx = engine.newContext(ContextDefinition.of("bench", "sim", spec), sim);
        CpuMeter meter = new CpuMeter();
        ctx.addCallback("cpu", meter);
        engine.start(List.of(ctx), StartMode.SHARED);
        Thread.sleep(WARMUP_AGGREGATIONS * 100L + TimeUnit.SECONDS.toMillis(seconds) + 150);
        engine.stop(List.of(ctx));
        GroundTruth truth = sim.groundTruth("bench", 0).orElseThrow();
        List<GroundTruthWindow> windows = truth.windows();
        long trueWss = median(windows.subList(Math.min(WARMUP_AGGREGATIONS, windows.size()), windows.size()));
        return new Run(meter.medianPerSampleNanos() / 1_000.0,
                100.0 * (meter.cpu1 - meter.cpu0) / Math.max(1, meter.wall1 - meter.wall0), meter.maxRegions,
                meter.medianWss(), trueWss);
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

    /** @return a masim config of 200 equal regions: the even ones accessed for 15 s, then the odd ones */
    private static Path checkerboardConfig() throws IOException {
        StringBuilder cfg = new StringBuilder("# 200 regions, the even ones then the odd ones\n");
        for (int r = 0; r < 200; r++) {
            cfg.append('r').append(r).append(", 1M\n");
        }
        for (int parity = 0; parity < 2; parity++) {
            cfg.append('\n').append(parity == 0 ? "even" : "odd").append("\n15000\n");
            for (int r = parity; r < 200; r += 2) {
                cfg.append('r').append(r).append(", 1, 4096, 1\n");
            }
        }
        Path file = Files.createTempFile("checkerboard", ".cfg");
        file.toFile().deleteOnExit();
        Files.writeString(file, cfg);
        return file;
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
