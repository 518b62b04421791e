package io.jdamon.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.MeasuredRange;
import io.jdamon.api.MeasuredRound;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.PrimitiveContext;
import io.jdamon.api.StartMode;
import io.jdamon.api.StopReason;
import io.jdamon.api.TargetSnapshot;

/**
 * Ranges a primitive measures as wholes ({@code reportMeasuredAccess}) reach
 * the snapshot of their aggregation interval as one round per access check,
 * with the check's times; bad ranges stop only that context, with the reason.
 */
class MeasuredAccessTest {

    private static final long MIB = 1 << 20;
    private static final MonitoringAttributes ATTRS = MonitoringAttributes.DEFAULTS;

    /**
     * Two mappings of 64 MiB: the first is measured with 8 MiB accessed in even samples and 4 MiB in odd
     * ones, the second with nothing; samples find the first 32 MiB accessed, so that the regions' working
     * set (about 32 MiB, give or take where region edges fall) is clearly not the measured one.
     */
    private static final class Measuring extends PatternPrimitive {
        int checks;
        volatile boolean stopReporting;
        volatile long badBytes = -1;

        Measuring() {
            super(128 * MIB, 0, 32 * MIB);
            logSamples = false;
        }

        @Override
        public void checkAccesses(PrimitiveContext ctx) {
            super.checkAccesses(ctx);
            checks++;
            if (badBytes >= 0) {
                ctx.target(0).reportMeasuredAccess(0, 64 * MIB, badBytes);
            } else if (!stopReporting) {
                ctx.target(0).reportMeasuredAccess(0, 64 * MIB, (checks % 2 == 0 ? 8 : 4) * MIB);
            }
        }

        @Override
        public void resetAggregated(PrimitiveContext c) {
            // no event log: the loop is driven thousands of times
        }
    }

    @Test
    void everyCheckOfAnIntervalIsOneRoundOfItsSnapshot() throws Exception {
        Measuring primitive = new Measuring();
        DamonEngine engine = new DamonEngine();
        KdamondContext ctx = engine.newContext(
                new ContextDefinition("measured", "pattern", List.of("all"), ATTRS), primitive);
        long window = ATTRS.aggregationIntervalUs() / ATTRS.sampleIntervalUs();
        AggregationSnapshot[] reporting = new AggregationSnapshot[1];
        SteppingClock.run(engine, ctx, 5 * window, n -> {
            if (n == 3 * window + 1) { // three aggregations done: then the primitive stops reporting
                reporting[0] = ctx.lastAggregation().orElseThrow();
                primitive.stopReporting = true;
            }
        });
        AggregationSnapshot s = reporting[0];
        TargetSnapshot t = s.targets().get(0);
        assertThat(t.measuredRounds()).hasSize(s.aggregationSamples());
        for (MeasuredRound r : t.measuredRounds()) {
            assertThat(r.ranges()).hasSize(1);
            assertThat(r.ranges().get(0).size()).isEqualTo(64 * MIB);
            assertThat(r.startNanos()).isLessThanOrEqualTo(r.endNanos());
            assertThat(r.startNanos()).isGreaterThanOrEqualTo(s.startNanos());
            assertThat(r.endNanos()).isLessThanOrEqualTo(s.endNanos());
        }
        assertThat(t.measuredRounds()).extracting(MeasuredRound::accessedBytes).containsOnly(4 * MIB, 8 * MIB);
        // the most of any round per range: not the sizes of the regions that some sample found accessed
        assertThat(t.measuredWorkingSetBytes()).isEqualTo(8 * MIB);
        assertThat(t.workingSetBytes()).isGreaterThan(8 * MIB);

        AggregationSnapshot last = ctx.lastAggregation().orElseThrow();
        assertThat(last.aggregationIndex()).isEqualTo(4);
        TargetSnapshot quiet = last.targets().get(0);
        assertThat(quiet.measuredRounds()).as("a measuring target's checks without ranges: nothing accessed")
                .isNotEmpty().allSatisfy(r -> assertThat(r.ranges()).isEmpty());
        assertThat(quiet.measuredWorkingSetBytes()).isZero();
    }

