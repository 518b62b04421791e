package io.jdamon.sim.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.jdamon.api.Callback;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextNotRunningException;
import io.jdamon.api.ContextView;
import io.jdamon.api.EngineBusyException;
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
 * 1 TiB (or the sizes given), next to a full-scan baseline that checks every
 * page's accessed state each sample with the same per-page check the
 * primitive uses. Sizes are measured in interleaved rounds and the median
 * round is shown, so that bursts of load on a shared machine do not pass for
 * a trend. Then a real 1 GiB row (a thread touching off-heap memory), and WSS
 * error against ground truth for the real stairs_30secs and zigzag_30secs
 * workloads.
 *
 * <p>Run it as {@code java -jar jdamon-bench.jar sim [options] [sizes...]}
 * or {@code jdamon bench sim ...}; {@link #usage(String)} lists the options.
 * It lives in the sim bundle's tests, beside the workloads and the full scan
 * it drives; the distribution's benchmark jar ships it from sim's test jar.
 */
public final class SimBenchmark {

    private static final long GIB = 1L << 30;
    static final long[] DEFAULT_SIZES = {GIB, 64 * GIB, 1024 * GIB};
    /** The smallest size accepted: the 200-region checkerboard needs a few pages per region. */
    static final long MIN_SIZE = 16L << 20;
    /** Aggregations (100 ms each with default attributes) before measuring starts. */
    static final int WARMUP_AGGREGATIONS = 10;
    /** The virtual workloads run for 30 s; warm-up plus measurement must end before they do. */
    static final int MAX_SECONDS = 25;
    /** Aggregations per second with default attributes (100 ms each). */
    private static final int AGGREGATIONS_PER_SECOND = 10;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Held so that its level stays: the engine's start/stop lines would break up the tables. */
    private static final Logger ENGINE_LOG = Logger.getLogger("io.jdamon");

    /** What to run; parsed from the command line by {@link #parse(String[])}. */
    record Settings(int seconds, int rounds, boolean realRow, boolean accuracy, long[] sizes) {
    }

    private final Settings settings;
    private final PrintStream out;

    private SimBenchmark(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** @return the usage text, naming the command as {@code program} (e.g. {@code jdamon bench sim}) */
    static String usage(String program) {
        return """
                usage: %1$s [--seconds N] [--rounds N] [--skip-real] [--skip-accuracy] [SIZE...]

                Monitoring cost against target size with the real engine and the sim primitive (default
                attributes): kdamond CPU per sample and per second for virtual targets of each SIZE, next to a
                full scan of every page each sample (the baseline), for virtual stairs_30secs and a virtual
                200-region checkerboard; then a real 1 GiB row, then median WSS against ground truth for the real
                stairs_30secs and zigzag_30secs workloads (30 s). About 2.5 minutes with the defaults.

                  SIZE             virtual target sizes, %2$s to 1TiB (default: 1GiB 64GiB 1TiB)
                  --seconds N      seconds measured per run, 1 to %3$d (default 3), after %4$d aggregations of warm-up
                  --rounds N       interleaved rounds per size; the median round is shown (default 3)
                  --skip-real      leave out the real 1 GiB row (it allocates 1 GiB off-heap)
                  --skip-accuracy  leave out the 30 s WSS accuracy run

                example (a quick look): %1$s --seconds 1 --rounds 1 --skip-real --skip-accuracy 1GiB 64GiB
                """.formatted(program, Sizes.format(MIN_SIZE).replace(" ", ""), MAX_SECONDS, WARMUP_AGGREGATIONS);
    }

    /**
     * Parses the command line.
     *
     * @throws IllegalArgumentException naming the bad argument and what to write instead
     */
    static Settings parse(String[] args) {
        int seconds = 3;
        int rounds = 3;
        boolean real = true;
        boolean accuracy = true;
        List<Long> sizes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--seconds" -> seconds = intOption(args, ++i, a, 1, MAX_SECONDS);
                case "--rounds" -> rounds = intOption(args, ++i, a, 1, 99);
                case "--skip-real" -> real = false;
                case "--skip-accuracy" -> accuracy = false;
                default -> {
                    if (a.startsWith("-")) {
                        throw new IllegalArgumentException("unknown option '" + a + "'; the options are --seconds N,"
                                + " --rounds N, --skip-real and --skip-accuracy (--help explains them)");
                    }
                    long size;
                    try {
                        size = Sizes.parse(a);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("size " + e.getMessage()); // it names forms that work
                    }
                    if (size < MIN_SIZE || size > TargetSpec.MAX_VIRTUAL_BYTES) {
                        throw new IllegalArgumentException("size '" + a + "' is out of range; give a size from "
                                + Sizes.format(MIN_SIZE) + " to " + Sizes.format(TargetSpec.MAX_VIRTUAL_BYTES)
                                + ", e.g. 64GiB");
                    }
                    sizes.add(size);
                }
            }
        }
        long[] s = sizes.isEmpty() ? DEFAULT_SIZES.clone() : sizes.stream().mapToLong(Long::longValue).toArray();
        return new Settings(seconds, rounds, real, accuracy, s);
    }

    private static int intOption(String[] args, int i, String name, int min, int max) {
        if (i >= args.length) {
            throw new IllegalArgumentException(name + " needs a number after it, e.g. " + name + " 3");
        }
        try {
            int v = Integer.parseInt(args[i]);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " '" + args[i] + "' is not a whole number from " + min + " to " + max);
    }

    /**
     * Runs the benchmark and prints its tables to {@code out}.
     *
     * @return the exit status: 0 done, 1 it could not run, 2 bad arguments
     */
    public static int run(String[] args, String program, PrintStream out, PrintStream err) {
        if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
            out.print(usage(program));
            return 0;
        }
        Settings settings;
        try {
            settings = parse(args);
        } catch (IllegalArgumentException e) {
            err.println(program + ": " + e.getMessage());
            return 2;
        }
        if (!THREADS.isCurrentThreadCpuTimeSupported()) {
            err.println(program + ": this JVM cannot measure thread CPU time, which the benchmark needs;"
                    + " run it on a HotSpot or OpenJ9 JDK 17 or newer");
            return 1;
        }
        if (!Boolean.getBoolean("jdamon.verbose")) {
            ENGINE_LOG.setLevel(Level.WARNING);
        }
        try {
            new SimBenchmark(settings, out).runAll();
            return 0;
        } catch (OutOfMemoryError e) {
            err.println(program + ": out of memory (" + e.getMessage() + "); the real rows allocate up to 1 GiB"
                    + " off-heap: raise -XX:MaxDirectMemorySize (JDAMON_JAVA_OPTS) or add --skip-real --skip-accuracy");
            return 1;
        } catch (BenchmarkException e) {
            err.println(program + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(program + ": interrupted");
            return 1;
        }
    }

    /** A run that could not be measured, with the reason. */
    static final class BenchmarkException extends Exception {
        private static final long serialVersionUID = 1L;

        BenchmarkException(String message) {
            super(message);
        }
    }

    private void runAll() throws InterruptedException, BenchmarkException {
        int seconds = settings.seconds();
        out.printf(Locale.ROOT, "jdamon sim benchmark: default attributes (sample 5 ms, aggregation 100 ms,"
                + " 10..1000 regions); %d s measured per run after %d aggregations of warm-up; median of %d"
                + " interleaved rounds; %d CPUs%n", seconds, WARMUP_AGGREGATIONS, settings.rounds(),
                Runtime.getRuntime().availableProcessors());
        monitor("virtual:stairs_30secs,size=1GiB", 1); // JIT warm-up, not shown
        out.println();
        out.printf(Locale.ROOT, "%-10s | %-40s | %-42s | %s%n", "target", "DAMON regions: kdamond CPU",
                "full scan of every page (baseline)", "WSS median: monitored / true");
        out.printf(Locale.ROOT, "%-10s | %-40s | %-42s |%n", "", "per sample   per second     max regions",
                "pages        per sample    per second");

        out.println("virtual stairs_30secs: ten regions, all then one at a time");
        table("virtual:stairs_30secs");
        Path checkerboard = checkerboardConfig();
        try {
            out.println("virtual checkerboard: 200 regions, the even ones then the odd ones");
            table("virtual:file=" + checkerboard);
        } finally {
            deleteQuietly(checkerboard);
        }
        if (settings.realRow()) {
            out.println("real stairs_30secs: a thread touches the memory; the baseline reads and clears every"
                    + " page's accessed bit");
            realRow();
        }
        if (settings.accuracy()) {
            out.println();
            accuracy();
        }
    }

    /** Reads the kdamond's own CPU time at aggregation boundaries, after a warm-up; allocates nothing. */
    private static final class CpuMeter implements Callback {
        private final int measured;
        private final double[] perSampleNanos;
        private final long[] wss;
        private final CountDownLatch done = new CountDownLatch(1);
        private long lastCpu;
        private long lastSamples;
        private int rows;
        private volatile long cpu0;
        private volatile long cpu1;
        private volatile long wall0;
        private volatile long wall1;
        private volatile int maxRegions;

        CpuMeter(int measuredAggregations) {
            this.measured = measuredAggregations;
            this.perSampleNanos = new double[measuredAggregations];
            this.wss = new long[measuredAggregations];
        }

        @Override
        public CallbackResult afterAggregation(ContextView ctx) {
            long cpu = THREADS.getCurrentThreadCpuTime();
            long samples = ctx.samplesPassed();
            long aggregation = ctx.aggregationsPassed();
            if (aggregation == WARMUP_AGGREGATIONS) {
                cpu0 = cpu;
                wall0 = ctx.elapsedNanos();
            } else if (aggregation > WARMUP_AGGREGATIONS && rows < measured) {
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
                    perSampleNanos[rows] = (double) (cpu - lastCpu) / Math.max(1, samples - lastSamples);
                    wss[rows] = w;
                    rows++;
                }
                if (rows == measured) {
                    cpu1 = cpu;
                    wall1 = ctx.elapsedNanos();
                    done.countDown();
                }
            }
            lastCpu = cpu;
            lastSamples = samples;
            return CallbackResult.CONTINUE;
        }

        synchronized double medianPerSampleNanos() {
            double[] v = Arrays.copyOf(perSampleNanos, rows);
            Arrays.sort(v);
            return v.length == 0 ? Double.NaN : v[v.length / 2];
        }

        synchronized long medianWss() {
            long[] v = Arrays.copyOf(wss, rows);
            Arrays.sort(v);
            return v.length == 0 ? 0 : v[v.length / 2];
        }
    }

    /** One monitoring run: kdamond CPU per sample (median over aggregations) and per second (over the run). */
    record Run(double perSampleUs, double perSecondPercent, int maxRegions, long wss, long trueWss) {
    }

    private void table(String workload) throws InterruptedException, BenchmarkException {
        long[] sizes = settings.sizes();
        List<List<Run>> runs = new ArrayList<>();
        for (int s = 0; s < sizes.length; s++) {
            runs.add(new ArrayList<>());
        }
        for (int round = 0; round < settings.rounds(); round++) {
            for (int s = 0; s < sizes.length; s++) {
                runs.get(s).add(monitor(workload + ",size=" + sizes[s], settings.seconds()));
            }
        }
        for (int s = 0; s < sizes.length; s++) {
            List<Run> r = new ArrayList<>(runs.get(s));
            r.sort((a, b) -> Double.compare(a.perSampleUs(), b.perSampleUs()));
            Run median = r.get(r.size() / 2);
            VirtualWorkload w = new VirtualWorkload(TargetSpec.parse(workload + ",size=" + sizes[s]), 16);
            w.start();
            int scans = sizes[s] <= 64 * GIB ? 3 : 1;
            long found = 0;
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < scans; i++) {
                found += fullScan(w);
            }
            double scanUs = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1_000.0 / scans;
            if (found == 0) {
                throw new BenchmarkException("the full scan of " + workload + " found no accessed page;"
                        + " the baseline would measure nothing");
            }
            print(Sizes.format(sizes[s]), median, w.layout.dataPages(), scanUs,
                    Sizes.format(median.wss()) + " / " + Sizes.format(median.trueWss()));
        }
    }

    private void realRow() throws InterruptedException, BenchmarkException {
        String spec = "stairs_30secs,size=1GiB";
        Run run = monitor(spec, settings.seconds());
        RealWorkload w = new RealWorkload(TargetSpec.parse(spec), 100_000_000L, "sim.bench", 16);
        w.start();
        double scanUs;
        long pages = w.layout.dataPages();
        try {
            int scans = 200;
            long cpuTotal = 0;
            for (int i = 0; i < scans; i++) {
                Thread.sleep(5); // one sample interval between scans, as the kdamond would pace them
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

    private void print(String size, Run run, long pages, double scanUs, String wss) {
        out.printf(Locale.ROOT, "%-10s | %8.1f us %8.2f %% CPU %11d    | %11d %10.0f us %9.0f %% CPU | %s%n",
                size, run.perSampleUs(), run.perSecondPercent(), run.maxRegions(), pages, scanUs,
                100.0 * scanUs / 5_000.0, wss);
    }

    /** Monitors one target for warm-up plus {@code seconds} worth of aggregations and measures the kdamond. */
    private static Run monitor(String spec, int seconds) throws InterruptedException, BenchmarkException {
        DamonEngine engine = new DamonEngine();
        SimPrimitive sim = new SimPrimitive();
        MonitoringContext ctx = engine.newContext(ContextDefinition.of("bench", "sim", spec), sim);
        CpuMeter meter = new CpuMeter(seconds * AGGREGATIONS_PER_SECOND);
        ctx.addCallback("cpu", meter);
        start(engine, List.of(ctx));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4L * seconds + 10);
            while (!meter.done.await(200, TimeUnit.MILLISECONDS)) {
                if (!ctx.isRunning()) {
                    throw new BenchmarkException("monitoring " + spec + " ended before it was measured: "
                            + ctx.status().state() + " " + ctx.status().detail());
                }
                if (System.nanoTime() > deadline) {
                    throw new BenchmarkException("monitoring " + spec + " completed " + ctx.status().aggregations()
                            + " aggregations in " + (4 * seconds + 10) + " s, fewer than the "
                            + (WARMUP_AGGREGATIONS + seconds * AGGREGATIONS_PER_SECOND)
                            + " expected; the machine is too loaded to measure");
                }
            }
        } finally {
            stop(engine, List.of(ctx));
        }
        GroundTruth truth = sim.groundTruth("bench", 0).orElseThrow();
        List<GroundTruthWindow> windows = truth.windows();
        long trueWss = median(windows.subList(Math.min(WARMUP_AGGREGATIONS, windows.size()), windows.size()));
        return new Run(meter.medianPerSampleNanos() / 1_000.0,
                100.0 * (meter.cpu1 - meter.cpu0) / Math.max(1, meter.wall1 - meter.wall0), meter.maxRegions,
                meter.medianWss(), trueWss);
    }

    private static void start(DamonEngine engine, List<MonitoringContext> ctxs) throws BenchmarkException {
        try {
            engine.start(ctxs, StartMode.SHARED);
        } catch (EngineBusyException e) {
            throw new BenchmarkException("the engine would not start the benchmark's contexts: " + e.getMessage());
        }
    }

    /** Stops the contexts that still run and waits for their kdamonds to end. */
    private static void stop(DamonEngine engine, List<MonitoringContext> ctxs) throws InterruptedException {
        List<MonitoringContext> running = ctxs.stream().filter(MonitoringContext::isRunning).toList();
        try {
            engine.stop(running);
        } catch (ContextNotRunningException e) {
            // it ended on its own in between
        }
        for (MonitoringContext c : ctxs) {
            c.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** @return accessed pages found by checking every page of the target in its current phase */
    static long fullScan(VirtualWorkload w) {
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
    static Path checkerboardConfig() throws BenchmarkException {
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
        try {
            Path file = Files.createTempFile("jdamon-checkerboard", ".cfg");
            Files.writeString(file, cfg);
            return file;
        } catch (IOException e) {
            throw new BenchmarkException("cannot write the checkerboard workload to " + System.getProperty(
                    "java.io.tmpdir") + " (" + e.getMessage() + "); point -Djava.io.tmpdir at a writable folder");
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temporary file left behind; nothing to tell the user
        }
    }

    private void accuracy() throws InterruptedException, BenchmarkException {
        out.println("WSS against ground truth, real workloads (threads touching off-heap memory), run together:");
        DamonEngine engine = new DamonEngine();
        SimPrimitive sim = new SimPrimitive();
        List<MonitoringContext> ctxs = new ArrayList<>();
        List<WssLog> logs = new ArrayList<>();
        for (String workload : List.of("stairs_30secs", "zigzag_30secs")) {
            MonitoringContext c = engine.newContext(ContextDefinition.of(workload, "sim", workload), sim);
            WssLog log = new WssLog();
            c.addCallback("wss", log);
            ctxs.add(c);
            logs.add(log);
        }
        start(engine, ctxs);
        for (MonitoringContext c : ctxs) {
            if (!c.awaitTermination(2, TimeUnit.MINUTES)) {
                stop(engine, ctxs);
                throw new BenchmarkException("the " + c.name() + " workload did not end within 2 minutes"
                        + " (it runs 30 s); the machine is too loaded to measure");
            }
        }
        for (int i = 0; i < ctxs.size(); i++) {
            String name = ctxs.get(i).name();
            WssLog log = logs.get(i);
            GroundTruth truth = sim.groundTruth(name, 0).orElseThrow();
            long monitored = log.medianWorkingSetBytes();
            long actual = truth.medianWorkingSetBytes();
            out.printf(Locale.ROOT, "  %-14s %4d snapshots  median WSS %-10s true %-10s error %+.1f%%"
                    + "  intervals in 90-110 ms %.1f%%  region counts in [5, 1100] %.1f%%%n",
                    name, log.size(), Sizes.format(monitored), Sizes.format(actual),
                    100.0 * (monitored - actual) / Math.max(1, actual),
                    100 * log.shareOfIntervalsWithin(90_000_000L, 110_000_000L),
                    100 * log.shareOfRegionCountsWithin(5, 1100));
        }
    }

    /** Per aggregation interval: its length, the region count and the working set size. */
    private static final class WssLog implements Callback {
        private final List<long[]> rows = new ArrayList<>();

        @Override
        public CallbackResult afterAggregation(ContextView ctx) {
            long wss = 0;
            int regions = 0;
            for (int t = 0; t < ctx.targetCount(); t++) {
                TargetView tv = ctx.target(t);
                for (int i = 0; i < tv.regionCount(); i++) {
                    regions++;
                    if (tv.nrAccesses(i) > 0) {
                        wss += tv.regionEnd(i) - tv.regionStart(i);
                    }
                }
            }
            long[] row = {ctx.elapsedNanos() - ctx.aggregationStartNanos(), regions, wss};
            synchronized (this) {
                rows.add(row);
            }
            return CallbackResult.CONTINUE;
        }

        synchronized int size() {
            return rows.size();
        }

        synchronized long medianWorkingSetBytes() {
            long[] w = rows.stream().mapToLong(r -> r[2]).sorted().toArray();
            return w.length == 0 ? 0 : w[w.length / 2];
        }

        synchronized double shareOfIntervalsWithin(long minNanos, long maxNanos) {
            return (double) rows.stream().filter(r -> r[0] >= minNanos && r[0] <= maxNanos).count()
                    / Math.max(1, rows.size());
        }

        synchronized double shareOfRegionCountsWithin(long min, long max) {
            return (double) rows.stream().filter(r -> r[1] >= min && r[1] <= max).count() / Math.max(1, rows.size());
        }
    }
}
