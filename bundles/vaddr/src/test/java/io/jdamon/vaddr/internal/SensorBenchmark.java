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
 * <pre>
 * </pre>
 */
public final class SensorBenchmark {

    /** The vaddr primitive with its per-sample hooks timed. */
    static final class TimedPrimitive extends ForwardingPrimitive {
        long samples;
        long regionSamples;
        long nanos;
        long maxNanos;
        private long t0;

        @Override
        public void prepareAccessChecks(PrimitiveContext ctx) {
            t0 = System.nanoTime();
            inner.prepareAccessChecks(ctx);
            nanos += System.nanoTime() - t0;
        }

        @Override
        public void checkAccesses(PrimitiveContext ctx) {
            long t = System.nanoTime();
            inner.checkAccesses(ctx);
            long d = System.nanoTime() - t;
            nanos += d;
            samples++;
            for (int i = 0; i < ctx.targetCount(); i++) {
                regionSamples += ctx.target(i).regionCount();
            }
            maxNanos = Math.max(maxNanos, d);
        }
    }

    public static void main(String[] args) throws Exception {
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