    @Test
    void aTargetThatMeasuresNothingHasNoRoundsAndTheLoopStillAllocatesNothing() throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Measuring measuring = new Measuring();
        DamonEngine engine = new DamonEngine();
        KdamondContext ctx = engine.newContext(
                new ContextDefinition("alloc", "pattern", List.of("all"), ATTRS), measuring);
        long[] allocation = new long[2]; // bytes at the last sample, samples that allocated since
        SteppingClock.run(engine, ctx, 4_001, n -> {
            long now = threads.getCurrentThreadAllocatedBytes();
            if (n > 2_001 && now > allocation[0]) {
                allocation[1]++;
            }
            allocation[0] = threads.getCurrentThreadAllocatedBytes();
        });
        assertThat(allocation[1]).as("warm samples with measured ranges that allocated").isLessThanOrEqualTo(20);

        PatternPrimitive plain = new PatternPrimitive(128 * MIB, 0, 8 * MIB);
        plain.logSamples = false;
        KdamondContext other = engine.newContext(
                new ContextDefinition("plain", "pattern", List.of("all"), ATTRS), plain);
        SteppingClock.run(engine, other, 40);
        TargetSnapshot t = other.lastAggregation().orElseThrow().targets().get(0);
        assertThat(t.measuredRounds()).isEmpty();
        assertThat(t.measuredWorkingSetBytes()).isEqualTo(-1);
    }

    @Test
    void aTargetDeclaredMeasuredHasARoundForEveryCheckBeforeItReportsAnything() throws Exception {
        PatternPrimitive declaring = new PatternPrimitive(128 * MIB, 0, 32 * MIB) {
            @Override
            public void init(PrimitiveContext c) {
                super.init(c);
                c.target(0).measureWholeRanges();
            }

            @Override
            public void resetAggregated(PrimitiveContext c) {
                // no event log
            }
        };
        declaring.logSamples = false;
        DamonEngine engine = new DamonEngine();
        KdamondContext ctx = engine.newContext(
                new ContextDefinition("idle", "pattern", List.of("all"), ATTRS), declaring);
        SteppingClock.run(engine, ctx, 2 * ATTRS.aggregationIntervalUs() / ATTRS.sampleIntervalUs());
        AggregationSnapshot s = ctx.lastAggregation().orElseThrow();
        TargetSnapshot t = s.targets().get(0);
        assertThat(t.measuredRounds()).as("measured as idle, not unmeasured").hasSize(s.aggregationSamples())
                .allSatisfy(r -> assertThat(r.ranges()).isEmpty());
        assertThat(t.measuredWorkingSetBytes()).isZero();
    }

    @Test
    void aRangeWithMoreBytesAccessedThanItHoldsStopsOnlyItsContextAndSaysWhy() throws Exception {
        DamonEngine engine = new DamonEngine();
        Measuring bad = new Measuring();
        bad.badBytes = 65 * MIB;
        PatternPrimitive good = new PatternPrimitive(128 * MIB, 0, 8 * MIB);
        KdamondContext badCtx = engine.newContext(new ContextDefinition("bad", "pattern", List.of("all"), ATTRS), bad);
        KdamondContext goodCtx = engine.newContext(new ContextDefinition("good", "pattern", List.of("all"), ATTRS),
                good);
        engine.start(List.of(badCtx, goodCtx), StartMode.SHARED);
        try {
            assertThat(badCtx.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            assertThat(badCtx.status().stopReason()).contains(StopReason.PLUGIN_FAILED);
            assertThat(badCtx.status().detail()).contains("checkAccesses", "measured range [0x0, 0x4000000)",
                    "68157440 bytes accessed", "between 0 and the range's size");
            assertThat(goodCtx.status().state()).isEqualTo(io.jdamon.api.ContextState.RUNNING);
        } finally {
            engine.stop(List.of(goodCtx));
        }
        assertThat(new MeasuredRange(0, 4096, 4096).accessedShare()).isEqualTo(1.0);
    }
}
