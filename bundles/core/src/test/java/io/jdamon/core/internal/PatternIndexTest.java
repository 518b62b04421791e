package io.jdamon.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The pattern index admits exactly the schemes whose six inclusive bounds
 * admit a region, as the direct comparisons do: for random patterns (open
 * bounds, equal bounds, empty ones) and values on and around every bound, with
 * up to 130 schemes (three mask words), as few as are compared directly and
 * as many as are looked up.
 */
class PatternIndexTest {

    private static final int STRIDE = 6;

    @Test
    void admitsExactlyTheSchemesWhoseBoundsAdmitTheRegion() {
        Random random = new Random(9);
        PatternIndex index = new PatternIndex();
        for (int n : new int[] {0, 1, 2, 16, 63, 64, 65, 130}) {
            for (int round = 0; round < 20; round++) {
                long[] bounds = new long[n * STRIDE];
                for (int k = 0; k < n; k++) {
                    for (int axis = 0; axis < 3; axis++) {
                        long min = random.nextInt(4) == 0 ? (random.nextBoolean() ? 0 : Long.MIN_VALUE) : random.nextInt(50);
                        long max = random.nextInt(4) == 0 ? Long.MAX_VALUE : random.nextInt(50);
                        bounds[k * STRIDE + 2 * axis] = min;
                        bounds[k * STRIDE + 2 * axis + 1] = max; // max < min: the scheme admits nothing
                    }
                }
                index.build(bounds, STRIDE, n);
                assertThat(index.words()).isEqualTo((n + 63) / 64);
                for (int probe = 0; probe < 200; probe++) {
                    long size = random.nextInt(4) == 0 ? Long.MAX_VALUE - random.nextInt(2) : random.nextInt(52);
                    int nr = random.nextInt(52);
                    int age = random.nextInt(4) == 0 ? Integer.MAX_VALUE : random.nextInt(52);
                    for (int k = 0; k < n; k++) {
                        int at = k * STRIDE;
                        boolean direct = bounds[at] <= size && size <= bounds[at + 1] && bounds[at + 2] <= nr
                                && nr <= bounds[at + 3] && bounds[at + 4] <= age && age <= bounds[at + 5];
                        boolean indexed = (index.admitted(k / 64, size, nr, age) >>> (k % 64) & 1) != 0;
                        assertThat(indexed).as("%d schemes, scheme %d, size %d nr %d age %d", n, k, size, nr, age)
                                .isEqualTo(direct);
                    }
                }
            }
        }
    }
}
