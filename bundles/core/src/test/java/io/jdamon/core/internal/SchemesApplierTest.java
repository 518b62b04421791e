package io.jdamon.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jdamon.api.ActionRequest;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.QuotaGoal;
import io.jdamon.api.Scheme;
import io.jdamon.api.SchemeFilter;
import io.jdamon.api.SchemeStats;
import io.jdamon.api.Watermarks;

/**
 * DAMOS's rules as Linux's {@code mm/damon/core.c} applies them, one by one:
 * pattern match, quota charge and reset, resuming after an exhausted quota,
 * prioritisation under a size quota, goal feedback, watermark activation,
 * filters (with the kunit cases of {@code damos_test_filter_out} and
 * {@code damon_test_set_filters_default_reject}), and the hot and cold scores.
 */
class SchemesApplierTest {

    private static final long P = 4096;
    /** 20 samples of 5 ms per 100 ms aggregation */
    private static final MonitoringAttributes ATTRS = MonitoringAttributes.DEFAULTS;
    private static final int WINDOW = ATTRS.samplesPerAggregation();

    /** The primitive's side: every action request, each applied whole. */
    private static class Recorder implements SchemesApplier.Actions {
        final List<long[]> applied = new ArrayList<>();
        long goal;
        String failure;

        @Override
        public long apply(ActionRequest r) {
            applied.add(new long[] {r.targetIndex(), r.start(), r.end()});
            return r.end() - r.start();
        }

        @Override
        public long goalValue(String metric) {
            return goal;
        }

        @Override
        public void failed(String detail) {
            failure = detail;
        }
    }

    /** Memory facts set by the test. */
    private static final class Memory implements SystemMemory {
        long freePermil = 500;

        @Override
        public long freeMemPermil() {
            return freePermil;
        }

        @Override
        public long nodeMemBp(int node, boolean used) throws IOException {
            throw new IOException("no nodes in this test");
        }

        @Override
        public long somePsiTotalUs() throws IOException {
            throw new IOException("no PSI in this test");
        }
    }

    /** A target of {@code pages.length} regions of {@code pages[i]} pages each, counters {@code nr[i]}, {@code age[i]}. */
    private static TargetRegions target(int index, long minRegion, long[] sizes, int[] nr, int[] age) {
        TargetRegions t = new TargetRegions(index, "t" + index, minRegion, 16);
        long[] ranges = new long[sizes.length * 2];
        long at = 0;
        for (int i = 0; i < sizes.length; i++) {
            ranges[2 * i] = at;
            at += sizes[i];
            ranges[2 * i + 1] = at;
        }
        t.initRegions(ranges);
        for (int i = 0; i < sizes.length; i++) {
            t.setCounters(i, nr[i], age[i]);
        }
        return t;
    }

    private static SchemesApplier applier(Recorder r, Memory m, long[] clock, Scheme... schemes) {
        return new SchemesApplier("test", List.of(schemes), m, r, () -> clock[0]);
    }

    /** {@code damos_filter_out} for region 0 of {@code t} under one filter, as the walk asks it (splitting). */
    private static boolean filteredOut(TargetRegions t, SchemeFilter f) {
        SchemeRun run = new SchemeRun(0, Scheme.builder(Scheme.STAT).filter(f).build());
        run.resolveFilters(t.minRegionSize());
        return SchemesApplier.filteredOut(t, 0, run);
    }

    private static SchemeStats stats(SchemesApplier a, int i) {
        return a.stats().get(i);
    }

    @Test
    void thePatternAdmitsRegionsWithinEveryBoundInclusive() {
        SchemeRun r = new SchemeRun(0, Scheme.builder(Scheme.STAT).sizeBytes(2 * P, 4 * P).nrAccesses(3, 5)
                .ageAggregations(1, 2).build());
        r.resolvePattern(WINDOW, ATTRS.aggregationIntervalUs());
        assertThat(r.matches(2 * P, 3, 1)).isTrue();
        assertThat(r.matches(4 * P, 5, 2)).isTrue();
        assertThat(r.matches(P, 4, 1)).as("too small").isFalse();
        assertThat(r.matches(5 * P, 4, 1)).as("too large").isFalse();
        assertThat(r.matches(2 * P, 2, 1)).as("too cold").isFalse();
        assertThat(r.matches(2 * P, 6, 1)).as("too hot").isFalse();
        assertThat(r.matches(2 * P, 4, 0)).as("too young").isFalse();
        assertThat(r.matches(2 * P, 4, 3)).as("too old").isFalse();
    }

