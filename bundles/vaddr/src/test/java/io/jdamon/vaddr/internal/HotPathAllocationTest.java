package io.jdamon.vaddr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.MonitoringTarget;
import io.jdamon.api.PrimitiveContext;
import io.jdamon.api.StartMode;
import io.jdamon.core.internal.DamonEngine;

/**
 * The per-sample hooks allocate nothing once warm: measured with the JVM's
 * per-thread allocation counter around the primitive's hooks on the real
 * kdamond thread, against a real helper process. At most 1% of warm samples
 * may allocate at all (one-off events: a logged interval change, a JNA
 * thread-local set on the first failed call).
 */
@Timeout(60)
class HotPathAllocationTest {

    static final int WARM_UP_SAMPLES = 200;

    /** The vaddr primitive, with the bytes its per-sample hooks allocate counted after warm-up. */
    static final class Counting extends ForwardingPrimitive {
        final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        volatile long samples;
        volatile long bytes;
        volatile long allocatingSamples;
        private long lastAllocatingSample = -1;

        @Override
        public void prepareAccessChecks(PrimitiveContext ctx) {
            long before = threads.getCurrentThreadAllocatedBytes();
            inner.prepareAccessChecks(ctx);
            count(before);
        }

        @Override
        public void checkAccesses(PrimitiveContext ctx) {
            long before = threads.getCurrentThreadAllocatedBytes();
            inner.checkAccesses(ctx);
            count(before);
            samples++;
        }

        @Override
        public boolean targetValid(MonitoringTarget target) {
            long before = threads.getCurrentThreadAllocatedBytes();
            boolean valid = inner.targetValid(target);
            count(before);
            return valid;
        }

        private void count(long before) {
            long d = threads.getCurrentThreadAllocatedBytes() - before;
            if (samples >= WARM_UP_SAMPLES) {
                bytes += d;
                if (d > 0 && lastAllocatingSample != samples) {
                    lastAllocatingSample = samples;
                    allocatingSamples++;
                }
            }
        }

    }

    @ParameterizedTest
    @ValueSource(strings = {"referenced", "uffd-write", "page-idle"})
    void perSampleHooksAllocateNothing(String sensor) throws Exception {
        Assumptions.assumeTrue(new Sensors().named(sensor).probe(0).available(), sensor + " unavailable here");
        java.nio.file.Path shim = sensor.equals(UffdWriteSensor.NAME)
                ? io.jdamon.vaddr.UffdShim.library(java.nio.file.Path.of("target/test-helper")) : null;
        try (AccessHelper helper = AccessHelper.start(16, 16, "rw", -1, shim)) {
            Counting p = new Counting();
            DamonEngine engine = new DamonEngine();
            // a 1 ms sample interval keeps referenced at one round per sample (no interval changes to log)
            MonitoringAttributes attrs = new MonitoringAttributes(1_000, 20_000, 60_000_000, 10, 1000);
            MonitoringContext ctx = engine.newContext(new ContextDefinition("alloc", VaddrPrimitive.NAME,
                    List.of("pid=" + helper.pid() + ",sensor=" + sensor), attrs), p);
            engine.start(List.of(ctx), StartMode.SHARED);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (p.samples < WARM_UP_SAMPLES + 1000 && System.nanoTime() < deadline) {
                ctx.awaitTermination(20, TimeUnit.MILLISECONDS);
            }
            engine.stop(List.of(ctx));
            assertThat(p.samples).as("samples taken").isGreaterThanOrEqualTo(WARM_UP_SAMPLES + 1000);
            long warm = p.samples - WARM_UP_SAMPLES;
            System.out.printf("%s: %d warm samples, %d allocated (%d bytes in all)%n", sensor, warm,
                    p.allocatingSamples, p.bytes);
            // one-off events may allocate (a logged interval change, a thread-local set up on first use);
            // anything done per sample would show in every sample
            assertThat(p.allocatingSamples).as("warm samples of %s that allocated, of %d (%d bytes in all)", sensor,
                    warm, p.bytes).isLessThanOrEqualTo(warm / 100);
        }
    }
}
