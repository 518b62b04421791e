package io.jdamon.shell.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.Callback;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextView;
import io.jdamon.api.MonitoringContext;
import io.jdamon.shell.internal.ContextControl.ControlException;

/**
 * The aggregations of a running context, taken as they end, for a report
 * without a record file: a callback joins the context, keeps the snapshot of
 * each aggregation it sees ({@link MonitoringContext#lastAggregation()} is
 * published before {@code afterAggregation}) and leaves when it has enough.
 * Memory is the wanted number of snapshots, each at most {@code maxNrRegions}
 * regions.
 */
final class LiveReport {

    /** Most aggregations one report takes: 10,000 snapshots of 1,000 regions are about 300 MiB. */
    static final int MAX_AGGREGATIONS = 10_000;
    /** What waiting for the aggregations may add to their own time: {@value} ms. */
    private static final long SLACK_MILLIS = 10_000;
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private LiveReport() {
    }

    /** The callback: collects until it has {@code wanted} snapshots or the run ends. */
    private static final class Collector implements Callback {
        private final MonitoringContext context;
        private final int wanted;
        private final List<AggregationSnapshot> snapshots = new ArrayList<>();
        private final CountDownLatch done = new CountDownLatch(1);

        Collector(MonitoringContext context, int wanted) {
            this.context = context;
            this.wanted = wanted;
        }

        @Override
        public CallbackResult afterAggregation(ContextView ctx) {
            synchronized (snapshots) {
                if (snapshots.size() < wanted) {
                    context.lastAggregation().ifPresent(snapshots::add);
                }
                if (snapshots.size() >= wanted) {
                    done.countDown();
                }
            }
            return CallbackResult.CONTINUE;
        }

        @Override
        public CallbackResult beforeTerminate(ContextView ctx) {
            done.countDown(); // the run ends (or this callback was removed): report what there is
            return CallbackResult.CONTINUE;
        }

        List<AggregationSnapshot> snapshots() {
            synchronized (snapshots) {
                return List.copyOf(snapshots);
            }
        }
    }

    /**
     * Waits for the next {@code wanted} aggregations of a running context.
     *
     * @return the snapshots, oldest first; fewer than wanted if the run ended first
     * @throws ControlException if the context does not run, or gave no aggregation in time
     */
    static List<AggregationSnapshot> next(MonitoringContext context, int wanted)
            throws ControlException, InterruptedException {
        if (wanted < 1 || wanted > MAX_AGGREGATIONS) {
            throw new ControlException("--aggregations " + wanted + " is out of range; give 1 to " + MAX_AGGREGATIONS);
        }
        if (!context.isRunning()) {
            throw new ControlException("context '" + context.name() + "' does not run (" + context.status().state()
                    + "); start it, or report on its record file with 'jdamon report'");
        }
        Collector collector = new Collector(context, wanted);
        context.addCallback("shell.report." + SEQUENCE.incrementAndGet(), collector);
        long waitMillis = SLACK_MILLIS + 2 * wanted * (context.attributes().aggregationIntervalUs() / 1000);
        try {
            if (!collector.done.await(waitMillis, TimeUnit.MILLISECONDS)) {
                List<AggregationSnapshot> some = collector.snapshots();
                if (some.isEmpty()) {
                    throw new ControlException("context '" + context.name() + "' gave no aggregation in "
                            + waitMillis / 1000 + " s; see its status");
                }
                return some;
            }
        } finally {
            context.removeCallback(collector);
        }
        List<AggregationSnapshot> got = collector.snapshots();
        if (got.isEmpty()) {
            throw new ControlException("context '" + context.name() + "' stopped before an aggregation ended ("
                    + context.status().stopReason().map(Object::toString).orElse("stopped") + ")");
        }
        return got;
    }

    /**
     * @return the context's last aggregation, or the next one if it has none yet
     */
    static AggregationSnapshot last(MonitoringContext context) throws ControlException, InterruptedException {
        Optional<AggregationSnapshot> last = context.lastAggregation();
        return last.isPresent() ? last.get() : next(context, 1).get(0);
    }
}
