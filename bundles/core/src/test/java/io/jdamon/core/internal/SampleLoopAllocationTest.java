package io.jdamon.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.MonitoringAttributes;

/**
 * The engine's own per-sample path (sampling addresses, the stamped hooks,
 * counting, and every 20th sample merge, the region limits, publish, reset
 * and split) allocates nothing once warm, at 10,000 regions held by min = max
 * over 1 GiB: the engine benchmark's setting. Driven without sleeping, as the
 * benchmark does.
 */
class SampleLoopAllocationTest {

    @Test
    void warmSamplesAllocateNothingAtTenThousandRegions() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        MonitoringAttributes attrs = MonitoringAttributes.DEFAULTS.withNrRegions(10_000, 10_000);
        PatternPrimitive primitive = new PatternPrimitive(1L << 30, 0, 1L << 28) {
            @Override
            public void resetAggregated(io.jdamon.api.PrimitiveContext c) {
                // the pattern primitive logs this hook into a list; this test measures the engine only
            }
        };
        primitive.logSamples = false;
        KdamondContext ctx = new DamonEngine().newContext(
                new ContextDefinition("loop", "pattern", List.of("all"), attrs), primitive);
        ctx.beginRun(primitive);
        for (int i = 0; i < 2_000; i++) {
            assertThat(ctx.beginSample() && ctx.endSample()).isTrue();
        }
        int allocating = 0;
        long bytes = 0;
        int samples = 2_000;
        for (int i = 0; i < samples; i++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            ctx.beginSample();
            ctx.endSample();
            long d = threads.getCurrentThreadAllocatedBytes() - before;
            if (d > 0) {
                allocating++;
                bytes += d;
            }
        }
        assertThat(ctx.lastAggregation().orElseThrow().regionCount()).isEqualTo(10_000);
        // a one-off (a class initialised, a buffer grown) may allocate; anything per sample or per aggregation
        // would show in every sample or in every 20th
        assertThat(allocating).as("warm samples that allocated, of %d (%d bytes)", samples, bytes)
                .isLessThanOrEqualTo(samples / 100);
        ctx.endRun();
    }
}
