package io.jdamon.core.internal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import io.jdamon.api.StopReason;

/**
 * A context's runs, one after another: which thread is its kdamond, whether
 * and why it was asked to stop, when it ended, and whether the engine gave
 * it up. Read from any thread; changed under this object's lock.
 */
final class ContextLifecycle {

    /** Told once per run that it ended: by its kdamond, or by {@link #abandon}. */
    interface EndListener {
        void runEnded();
    }

    private final EndListener onEnd;
    private volatile Thread thread;
    private volatile boolean stopRequested;
    private volatile StopReason stopReason;
    private volatile String stopDetail = "";
    private volatile boolean everRan;
    private volatile boolean exclusive;
    private volatile CountDownLatch terminated = new CountDownLatch(0);
    /** Whether the current run's end was counted. */
    private volatile AtomicBoolean ended = new AtomicBoolean(true);
    /** Set for good when the engine gave up a kdamond stuck in a hook. */
    private volatile boolean abandoned;

    ContextLifecycle(EndListener onEnd) {
        this.onEnd = onEnd;
    }

    /** A new run begins on {@code kdamond} (not started yet, or the calling thread). */
    synchronized void begins(Thread kdamond, boolean exclusiveGroup) {
        stopRequested = false;
        stopReason = null;
        stopDetail = "";
        exclusive = exclusiveGroup;
        everRan = true;
        terminated = new CountDownLatch(1);
        ended = new AtomicBoolean();
        thread = kdamond;
    }

    /** The kdamond's last step: the run is over (unless abandoned already, which counted it). */
    void kdamondEnds() {
        synchronized (this) {
            if (thread == Thread.currentThread()) {
                thread = null;
            }
        }
        countEnd();
    }

    private void countEnd() {
        if (ended.compareAndSet(false, true)) {
            onEnd.runEnded();
            terminated.countDown();
        }
    }

    /** Asks the run to stop; the first reason given is kept. */
    synchronized void askStop(StopReason reason, String detail) {
        if (stopReason == null) {
            stopReason = reason;
            stopDetail = detail;
        }
        stopRequested = true;
    }

    /**
     * Asks a running kdamond to stop and wakes it, without waiting.
     *
     * @return what counts down when the run ended (or was abandoned), or null if it was not running
     */
    CountDownLatch requestStop(StopReason reason, String detail) {
        Thread t;
        CountDownLatch done;
        synchronized (this) {
            t = thread;
            done = terminated;
            if (t == null) {
                return null;
            }
            askStop(reason, detail);
        }
        LockSupport.unpark(t);
        return done;
    }

    /**
     * Asks the kdamond to stop and waits until it ended. Called from the
     * kdamond itself (a callback stopping its own context), it only asks.
     *
     * @return false if it was not running
     */
    boolean stopAndWait(StopReason reason, String detail) throws InterruptedException {
        CountDownLatch done = requestStop(reason, detail);
        if (done == null) {
            return false;
        }
        if (thread != Thread.currentThread()) {
            done.await();
        }
        return true;
    }

    /**
     * Gives up the kdamond, stuck in a hook that ignored its interrupt: the run counts as ended
     * and the context stays abandoned; the thread is left to end by itself if the hook returns.
     *
     * @return false if no kdamond ran
     */
    boolean abandon(String detail) {
        synchronized (this) {
            if (thread == null) {
                return false;
            }
            abandoned = true;
            stopRequested = true;
            stopReason = StopReason.HOOK_ABANDONED;
            stopDetail = detail;
            thread = null;
        }
        countEnd();
        return true;
    }

    boolean stopRequested() {
        return stopRequested;
    }

    /** @return the kdamond thread while a run goes on, else null */
    Thread thread() {
        return thread;
    }

    boolean isRunning() {
        return thread != null;
    }

    boolean everRan() {
        return everRan;
    }

    boolean isExclusive() {
        return exclusive;
    }

    boolean isAbandoned() {
        return abandoned;
    }

    /** @return why the last run stopped (or is stopping), or null */
    StopReason stopReason() {
        return stopReason;
    }

    String stopDetail() {
        return stopDetail;
    }

    /** @return what counts down when the current (or last) run ended */
    CountDownLatch terminated() {
        return terminated;
    }
}