    @Test
    void percentAndTimeAreReadAgainstTheIntervalsInForce() {
        SchemeRun r = new SchemeRun(0, Scheme.builder(Scheme.STAT).accessPercent(25, 50).ageUs(1_000_000, 2_000_000)
                .build());
        r.resolvePattern(20, 100_000);
        assertThat(r.minNrAccesses).isEqualTo(5);
        assertThat(r.maxNrAccesses).isEqualTo(10);
        assertThat(r.minAge).as("1 s of 100 ms aggregations").isEqualTo(10);
        assertThat(r.maxAge).isEqualTo(20);
        r.resolvePattern(40, 400_000); // tuned: twice the samples, aggregations four times as long
        assertThat(r.minNrAccesses).isEqualTo(10);
        assertThat(r.maxNrAccesses).isEqualTo(20);
        assertThat(r.minAge).isEqualTo(2);
        assertThat(r.maxAge).isEqualTo(5);
    }

    @Test
    void statCountsEveryRegionOfThePatternAndAppliesNothing() {
        Recorder rec = new Recorder();
        long[] clock = {0};
        SchemesApplier a = applier(rec, new Memory(), clock, Scheme.builder(Scheme.STAT).nrAccesses(0, 0).build());
        TargetRegions t = target(0, P, new long[] {P, 2 * P, 4 * P}, new int[] {0, 3, 0}, new int[] {5, 5, 5});
        a.collectTriedRegions();
        a.apply(new TargetRegions[] {t}, ATTRS, WINDOW, 0, clock[0]);
        SchemeStats s = stats(a, 0);
        assertThat(s.nrTried()).isEqualTo(2);
        assertThat(s.szTried()).isEqualTo(5 * P);
        assertThat(s.nrApplied()).as("stat applies nothing, as in Linux").isZero();
        assertThat(s.szApplied()).isZero();
        assertThat(s.applications()).isEqualTo(1);
        assertThat(rec.applied).isEmpty();
        assertThat(t.age(0)).as("stat leaves the age").isEqualTo(5);
        assertThat(s.lastTriedRegions()).extracting(r -> r.start()).containsExactly(0L, 3 * P);
        assertThat(s.triedRegionsApplication()).isEqualTo(1);
    }

    @Test
    void triedRegionsAreNotedOnlyWhenAskedForAsDamonKeepsThem() {
        Recorder rec = new Recorder();
        long[] clock = {0};
        SchemesApplier a = applier(rec, new Memory(), clock, Scheme.builder(Scheme.STAT).nrAccesses(0, 0).build());
        TargetRegions t = target(0, P, new long[] {P, 2 * P, 4 * P}, new int[] {0, 3, 0}, new int[] {5, 5, 5});
        a.apply(new TargetRegions[] {t}, ATTRS, WINDOW, 0, clock[0]);
        assertThat(stats(a, 0).nrTried()).as("counted all the same").isEqualTo(2);
        assertThat(stats(a, 0).lastTriedRegions()).as("not asked for").isEmpty();
        assertThat(stats(a, 0).triedRegionsApplication()).isZero();
        a.collectTriedRegions();
        a.apply(new TargetRegions[] {t}, ATTRS, WINDOW, 1, clock[0]);
        t.setCounters(0, 3, 5);
        a.apply(new TargetRegions[] {t}, ATTRS, WINDOW, 2, clock[0]);
        SchemeStats s = stats(a, 0);
        assertThat(s.applications()).isEqualTo(3);
        assertThat(s.triedRegionsApplication()).as("collected at the last application").isEqualTo(3);
        assertThat(s.lastTriedRegions()).extracting(r -> r.start()).containsExactly(3 * P);
        assertThat(s.nrTried()).isEqualTo(5);
    }

    @Test
    void anActionResetsTheAgeOfTheRegionsItWasAppliedTo() {
        Recorder rec = new Recorder();
        long[] clock = {0};
        SchemesApplier a = applier(rec, new Memory(), clock, Scheme.builder(Scheme.PAGEOUT).nrAccesses(0, 0).build());
        TargetRegions t = target(0, P, new long[] {P, 2 * P}, new int[] {0, 3}, new int[] {5, 5});
        a.apply(new TargetRegions[] {t}, ATTRS, WINDOW, 0, clock[0]);
        assertThat(rec.applied).hasSize(1);
        assertThat(rec.applied.get(0)).containsExactly(0, 0, P);
        assertThat(t.age(0)).isZero();
        assertThat(t.age(1)).isEqualTo(5);
        SchemeStats s = stats(a, 0);
        assertThat(s.nrApplied()).isEqualTo(1);
        assertThat(s.szApplied()).isEqualTo(P);
    }

