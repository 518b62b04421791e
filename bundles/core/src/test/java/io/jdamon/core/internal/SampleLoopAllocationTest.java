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
 * benchmark does, on a clock that never sleeps.
 */
class SampleLoopAllocationTest {

    @Test
    void warmSamplesAllocateNothingAtTenThousandRegions() throws Exception {
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
        DamonEngine engine = new DamonEngine();
        KdamondContext ctx = engine.newContext(new ContextDefinition("loop", "pattern", List.of("all"), attrs),
                primitive);
        int warmup = 2_000;
        int samples = 2_000;
        long[] allocation = new long[3]; // bytes at the last sample, samples that allocated, bytes they allocated
        // from one sample's park to the next: the whole loop once round, the stepping clock's own call aside
        SteppingClock.run(engine, ctx, warmup + samples + 1, n -> {
            long now = threads.getCurrentThreadAllocatedBytes();
            if (n > warmup + 1 && now > allocation[0]) {
                allocation[1]++;
                allocation[2] += now - allocation[0];
            }
            allocation[0] = threads.getCurrentThreadAllocatedBytes();
        });
        long allocating = allocation[1];
        long bytes = allocation[2];
        assertThat(ctx.lastAggregation().orElseThrow().regionCount()).isEqualTo(10_000);
        // a one-off (a class initialised, a buffer grown) may allocate; anything per sample or per aggregation
        // would show in every sample or in every 20th
        assertThat(allocating).as("warm samples that allocated, of %d (%d bytes)", samples, bytes)
                .isLessThanOrEqualTo(samples / 100);
    }
}
