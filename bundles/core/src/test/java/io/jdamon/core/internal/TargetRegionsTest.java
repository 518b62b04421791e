package io.jdamon.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Region bookkeeping against DAMON's exact rules, one operation at a time. */
class TargetRegionsTest {

    static final long P = 4096;

    static TargetRegions regions(int minNrRegions, long... ranges) {
        TargetRegions t = new TargetRegions(0, "t", P, 4);
        t.setInitialPieces(minNrRegions);
        t.initRegions(ranges);
        return t;
    }

    /** Counts {@code times} accessed samples for region i, as the kdamond would. */
    static void access(TargetRegions t, int window, int region, int times) {
        for (int k = 0; k < times; k++) {
            t.markAccessed(region);
            t.countAccesses(window, 0);
        }
    }

    /** The regions in pages, e.g. {@code "0-10 10-20"}. */
    static String bounds(TargetRegions t) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < t.regionCount(); i++) {
            out.append(i == 0 ? "" : " ").append(t.regionStart(i) / P).append('-').append(t.regionEnd(i) / P);
        }
        return out.toString();
    }

    @Test
    void initSplitsEvenlyIntoTotalOverMinPieces() {
        TargetRegions t = regions(10, 0, 100 * P);
        assertThat(t.regionCount()).isEqualTo(10);
        for (int i = 0; i < 10; i++) {
            assertThat(t.regionEnd(i) - t.regionStart(i)).isEqualTo(10 * P);
        }
        TargetRegions three = regions(10, 0, 40 * P, 100 * P, 140 * P, 200 * P, 225 * P);
        assertThat(bounds(three)).isEqualTo("0-10 10-20 20-30 30-40 100-110 110-120 120-130 130-140 200-212 212-225");
        // the last range gets 25 / 10 = 2 pieces of align_down(25 / 2) pages, the last one taking the rest
    }

    @Test
    void initRejectsUnsortedOrEmptyRanges() {
        TargetRegions t = new TargetRegions(0, "t", P, 4);
        t.setInitialPieces(10);
        assertThatThrownBy(() -> t.initRegions(10 * P, 20 * P, 0, 5 * P)).hasMessageContaining("sorted");
        assertThatThrownBy(() -> t.initRegions(10 * P, 10 * P)).hasMessageContaining("empty");
        assertThatThrownBy(() -> t.initRegions(10 * P)).hasMessageContaining("pairs");
    }

    @Test
    void updateDropsTrimsExtendsAndKeepsCounters() {
        TargetRegions t = regions(10, 0, 100 * P);
        access(t, 20, 3, 7); // region [30, 40) has seen 7 accesses
        t.updateRegions(25 * P, 60 * P, 80 * P, 150 * P);
        assertThat(bounds(t)).isEqualTo("25-30 30-40 40-50 50-60 80-90 90-150");
        assertThat(t.nrAccesses(1)).isEqualTo(7);
        assertThat(t.nrAccesses(0)).isZero();
    }

    @Test
    void updateFillsHolesAndAddsRangesNoRegionCovers() {
        TargetRegions t = regions(3, 0, 10 * P, 20 * P, 30 * P, 40 * P, 50 * P);
        assertThat(t.regionCount()).isEqualTo(3);
        t.updateRegions(0, 30 * P, 60 * P, 70 * P);
        assertThat(bounds(t)).isEqualTo("0-10 10-20 20-30 60-70");
    }

    @Test
    void mergeJoinsNeighboursWithinTheThresholdUsingSizeWeightedAverages() {
        TargetRegions t = regions(3, 0, 1 * P, 1 * P, 4 * P, 4 * P, 5 * P, 5 * P, 6 * P);
        assertThat(t.regionCount()).isEqualTo(4);
        access(t, 20, 0, 2);
        access(t, 20, 1, 3);
        access(t, 20, 2, 10);
        t.mergePass(1, Long.MAX_VALUE);
        // [0,1) nr 2 and [1,4) nr 3 differ by 1 <= 1: merged, nr = (2*1 + 3*3) / 4 = 2
        assertThat(bounds(t)).isEqualTo("0-4 4-5 5-6");
        assertThat(t.nrAccesses(0)).isEqualTo(2);
        assertThat(t.nrAccessesBp(0)).isEqualTo(20_000);
        assertThat(t.nrAccesses(1)).isEqualTo(10);
        assertThat(t.nrAccesses(2)).isZero();
    }

    @Test
    void mergeRespectsTheSizeLimitAndAdjacency() {
        TargetRegions t = regions(3, 0, 2 * P, 2 * P, 4 * P, 10 * P, 12 * P);
        t.mergePass(0, 3 * P);
        assertThat(t.regionCount()).isEqualTo(3); // [0,2)+[2,4) would be 4 pages > 3; [10,12) is not adjacent
        t.mergePass(0, 4 * P);
        assertThat(bounds(t)).isEqualTo("0-4 10-12");
    }

    @Test
    void ageGrowsWhileTheFrequencyHoldsAndResetsWhenItJumps() {
        TargetRegions t = regions(3, 0, 3 * P);
        for (int aggregation = 1; aggregation <= 3; aggregation++) {
            access(t, 20, 0, 5);
            t.mergePass(0, P); // size limit of one page: ages change, nothing merges
            t.resetAggregated();
        }
        assertThat(t.age(0)).isEqualTo(2); // first aggregation jumped from 0 to 5
        assertThat(t.age(1)).isEqualTo(3);
        access(t, 20, 0, 15);
        t.mergePass(1, P);
        assertThat(t.age(0)).isZero();
        assertThat(t.age(1)).isEqualTo(4);
    }

    @Test
    void mergedAgeIsTheSizeWeightedAverage() {
        TargetRegions t = regions(2, 0, 1 * P, 1 * P, 4 * P);
        access(t, 20, 0, 3);
        t.mergePass(0, P); // region 0 jumped 0 -> 3: age 0; region 1 age 1
        t.resetAggregated(); // last: 3 and 0
        for (int k = 0; k < 3; k++) {
            t.mergePass(0, P); // region 0 differs from its last by 3 > 0: age stays 0; region 1 reaches 4
        }
        t.mergePass(3, Long.MAX_VALUE); // ages 1 and 5, then the two merge
        assertThat(t.regionCount()).isEqualTo(1);
        assertThat(t.age(0)).isEqualTo((1 * 1 + 5 * 3) / 4);
    }

    @Test
    void splitKeepsRegionsSortedAlignedAndCountersInherited() {
        SplittableRandom random = new SplittableRandom(42);
        TargetRegions t = regions(4, 0, 400 * P);
        access(t, 20, 2, 9);
        long total = t.totalBytes();
        t.split(2, random);
        assertThat(t.regionCount()).isEqualTo(8);
        t.split(3, random);
        // a left piece of two pages or less is not cut again, so some regions end in two
        assertThat(t.regionCount()).isBetween(17, 24);
        assertThat(t.totalBytes()).isEqualTo(total);
        for (int i = 0; i < t.regionCount(); i++) {
            assertThat(t.regionStart(i) % P).isZero();
            assertThat(t.regionEnd(i) % P).isZero();
            assertThat(t.regionEnd(i)).isGreaterThan(t.regionStart(i));
            if (i > 0) {
                assertThat(t.regionStart(i)).isEqualTo(t.regionEnd(i - 1));
            }
            boolean fromRegionTwo = t.regionStart(i) >= 200 * P && t.regionEnd(i) <= 300 * P;
            assertThat(t.nrAccesses(i)).isEqualTo(fromRegionTwo ? 9 : 0);
        }
    }

    @Test
    void regionsOfTwoPagesOrLessAreNotSplit() {
        TargetRegions t = regions(3, 0, 2 * P, 2 * P, 4 * P, 4 * P, 7 * P);
        t.split(3, new SplittableRandom(1));
        assertThat(bounds(t)).startsWith("0-2 2-4 ");
        assertThat(t.regionCount()).isBetween(4, 5); // only the three-page region can split
    }

    @Test
    void accessRateInBasisPointsIsAMovingSumOverOneWindow() {
        int window = 20;
        TargetRegions t = regions(3, 0, 3 * P);
        access(t, window, 0, 20);
        assertThat(t.nrAccesses(0)).isEqualTo(20);
        assertThat(t.nrAccessesBp(0)).isEqualTo(200_000);
        t.resetAggregated();
        for (int k = 0; k < 10; k++) {
            t.countAccesses(window, 0); // not accessed: each sample drops last * 10000 / window
        }
        assertThat(t.nrAccessesBp(0)).isEqualTo(100_000);
        access(t, window, 0, 10);
        assertThat(t.nrAccessesBp(0)).isEqualTo(100_000); // -10 * 10000 + 10 * 10000
        assertThat(t.nrAccesses(0)).isEqualTo(10);
        assertThat(t.lastNrAccesses(0)).isEqualTo(20);
    }

    @Test
    void countAccessesReportsTheHighestCount() {
        TargetRegions t = regions(3, 0, 3 * P);
        t.markAccessed(1);
        t.markAccessed(1); // marking twice counts once
        assertThat(t.countAccesses(20, 0)).isEqualTo(1);
        t.markAccessed(1);
        assertThat(t.countAccesses(20, 1)).isEqualTo(2);
        assertThat(t.countAccesses(20, 5)).isEqualTo(5);
    }

    @Test
    void rescaleKeepsRatesAndTimeSpans() {
        TargetRegions t = regions(3, 0, 3 * P);
        access(t, 20, 0, 10);
        t.resetAggregated(); // last = 10 of 20 samples
        for (int k = 0; k < 5; k++) {
            t.mergePass(10, P); // |0 - 10| <= 10: ages reach 5
        }
        t.rescale(20, 40, 100_000, 200_000);
        assertThat(t.lastNrAccesses(0)).isEqualTo(20);
        assertThat(t.nrAccessesBp(0)).isEqualTo(200_000);
        assertThat(t.age(0)).isEqualTo(2); // 5 aggregations of 100 ms = 2.5 of 200 ms
    }

    @Test
    void samplingAddressesLieInTheirRegions() {
        TargetRegions t = regions(10, 0, 100 * P, 300 * P, 310 * P);
        long seed = 7;
        long[] firstRegionHits = new long[10];
        for (int round = 0; round < 1000; round++) {
            seed = t.pickSamplingAddresses(seed);
            firstRegionHits[(int) ((t.samplingAddress(0) - t.regionStart(0)) * 10 / (t.regionEnd(0) - t.regionStart(0)))]++;
            for (int i = 0; i < t.regionCount(); i++) {
                assertThat(t.samplingAddress(i)).isBetween(t.regionStart(i), t.regionEnd(i) - 1);
            }
        }
        // roughly uniform: each tenth of the region gets 100 of 1000 picks, give or take
        for (long hits : firstRegionHits) {
            assertThat(hits).isBetween(60L, 140L);
        }
    }
}
