package io.jdamon.vaddr.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.jdamon.api.Callback;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextView;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.StartMode;
import io.jdamon.api.TargetView;
import io.jdamon.core.internal.DamonEngine;

/**
 * Runs the real engine with the vaddr primitive on an {@link AccessHelper}
 * and measures, per aggregation, the access rate of the regions that lie
 * weighted by the bytes each region shares with the hot and the cold mapping.
 * Shared by the JUnit tests and the lab's main.
 */
final class HotColdCheck {

    /**
     * One aggregation's figures: bytes of each mapping covered by regions, and
     * the access rate (nr_accesses / samples per aggregation) of those bytes;
     * also the hot bytes and rate of the regions lying (at least 90%) inside
     * the hot mapping (a region straddling its edge and a large idle area has
     * a rate that says where the edge fell, not what the sensor saw).
     */
    record Aggregation(long hotBytes, double hotRate, long coldBytes, double coldRate, int coldMaxNrAccesses,
            int regions, long hotInsideBytes, double hotInsideRate) {
    }

    /** What a run saw. */
    record Result(List<Aggregation> aggregations, Map<String, String> primitiveProperties, Truth helper) {

        /** @return the second half of the aggregations, after regions had time to adapt */
        List<Aggregation> settled() {
            return aggregations.subList(aggregations.size() / 2, aggregations.size());
        }

        double hotRate() {
            return weighted(true);
        }

        double coldRate() {
            return weighted(false);
        }

        int coldMaxNrAccesses() {
            return settled().stream().mapToInt(Aggregation::coldMaxNrAccesses).max().orElse(-1);
        }

        /** @return the access rate of the regions (at least 90%) inside the hot mapping, weighted by their hot bytes */
        double hotInsideRate() {
            double num = 0;
            double den = 0;
            for (Aggregation a : settled()) {
                num += a.hotInsideBytes() * a.hotInsideRate();
                den += a.hotInsideBytes();
            }
            return den == 0 ? Double.NaN : num / den;
        }

        /** @return the fewest bytes of the hot mapping that regions (at least 90%) inside it covered */
        long minHotInsideBytes() {
            return settled().stream().mapToLong(Aggregation::hotInsideBytes).min().orElse(0);
        }

        long minHotBytes() {
            return settled().stream().mapToLong(Aggregation::hotBytes).min().orElse(0);
        }

        long minColdBytes() {
            return settled().stream().mapToLong(Aggregation::coldBytes).min().orElse(0);
        }

        private double weighted(boolean hot) {
            double num = 0;
            double den = 0;
            for (Aggregation a : settled()) {
                long bytes = hot ? a.hotBytes() : a.coldBytes();
                num += bytes * (hot ? a.hotRate() : a.coldRate());
                den += bytes;
            }
            return den == 0 ? Double.NaN : num / den;
        }

        @Override
        public String toString() {
            return String.format("hotRate=%.3f coldRate=%.3f coldMaxNr=%d minHotBytes=%d minColdBytes=%d"
                    + " hotInsideRate=%.3f minHotInsideBytes=%d aggregations=%d props=%s", hotRate(), coldRate(),
                    coldMaxNrAccesses(), minHotBytes(), minColdBytes(), hotInsideRate(), minHotInsideBytes(), aggregations.size(), primitiveProperties);
        }
    }

    private HotColdCheck() {
    }

    static long overlap(long s, long e, long rs, long re) {
        return Math.max(0, Math.min(e, re) - Math.max(s, rs));
    }

    /** Where the hot and the cold mapping are, in which process. */
    record Truth(String pid, long hotStart, long hotEnd, long coldStart, long coldEnd) {
    }

    static Result run(AccessHelper h, String sensor, MonitoringAttributes attrs, int aggregations)
            throws Exception {
        return run(new Truth(Integer.toString(h.pid()), h.hotStart, h.hotEnd, h.coldStart, h.coldEnd), sensor, attrs,
                aggregations);
    }

