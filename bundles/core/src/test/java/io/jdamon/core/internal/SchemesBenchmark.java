package io.jdamon.core.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.Scheme;
import io.jdamon.api.SchemeFilter;

/**
 * Not a test: what DAMOS schemes add to the kdamond's work, on the real loop
 * driven by a clock that never sleeps ({@link SteppingClock}, as {@link SampleLoopBenchmark}), at
 * 1,000 regions (min = max) over the in-memory primitive's 1 GiB, with 0, 1,
 * 4 and 16 schemes applied at every aggregation. The schemes mix what users
 * write: a cold pattern (not accessed, 5 aggregations old), a hot one, a
 * size range, one under a size quota with frequency and age weights (so the
 * score histogram is built), one with an address filter; all {@code stat},
 * so that the cost is the engine's evaluation, not an action's. Prints the
 * time per aggregation, the part of it the rest of the loop took (sampling,
 * counting, merging, splitting), the schemes' time per region per
 * aggregation (measured in the run: {@code RunCosts.schemeNanos}), and that
 * against the rest (goal: under 20%); then 16 schemes of each kind alone, and
 * the mix again with its tried regions noted (collected on request, as a
 * recorder of them asks at every aggregation).
 * Median of 5 runs:
 *
 * <pre>
 * mvn -o -q -pl bundles/core test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp bundles/core/target/test-classes:bundles/core/target/classes:$(cat /tmp/cp.txt) \
 *     io.jdamon.core.internal.SchemesBenchmark [SCHEMES [KIND]] (only the mix of that many, or of one kind)
 * </pre>
 */
public final class SchemesBenchmark {

    private static final int REGIONS = 1_000;
    private static final int AGGREGATIONS = 2_000;
    private static final java.util.logging.Logger ENGINE_LOG = java.util.logging.Logger.getLogger("io.jdamon.core");

    private SchemesBenchmark() {
    }

    /** The kinds of scheme the mix cycles through, with what they stand for. */
    static final List<String> KIND_NAMES = List.of("cold (nr 0, age >= 5)", "hot (>= 50%)", "size 2-64 MiB",
            "size quota, weighted", "address filter, any pattern");

    static List<Scheme> schemes(int n) {
        return schemes(n, -1);
    }

