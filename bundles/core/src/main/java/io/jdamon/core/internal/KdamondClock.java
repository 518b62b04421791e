package io.jdamon.core.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * The kdamond's time: where its run's times come from and how it waits for
 * the next sample. {@link #SYSTEM} is the real one; a test or benchmark
 * injects one that does not sleep, to drive the real loop as fast as it runs
 * (see {@link DamonEngine#runOnThisThread}).
 */
public interface KdamondClock {

    /** @return now, in nanoseconds from an arbitrary origin, as {@link System#nanoTime()} */
    long nanoTime();

    /**
     * Waits for up to {@code nanos}, or less when woken ({@link LockSupport#unpark}
     * by a stop request); the kdamond checks the time and the stop flag afterwards.
     */
    void park(Object blocker, long nanos);

    /** The system's clock and {@link LockSupport#parkNanos(Object, long)}. */
    KdamondClock SYSTEM = new KdamondClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void park(Object blocker, long nanos) {
            LockSupport.parkNanos(blocker, nanos);
        }

        @Override
        public String toString() {
            return "system clock";
        }
    };
}