    static Result run(Truth helper, String sensor, MonitoringAttributes attrs, int aggregations)
            throws Exception {
        DamonEngine engine = new DamonEngine();
        ContextDefinition def = new ContextDefinition("vaddr-" + sensor.replace('+', '-'), VaddrPrimitive.NAME,
                List.of("pid=" + helper.pid() + ",sensor=" + sensor), attrs);
        MonitoringContext ctx = engine.newContext(def, new VaddrPrimitive());
        List<Aggregation> seen = new ArrayList<>();
        ctx.addCallback("hot-cold", new Callback() {
            @Override
            public CallbackResult afterAggregation(ContextView view) {
                Aggregation a = measure(view, helper);
                synchronized (seen) {
                    seen.add(a);
                    seen.notifyAll();
                }
                return seen.size() >= aggregations ? CallbackResult.STOP : CallbackResult.CONTINUE;
            }
        });
        engine.start(List.of(ctx), StartMode.SHARED);
        long timeoutMs = Math.max(60_000, 20 * aggregations * attrs.aggregationIntervalUs() / 1000);
        if (!ctx.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS)) {
            engine.stop(List.of(ctx));
            throw new AssertionError("the context did not finish " + aggregations + " aggregations in "
                    + timeoutMs + " ms: " + ctx.status());
        }
        if (seen.size() < aggregations) {
            throw new AssertionError("the context stopped after " + seen.size() + " aggregations: " + ctx.status());
        }
        synchronized (seen) {
            return new Result(List.copyOf(seen), ctx.status().primitiveProperties(), helper);
        }
    }

    /** @return one aggregation's figures for target 0 of {@code view}, against where the helper's mappings are */
    static Aggregation measure(ContextView view, Truth helper) {
        TargetView t = view.target(0);
        int max = view.aggregationSamples(); // the samples really taken: a sensor may sample less often
        long hb = 0;
        long cb = 0;
        double hn = 0;
        double cn = 0;
        int coldMax = 0;
        long hib = 0;
        double hin = 0;
        for (int i = 0; i < t.regionCount(); i++) {
            long s = t.regionStart(i);
            long e = t.regionEnd(i);
            long inHot = overlap(s, e, helper.hotStart(), helper.hotEnd());
            long inCold = overlap(s, e, helper.coldStart(), helper.coldEnd());
            double rate = (double) t.nrAccesses(i) / max;
            hb += inHot;
            hn += inHot * rate;
            cb += inCold;
            cn += inCold * rate;
            if (inHot * 10 >= (e - s) * 9) {
                hib += inHot;
                hin += inHot * rate;
            }
            if (inCold == e - s) {
                coldMax = Math.max(coldMax, t.nrAccesses(i));
            }
        }
        return new Aggregation(hb, hb == 0 ? 0 : hn / hb, cb, cb == 0 ? 0 : cn / cb, coldMax, t.regionCount(), hib,
                hib == 0 ? 0 : hin / hib);
    }

    /**
     * Checks the ground truth, weighting each region's access rate by the
     * bytes it shares with each mapping: the hot mapping mostly accessed, the
     * cold one nearly never (only regions straddling its edges may show a
     * little), and no region lying wholly in the cold mapping ever accessed.
     *
     * @throws AssertionError naming what did not hold
     */
    /** The most a mapping untouched since the start may show: regions at its edges may reach into neighbours. */
    static final double MAX_COLD_RATE = 0.05;

    static void assertHotAndCold(Result r, double minHotRate) {
        List<String> failures = new ArrayList<>();
        if (r.minHotBytes() != r.helper().hotEnd() - r.helper().hotStart()
                || r.minColdBytes() != r.helper().coldEnd() - r.helper().coldStart()) {
            failures.add("the regions did not cover both mappings in every aggregation");
        }
        if (!(r.hotRate() >= minHotRate)) {
            failures.add("hot mapping's access rate " + r.hotRate() + " < " + minHotRate);
        }
        if (!(r.coldRate() <= MAX_COLD_RATE)) {
            failures.add("cold mapping's access rate " + r.coldRate() + " > " + MAX_COLD_RATE);
        }
        if (r.coldMaxNrAccesses() != 0) {
            failures.add("a region wholly inside the cold mapping had nr_accesses "
                    + r.coldMaxNrAccesses() + " > 0");
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(String.join("; ", failures) + " (" + r + ")");
        }
    }
}
