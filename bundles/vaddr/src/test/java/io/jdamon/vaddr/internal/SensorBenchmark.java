package io.jdamon.vaddr.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.PrimitiveContext;
import io.jdamon.api.StartMode;
import io.jdamon.core.internal.DamonEngine;
import io.jdamon.vaddr.Sensor;
import io.jdamon.vaddr.SensorProbe;

/**
 * Cost per sample of each sensor available here, versus the helper's
 * resident size. Runs the real engine with the vaddr primitive wrapped in a
 * timer around the two per-sample hooks.
 *
 * <pre>
 * cd bundles/vaddr &amp;&amp; mvn -B -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt \
 *   &amp;&amp; java -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *        io.jdamon.vaddr.internal.SensorBenchmark [GiB ...]   (default 1 4 8)
 * </pre>
 * uffd-write is measured when the kernel has it (the helper then starts with
 * the preload shim); page-idle only where idle page tracking exists.
 *
 * <p>{@code SensorBenchmark floor [TOTAL/WRITTEN ...]} (default
 * {@code 256M/32M 4G/32M 4G/512M}; {@code -Drounds=3 -Dseconds=4
 * -Dvariants=batched,per-ioctl}) sets uffd-write against its C floor
 * ({@code src/test/c/uffd_floor.c}, {@link UffdFloor}), the two run one after
 * the other on the same helper and regions, round after round.
 */
public final class SensorBenchmark {

    /** The vaddr primitive with its per-sample hooks timed (wall clock, and the kdamond thread's CPU time). */
    static final class TimedPrimitive extends ForwardingPrimitive {
        private final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        /** samples not counted at the start: the JIT compiling the hot path (jdamon runs for hours) */
        final long warmUpSamples;
        volatile long seen;
        long samples;
        long regionSamples;
        long nanos;
        long prepareNanos;
        long cpuNanos;
        long maxNanos;
        /** the regions of target 0 at the last sample, {start, end}: the layout the floor is run on */
        volatile List<long[]> lastRegions = List.of();

        TimedPrimitive() {
            this(0);
        }

        TimedPrimitive(long warmUpSamples) {
            this.warmUpSamples = warmUpSamples;
        }

        @Override
        public void prepareAccessChecks(PrimitiveContext ctx) {
            if (seen < warmUpSamples) {
                inner.prepareAccessChecks(ctx);
                return;
            }
            long c = threads.getCurrentThreadCpuTime();
            long t = System.nanoTime();
            inner.prepareAccessChecks(ctx);
            long d = System.nanoTime() - t;
            cpuNanos += threads.getCurrentThreadCpuTime() - c;
            nanos += d;
            prepareNanos += d;
        }

        @Override
        public void checkAccesses(PrimitiveContext ctx) {
            if (seen++ < warmUpSamples) {
                inner.checkAccesses(ctx);
                return;
            }
            long c = threads.getCurrentThreadCpuTime();
            long t = System.nanoTime();
            inner.checkAccesses(ctx);
            long d = System.nanoTime() - t;
            cpuNanos += threads.getCurrentThreadCpuTime() - c;
            nanos += d;
            samples++;
            for (int i = 0; i < ctx.targetCount(); i++) {
                regionSamples += ctx.target(i).regionCount();
            }
            maxNanos = Math.max(maxNanos, d);
            if ((lastRegions.isEmpty() || (samples & 63) == 0) && ctx.targetCount() > 0) {
                io.jdamon.api.MonitoringTarget tg = ctx.target(0);
                List<long[]> r = new java.util.ArrayList<>();
                for (int i = 0; i < tg.regionCount(); i++) {
                    r.add(new long[] {tg.regionStart(i), tg.regionEnd(i)});
                }
                lastRegions = r;
            }
        }
    }

    /** A helper layout: total MiB, of which written MiB are written (and read) continuously. */
    record Layout(String name, int totalMiB, int writtenMiB) {
        static Layout parse(String s) {
            String[] f = s.split("/");
            return new Layout(s, mib(f[0]), mib(f[1]));
        }

        private static int mib(String v) {
            char unit = Character.toUpperCase(v.charAt(v.length() - 1));
            int n = Integer.parseInt(v.substring(0, v.length() - 1));
            return switch (unit) {
                case 'M' -> n;
                case 'G' -> n * 1024;
                default -> throw new IllegalArgumentException("size '" + v + "': write it as NM or NG");
            };
        }
    }

    /**
     * uffd-write against its C floor ({@link UffdFloor}), interleaved: for
     * each round and variant (batched: the sensor as shipped; per-ioctl: one
     * JNA call per ioctl, what it was), a fresh helper with the shim, the
     * engine with uffd-write on it, then the floor on the same process with
     * the engine's last region layout; the machine's load hits both alike.
     */
    /** Java samples left out at the start of each run (1 s at 5 ms): JIT compilation of the hot path. */
    static final int WARM_UP_SAMPLES = 200;