    @Test
    void aLargeRegionReachesThePrimitiveInPiecesCutAtMultiplesOfTheMostARequestCoversAndCountsAsOneApplied() {
        long mib = 1 << 20;
        assertThat(ActionRequest.MAX_RANGE_BYTES).isEqualTo(4 * mib);
        Recorder rec = new Recorder() {
            @Override
            public long apply(ActionRequest r) {
                super.apply(r);
                return (r.end() - r.start()) / 2; // half of each piece, as a filter or unmapped pages would
            }
        };
        long[] clock = {0};
        SchemesApplier a = applier(rec, new Memory(), clock, Scheme.builder(Scheme.PAGEOUT).nrAccesses(0, 0).build());
        TargetRegions t = target(0, P, new long[] {3 * mib, 10 * mib}, new int[] {5, 0}, new int[] {5, 5});
        a.apply(new TargetRegions[] {t}, ATTRS, WINDOW, 0, clock[0]);
        assertThat(rec.applied).extracting(r -> r[1] / mib + ".." + r[2] / mib)
                .containsExactly("3..4", "4..8", "8..12", "12..13");
        SchemeStats s = stats(a, 0);
        assertThat(s.nrTried()).isEqualTo(1);
        assertThat(s.szTried()).isEqualTo(10 * mib);
        assertThat(s.nrApplied()).isEqualTo(1);
        assertThat(s.szApplied()).as("the pieces' sum").isEqualTo(5 * mib);
        assertThat(t.regionCount()).as("the region stays whole").isEqualTo(2);
    }

    @Test
    void aLaterSchemeSeesTheRegionAsAnEarlierOneLeftItWhetherFewOrManySchemesAreDue() {
        // a few due schemes are compared directly, more through the pattern index: the same rules either way
        for (int extra : new int[] {0, 1, 6}) {
            List<Scheme> schemes = new ArrayList<>();
            schemes.add(Scheme.builder(Scheme.PAGEOUT).nrAccesses(0, 0).build()); // resets the age it applies to
            schemes.add(Scheme.builder(Scheme.STAT).ageAggregations(3, Long.MAX_VALUE).build());
            schemes.add(Scheme.builder(Scheme.STAT).ageAggregations(0, 0).build());
            for (int e = 0; e < extra; e++) {
                schemes.add(Scheme.builder(Scheme.STAT).nrAccesses(e, Long.MAX_VALUE).build());
            }
            Recorder rec = new Recorder();
            long[] clock = {0};
            SchemesApplier a = new SchemesApplier("test", schemes, new Memory(), rec, () -> clock[0]);
            TargetRegions t = target(0, P, new long[] {P, 2 * P, 4 * P}, new int[] {0, 3, 0}, new int[] {5, 5, 5});
            a.apply(new TargetRegions[] {t}, ATTRS, WINDOW, 0, clock[0]);
            String schemesDue = schemes.size() + " schemes";
            assertThat(stats(a, 0).nrApplied()).as(schemesDue).isEqualTo(2);
            assertThat(stats(a, 1).nrTried()).as(schemesDue + ": only the region the pageout left old").isEqualTo(1);
            assertThat(stats(a, 1).szTried()).isEqualTo(2 * P);
            assertThat(stats(a, 2).nrTried()).as(schemesDue + ": the two it made young").isEqualTo(2);
            assertThat(stats(a, 2).szTried()).isEqualTo(5 * P);
            for (int e = 0; e < extra; e++) {
                assertThat(stats(a, 3 + e).nrTried()).as(schemesDue + ", scheme " + (3 + e))
                        .isEqualTo(e == 0 ? 3 : e <= 3 ? 1 : 0);
            }
        }
    }

