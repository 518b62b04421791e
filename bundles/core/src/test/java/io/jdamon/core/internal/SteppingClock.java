package io.jdamon.core.internal;

import java.util.function.LongConsumer;

import io.jdamon.api.StopReason;

/**
 * A kdamond clock that never sleeps: parking moves its time on to the
 * deadline at once, so the real loop runs as fast as it can. The kdamond
 * parks once per sample, after preparing the checks and before making them;
 * there the test may look or change something, and after the last sample
 * it stops the run.
 */
final class SteppingClock implements KdamondClock {

    private final KdamondContext context;
    private final long samples;
    private final LongConsumer atSample;
    private long now = 1_000_000_000L;
    private long parked;

    private SteppingClock(KdamondContext context, long samples, LongConsumer atSample) {
        this.context = context;
        this.samples = samples;
        this.atSample = atSample;
    }

    /**
     * Runs {@code context} of {@code engine} on this thread for {@code samples} samples.
     *
     * @param atSample told the number (from 1) of each sample, before its checks are made
     */
    static void run(DamonEngine engine, KdamondContext context, long samples, LongConsumer atSample)
            throws Exception {
        engine.runOnThisThread(context, new SteppingClock(context, samples, atSample));
    }

    static void run(DamonEngine engine, KdamondContext context, long samples) throws Exception {
        run(engine, context, samples, n -> {
        });
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void park(Object blocker, long nanos) {
        now += nanos;
        atSample.accept(++parked);
        if (parked >= samples) {
            context.requestStop(StopReason.STOP_REQUESTED, "the test's " + samples + " samples are done");
        }
    }
}