    /** @return {@code n} schemes cycling through the kinds, or all of kind {@code only} (-1: the mix) */
    static List<Scheme> schemes(int n, int only) {
        List<Scheme> kinds = List.of(
                Scheme.builder(Scheme.STAT).nrAccesses(0, 0).ageAggregations(5, Long.MAX_VALUE).build(),
                Scheme.builder(Scheme.STAT).accessPercent(50, 100).build(),
                Scheme.builder(Scheme.STAT).sizeBytes(2 << 20, 64 << 20).build(),
                Scheme.builder(Scheme.STAT).nrAccesses(0, 2).quota(0, 256 << 20, 1_000).quotaWeights(0, 3, 7)
                        .build(),
                Scheme.builder(Scheme.STAT).filter(SchemeFilter.address(0, 512 << 20, true, true)).build());
        List<Scheme> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(kinds.get(only >= 0 ? only : i % kinds.size()));
        }
        return out;
    }

    /** One measured run: wall time per aggregation, the part of it spent applying schemes, regions tried. */
    record Result(double nanosPerAggregation, double schemeNanosPerAggregation, double triedPerAggregation) {
        double samplingNanosPerAggregation() {
            return nanosPerAggregation - schemeNanosPerAggregation;
        }

        /** @return the schemes' time over the rest of the loop's (sampling, counting, merging, splitting) */
        double shareOfSampling() {
            return schemeNanosPerAggregation / samplingNanosPerAggregation();
        }
    }

    public static void main(String[] args) throws Exception {
        ENGINE_LOG.setLevel(java.util.logging.Level.WARNING);
        int[] counts = args.length > 0 ? new int[] {Integer.parseInt(args[0])} : new int[] {1, 4, 16};
        System.out.printf(Locale.ROOT, "%d regions, %d samples per aggregation, median of 5 runs of %d"
                + " aggregations; the schemes' time measured in the run (RunCosts.schemeNanos)%n", REGIONS,
                MonitoringAttributes.DEFAULTS.samplesPerAggregation(), AGGREGATIONS);
        System.out.printf(Locale.ROOT, "%-32s %14s %18s %16s %14s %12s%n", "schemes", "us/aggregation",
                "sampling us/aggr", "scheme ns/region", "of sampling", "tried/aggr");
        int onlyKind = args.length > 1 ? Integer.parseInt(args[1]) : -1;
        for (int n : counts) {
            print(n + (onlyKind < 0 ? " (the mix)" : " x " + KIND_NAMES.get(onlyKind)), n, onlyKind);
        }
        for (int k = 0; k < KIND_NAMES.size() && args.length == 0; k++) {
            print("16 x " + KIND_NAMES.get(k), 16, k);
        }
        for (int n : counts) {
            if (onlyKind < 0) {
                print(n + " (the mix), tried regions noted", n, -1, true);
            }
        }
        System.out.println("goal: schemes under 20% of the sampling cost (16 schemes of the mix)");
    }

    private static void print(String label, int n, int kind) throws Exception {
        print(label, n, kind, false);
    }

    private static void print(String label, int n, int kind, boolean collectTried) throws Exception {
        Result[] rounds = new Result[5];
        for (int i = 0; i < rounds.length; i++) {
            rounds[i] = measure(n, kind, collectTried);
        }
        Arrays.sort(rounds, java.util.Comparator.comparingDouble(Result::shareOfSampling));
        Result m = rounds[rounds.length / 2];
        System.out.printf(Locale.ROOT, "%-32s %14.1f %18.1f %16.2f %13.1f%% %12.0f%n", label,
                m.nanosPerAggregation() / 1_000, m.samplingNanosPerAggregation() / 1_000,
                m.schemeNanosPerAggregation() / REGIONS, 100 * m.shareOfSampling(), m.triedPerAggregation());
    }

    /**
     * One run of the real loop with {@code n} schemes of {@code kind} (-1: the mix), after a warm-up run;
     * with {@code collectTried}, a callback asks for the tried regions at every aggregation, as a recorder of
     * them does (else they are not noted, as in Linux until asked).
     */
    private static Result measure(int n, int kind, boolean collectTried) throws Exception {
        DamonEngine engine = new DamonEngine();
        MonitoringAttributes attrs = MonitoringAttributes.DEFAULTS.withNrRegions(REGIONS, REGIONS);
        int samples = AGGREGATIONS * attrs.samplesPerAggregation();
        KdamondContext ctx = engine.newContext(ContextDefinition.builder("schemes" + n, "in-memory").target("all")
                .attributes(attrs).schemes(schemes(n, kind)).build(), new InMemoryPrimitive(1L << 30, 3));
        if (collectTried) {
            ctx.addCallback("asks", new io.jdamon.api.Callback() {
                @Override
                public io.jdamon.api.CallbackResult afterAggregation(io.jdamon.api.ContextView v) {
                    v.collectTriedRegions();
                    return io.jdamon.api.CallbackResult.CONTINUE;
                }
            });
        }
        SteppingClock.run(engine, ctx, samples / 4); // warm-up
        long t0 = System.nanoTime();
        SteppingClock.run(engine, ctx, samples);
        long total = System.nanoTime() - t0;
        double tried = 0;
        for (io.jdamon.api.SchemeStats st : ctx.schemeStats()) {
            tried += (double) st.nrTried() / Math.max(1, st.applications());
        }
        return new Result((double) total / AGGREGATIONS, (double) ctx.runCosts().schemeNanos() / AGGREGATIONS,
                tried);
    }

}
