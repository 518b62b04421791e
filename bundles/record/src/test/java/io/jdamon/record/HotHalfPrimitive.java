package io.jdamon.record;

import java.util.Map;

import io.jdamon.api.MonitoringTarget;
import io.jdamon.api.Primitive;
import io.jdamon.api.PrimitiveContext;

/**
 * A test primitive with a known access pattern: each target is
 * {@code [BASE, BASE + SIZE)} and every address in its lower half counts as
 * accessed at every sample, the upper half never.
 */
class HotHalfPrimitive implements Primitive {
    static final long BASE = 0x1000_0000L;
    static final long SIZE = 64L << 20;

    @Override
    public Map<String, String> describe(PrimitiveContext ctx) {
        return Map.of("sensor", "hot-half", "sees", "reads,writes");
    }

    @Override
    public void init(PrimitiveContext ctx) {
        for (int t = 0; t < ctx.targetCount(); t++) {
            ctx.target(t).initRegions(BASE, BASE + SIZE);
        }
    }

    @Override
    public void checkAccesses(PrimitiveContext ctx) {
        for (int t = 0; t < ctx.targetCount(); t++) {
            MonitoringTarget target = ctx.target(t);
            for (int i = 0; i < target.regionCount(); i++) {
                if (target.samplingAddress(i) < BASE + SIZE / 2) {
                    target.markAccessed(i);
                }
            }
        }
    }
}