    @Test
    void aSizeQuotaCutsTheRegionThatCrossesItAndTheNextWindowResumesAfterIt() {
        Recorder rec = new Recorder();
        long[] clock = {0};
        // 3 pages per 1 s window
        SchemesApplier a = applier(rec, new Memory(), clock,
                Scheme.builder(Scheme.PAGEOUT).quota(0, 3 * P, 1_000).build());
        TargetRegions t = target(0, P, new long[] {2 * P, 2 * P, 2 * P, 2 * P}, new int[] {0, 0, 0, 0},
                new int[] {1, 1, 1, 1});
        TargetRegions[] ts = {t};
        a.apply(ts, ATTRS, WINDOW, 0, clock[0]);
        assertThat(rec.applied).extracting(r -> r[1] + "-" + r[2]).containsExactly("0-" + 2 * P, 2 * P + "-" + 3 * P);
        assertThat(t.regionCount()).as("the second region was split at the quota's end").isEqualTo(5);
        assertThat(stats(a, 0).effectiveQuotaBytes()).isEqualTo(3 * P);

        a.apply(ts, ATTRS, WINDOW, 1, clock[0] += 100_000_000); // same window: the quota is used up
        assertThat(rec.applied).hasSize(2);

        rec.applied.clear();
        a.apply(ts, ATTRS, WINDOW, 2, clock[0] += 1_000_000_000); // a new window
        SchemeStats s = stats(a, 0);
        assertThat(s.qtExceeds()).as("the last window ran out").isEqualTo(1);
        // it resumes after where the last window stopped (Linux skips one more page, charge_addr_from + 1)
        assertThat(rec.applied.get(0)[1]).isGreaterThanOrEqualTo(3 * P);
        assertThat(rec.applied).extracting(r -> r[2] - r[1]).containsOnly(P, 2 * P);
        assertThat(rec.applied.stream().mapToLong(r -> r[2] - r[1]).sum()).isEqualTo(3 * P);
    }

    @Test
    void underASizeQuotaTheColdestRegionsArePagedOutFirst() {
        Recorder rec = new Recorder();
        long[] clock = {0};
        SchemesApplier a = applier(rec, new Memory(), clock,
                Scheme.builder(Scheme.PAGEOUT).quota(0, 2 * P, 1_000).quotaWeights(0, 1, 0).build());
        // hottest first in address order; only the two coldest fit
        TargetRegions t = target(0, P, new long[] {P, P, P, P}, new int[] {20, 10, 0, 1}, new int[] {0, 0, 0, 0});
        a.apply(new TargetRegions[] {t}, ATTRS, WINDOW, 0, clock[0]);
        assertThat(rec.applied).extracting(r -> r[1] / P).containsExactly(2L, 3L);
    }

    @Test
    void underASizeQuotaLruPrioTakesTheHottestFirst() {
        Recorder rec = new Recorder();
        long[] clock = {0};
        SchemesApplier a = applier(rec, new Memory(), clock,
                Scheme.builder(Scheme.LRU_PRIO).quota(0, P, 1_000).quotaWeights(0, 1, 0).build());
        TargetRegions t = target(0, P, new long[] {P, P, P}, new int[] {3, 20, 0}, new int[] {0, 0, 0});
        a.apply(new TargetRegions[] {t}, ATTRS, WINDOW, 0, clock[0]);
        assertThat(rec.applied).extracting(r -> r[1] / P).containsExactly(1L);
    }

    @Test
    void scoresAreLinuxs() {
        // 10 of 20 samples, age 0: frequency 50, age subscore 50; weights 1:1 give 50, scaled to 49
        assertThat(SchemeScores.hot(10, 0, 20, 100_000, 1, 1)).isEqualTo(49);
        assertThat(SchemeScores.cold(10, 0, 20, 100_000, 1, 1)).isEqualTo(50);
        // never accessed for 8 s: age in log 4, negated, 28 of 64: age subscore 43, scaled to 42
        assertThat(SchemeScores.hot(0, 8, 20, 1_000_000, 0, 1)).isEqualTo(42);
        assertThat(SchemeScores.cold(0, 8, 20, 1_000_000, 0, 1)).isEqualTo(57);
        // no weights: 0, whatever the region
        assertThat(SchemeScores.hot(20, 100, 20, 1_000_000, 0, 0)).isZero();
        // a count above the window (briefly, after a shorter window) is capped
        assertThat(SchemeScores.hot(40, 0, 20, 100_000, 1, 0)).isEqualTo(99);
    }

