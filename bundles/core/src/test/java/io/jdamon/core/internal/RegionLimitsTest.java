package io.jdamon.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.jdamon.api.MonitoringAttributes;

/**
 * The region count stays within [minNrRegions, maxNrRegions] after init,
 * update and every merge, whatever the sizes: the case of issue 12 (min = max
 * = 10,000 over 1 GiB gave 10,082 regions that no merge could reduce).
 */
class RegionLimitsTest {

    static final long P = 4096;
    static final long GIB = 1L << 30;

    static TargetRegions target(int index, int initialPieces) {
        TargetRegions t = new TargetRegions(index, "t" + index, P, 16);
        t.setInitialPieces(initialPieces);
        return t;
    }

    static MonitoringAttributes limits(int min, int max) {
        return MonitoringAttributes.DEFAULTS.withNrRegions(min, max);
    }

    static void assertSortedAndCovering(TargetRegions t, long bytes) {
        long sum = 0;
        for (int i = 0; i < t.regionCount(); i++) {
            assertThat(t.regionEnd(i)).isGreaterThan(t.regionStart(i));
            assertThat(t.regionStart(i) % P).isZero();
            if (i > 0) {
                assertThat(t.regionStart(i)).isGreaterThanOrEqualTo(t.regionEnd(i - 1));
            }
            sum += t.regionEnd(i) - t.regionStart(i);
        }
        assertThat(sum).isEqualTo(bytes);
    }

    @Test
    void initCutsExactlyTheMinimumWhenPiecesDoNotDivideTheSize() {
        TargetRegions t = target(0, 10_000);
        t.initRegions(0, GIB); // 262,144 pages: 26.2 pages a piece
        assertThat(t.regionCount()).isEqualTo(10_000);
        assertSortedAndCovering(t, GIB);
        for (int i = 0; i < t.regionCount(); i++) {
            assertThat((t.regionEnd(i) - t.regionStart(i)) / P).isBetween(26L, 27L);
        }
    }

    @Test
    void initSharesThePiecesAmongRangesInProportion() {
        TargetRegions t = target(0, 1_000);
        t.initRegions(0, 3 * P, 1_000 * P, 1_000 * P + 700 * 1_024 * P, 10 * GIB, 10 * GIB + 77 * P);
        assertThat(t.regionCount()).isEqualTo(1_000);
        assertSortedAndCovering(t, 3 * P + 700 * 1_024 * P + 77 * P);
        TargetRegions many = target(0, 3);
        many.initRegions(0, P, 2 * P, 3 * P, 4 * P, 5 * P, 6 * P, 7 * P);
        assertThat(many.regionCount()).as("one per range at least").isEqualTo(4);
    }

    @Test
    void mergeBringsTheCountDownToTheMaximumWhenNoTwoPiecesFitTheSizeLimit() {
        // the old initRegions' cut: 10,082 pieces of 26 pages and a larger last one
        TargetRegions t = target(0, 10_000);
        long[] ranges = new long[2 * 10_082];
        for (int i = 0; i < 10_082; i++) {
            ranges[2 * i] = i * 26 * P;
            ranges[2 * i + 1] = i == 10_081 ? GIB : (i + 1) * 26 * P;
        }
        t.updateRegions(ranges); // adjacent pieces, as one range would give
        assertThat(t.regionCount()).isEqualTo(10_082);
        MonitoringAttributes attrs = limits(10_000, 10_000);
        TargetRegions[] targets = {t};
        RegionLimits.merge(targets, 0, attrs.samplesPerAggregation(), attrs, P);
        assertThat(t.regionCount()).isEqualTo(10_000);
        assertSortedAndCovering(t, GIB);
    }

    @Test
    void twoTargetsWithMinEqualToMaxKeepExactlyTheLimitThroughInitMergeAndSplit() {
        MonitoringAttributes attrs = limits(1_000, 1_000);
        TargetRegions a = target(0, 500);
        TargetRegions b = target(1, 500);
        a.initRegions(0, GIB);
        b.initRegions(0, 333 * P); // much smaller: its pieces are tiny next to a's
        TargetRegions[] targets = {a, b};
        RegionLimits.enforce(targets, attrs, P);
        assertThat(RegionLimits.regionCount(targets)).isEqualTo(1_000);
        SplittableRandom random = new SplittableRandom(1);
        for (int round = 0; round < 20; round++) {
            for (TargetRegions t : targets) {
                for (int i = 0; i < t.regionCount(); i++) {
                    for (int k = random.nextInt(20); k > 0; k--) {
                        t.markAccessed(i);
                        t.countAccesses(20, 0);
                    }
                }
            }
            RegionLimits.merge(targets, 2, 20, attrs, P);
            int regions = RegionLimits.regionCount(targets);
            assertThat(regions).as("round %d after merge", round).isBetween(1_000, 1_000);
            for (TargetRegions t : targets) {
                t.resetAggregated();
            }
        }
        assertSortedAndCovering(a, GIB);
        assertSortedAndCovering(b, 333 * P);
    }

    @Test
    void anUpdateThatAddsOrDropsManyRangesIsBroughtBackWithinTheLimits() {
        MonitoringAttributes attrs = limits(10, 50);
        TargetRegions t = target(0, 10);
        t.initRegions(0, 1_000 * P);
        TargetRegions[] targets = {t};
        RegionLimits.enforce(targets, attrs, P);
        assertThat(t.regionCount()).isEqualTo(10);

        long[] adjacent = new long[2 * 200]; // 200 new adjacent ranges of 5 pages
        for (int i = 0; i < 200; i++) {
            adjacent[2 * i] = i * 5 * P;
            adjacent[2 * i + 1] = (i + 1) * 5 * P;
        }
        t.updateRegions(adjacent);
        RegionLimits.enforce(targets, attrs, P);
        assertThat(t.regionCount()).isEqualTo(50);
        assertSortedAndCovering(t, 1_000 * P);

        t.updateRegions(0, 1_000 * P); // the ranges merged into one: fewer regions than the minimum
        t.updateRegions(0, 4 * P, 500 * P, 900 * P);
        RegionLimits.enforce(targets, attrs, P);
        assertThat(t.regionCount()).isBetween(10, 50);
        assertSortedAndCovering(t, 4 * P + 400 * P);
    }

    @Test
    void tooFewRegionsAreCutUpToTheMinimum() {
        MonitoringAttributes attrs = limits(10, 50);
        TargetRegions t = target(0, 1);
        t.initRegions(0, 1_000 * P);
        assertThat(t.regionCount()).isEqualTo(1);
        TargetRegions[] targets = {t};
        RegionLimits.enforce(targets, attrs, P);
        assertThat(t.regionCount()).isEqualTo(10);
        assertSortedAndCovering(t, 1_000 * P);
    }

    @Test
    void weightedMeansOfHugeRegionsDoNotOverflow() {
        long tib = 1L << 40;
        assertThat(TargetRegions.weightedMean(1_000_000, 64 * tib, 3_000_000, 64 * tib)).isEqualTo(2_000_000);
        assertThat(TargetRegions.weightedMean(10, 3 * P, 20, P)).isEqualTo((10 * 3 + 20) / 4);
        assertThat(TargetRegions.weightedMean(20, 3 * P, 10, P)).isEqualTo((20 * 3 + 10) / 4);
    }
}
