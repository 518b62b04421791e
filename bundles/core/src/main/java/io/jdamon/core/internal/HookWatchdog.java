package io.jdamon.core.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import io.jdamon.api.MonitoringAttributes;

/**
 * Watches the plugin hooks of every running kdamond through its {@link HookStamp}.
 *
 * <p>A hook that has run longer than the <em>hook limit</em> (the larger of
 * the minimum limit, 1 s by default, and 10 aggregation intervals; at least
 * {@link #SETUP_LIMIT_NANOS} for {@code init}) is reported
 * (context, plugin, hook and the kdamond's stack, in the log and in the
 * context's status) and its thread is interrupted. If the same hook is still
 * running a grace time (the minimum limit) after the interrupt, the context is
 * {@linkplain KdamondContext#abandon abandoned}: the engine stops counting it
 * as running, everyone waiting for it is released, and the thread is left to
 * itself.
 *
 * <p>Runs on one daemon thread of its own, only while some kdamond runs, and
 * looks every quarter of the minimum limit (at most every 100 ms).
 */
final class HookWatchdog {

    /** The least hook limit: 1 s. */
    static final long DEFAULT_MIN_LIMIT_NANOS = 1_000_000_000L;
    /** The hook limit in aggregation intervals: a hook may take up to this many. */
    static final int LIMIT_AGGREGATIONS = 10;
    /**
     * The least limit of a hook that sets the run up ({@code init}: opening
     * every target, which for a large process reads much of {@code /proc}): 10 s.
     */
    static final long SETUP_LIMIT_NANOS = 10_000_000_000L;
    /** Stack frames shown in a status detail (the log has them all). */
    private static final int STATUS_FRAMES = 8;

    private static final Logger LOG = System.getLogger("io.jdamon.core");

    private final DamonEngine engine;
    private final long minLimitNanos;
    private final long periodNanos;
    /** The watchdog thread while it runs; guarded by this. */
    private Thread thread;
    /** Hooks past their limit, by context: which entry of the hook, and when it was interrupted. */
    private final Map<KdamondContext, Overrun> overruns = new IdentityHashMap<>();

    private record Overrun(long enteredNanos, long interruptedNanos) {
    }

    HookWatchdog(DamonEngine engine, long minLimitNanos) {
        if (minLimitNanos <= 0) {
            throw new IllegalArgumentException("the least hook limit must be positive, not " + minLimitNanos + " ns");
        }
        this.engine = engine;
        this.minLimitNanos = minLimitNanos;
        this.periodNanos = Math.min(minLimitNanos / 4, 100_000_000L);
    }

    /** @return how long a hook of a context with these attributes may run: the larger of the minimum and 10 aggregations */
    long limitNanos(MonitoringAttributes attributes) {
        long aggregationUs = attributes.aggregationIntervalUs();
        long cap = Long.MAX_VALUE / 4 / 1_000 / LIMIT_AGGREGATIONS; // keeps the sums below from overflowing
        return Math.max(minLimitNanos, Math.min(aggregationUs, cap) * 1_000 * LIMIT_AGGREGATIONS);
    }

    /** @return from a hook's entry, how long until its context is abandoned: the limit and the grace after the interrupt */
    long abandonAfterNanos(MonitoringAttributes attributes) {
        return limitNanos(attributes) + minLimitNanos;
    }

    /** @return the least hook limit, also the grace an interrupted hook gets to return */
    long minLimitNanos() {
        return minLimitNanos;
    }

    /** @return how often the watchdog looks */
    long periodNanos() {
        return periodNanos;
    }

    /** A kdamond was started: make sure the watchdog runs. Call holding no engine lock. */
    synchronized void wake() {
        if (thread == null) {
            Thread t = new Thread(this::watch, "jdamon-hook-watchdog");
            t.setDaemon(true);
            thread = t;
            t.start();
        }
    }

    private void watch() {
        while (true) {
            List<KdamondContext> running;
            synchronized (this) {
                running = engine.running();
                if (running.isEmpty()) {
                    overruns.clear();
                    thread = null;
                    return;
                }
            }
            check(running, System.nanoTime());
            LockSupport.parkNanos(this, periodNanos);
        }
    }

