package io.jdamon.itests.callback;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Component;

import io.jdamon.api.Callback;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextView;

/**
 * The callback {@value #NAME}: counts its hook calls per context, and the
 * aggregations it missed (a jump in {@link ContextView#aggregationsPassed()}
 * between two {@code afterAggregation} calls of one run).
 *
 * <p>Tests read the counts through {@link Supplier#get()} (a JDK type, so
 * they stay readable after this bundle left), keys {@code <context>/<hook>}
 * with hooks beforeStart, afterSampling, afterAggregation, beforeTerminate
 * and the extra key {@code <context>/missedAggregations}.
 */
@Component(service = Callback.class, property = Callback.SERVICE_PROPERTY + "=" + CountingCallback.NAME)
public final class CountingCallback implements Callback, Supplier<Map<String, Long>> {

    /** This callback's {@value Callback#SERVICE_PROPERTY}. */
    public static final String NAME = "counting";

    private final Map<String, Counters> perContext = new ConcurrentHashMap<>();

    private static final class Counters {
        final AtomicLong beforeStart = new AtomicLong();
        final AtomicLong afterSampling = new AtomicLong();
        final AtomicLong afterAggregation = new AtomicLong();
        final AtomicLong beforeTerminate = new AtomicLong();
        final AtomicLong missedAggregations = new AtomicLong();
        volatile long lastAggregationsPassed = -1;
    }

    private Counters of(ContextView ctx) {
        return perContext.computeIfAbsent(ctx.name(), k -> new Counters());
    }

    @Override
    public CallbackResult beforeStart(ContextView ctx) {
        Counters c = of(ctx);
        c.beforeStart.incrementAndGet();
        c.lastAggregationsPassed = -1;
        return CallbackResult.CONTINUE;
    }

    @Override
    public CallbackResult afterSampling(ContextView ctx) {
        of(ctx).afterSampling.incrementAndGet();
        return CallbackResult.CONTINUE;
    }

    @Override
    public CallbackResult afterAggregation(ContextView ctx) {
        Counters c = of(ctx);
        c.afterAggregation.incrementAndGet();
        long now = ctx.aggregationsPassed();
        if (c.lastAggregationsPassed >= 0 && now != c.lastAggregationsPassed + 1) {
            c.missedAggregations.addAndGet(Math.abs(now - c.lastAggregationsPassed - 1));
        }
        c.lastAggregationsPassed = now;
        return CallbackResult.CONTINUE;
    }

    @Override
    public CallbackResult beforeTerminate(ContextView ctx) {
        of(ctx).beforeTerminate.incrementAndGet();
        return CallbackResult.CONTINUE;
    }

    @Override
    public Map<String, Long> get() {
        Map<String, Long> out = new TreeMap<>();
        perContext.forEach((name, c) -> {
            out.put(name + "/beforeStart", c.beforeStart.get());
            out.put(name + "/afterSampling", c.afterSampling.get());
            out.put(name + "/afterAggregation", c.afterAggregation.get());
            out.put(name + "/beforeTerminate", c.beforeTerminate.get());
            out.put(name + "/missedAggregations", c.missedAggregations.get());
        });
        return out;
    }
}
