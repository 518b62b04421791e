package io.jdamon.vaddr.internal;

import java.util.Map;

import io.jdamon.api.MonitoringTarget;
import io.jdamon.api.Primitive;
import io.jdamon.api.PrimitiveContext;

/**
 * The real vaddr primitive behind every hook, for measuring wrappers that
 * override only the hooks they measure.
 */
abstract class ForwardingPrimitive implements Primitive {
    final VaddrPrimitive inner = new VaddrPrimitive();

    @Override
    public long minRegionSize() {
        return inner.minRegionSize();
    }

    @Override
    public void checkTarget(String spec) {
        inner.checkTarget(spec);
    }

    @Override
    public Map<String, String> describe(PrimitiveContext ctx) {
        return inner.describe(ctx);
    }

    @Override
    public void init(PrimitiveContext ctx) {
        inner.init(ctx);
    }

    @Override
    public void update(PrimitiveContext ctx) {
        inner.update(ctx);
    }

    @Override
    public void prepareAccessChecks(PrimitiveContext ctx) {
        inner.prepareAccessChecks(ctx);
    }

    @Override
    public void checkAccesses(PrimitiveContext ctx) {
        inner.checkAccesses(ctx);
    }

    @Override
    public void resetAggregated(PrimitiveContext ctx) {
        inner.resetAggregated(ctx);
    }

    @Override
    public boolean targetValid(MonitoringTarget target) {
        return inner.targetValid(target);
    }

    @Override
    public void cleanup(PrimitiveContext ctx) {
        inner.cleanup(ctx);
    }
}
