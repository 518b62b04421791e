package io.jdamon.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.Callback;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextView;
import io.jdamon.api.IntervalsGoal;
import io.jdamon.api.InvalidAttributesException;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.MonitoringTarget;
import io.jdamon.api.Primitive;
import io.jdamon.api.PrimitiveContext;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.StartMode;

/** The intervals auto-tuning of Linux 6.15, rule by rule, then on a running kdamond. */
class IntervalsTunerTest {

    private final DamonEngine engine = new DamonEngine();

    @AfterEach
    void disposeAll() throws InterruptedException {
        for (MonitoringContext c : engine.contexts()) {
            engine.dispose(c);
        }
    }

    @Test
    void theFeedbackLoopMovesTheInputTowardsTheGoalAsKunitExpects() {
        // damon_test_feed_loop_next_input
        long last = 900_000;
        assertThat(FeedbackLoop.nextInput(last, 200)).isGreaterThan(last);
        assertThat(FeedbackLoop.nextInput(last, 250_000_000)).isLessThan(last);
        assertThat(FeedbackLoop.nextInput(last, 200)).isGreaterThan(FeedbackLoop.nextInput(last, 2_000));
        // the exact rule: last * (1 + (goal - score) / goal), at least 10,000; the goal keeps the input
        assertThat(FeedbackLoop.nextInput(last, 10_000)).isEqualTo(last);
        assertThat(FeedbackLoop.nextInput(last, 0)).isEqualTo(2 * last);
        assertThat(FeedbackLoop.nextInput(last, 5_000)).isEqualTo(1_350_000);
        assertThat(FeedbackLoop.nextInput(last, 15_000)).isEqualTo(450_000);
        assertThat(FeedbackLoop.nextInput(last, 20_000)).isEqualTo(FeedbackLoop.MIN_INPUT);
        assertThat(FeedbackLoop.nextInput(last, Long.MAX_VALUE)).isEqualTo(FeedbackLoop.MIN_INPUT);
        assertThat(FeedbackLoop.nextInput(Long.MAX_VALUE, 0)).as("saturates").isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theAdaptationDoublesAtMostAndHalvesReductions() {
        assertThat(IntervalsTuner.adaptationBp(10_000)).isEqualTo(10_000);
        assertThat(IntervalsTuner.adaptationBp(0)).isEqualTo(20_000); // nothing seen: twice the interval
        assertThat(IntervalsTuner.adaptationBp(5_000)).isEqualTo(15_000);
        assertThat(IntervalsTuner.adaptationBp(15_000)).isEqualTo(7_500); // 5,000 rescaled into [5,000, 10,000]
        assertThat(IntervalsTuner.adaptationBp(1_000_000)).isEqualTo(5_000); // far too many: half
    }

    @Test
    void theScoreWeighsAccessesByRegionSize() {
        TargetRegions t = new TargetRegions(0, "t", 1, 16);
        t.setInitialPieces(1);
        t.initRegions(0, 100, 100, 300); // one region per range: 100 and 200 bytes
        assertThat(t.regionCount()).isEqualTo(2);
        // the first accessed in 2 of 20 samples, the second never
        t.markAccessed(0);
        t.countAccesses(20, 0);
        t.markAccessed(0);
        t.countAccesses(20, 0);
        long accessEvents = 100L * 2;
        long target = 300L * 20 * 400 / 10_000;
        assertThat(IntervalsTuner.scoreBp(new TargetRegions[] {t}, 20, 400)).isEqualTo(accessEvents * 10_000 / target);
    }

    @Test
    void tuningScalesTheSampleIntervalWithinTheGoalAndKeepsTheSamplesPerAggregation() {
        IntervalsGoal goal = new IntervalsGoal(400, 3, 2_000, 40_000);
        MonitoringAttributes a = new MonitoringAttributes(5_000, 100_000, 1_000_000, 10, 1000, goal);
        MonitoringAttributes longer = IntervalsTuner.tuned(a, 20_000);
        assertThat(longer.sampleIntervalUs()).isEqualTo(10_000);
        assertThat(longer.aggregationIntervalUs()).isEqualTo(200_000);
        assertThat(longer.intervalsGoal()).isEqualTo(goal);
        assertThat(IntervalsTuner.tuned(a, 5_000).sampleIntervalUs()).isEqualTo(2_500);
        assertThat(IntervalsTuner.tuned(a.withIntervalsUs(3_000, 60_000), 5_000).sampleIntervalUs())
                .as("not below the goal's minimum").isEqualTo(2_000);
        assertThat(IntervalsTuner.tuned(a.withIntervalsUs(30_000, 600_000), 20_000).sampleIntervalUs())
                .as("not above its maximum").isEqualTo(40_000);
        assertThat(IntervalsTuner.tuned(a, 10_000)).as("the goal met: no change").isNull();
        assertThat(IntervalsTuner.tuned(a.withIntervalsUs(40_000, 800_000), 20_000)).as("at the maximum").isNull();
    }

    @Test
    void itTunesEveryAggrsAggregationsAndNotWithoutAGoal() {
        TargetRegions t = new TargetRegions(0, "t", 1, 16);
        t.initRegions(0, 4096);
        IntervalsTuner tuner = new IntervalsTuner();
        MonitoringAttributes a = new MonitoringAttributes(5_000, 100_000, 1_000_000, 10, 1000,
                new IntervalsGoal(400, 3, 1_000, 1_000_000));
        TargetRegions[] targets = {t};
        assertThat(tuner.aggregationEnded(a, targets, 20)).isNull();
        assertThat(tuner.aggregationEnded(a, targets, 20)).isNull();
        MonitoringAttributes third = tuner.aggregationEnded(a, targets, 20);
        assertThat(third).as("nothing accessed: twice the interval").isNotNull();
        assertThat(third.sampleIntervalUs()).isEqualTo(10_000);
        MonitoringAttributes none = a.withIntervalsGoal(IntervalsGoal.NONE);
        for (int i = 0; i < 10; i++) {
            assertThat(tuner.aggregationEnded(none, targets, 20)).isNull();
        }
    }

    @Test
    void aGoalOutsideItsRangesIsRefusedWithTheFix() {
        assertThatThrownBy(() -> new IntervalsGoal(0, 3, 1_000, 2_000)).isInstanceOf(InvalidAttributesException.class)
                .hasMessageContaining("access_bp is 0; give 1 to 10000");
        assertThatThrownBy(() -> new IntervalsGoal(400, 3, 5_000, 1_000))
                .hasMessageContaining("give 1 <= min <= max");
        assertThatThrownBy(() -> new IntervalsGoal(400, -1, 5_000, 10_000)).hasMessageContaining("aggrs is -1");
        assertThat(new IntervalsGoal(0, 0, 0, 0).enabled()).isFalse();
    }

    /**
     * Each region is accessed within a sample with the probability a memory of
     * steady random touches gives: {@code 1 - exp(-interval / tau)}, from the
     * real time between preparing and checking. For a 4% goal the tuned sample
     * interval is where that probability is 4%: {@code -tau ln(0.96)}, 0.0408 tau.
     */
    static final class SteadyTouches implements Primitive {
        static final double TAU_US = 25_000;
        private final SplittableRandom random = new SplittableRandom(42);
        private long preparedNanos;

        @Override
        public void init(PrimitiveContext ctx) {
            ctx.target(0).initRegions(0, 64L << 20);
        }

        @Override
        public void prepareAccessChecks(PrimitiveContext ctx) {
            preparedNanos = System.nanoTime();
        }

        @Override
        public void checkAccesses(PrimitiveContext ctx) {
            double p = 1 - Math.exp(-(System.nanoTime() - preparedNanos) / 1_000.0 / TAU_US);
            MonitoringTarget t = ctx.target(0);
            for (int i = 0; i < t.regionCount(); i++) {
                if (random.nextDouble() < p) {
                    t.markAccessed(i);
                }
            }
        }
    }

    @Test
    @Timeout(120)
    void aRunningKdamondTunesItsSampleIntervalToTheGoal() throws Exception {
        List<AggregationSnapshot> seen = new CopyOnWriteArrayList<>();
        IntervalsGoal goal = new IntervalsGoal(400, 1, 100, 100_000);
        MonitoringContext c = engine.newContext(new ContextDefinition("tuned", "steady", List.of("t"),
                new MonitoringAttributes(10_000, 200_000, 60_000_000, 10, 100, goal)), new SteadyTouches());
        c.addCallback("seen", new Callback() {
            @Override
            public CallbackResult afterAggregation(ContextView ctx) {
                seen.add(RecordingCallback.copy(ctx));
                return CallbackResult.CONTINUE;
            }
        });
        engine.start(List.of(c), StartMode.SHARED);
        Await.until("40 aggregations", () -> seen.size() >= 40);
        engine.stop(List.of(c));

        // 4% of 25 ms is 1.02 ms; the start was ten times that
        double targetUs = -SteadyTouches.TAU_US * Math.log(0.96);
        List<AggregationSnapshot> last = seen.subList(seen.size() - 10, seen.size());
        for (AggregationSnapshot s : last) {
            assertThat((double) s.sampleIntervalUs()).as("a tuned sample interval").isBetween(targetUs / 2, targetUs * 2);
            assertThat(s.aggregationSamples()).as("20 samples per aggregation, as given").isBetween(19, 21);
        }
        double accessed = 0;
        double possible = 0;
        for (AggregationSnapshot s : last) {
            for (RegionSnapshot r : s.targets().get(0).regions()) {
                accessed += (double) r.size() * r.nrAccesses();
                possible += (double) r.size() * s.aggregationSamples();
            }
        }
        assertThat(accessed / possible).as("the share of access events seen").isBetween(0.02, 0.08);
        assertThat(seen.get(0).sampleIntervalUs()).isEqualTo(10_000);
        // the attributes in force are the tuned ones (maybe tuned once more after the last snapshot)
        assertThat((double) c.attributes().sampleIntervalUs()).isBetween(targetUs / 2, targetUs * 2);
        assertThat(c.attributes().aggregationIntervalUs()).isEqualTo(c.attributes().sampleIntervalUs() * 20);
    }
}