    @Test
    void aUserInputGoalOverItsTargetShrinksTheQuotaAndUnderItGrowsIt() {
        Recorder rec = new Recorder();
        long[] clock = {0};
        Scheme over = Scheme.builder(Scheme.PAGEOUT).quota(0, 0, 1_000)
                .quotaGoal(QuotaGoal.of(QuotaGoal.USER_INPUT, 100).withCurrentValue(150)).build();
        SchemesApplier a = applier(rec, new Memory(), clock, over);
        TargetRegions[] ts = {target(0, P, new long[] {64 * P}, new int[] {0}, new int[] {0})};
        a.apply(ts, ATTRS, WINDOW, 0, clock[0]);
        long first = stats(a, 0).effectiveQuotaBytes();
        // the first window starts from 10,000 bp (1 byte): the feedback can only keep it at its least
        assertThat(first).isEqualTo(1);

        Scheme copy = over.toBuilder().build();
        SchemesApplier b = applier(rec, new Memory(), clock, Scheme.builder(Scheme.PAGEOUT).quota(0, 0, 1_000)
                .quotaGoal(QuotaGoal.of(QuotaGoal.USER_INPUT, 100).withCurrentValue(50)).build());
        long last = 0;
        for (int w = 0; w < 6; w++) {
            b.apply(ts, ATTRS, WINDOW, w, clock[0] += 1_000_000_000);
            long esz = stats(b, 0).effectiveQuotaBytes();
            assertThat(esz).as("window " + w).isGreaterThan(last);
            last = esz;
        }
        // half the goal: the input grows by half each window (FeedbackLoop's rule), from 10,000 bp
        assertThat(last).isEqualTo(FeedbackLoopTestValues.growByHalf(6));
        assertThat(copy).as("toBuilder keeps everything").isEqualTo(over);
    }

    @Test
    void watermarksDeactivateAboveHighAndBelowLowAndWakeBetweenLowAndMid() {
        Recorder rec = new Recorder();
        Memory m = new Memory();
        long[] clock = {0};
        SchemesApplier a = applier(rec, m, clock,
                Scheme.builder(Scheme.PAGEOUT).watermarks(Watermarks.Metric.FREE_MEM_RATE, 1_000, 500, 400, 200)
                        .build());
        m.freePermil = 600; // above high
        assertThat(a.activationWaitUs(clock[0])).isEqualTo(1_000);
        m.freePermil = 450; // between mid and high, inactive: stays so
        assertThat(a.activationWaitUs(clock[0] += 500_000)).as("not checked again before the interval").isEqualTo(500);
        assertThat(a.activationWaitUs(clock[0] += 500_000)).isEqualTo(1_000);
        m.freePermil = 300; // between low and mid: wakes
        assertThat(a.activationWaitUs(clock[0] += 1_000_000)).isZero();
        m.freePermil = 450; // back between mid and high, but active: stays active
        assertThat(a.activationWaitUs(clock[0] += 1_000_000)).isZero();
        m.freePermil = 100; // below low
        assertThat(a.activationWaitUs(clock[0] += 1_000_000)).isEqualTo(1_000);
        assertThat(stats(a, 0).active()).isFalse();
        TargetRegions[] ts = {target(0, P, new long[] {P}, new int[] {0}, new int[] {0})};
        a.apply(ts, ATTRS, WINDOW, 0, clock[0]);
        assertThat(rec.applied).as("an inactive scheme does nothing").isEmpty();
        assertThat(stats(a, 0).applications()).isZero();
    }

    @Test
    void anAddressFilterSplitsARegionAtItsEdgeAsDamosTestFilterOut() {
        // kunit's damos_test_filter_out, DAMON_MIN_REGION 1: filter [2, 6), matching, reject
        SchemeFilter f = SchemeFilter.address(2, 6, true, false);
        TargetRegions t = target(0, 1, new long[] {2}, new int[] {0}, new int[] {0});
        t.updateRegions(3, 5);
        assertThat(filteredOut(t, f)).as("in the range").isTrue();
        assertThat(t.regionCount()).isEqualTo(1);
        t.updateRegions(1, 2);
        assertThat(filteredOut(t, f)).as("before the range").isFalse();
        t.updateRegions(6, 8);
        assertThat(filteredOut(t, f)).as("after the range").isFalse();
        assertThat(t.regionCount()).isEqualTo(1);
        t.updateRegions(1, 4);
        assertThat(filteredOut(t, f)).as("started before the range").isFalse();
        assertThat(t.regionStart(0)).isEqualTo(1);
        assertThat(t.regionEnd(0)).isEqualTo(2);
        assertThat(t.regionCount()).isEqualTo(2);
        assertThat(t.regionStart(1)).isEqualTo(2);
        assertThat(t.regionEnd(1)).isEqualTo(4);
        t.updateRegions(2, 8);
        assertThat(filteredOut(t, f)).as("started in the range").isTrue();
        assertThat(t.regionEnd(0)).isEqualTo(6);
        assertThat(t.regionCount()).isEqualTo(2);
        assertThat(t.regionStart(1)).isEqualTo(6);
        assertThat(t.regionEnd(1)).isEqualTo(8);
    }