    static void floor(String[] layouts) throws Exception {
        SensorProbe probe = new UffdWriteSensor().probe(0);
        if (!probe.available()) {
            System.out.println("uffd-write unavailable here: " + probe.reason());
            return;
        }
        int rounds = Integer.getInteger("rounds", 3);
        double seconds = Double.parseDouble(System.getProperty("seconds", "4"));
        String[] variants = System.getProperty("variants", "batched,per-ioctl").split(",");
        long sampleUs = MonitoringAttributes.DEFAULTS.sampleIntervalUs();
        java.nio.file.Path shim = io.jdamon.vaddr.UffdShim.library(java.nio.file.Path.of("target/test-helper"));
        UffdFloor.binary();
        System.out.println("kernel " + Kernel.release() + ", " + Runtime.getRuntime().availableProcessors()
                + " CPUs, load average " + loadAverage() + "; helper: 4 KiB pages, the written part read+written"
                + " continuously, the rest idle; " + sampleUs + " us samples; " + rounds + " rounds (-Drounds) of "
                + seconds + " s (-Dseconds) for jdamon then " + seconds + " s for the C floor on the same helper,"
                + " a fresh helper per round and variant (-Dvariants=" + String.join(",", variants) + "); jdamon's first "
                + WARM_UP_SAMPLES + " samples (JIT warm-up) left out");
        System.out.println("us = wall clock per region per sample (cpu = the sampling thread's CPU time); floor = "
                + "uffd_floor.c, the same ioctls on the same process and regions; batch: " + (UffdBatch
                        .unavailableReason() == null ? "available" : UffdBatch.unavailableReason()));
        System.out.printf("%-8s %-9s %3s %6s | %8s %7s %6s %6s %6s | %8s %7s %6s %6s %6s %6s | %5s %5s%n", "layout",
                "variant", "rnd", "regns", "us/smpl", "us/reg", "wp", "scan", "cpu", "floor/s", "us/reg", "wp", "scan",
                "cpu", "writtn", "ratio", "cpu-r");
        for (String spec : layouts) {
            Layout l = Layout.parse(spec);
            Map<String, List<Double>> ratios = new java.util.LinkedHashMap<>();
            Map<String, List<Double>> cpuRatios = new java.util.LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                for (int v = 0; v < variants.length; v++) {
                    // alternate the order, so neither variant always runs on the freshest helper
                    String variant = variants[round % 2 == 0 ? v : variants.length - 1 - v];
                    System.setProperty(UffdBatch.PROPERTY, Boolean.toString(variant.equals("batched")));
                    try (AccessHelper helper = AccessHelper.start(l.writtenMiB(), l.totalMiB() - l.writtenMiB(),
                            System.getProperty("mode", "rw"), -1, shim)) {
                        TimedPrimitive p = new TimedPrimitive(WARM_UP_SAMPLES);
                        DamonEngine engine = new DamonEngine();
                        MonitoringContext ctx = engine.newContext(new ContextDefinition("bench", "vaddr",
                                List.of("pid=" + helper.pid() + ",sensor=" + UffdWriteSensor.NAME),
                                MonitoringAttributes.DEFAULTS), p);
                        long started = System.nanoTime();
                        engine.start(List.of(ctx), StartMode.SHARED);
                        // the run's time counts from the first sample: opening the session may take a while
                        while (p.seen == 0 && System.nanoTime() - started < 120_000_000_000L) {
                            ctx.awaitTermination(10, TimeUnit.MILLISECONDS);
                        }
                        long firstSampleMs = (System.nanoTime() - started) / 1_000_000;
                        if (firstSampleMs > 1000) {
                            System.out.println("(first sample " + firstSampleMs + " ms after the start)");
                        }
                        long deadline = System.nanoTime() + (long) (seconds * 1e9)
                                + WARM_UP_SAMPLES * sampleUs * 1000;
                        while (System.nanoTime() < deadline) {
                            ctx.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                        }
                        engine.stop(List.of(ctx));
                        if (p.lastRegions.isEmpty()) {
                            throw new IllegalStateException("jdamon took no sample in " + seconds + " s after "
                                    + p.seen + " warm-up samples: " + ctx.status());
                        }
                        Map<String, Double> f = UffdFloor.run(helper.pid(), sampleUs, seconds, p.lastRegions);
                        double rs = Math.max(1, p.regionSamples);
                        double perRegion = p.nanos / 1000.0 / rs;
                        double cpuPerRegion = p.cpuNanos / 1000.0 / rs;
                        double ratio = perRegion / f.get("usPerRegion");
                        double cpuRatio = cpuPerRegion / f.get("cpuUsPerRegion");
                        ratios.computeIfAbsent(variant, k -> new java.util.ArrayList<>()).add(ratio);
                        cpuRatios.computeIfAbsent(variant, k -> new java.util.ArrayList<>()).add(cpuRatio);
                        System.out.printf("%-8s %-9s %3d %6.1f | %8.1f %7.2f %6.2f %6.2f %6.2f | %8.1f %7.2f %6.2f %6.2f"
                                + " %6.2f %6.3f | %5.2f %5.2f%n", l.name(), variant, round + 1,
                                rs / Math.max(1, p.samples), p.nanos / 1000.0 / Math.max(1, p.samples), perRegion,
                                p.prepareNanos / 1000.0 / rs, (p.nanos - p.prepareNanos) / 1000.0 / rs, cpuPerRegion,
                                f.get("usPerSample"), f.get("usPerRegion"), f.get("protectUsPerRegion"),
                                f.get("scanUsPerRegion"), f.get("cpuUsPerRegion"), f.get("written"), ratio, cpuRatio);
                    }
                }
            }
            for (String variant : ratios.keySet()) {
                System.out.printf("%-8s %-9s median ratio to the floor: wall %s, cpu %s%n", l.name(), variant,
                        median(ratios.get(variant)), median(cpuRatios.get(variant)));
            }
        }
        System.clearProperty(UffdBatch.PROPERTY);
    }

    private static String median(List<Double> v) {
        List<Double> s = new java.util.ArrayList<>(v);
        java.util.Collections.sort(s);
        return String.format("%.2f (%.2f-%.2f)", s.get(s.size() / 2), s.get(0), s.get(s.size() - 1));
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("floor")) {
            floor(args.length > 1 ? java.util.Arrays.copyOfRange(args, 1, args.length)
                    : new String[] {"256M/32M", "4G/32M", "4G/512M"});
            return;
        }
        int[] sizes = args.length == 0 ? new int[] {1, 4, 8} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt)
                .toArray();
        String mode = System.getProperty("mode", "rw");
        System.out.println("kernel " + Kernel.release() + ", " + Runtime.getRuntime().availableProcessors()
                + " CPUs; helper: 4 KiB pages, 1/8 of it touched continuously (" + mode + ", -Dmode=read|write|rw), the rest idle;"
                + " engine defaults (5 ms / 100 ms), " + Long.getLong("seconds", 10) + " s per run (-Dseconds=N)");
        System.out.printf("%-10s %4s %8s %10s %12s %10s %14s %11s %s%n", "sensor", "GiB", "regions", "us/sample",
                "us/region", "max us", "round cost us", "samples/rnd", "effective sample interval");
        for (int gib : sizes) {
            int hot = Math.max(1, gib * 1024 / 8);
            int cold = gib * 1024 - hot;
            java.nio.file.Path shim = new UffdWriteSensor().probe(0).available()
                    ? io.jdamon.vaddr.UffdShim.library(java.nio.file.Path.of("target/test-helper")) : null;
            try (AccessHelper helper = AccessHelper.start(hot, cold, mode, -1, shim)) {
                for (Sensor s : new Sensors().all()) {
                    if (s.traits().intrusive() || !s.probe(helper.pid()).available()) {
                        continue;
                    }
                    TimedPrimitive p = new TimedPrimitive();
                    DamonEngine engine = new DamonEngine();
                    MonitoringContext ctx = engine.newContext(new ContextDefinition("bench", "vaddr",
                            List.of("pid=" + helper.pid() + ",sensor=" + s.traits().name()), MonitoringAttributes.DEFAULTS), p);
                    engine.start(List.of(ctx), StartMode.SHARED);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.getLong("seconds", 10));
                    while (System.nanoTime() < deadline) {
                        ctx.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                    }
                    Map<String, String> props = ctx.status().primitiveProperties();
                    engine.stop(List.of(ctx));
                    String pre = s.traits().name() + ".";
                    System.out.printf("%-10s %4d %8.1f %10.1f %12.2f %10.1f %14s %11s %s%n", s.traits().name(), gib,
                            (double) p.regionSamples / Math.max(1, p.samples),
                            p.nanos / 1000.0 / Math.max(1, p.samples), p.nanos / 1000.0 / Math.max(1, p.regionSamples),
                            p.maxNanos / 1000.0,
                            props.getOrDefault(pre + "roundCostUs", "-"), props.getOrDefault(pre + "samplesPerRound", "-"),
                            props.getOrDefault(pre + "effectiveSampleIntervalUs", "-") + " us");
                }
            }
        }
    }
}
