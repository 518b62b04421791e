package io.jdamon.vaddr.internal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.Callback;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextView;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.StartMode;
import io.jdamon.api.TargetSnapshot;
import io.jdamon.core.internal.DamonEngine;
import io.jdamon.vaddr.Sensor;

/**
 * Issue 13's comparison: the 1 GiB process of which 128 MiB is written
 * continuously and 128 MiB was written once ({@link WssWorkload}), watched by
 * each sensor available here and, on the same process in the same run, by
 * Brendan Gregg's {@code wss.pl} (the clear_refs + smaps Referenced method,
 * every 0.1 s). One after the other, never together: both write
 * {@code clear_refs}, so each would reset what the other counts. Prints per
 * sensor the working set size p50 (the measured referenced bytes where the
 * sensor measures them, else the sizes of regions with accesses, as damo
 * counts), its error against the 128 MiB written, the kdamond thread's CPU
 * share, the sensor's cost per region per sample; and wss.pl's p50 and cost
 * per measurement. Not a test: figures, for the README.
 *
 * <pre>
 * java -cp ... io.jdamon.vaddr.internal.WssBenchmark [-Dseconds=10] [-Drounds=3] [-Dwss.pl=PATH]
 * </pre>
 */
public final class WssBenchmark {

    private static final long MIB = 1 << 20;

    private WssBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long seconds = Long.getLong("seconds", 10);
        int rounds = Integer.getInteger("rounds", 3);
        Path wssPl = Path.of(System.getProperty("wss.pl", "../../../shared/peers/wss/wss.pl"));
        Path shim = new UffdWriteSensor().probe(0).available()
                ? io.jdamon.vaddr.UffdShim.library(Path.of("target/test-helper")) : null;
        System.out.println("kernel " + Kernel.release() + ", " + Runtime.getRuntime().availableProcessors()
                + " CPUs, load average " + SensorBenchmark.loadAverage() + "; wss_workload 1024 128 128 (1 GiB"
                + " mapping, 128 MiB written every 5 ms, 128 MiB written once), shim " + (shim != null ? "preloaded"
                : "absent") + "; engine defaults (5 ms / 100 ms); " + seconds + " s (-Dseconds) per sensor, then "
                + seconds + " s of wss.pl -s 0 PID 0.1 on the same process; " + rounds + " rounds (-Drounds), a"
                + " fresh process per round and sensor; the first 20 aggregations left out (damo's default)");
        System.out.printf("%-22s %3s %6s | %9s %7s %8s %7s %9s %8s %8s | %9s %7s %9s%n", "sensor", "rnd", "regns",
                "wss p50", "error", "wss by", "kdamond", "us/region", "round us", "sample us", "wss.pl", "error",
                "ms/meas");
        for (int round = 1; round <= rounds; round++) {
            for (Sensor s : new Sensors().all()) {
                if (s.traits().intrusive()) {
                    continue;
                }
                try (WssWorkload w = WssWorkload.start(1024, 128, 128, shim)) {
                    if (!s.probe(w.pid()).available()) {
                        continue;
                    }
                    run(s.traits().name(), round, w, seconds, wssPl);
                }
            }
        }
    }

    private static void run(String sensor, int round, WssWorkload w, long seconds, Path wssPl) throws Exception {
        // uffd-write samples every 5 ms: its first second is JIT warm-up; the referenced kinds sample every 40-100 ms
        SensorBenchmark.TimedPrimitive p = new SensorBenchmark.TimedPrimitive(sensor.equals(UffdWriteSensor.NAME) ? 200 : 10);
        DamonEngine engine = new DamonEngine();
        MonitoringContext ctx = engine.newContext(new ContextDefinition("wss", "vaddr",
                List.of("pid=" + w.pid() + ",sensor=" + sensor), MonitoringAttributes.DEFAULTS), p);
        List<Long> wss = new ArrayList<>();
        boolean[] measured = {false};
        ctx.addCallback("wss", new Callback() {
            @Override
            public CallbackResult afterAggregation(ContextView view) {
                AggregationSnapshot s = ctx.lastAggregation().orElseThrow();
                if (s.aggregationIndex() >= 20) {
                    TargetSnapshot t = s.targets().get(0);
                    long m = t.measuredWorkingSetBytes();
                    measured[0] |= m >= 0;
                    synchronized (wss) {
                        wss.add(m >= 0 ? m : t.workingSetBytes());
                    }
                }
                return CallbackResult.CONTINUE;
            }
        });
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long wall0 = System.nanoTime();
        engine.start(List.of(ctx), StartMode.SHARED);
        long kdamond = -1;
        while (kdamond < 0 && System.nanoTime() - wall0 < TimeUnit.SECONDS.toNanos(5)) {
            for (ThreadInfo ti : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (ti != null && ti.getThreadName().startsWith("kdamond.")) {
                    kdamond = ti.getThreadId();
                }
            }
        }
        ctx.awaitTermination(seconds, TimeUnit.SECONDS);
        long cpu = threads.getThreadCpuTime(kdamond);
        long wall = System.nanoTime() - wall0;
        java.util.Map<String, String> props = ctx.status().primitiveProperties();
        engine.stop(List.of(ctx));
        String roundUs = props.getOrDefault(sensor + ".referenced.roundCostUs",
                props.getOrDefault(sensor + ".roundCostUs", "-"));
        String intervalUs = props.getOrDefault(sensor + ".referenced.effectiveSampleIntervalUs",
                props.getOrDefault(sensor + ".effectiveSampleIntervalUs", "5000"));
        double[] pl = wssPl(wssPl, w.pid(), seconds);
        long[] v;
        synchronized (wss) {
            v = wss.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        double p50 = v.length == 0 ? Double.NaN : v[v.length / 2] / (double) MIB;
        System.out.printf("%-22s %3d %6.1f | %5.1f MiB %+6.1f%% %8s %6.2f%% %9.2f %8s %8s | %5.1f MiB %+6.1f%% %9.1f%n",
                sensor, round, (double) p.regionSamples / Math.max(1, p.samples), p50, (p50 / 128 - 1) * 100,
                measured[0] ? "measured" : "regions", 100.0 * cpu / wall,
                p.nanos / 1000.0 / Math.max(1, p.regionSamples), roundUs, intervalUs, pl[0], (pl[0] / 128 - 1) * 100,
                pl[1]);
    }

    /** @return wss.pl's p50 Ref in MiB and its mean cost per measurement in ms (Est(s) minus the 0.1 s window) */
    private static double[] wssPl(Path script, int pid, long seconds) throws Exception {
        Process p = new ProcessBuilder("perl", script.toString(), "-s", "0", "-d", Long.toString(seconds),
                Integer.toString(pid), "0.1").redirectErrorStream(true).start();
        List<Double> ref = new ArrayList<>();
        double overhead = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null;) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 4 && f[0].matches("[0-9.]+")) {
                    overhead += Double.parseDouble(f[0]) - 0.1;
                    ref.add(Double.parseDouble(f[3]));
                }
            }
        }
        p.waitFor(seconds + 30, TimeUnit.SECONDS);
        if (ref.isEmpty()) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double[] sorted = ref.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new double[] {sorted[sorted.length / 2], overhead * 1000 / ref.size()};
    }
}
