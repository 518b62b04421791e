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
    void everyCheckOfAnIntervalIsOneRoundOfItsSnapshot() {
        Measuring primitive = new Measuring();
        KdamondContext ctx = new DamonEngine().newContext(
                new ContextDefinition("measured", "pattern", List.of("all"), ATTRS), primitive);
        ctx.beginRun(primitive);
        for (int i = 0; i < 3 * ATTRS.aggregationIntervalUs() / ATTRS.sampleIntervalUs(); i++) {
            assertThat(ctx.beginSample() && ctx.endSample()).isTrue();
        }
        AggregationSnapshot s = ctx.lastAggregation().orElseThrow();
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

        primitive.stopReporting = true;
        for (int i = 0; i < 2 * ATTRS.aggregationIntervalUs() / ATTRS.sampleIntervalUs(); i++) {
            assertThat(ctx.beginSample() && ctx.endSample()).isTrue();
        }
        TargetSnapshot quiet = ctx.lastAggregation().orElseThrow().targets().get(0);
        assertThat(quiet.measuredRounds()).as("a measuring target's checks without ranges: nothing accessed")
                .isNotEmpty().allSatisfy(r -> assertThat(r.ranges()).isEmpty());
        assertThat(quiet.measuredWorkingSetBytes()).isZero();
        ctx.endRun();
    }

    @Test
    void aTargetThatMeasuresNothingHasNoRoundsAndTheLoopStillAllocatesNothing() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Measuring measuring = new Measuring();
        KdamondContext ctx = new DamonEngine().newContext(
                new ContextDefinition("alloc", "pattern", List.of("all"), ATTRS), measuring);
        ctx.beginRun(measuring);
        for (int i = 0; i < 2_000; i++) {
            ctx.beginSample();
            ctx.endSample();
        }
        int allocating = 0;
        for (int i = 0; i < 2_000; i++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            ctx.beginSample();
            ctx.endSample();
            if (threads.getCurrentThreadAllocatedBytes() > before) {
                allocating++;
            }
        }
        assertThat(allocating).as("warm samples with measured ranges that allocated").isLessThanOrEqualTo(20);
        ctx.endRun();

        PatternPrimitive plain = new PatternPrimitive(128 * MIB, 0, 8 * MIB);
        plain.logSamples = false;
        KdamondContext other = new DamonEngine().newContext(
                new ContextDefinition("plain", "pattern", List.of("all"), ATTRS), plain);
        other.beginRun(plain);
        for (int i = 0; i < 40; i++) {
            other.beginSample();
            other.endSample();
        }
        TargetSnapshot t = other.lastAggregation().orElseThrow().targets().get(0);
        assertThat(t.measuredRounds()).isEmpty();
        assertThat(t.measuredWorkingSetBytes()).isEqualTo(-1);
        other.endRun();
    }

    @Test
    void aTargetDeclaredMeasuredHasARoundForEveryCheckBeforeItReportsAnything() {
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
        KdamondContext ctx = new DamonEngine().newContext(
                new ContextDefinition("idle", "pattern", List.of("all"), ATTRS), declaring);
        ctx.beginRun(declaring);
        for (int i = 0; i < 2 * ATTRS.aggregationIntervalUs() / ATTRS.sampleIntervalUs(); i++) {
            assertThat(ctx.beginSample() && ctx.endSample()).isTrue();
        }
        AggregationSnapshot s = ctx.lastAggregation().orElseThrow();
        TargetSnapshot t = s.targets().get(0);
        assertThat(t.measuredRounds()).as("measured as idle, not unmeasured").hasSize(s.aggregationSamples())
                .allSatisfy(r -> assertThat(r.ranges()).isEmpty());
        assertThat(t.measuredWorkingSetBytes()).isZero();
        ctx.endRun();
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
