package io.jdamon.core.internal;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.MonitoringAttributes;

/**
 * The engine's own cost of one sample: picking sampling addresses, the
 * in-memory primitive's prepare and check, counting, and (every 20th sample,
 * as with the default 5 ms / 100 ms) merging, resetting and splitting. The
 * kdamond's sleep is left out. Regions are held at exactly {@code regions}
 * (min = max), DAMON's steady state at its maximum.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SampleLoopBenchmark {

    @Param({"100", "1000", "10000"})
    public int regions;

    private KdamondContext context;

    @Setup(Level.Trial)
    public void start() {
        DamonEngine engine = new DamonEngine();
        MonitoringAttributes attrs = MonitoringAttributes.DEFAULTS.withNrRegions(regions, regions);
        InMemoryPrimitive primitive = new InMemoryPrimitive(1L << 30, 3); // 1 GiB, a third hot: its bitmap stays in cache
        context = engine.newContext(new ContextDefinition("bench", "in-memory", List.of("all"), attrs), primitive);
        context.beginRun(primitive);
    }

    @Benchmark
    public boolean sample() {
        return context.beginSample() & context.endSample();
    }

    @TearDown(Level.Trial)
    public void check() {
        int actual = context.lastAggregation().orElseThrow().regionCount();
        if (actual != regions) {
            throw new IllegalStateException("expected " + regions + " regions, the engine kept " + actual);
        }
        context.endRun();
    }
}