    @Test
    void whatNoFilterMatchedGoesAgainstTheLastFilterAsDamonTestSetFiltersDefaultReject() {
        SchemeFilter allowT0 = SchemeFilter.target(0, true, true);
        SchemeFilter rejectT0 = SchemeFilter.target(0, true, false);
        SchemeFilter anon = SchemeFilter.ofType("anon", true, true);
        assertThat(new SchemeRun(0, Scheme.builder(Scheme.STAT).build()).coreFiltersDefaultReject).isFalse();
        assertThat(new SchemeRun(0, Scheme.builder(Scheme.STAT).filter(allowT0).build()).coreFiltersDefaultReject)
                .isTrue();
        assertThat(new SchemeRun(0, Scheme.builder(Scheme.STAT).filter(rejectT0).build()).coreFiltersDefaultReject)
                .isFalse();
        SchemeRun withPrimitive = new SchemeRun(0, Scheme.builder(Scheme.STAT).filter(rejectT0).filter(anon).build());
        assertThat(withPrimitive.coreFiltersDefaultReject).as("a primitive filter comes after").isFalse();
        assertThat(withPrimitive.primitiveFilters).containsExactly(anon);
        assertThat(new SchemeRun(0, Scheme.builder(Scheme.STAT).filter(allowT0).filter(anon).build())
                .coreFiltersDefaultReject).isFalse();
    }

    @Test
    void aTargetFilterKeepsTheActionToItsTargetAndTheFirstMatchDecides() {
        Recorder rec = new Recorder();
        long[] clock = {0};
        SchemesApplier a = applier(rec, new Memory(), clock, Scheme.builder(Scheme.PAGEOUT)
                .filter(SchemeFilter.address(0, P, true, false)) // never the first page
                .filter(SchemeFilter.target(1, true, true)).build()); // only target 1 (the rest: rejected)
        TargetRegions t0 = target(0, P, new long[] {P, P}, new int[] {0, 0}, new int[] {0, 0});
        TargetRegions t1 = target(1, P, new long[] {P, P}, new int[] {0, 0}, new int[] {0, 0});
        a.apply(new TargetRegions[] {t0, t1}, ATTRS, WINDOW, 0, clock[0]);
        assertThat(rec.applied).extracting(r -> r[0] + ":" + r[1] / P).containsExactly("1:1");
        assertThat(stats(a, 0).nrTried()).as("filtered-out regions are not tried, as in Linux").isEqualTo(1);
    }

    @Test
    void theApplyIntervalIsRoundedUpToWholeAggregations() {
        Recorder rec = new Recorder();
        long[] clock = {0};
        SchemesApplier a = applier(rec, new Memory(), clock,
                Scheme.builder(Scheme.STAT).applyIntervalUs(250_000).build()); // 2.5 aggregations: every 3rd
        TargetRegions[] ts = {target(0, P, new long[] {P}, new int[] {0}, new int[] {0})};
        for (int i = 0; i < 9; i++) {
            a.apply(ts, ATTRS, WINDOW, i, clock[0] += 100_000_000);
        }
        assertThat(stats(a, 0).applications()).isEqualTo(3);
    }

    @Test
    void aGoalMetricThatCannotBeReadStopsTheRunWithTheReason() {
        Recorder rec = new Recorder();
        long[] clock = {0};
        SchemesApplier a = applier(rec, new Memory(), clock, Scheme.builder(Scheme.PAGEOUT)
                .quotaGoal(QuotaGoal.of(QuotaGoal.NODE_MEM_FREE_BP, 5_000).withNodeId(3)).build());
        a.apply(new TargetRegions[] {target(0, P, new long[] {P}, new int[] {0}, new int[] {0})}, ATTRS, WINDOW, 0,
                clock[0]);
        assertThat(rec.failure).contains("scheme 0 (pageout) cannot read its quota goal", "no nodes in this test");
        assertThat(rec.applied).isEmpty();
    }
}
