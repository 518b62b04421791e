package io.jdamon.core.internal;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.MonitoringAttributes;

/**
 * The engine's own cost of one sample, measured on the real kdamond loop
 * ({@link Kdamond#run}) driven by a clock that never sleeps ({@link SteppingClock}): picking sampling
 * addresses, the in-memory primitive's prepare and check, counting, and
 * (every 20th sample, as with the default 5 ms / 100 ms) merging, resetting
 * and splitting. Each invocation is one run of {@link #SAMPLES} samples (50 s
 * of monitoring at 5 ms), so a run's start and end (the primitive's init,
 * the targets' arrays, the regions' first split) weigh little; the engine's
 * INFO lines at each run's start and end are silenced. Regions are held at exactly {@code regions} (min =
 * max), DAMON's steady state at its maximum. Run by {@link EngineBench}
 * ({@code jdamon bench engine}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SampleLoopBenchmark {

    /** Samples per run of the loop: one JMH invocation. */
    static final int SAMPLES = 10_000;

    @Param({"100", "1000", "10000"})
    public int regions;

    /** held, so that its level stays set (java.util.logging keeps loggers weakly) */
    private static final java.util.logging.Logger ENGINE_LOG = java.util.logging.Logger.getLogger("io.jdamon.core");

    private DamonEngine engine;
    private KdamondContext context;

    @Setup(Level.Trial)
    public void setUp() {
        ENGINE_LOG.setLevel(java.util.logging.Level.WARNING);
        engine = new DamonEngine();
        MonitoringAttributes attrs = MonitoringAttributes.DEFAULTS.withNrRegions(regions, regions);
        InMemoryPrimitive primitive = new InMemoryPrimitive(1L << 30, 3); // 1 GiB, a third hot: its bitmap stays in cache
        context = engine.newContext(new ContextDefinition("bench", "in-memory", List.of("all"), attrs), primitive);
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public long run() throws Exception {
        SteppingClock.run(engine, context, SAMPLES);
        int actual = context.lastAggregation().orElseThrow().regionCount();
        if (actual != regions) {
            throw new IllegalStateException("expected " + regions + " regions, the engine kept " + actual);
        }
        return context.status().samples();
    }
}
