package io.jdamon.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.jdamon.api.ActionRequest;
import io.jdamon.api.Callback;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextView;
import io.jdamon.api.InvalidAttributesException;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.PrimitiveContext;
import io.jdamon.api.Scheme;
import io.jdamon.api.SchemeFilter;
import io.jdamon.api.SchemeStats;
import io.jdamon.api.SchemeView;
import io.jdamon.api.StopReason;

/**
 * Schemes in the real kdamond loop: applied after each aggregation, their
 * actions reaching the primitive, their stats in the context, online
 * changes taking effect at the next aggregation, and schemes the primitive
 * cannot apply refused before anything runs.
 */
class SchemesEngineTest {

    private static final long MIB = 1 << 20;
    private static final MonitoringAttributes ATTRS = MonitoringAttributes.DEFAULTS.withNrRegions(10, 100);
    private static final int WINDOW = ATTRS.samplesPerAggregation();

    /** 64 MiB, the first 16 MiB hot; it pages out whatever it is asked to, and remembers what. */
    static class PagingPrimitive extends PatternPrimitive {
        final List<ActionRequest> requests = new CopyOnWriteArrayList<>();
        volatile long pagedOutBytes;

        PagingPrimitive() {
            super(64 * MIB, 0, 16 * MIB);
            logSamples = false;
        }

        @Override
        public void resetAggregated(PrimitiveContext c) {
            // no event log: thousands of samples
        }

        @Override
        public Set<String> supportedActions() {
            return Set.of(Scheme.PAGEOUT);
        }

        @Override
        public long applyAction(PrimitiveContext ctx, ActionRequest r) {
            requests.add(new Copy(r.action(), r.targetIndex(), r.start(), r.end(), List.copyOf(r.filters()),
                    r.schemeIndex()));
            pagedOutBytes += r.end() - r.start();
            return r.end() - r.start();
        }
    }

    record Copy(String action, int targetIndex, long start, long end, List<SchemeFilter> filters, int schemeIndex)
            implements ActionRequest {
    }

    @Test
    void aColdPageoutSchemeReachesThePrimitiveForTheColdMemoryOnly() throws Exception {
        PagingPrimitive p = new PagingPrimitive();
        DamonEngine engine = new DamonEngine();
        Scheme coldPageout = Scheme.builder(Scheme.PAGEOUT).nrAccesses(0, 0).ageAggregations(5, Long.MAX_VALUE)
                .build();
        KdamondContext ctx = engine.newContext(ContextDefinition.builder("paging", "pattern").target("all")
                .attributes(ATTRS).scheme(Scheme.builder(Scheme.STAT).build()).scheme(coldPageout).build(), p);
        long[] viewed = new long[3];
        ctx.addCallback("asks", new Callback() {
            @Override
            public CallbackResult afterAggregation(ContextView v) {
                v.collectTriedRegions(); // as a recorder of tried regions does
                SchemeView pageout = v.scheme(1);
                viewed[0] = v.schemeCount();
                viewed[1] = pageout.applications();
                viewed[2] = pageout.triedRegionsApplication();
                return CallbackResult.CONTINUE;
            }
        });
        SteppingClock.run(engine, ctx, 30 * WINDOW);
        assertThat(viewed[0]).isEqualTo(2);
        assertThat(viewed[1]).as("in afterAggregation, before the schemes apply to it").isEqualTo(29);
        assertThat(viewed[2]).as("collected since asked for").isEqualTo(29);

        List<SchemeStats> stats = ctx.schemeStats();
        assertThat(stats).hasSize(2);
        assertThat(stats.get(0).applications()).as("stat, at every aggregation").isEqualTo(30);
        assertThat(stats.get(0).szTried()).as("stat tries every byte, every time").isEqualTo(30 * 64 * MIB);
        SchemeStats pageout = stats.get(1);
        assertThat(pageout.nrApplied()).isPositive();
        assertThat(pageout.szApplied()).isEqualTo(p.pagedOutBytes);
        assertThat(p.requests).allSatisfy(r -> {
            assertThat(r.action()).isEqualTo(Scheme.PAGEOUT);
            assertThat(r.schemeIndex()).isEqualTo(1);
        });
        // a region straddling the hot range's edge may be sampled outside it (DAMON's granularity): a page or so
        long hotPagedOut = p.requests.stream().mapToLong(r -> Math.max(0, Math.min(r.end(), 16 * MIB) - r.start()))
                .sum();
        assertThat(hotPagedOut).as("hot bytes paged out, of " + p.pagedOutBytes).isLessThan(p.pagedOutBytes / 50);
        // paging out resets a region's age, so the cold 48 MiB is eligible again only 5 aggregations later:
        // in 30 aggregations about 5 times (the first from aggregation 5 on)
        assertThat(p.pagedOutBytes).as("the cold 48 MiB, about every 6th aggregation")
                .isBetween(4 * 40 * MIB, 6 * 48 * MIB);
        assertThat(pageout.lastTriedRegions()).isNotEmpty()
                .allSatisfy(t -> assertThat(t.nrAccesses()).isZero());
        assertThat(ctx.status().stopReason()).contains(StopReason.STOP_REQUESTED);
    }