    /** One look at every running kdamond's hook. */
    void check(List<KdamondContext> running, long nowNanos) {
        overruns.keySet().retainAll(java.util.Set.copyOf(running));
        for (KdamondContext context : running) {
            HookStamp stamp = context.hookStamp();
            long entered = stamp.enteredNanos();
            Thread kdamond = context.kdamondThread();
            Overrun overrun = overruns.get(context);
            if (overrun != null && overrun.enteredNanos() != entered) {
                overruns.remove(context); // that hook returned after its interrupt
                overrun = null;
            }
            if (entered == 0 || kdamond == null) {
                continue;
            }
            long ranNanos = nowNanos - entered;
            long limit = limitNanos(context.attributes());
            if (stamp.setup()) {
                limit = Math.max(limit, SETUP_LIMIT_NANOS);
            }
            if (overrun == null) {
                if (ranNanos > limit) {
                    interrupt(context, stamp, kdamond, ranNanos, limit);
                    overruns.put(context, new Overrun(entered, nowNanos));
                }
            } else if (nowNanos - overrun.interruptedNanos() > minLimitNanos) {
                abandon(context, stamp, kdamond, ranNanos, limit);
                overruns.remove(context);
            }
        }
    }

    private void interrupt(KdamondContext context, HookStamp stamp, Thread kdamond, long ranNanos, long limit) {
        String what = stamp.kind() + " '" + stamp.pluginName() + "' has been in " + stamp.hook() + " for "
                + seconds(ranNanos) + " s, past the hook limit of " + seconds(limit) + " s (the larger of "
                + (stamp.setup() ? seconds(Math.max(minLimitNanos, SETUP_LIMIT_NANOS)) + " s for a hook that sets"
                        + " the run up" : seconds(minLimitNanos) + " s")
                + " and " + LIMIT_AGGREGATIONS + " aggregation intervals)";
        StackTraceElement[] frames = kdamond.getStackTrace(); // before the interrupt ends the hook
        String stack = format(frames, Integer.MAX_VALUE, "\n\tat ");
        stamp.interrupt(kdamond);
        context.setHookWarning(what + "; its thread " + kdamond.getName() + " was interrupted; stack: "
                + format(frames, STATUS_FRAMES, " < "));
        LOG.log(Level.WARNING, "context ''{0}'': {1}; interrupting {2}. Its stack:{3}", context.name(), what,
                kdamond.getName(), stack);
    }

    private void abandon(KdamondContext context, HookStamp stamp, Thread kdamond, long ranNanos, long limit) {
        StackTraceElement[] frames = kdamond.getStackTrace();
        String detail = stamp.kind() + " '" + stamp.pluginName() + "' did not return from " + stamp.hook()
                + " within the hook limit of " + seconds(limit) + " s, nor within " + seconds(minLimitNanos)
                + " s of its thread " + kdamond.getName() + " being interrupted (" + seconds(ranNanos)
                + " s in all); the engine abandoned the kdamond. Stack: " + format(frames, STATUS_FRAMES, " < ")
                + ". Fix or remove the plugin; a new configuration of the context or a new registration of "
                + "its primitive starts it afresh";
        String stack = format(frames, Integer.MAX_VALUE, "\n\tat ");
        if (context.abandon(detail)) {
            LOG.log(Level.ERROR, "context ''{0}'' abandoned: {1}. The stack of {2}:{3}", context.name(), detail,
                    kdamond.getName(), stack);
        }
    }

    /** @return the top frames, each after the separator (the first one without it if it starts with a space) */
    static String format(StackTraceElement[] stack, int frames, String separator) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < stack.length && i < frames; i++) {
            if (i > 0 || !separator.startsWith(" ")) {
                out.append(separator);
            }
            out.append(stack[i]);
        }
        if (stack.length > frames) {
            out.append(separator).append("...");
        }
        return out.toString();
    }

    /** @return nanoseconds as seconds with up to three decimals, e.g. {@code 1.25} */
    static String seconds(long nanos) {
        String s = String.format(Locale.ROOT, "%.3f", nanos / 1e9);
        return s.replaceFirst("\\.?0+$", "");
    }
}
