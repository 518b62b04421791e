package io.jdamon.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.MonitoringTarget;
import io.jdamon.api.Primitive;
import io.jdamon.api.PrimitiveContext;
import io.jdamon.api.StartMode;
import io.jdamon.core.internal.DamonEngine;

/**
 * The per-sample hooks allocate nothing once warm, measured on the kdamond thread with the JVM's allocation
 * counter: at most a one-off in one sample of a hundred.
 */
class HotPathAllocationTest {

    /** Passes every hook to the sim primitive and counts the bytes its per-sample hooks allocate. */
    private static final class Measured implements Primitive {
        private final SimPrimitive sim = new SimPrimitive();
        private final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        volatile long samples;
        volatile long allocatedBytes;
        volatile long allocatingSamples;

        @Override
        public void checkTarget(String spec) {
            sim.checkTarget(spec);
        }

        @Override
        public Map<String, String> describe(PrimitiveContext ctx) {
            return sim.describe(ctx);
        }

        @Override
        public void init(PrimitiveContext ctx) {
            sim.init(ctx);
        }

        @Override
        public void prepareAccessChecks(PrimitiveContext ctx) {
            long before = threads.getCurrentThreadAllocatedBytes();
            sim.prepareAccessChecks(ctx);
            count(threads.getCurrentThreadAllocatedBytes() - before);
        }

        @Override
        public void checkAccesses(PrimitiveContext ctx) {
            long before = threads.getCurrentThreadAllocatedBytes();
            sim.checkAccesses(ctx);
            count(threads.getCurrentThreadAllocatedBytes() - before);
            samples++;
        }

        private void count(long bytes) {
            if (samples >= 50) { // after the first samples: class loading and interpreter warm-up
                allocatedBytes += bytes;
                if (bytes > 0) {
                    allocatingSamples++;
                }
            }
        }

        @Override
        public void resetAggregated(PrimitiveContext ctx) {
            sim.resetAggregated(ctx);
        }

        @Override
        public boolean targetValid(MonitoringTarget target) {
            return sim.targetValid(target);
        }

        @Override
        public void cleanup(PrimitiveContext ctx) {
            sim.cleanup(ctx);
        }
    }

    @Test
    void prepareAndCheckAllocateNothingForRealAndVirtualTargets() throws Exception {
        Measured measured = new Measured();
        DamonEngine engine = new DamonEngine();
        MonitoringContext ctx = engine.newContext(new ContextDefinition("alloc", "sim",
                List.of("stairs,size=20M", "virtual:zigzag,size=1TiB"),
                io.jdamon.api.MonitoringAttributes.DEFAULTS.withSampleIntervalUs(1_000)), measured);
        engine.start(List.of(ctx), StartMode.SHARED);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (measured.samples < 1_000 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        engine.stop(List.of(ctx));
        assertThat(measured.samples).isGreaterThanOrEqualTo(1_000);
        // a one-off (a path first taken at a phase change, recompiled) may allocate, as SampleLoopAllocationTest
        // allows; anything per sample would show in most samples
        assertThat(measured.allocatingSamples).as("samples that allocated (%d bytes in all)", measured.allocatedBytes)
                .isLessThanOrEqualTo(measured.samples / 100);
        assertThat(measured.allocatedBytes).as("bytes allocated after warm-up").isLessThan(4096);
    }
}
