package io.jdamon.vaddr.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The grouping of the units a sample needs into range reads, as a pure function. */
class ReadPlanTest {

    /** Every key is served by exactly one read that covers it, and reads respect both limits. */
    private static void assertCovers(ReadPlan plan, long[] keys, int n, int maxSpan, long maxStep) {
        boolean[] served = new boolean[n];
        for (int r = 0; r < plan.reads(); r++) {
            assertThat(plan.length(r)).isBetween(1, maxSpan);
            assertThat(plan.to(r)).isGreaterThan(plan.from(r));
            long prev = -1;
            for (int p = plan.from(r); p < plan.to(r); p++) {
                int i = plan.member(p);
                assertThat(served[i]).as("key %d served twice", i).isFalse();
                served[i] = true;
                assertThat(keys[i]).isBetween(plan.start(r), plan.start(r) + plan.length(r) - 1);
                if (prev >= 0) {
                    assertThat(keys[i] - prev).isBetween(0L, maxStep);
                }
                prev = keys[i];
            }
            assertThat(keys[plan.member(plan.from(r))]).isEqualTo(plan.start(r));
            assertThat(prev).isEqualTo(plan.start(r) + plan.length(r) - 1);
        }
        for (int i = 0; i < n; i++) {
            assertThat(served[i]).as("key %d served", i).isTrue();
        }
    }

    @Test
    void nearbyKeysShareAReadWithinTheSpan() {
        ReadPlan plan = new ReadPlan(512, 512);
        long[] keys = {1000, 1100, 1511, 1512, 5000, 5000};
        plan.plan(keys, keys.length);
        assertCovers(plan, keys, keys.length, 512, 512);
        // 1000..1511 is 512 pages: one read; 1512 would make it 513
        assertThat(plan.reads()).isEqualTo(3);
        assertThat(plan.start(0)).isEqualTo(1000);
        assertThat(plan.length(0)).isEqualTo(512);
        assertThat(plan.start(1)).isEqualTo(1512);
        assertThat(plan.length(1)).isEqualTo(1);
        assertThat(plan.start(2)).isEqualTo(5000);
        assertThat(plan.to(2) - plan.from(2)).as("equal keys share").isEqualTo(2);
    }

    @Test
    void aStepOfOneReadsOnlyNeededUnits() {
        ReadPlan plan = new ReadPlan(64, 1);
        long[] keys = {7, 8, 8, 9, 11, 12, 200};
        plan.plan(keys, keys.length);
        assertCovers(plan, keys, keys.length, 64, 1);
        assertThat(plan.reads()).isEqualTo(3);
        assertThat(new long[] {plan.start(0), plan.length(0), plan.start(1), plan.length(1), plan.start(2),
            plan.length(2)}).containsExactly(7, 3, 11, 2, 200, 1);
    }

    @Test
    void unsortedKeysAreSortedWithoutChangingThem() {
        ReadPlan plan = new ReadPlan(64, 1);
        Random random = new Random(7);
        long[] keys = new long[1000];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = random.nextInt(400);
        }
        long[] copy = keys.clone();
        plan.plan(keys, keys.length);
        assertThat(keys).isEqualTo(copy);
        assertCovers(plan, keys, keys.length, 64, 1);
        // the fewest reads: one per run of consecutive distinct words, split every 64
        long[] distinct = Arrays.stream(keys).distinct().sorted().toArray();
        int expected = 0;
        long first = -1;
        for (int d = 0; d < distinct.length; d++) {
            if (d == 0 || distinct[d] - distinct[d - 1] > 1 || distinct[d] - first >= 64) {
                expected++;
                first = distinct[d];
            }
        }
        assertThat(plan.reads()).isEqualTo(expected);
    }

    @Test
    void spreadOutKeysTakeOneReadEach() {
        ReadPlan plan = new ReadPlan(512, 512);
        long[] keys = new long[20];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = (19 - i) * 600L;
        }
        plan.plan(keys, keys.length);
        assertCovers(plan, keys, keys.length, 512, 512);
        assertThat(plan.reads()).isEqualTo(20);
        for (int r = 0; r < 20; r++) {
            assertThat(plan.start(r)).isEqualTo(r * 600L);
            assertThat(plan.length(r)).isEqualTo(1);
        }
    }

    @Test
    void planningTwiceForgetsTheFirstPlanAndNothingIsPlannedForNoKeys() {
        ReadPlan plan = new ReadPlan(8, 8);
        long[] keys = {1, 20, 40, 60};
        plan.plan(keys, 4);
        assertThat(plan.reads()).isEqualTo(4);
        plan.plan(keys, 0);
        assertThat(plan.reads()).isZero();
        plan.plan(keys, 2);
        assertCovers(plan, keys, 2, 8, 8);
        assertThat(plan.reads()).isEqualTo(2);
    }

    @Test
    void limitsBelowOneAreRefused() {
        assertThatThrownBy(() -> new ReadPlan(0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxSpan");
        assertThatThrownBy(() -> new ReadPlan(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