    @Test
    void aSchemeThePrimitiveCannotApplyIsRefusedNamingBoth() {
        PatternPrimitive plain = new PatternPrimitive(64 * MIB, 0, MIB);
        DamonEngine engine = new DamonEngine();
        KdamondContext ctx = engine.newContext(ContextDefinition.builder("plain", "pattern").target("all")
                .scheme(Scheme.builder(Scheme.PAGEOUT).build()).build(), plain);
        assertThatThrownBy(() -> engine.start(List.of(ctx))).isInstanceOf(InvalidAttributesException.class)
                .hasMessageContaining("primitive 'pattern' does not apply action 'pageout'")
                .hasMessageContaining("it applies stat").hasMessageContaining("nothing was started");
        assertThat(ctx.isRunning()).isFalse();
        assertThatThrownBy(() -> ctx.updateSchemes(List.of(Scheme.builder(Scheme.STAT)
                .filter(SchemeFilter.ofType("anon", true, false)).build())))
                .isInstanceOf(InvalidAttributesException.class)
                .hasMessageContaining("does not apply filters of type 'anon'");
        ctx.updateSchemes(List.of(Scheme.builder(Scheme.STAT).build()));
        assertThat(ctx.schemes()).extracting(Scheme::action).containsExactly(Scheme.STAT);
    }

    @Test
    void schemesChangedWhileRunningTakeEffectAtTheNextAggregation() throws Exception {
        PagingPrimitive p = new PagingPrimitive();
        DamonEngine engine = new DamonEngine();
        KdamondContext ctx = engine.newContext(ContextDefinition.builder("online", "pattern").target("all")
                .attributes(ATTRS).scheme(Scheme.builder(Scheme.STAT).build()).build(), p);
        long[] applicationsAtChange = new long[1];
        SteppingClock.run(engine, ctx, 20 * WINDOW, n -> {
            if (n == 10 * WINDOW + 1) {
                applicationsAtChange[0] = ctx.schemeStats().get(0).applications();
                // the same action keeps its stats; the new second scheme starts afresh
                ctx.updateSchemes(List.of(Scheme.builder(Scheme.STAT).nrAccesses(1, Long.MAX_VALUE).build(),
                        Scheme.builder(Scheme.PAGEOUT).nrAccesses(0, 0).build()));
            }
        });
        assertThat(applicationsAtChange[0]).isEqualTo(10);
        List<SchemeStats> stats = ctx.schemeStats();
        assertThat(stats.get(0).applications()).as("kept across the change").isEqualTo(20);
        assertThat(stats.get(1).applications()).as("from the boundary after the change on").isEqualTo(10);
        assertThat(p.requests).isNotEmpty();
        assertThat(ctx.schemes()).hasSize(2);
    }

    @Test
    void aPrimitiveThatAnswersGarbageFromApplyActionStopsOnlyItsRunWithTheReason() throws Exception {
        PagingPrimitive liar = new PagingPrimitive() {
            @Override
            public long applyAction(PrimitiveContext c, ActionRequest r) {
                return (r.end() - r.start()) * 2;
            }
        };
        DamonEngine engine = new DamonEngine();
        KdamondContext ctx = engine.newContext(ContextDefinition.builder("liar", "pattern").target("all")
                .attributes(ATTRS).scheme(Scheme.builder(Scheme.PAGEOUT).build()).build(), liar);
        SteppingClock.run(engine, ctx, 5 * WINDOW);
        assertThat(ctx.status().stopReason()).contains(StopReason.PLUGIN_FAILED);
        assertThat(ctx.status().detail()).contains("applyAction(pageout)", "returned", "return 0 to the range's");
        assertThat(ctx.schemeStats().get(0).szApplied()).isZero();
    }
}
