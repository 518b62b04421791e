package io.jdamon.core.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.Callback;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextView;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.TargetSnapshot;

/** Logs its hooks into a shared event list and keeps every aggregation it sees. */
class RecordingCallback implements Callback {
    final List<String> events;
    final List<AggregationSnapshot> aggregations = new CopyOnWriteArrayList<>();
    volatile boolean logSamples = true;
    volatile int stopAfterAggregations = -1;
    volatile String throwIn;
    volatile String thread;

    RecordingCallback(List<String> events) {
        this.events = events;
    }

    private void hook(String name) {
        if (logSamples || !name.equals("afterSampling")) {
            events.add(name);
        }
        if (name.equals(throwIn)) {
            throw new IllegalArgumentException("callback failure in " + name);
        }
    }

    @Override
    public CallbackResult beforeStart(ContextView ctx) {
        thread = Thread.currentThread().getName();
        hook("beforeStart");
        return CallbackResult.CONTINUE;
    }

    @Override
    public CallbackResult afterSampling(ContextView ctx) {
        hook("afterSampling");
        return CallbackResult.CONTINUE;
    }

    @Override
    public CallbackResult afterAggregation(ContextView ctx) {
        hook("afterAggregation");
        aggregations.add(copy(ctx));
        return stopAfterAggregations > 0 && aggregations.size() >= stopAfterAggregations
                ? CallbackResult.STOP : CallbackResult.CONTINUE;
    }

    @Override
    public CallbackResult beforeTerminate(ContextView ctx) {
        hook("beforeTerminate");
        return CallbackResult.CONTINUE;
    }

    /** Reads the live view the way a recorder would. */
    static AggregationSnapshot copy(ContextView ctx) {
        List<TargetSnapshot> targets = new java.util.ArrayList<>();
        for (int t = 0; t < ctx.targetCount(); t++) {
            var view = ctx.target(t);
            List<RegionSnapshot> regions = new java.util.ArrayList<>();
            for (int i = 0; i < view.regionCount(); i++) {
                regions.add(new RegionSnapshot(view.regionStart(i), view.regionEnd(i), view.nrAccesses(i), view.age(i)));
            }
            targets.add(new TargetSnapshot(t, view.spec(), regions));
        }
        return new AggregationSnapshot(ctx.name(), ctx.aggregationsPassed(), ctx.aggregationStartNanos(),
                ctx.aggregationEndNanos(), ctx.attributes().sampleIntervalUs(), ctx.attributes().aggregationIntervalUs(),
                targets);
    }
}
