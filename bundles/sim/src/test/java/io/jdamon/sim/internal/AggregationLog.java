package io.jdamon.sim.internal;

import java.util.ArrayList;
import java.util.List;

import io.jdamon.api.Callback;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextView;
import io.jdamon.api.TargetView;

/** A callback that notes, per aggregation interval, its length, the region count and the working set size. */
final class AggregationLog implements Callback {

    /** One aggregation interval as the kdamond saw it. */
    record Row(long intervalNanos, int regions, long workingSetBytes, long totalBytes) {
    }

    private final List<Row> rows = new ArrayList<>();

    @Override
    public CallbackResult afterAggregation(ContextView ctx) {
        long wss = 0;
        long total = 0;
        int regions = 0;
        for (int t = 0; t < ctx.targetCount(); t++) {
            TargetView tv = ctx.target(t);
            for (int i = 0; i < tv.regionCount(); i++) {
                regions++;
                long size = tv.regionEnd(i) - tv.regionStart(i);
                total += size;
                if (tv.nrAccesses(i) > 0) {
                    wss += size;
                }
            }
        }
        Row row = new Row(ctx.elapsedNanos() - ctx.aggregationStartNanos(), regions, wss, total);
        synchronized (this) {
            rows.add(row);
            notifyAll();
        }
        return CallbackResult.CONTINUE;
    }

    synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    /** @return the time the rows cover, in nanoseconds: the sum of their intervals */
    long monitoredNanos() {
        return rows().stream().mapToLong(Row::intervalNanos).sum();
    }

    /**
     * Waits until at least {@code n} rows are logged.
     *
     * @return true if they are, false if {@code timeoutMs} passed first
     */
    synchronized boolean awaitRows(int n, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (rows.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** @return the median working set size, in bytes, of all rows */
    long medianWorkingSetBytes() {
        long[] w = rows().stream().mapToLong(Row::workingSetBytes).sorted().toArray();
        return w.length == 0 ? 0 : w[w.length / 2];
    }

    /** @return the share of rows whose interval lies in [minNanos, maxNanos] */
    double shareOfIntervalsWithin(long minNanos, long maxNanos) {
        List<Row> r = rows();
        return (double) r.stream().filter(x -> x.intervalNanos() >= minNanos && x.intervalNanos() <= maxNanos).count()
                / Math.max(1, r.size());
    }

    /** @return the share of rows whose region count lies in [min, max] */
    double shareOfRegionCountsWithin(int min, int max) {
        List<Row> r = rows();
        return (double) r.stream().filter(x -> x.regions() >= min && x.regions() <= max).count() / Math.max(1, r.size());
    }
}
