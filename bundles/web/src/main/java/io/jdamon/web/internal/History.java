package io.jdamon.web.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.MonitoringEngine;

/**
 * The recent aggregations of every context, for the pages: a ring of at most
 * {@value #CAPACITY} snapshots per context, filled by polling
 * {@link MonitoringContext#lastAggregation()} every {@value #POLL_MS} ms (the
 * API has no aggregation event to subscribe to without hooking into the
 * kdamond). Memory is bounded by the ring size times the snapshots' region
 * count ({@code maxNrRegions}); a context the engine forgets loses its ring.
 */
@Component(service = History.class)
public final class History {

    /** Snapshots kept per context. */
    public static final int CAPACITY = 240;
    /** How often the engine is asked for new aggregations, in milliseconds. */
    public static final long POLL_MS = 20;

    /** One snapshot, numbered in the order this history saw it, and when (epoch ms). */
    public record Entry(long seq, long seenMillis, AggregationSnapshot snapshot) {
    }

    /** A fixed-size ring of entries; waiters are woken on each new one. */
    static final class Ring {
        private final Entry[] entries = new Entry[CAPACITY];
        private long next; // seq of the next entry

        synchronized void add(AggregationSnapshot s, long seenMillis) {
            entries[(int) (next % CAPACITY)] = new Entry(next, seenMillis, s);
            next++;
            notifyAll();
        }

        synchronized Entry last() {
            return next == 0 ? null : entries[(int) ((next - 1) % CAPACITY)];
        }

        /** @return the entries after {@code seq}, oldest first (at most {@link #CAPACITY}) */
        synchronized List<Entry> after(long seq) {
            long from = Math.max(seq + 1, next - CAPACITY);
            Entry[] out = new Entry[(int) Math.max(0, next - from)];
            for (long s = from; s < next; s++) {
                out[(int) (s - from)] = entries[(int) (s % CAPACITY)];
            }
            return List.of(out);
        }

        synchronized List<Entry> awaitAfter(long seq, long timeoutMs) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (next - 1 <= seq) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return List.of();
                }
                wait(left);
            }
            return after(seq);
        }
    }

    private final Map<String, Ring> rings = new ConcurrentHashMap<>();
    private final MonitoringEngine engine;
    private final ScheduledExecutorService poller;

    @Activate
    public History(@Reference MonitoringEngine engine) {
        this.engine = engine;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jdamon-web-history");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::poll, 0, POLL_MS, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        poller.shutdownNow();
    }

    /** Takes each context's new aggregation, if any; forgets contexts that are gone. */
    void poll() {
        try {
            Set<String> seen = new HashSet<>();
            for (MonitoringContext c : engine.contexts()) {
                seen.add(c.name());
                Optional<AggregationSnapshot> s = c.lastAggregation();
                Ring ring = rings.computeIfAbsent(c.name(), n -> new Ring());
                if (s.isPresent()) {
                    Entry last = ring.last();
                    AggregationSnapshot now = s.get();
                    if (last == null || !sameInterval(last.snapshot(), now)) {
                        ring.add(now, System.currentTimeMillis());
                    }
                }
            }
            rings.keySet().retainAll(seen);
        } catch (RuntimeException e) {
            // a context disposed while asked: the next poll sees the engine as it is
        }
    }

    private static boolean sameInterval(AggregationSnapshot a, AggregationSnapshot b) {
        return a.aggregationIndex() == b.aggregationIndex() && a.endNanos() == b.endNanos();
    }

    /** @return the ring of a context the engine knows, if any */
    Optional<Ring> ring(String context) {
        return Optional.ofNullable(rings.get(context));
    }
}
