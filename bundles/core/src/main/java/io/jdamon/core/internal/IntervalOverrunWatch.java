package io.jdamon.core.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * Notices when a kdamond's hooks take longer than its intervals allow: an
 * aggregation interval that lasted much longer than its samples were planned
 * to take. Says so in the log (at most once every {@value #WARN_EVERY_SECONDS}
 * seconds per context) and in the status detail, naming the slowest hook.
 * The snapshots carry the real times in any case.
 *
 * <p>Written by the kdamond thread; {@link #detail()} is read from any thread.
 * Keeping track allocates nothing; only a warning builds strings.
 */
final class IntervalOverrunWatch {

    private static final Logger LOG = System.getLogger("io.jdamon.core");
    static final int WARN_EVERY_SECONDS = 10;
    private static final long WARN_EVERY_NANOS = WARN_EVERY_SECONDS * 1_000_000_000L;

    private long slowestNanos;
    private String slowestKind = "";
    private String slowestPlugin = "";
    private String slowestHook = "";
    private int overrunsSinceWarning;
    private boolean warned;
    private long lastWarningNanos;
    private long lastOverrunNanos;
    private volatile String detail = "";

    /** A new run: forgets everything. */
    void reset() {
        slowestNanos = 0;
        overrunsSinceWarning = 0;
        warned = false;
        detail = "";
    }

    /** Time zero, or a new aggregation interval: hooks before it do not count against it. */
    void intervalStarts() {
        slowestNanos = 0;
    }

    /** A hook just returned after {@code nanos}; {@code stamp} still names it. */
    void hookTook(HookStamp stamp, long nanos) {
        if (nanos > slowestNanos) {
            slowestNanos = nanos;
            slowestKind = stamp.kind();
            slowestPlugin = stamp.pluginName();
            slowestHook = stamp.hook();
        }
    }

    /**
     * An aggregation interval ended.
     *
     * @param actualNanos how long it lasted
     * @param samples samples taken in it
     * @param sampleNanos the sample interval in use
     * @param nowNanos the run's clock now
     * @return whether it ended late: it lasted more than 1.5 times the planned time
     */
    boolean aggregationEnded(String contextName, long index, long actualNanos, int samples, long sampleNanos,
            long nowNanos) {
        long plannedNanos = samples * sampleNanos;
        boolean late = actualNanos > plannedNanos + plannedNanos / 2;
        if (late) {
            overrunsSinceWarning++;
            lastOverrunNanos = nowNanos;
            // the status always tells the latest overrun (this allocates, but only while intervals overrun);
            // the log at most once every WARN_EVERY_SECONDS
            String slowest = slowestNanos >= (actualNanos - plannedNanos) / 2
                    ? "; slowest hook: " + slowestKind + " '" + slowestPlugin + "' " + slowestHook + " took "
                            + duration(slowestNanos)
                    : "; no hook took long: the sample interval may be shorter than this machine's timers and"
                            + " scheduling allow";
            detail = String.format(Locale.ROOT,
                    "hooks overran the intervals: aggregation %d lasted %s instead of %s (%d samples of %s)%s;"
                            + " snapshots carry the real times; make the slow hook quicker or lengthen the"
                            + " sample and aggregation intervals",
                    index, duration(actualNanos), duration(plannedNanos), samples, duration(sampleNanos), slowest);
            if (!warned || nowNanos - lastWarningNanos >= WARN_EVERY_NANOS) {
                String more = overrunsSinceWarning > 1
                        ? " (" + overrunsSinceWarning + " aggregations overran since the last warning)" : "";
                LOG.log(Level.WARNING, "context ''{0}'': {1}{2}", contextName, detail, more);
                warned = true;
                lastWarningNanos = nowNanos;
                overrunsSinceWarning = 0;
            }
        } else if (warned && !detail.isEmpty() && nowNanos - lastOverrunNanos >= WARN_EVERY_NANOS) {
            detail = ""; // in time again for a while
        }
        intervalStarts();
        return late;
    }

    /** @return the last warning while intervals overrun, else empty */
    String detail() {
        return detail;
    }

    static String duration(long nanos) {
        if (nanos >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
        }
        if (nanos >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.3f us", nanos / 1e3);
    }
}
