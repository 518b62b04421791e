package io.jdamon.shell.internal;

import java.util.Map;

import io.jdamon.api.MonitoringTarget;
import io.jdamon.api.Primitive;
import io.jdamon.api.PrimitiveContext;

/** A primitive for tests: 64 MiB at {@link #BASE}, its lower half accessed at every sample. */
final class HotHalfPrimitive implements Primitive {
    static final long BASE = 0x1000_0000L;
    static final long SIZE = 64L << 20;

    @Override
    public Map<String, String> describe(PrimitiveContext ctx) {
        return Map.of("sensor", "hot-half");
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
