package io.jdamon.core.internal.osgi;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The configured contexts held back because an exclusive group runs, and the
 * one scheduled retry that tries to start them again every
 * {@value #START_RETRY_MS} ms until they start. Guarded by the caller's lock;
 * the retry itself runs on a daemon thread of its own.
 */
final class StartRetry {

    /** How often contexts held back by an exclusive group try to start again. */
    static final long START_RETRY_MS = 250;

    private final Set<ConfiguredContext> held = Collections.newSetFromMap(new IdentityHashMap<>());
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jdamon-start-retry");
        t.setDaemon(true);
        return t;
    });
    private final Runnable retry;
    private ScheduledFuture<?> scheduled;

    /** @param retry what runs at each retry: it takes the caller's lock and calls {@link #held()} */
    StartRetry(Runnable retry) {
        this.retry = retry;
    }

    /**
     * Holds the context back and makes sure a retry is scheduled.
     *
     * @return true if it was not held back before
     */
    boolean hold(ConfiguredContext c) {
        boolean added = held.add(c);
        if (scheduled == null && !timer.isShutdown()) {
            scheduled = timer.schedule(this::fire, START_RETRY_MS, TimeUnit.MILLISECONDS);
        }
        return added;
    }

    private void fire() {
        retry.run();
    }

    /** The retry ran (called under the caller's lock before it retries). */
    void fired() {
        scheduled = null;
    }

    /** @return true if it was held back */
    boolean release(ConfiguredContext c) {
        return held.remove(c);
    }

    boolean isHeld(ConfiguredContext c) {
        return held.contains(c);
    }

    /** @return the contexts held back now */
    List<ConfiguredContext> held() {
        return List.copyOf(held);
    }

    /** No more retries. */
    void close() {
        timer.shutdownNow();
        held.clear();
    }
}
