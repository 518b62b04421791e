package io.jdamon.core.internal;

import io.jdamon.api.MonitoringTarget;
import io.jdamon.api.Primitive;
import io.jdamon.api.PrimitiveContext;

/**
 * The cheapest honest primitive: one address range whose pages carry an
 * accessed bit in a bitmap. Prepare clears the bit at each sampling address,
 * check reads it; a fixed pattern re-sets the bits of "hot" pages, standing
 * in for a workload. What remains of a sample's cost is the engine's own.
 */
final class InMemoryPrimitive implements Primitive {
    private final long sizeBytes;
    private final long[] accessedBits;
    private final long[] hotBits;

    /** @param hotEveryNthPage every n-th 64-page block is hot */
    InMemoryPrimitive(long sizeBytes, int hotEveryNthPage) {
        this.sizeBytes = sizeBytes;
        int words = (int) (sizeBytes / PAGE_SIZE / 64) + 1;
        accessedBits = new long[words];
        hotBits = new long[words];
        for (int w = 0; w < words; w += hotEveryNthPage) {
            hotBits[w] = -1L;
        }
    }

    @Override
    public void init(PrimitiveContext ctx) {
        for (int t = 0; t < ctx.targetCount(); t++) {
            ctx.target(t).initRegions(0, sizeBytes);
        }
    }

    @Override
    public void prepareAccessChecks(PrimitiveContext ctx) {
        for (int t = 0; t < ctx.targetCount(); t++) {
            MonitoringTarget target = ctx.target(t);
            for (int i = 0, n = target.regionCount(); i < n; i++) {
                long page = target.samplingAddress(i) / PAGE_SIZE;
                int word = (int) (page >>> 6);
                accessedBits[word] &= ~(1L << page);
                accessedBits[word] |= hotBits[word] & (1L << page); // the "workload" touches hot pages again
            }
        }
    }

    @Override
    public void checkAccesses(PrimitiveContext ctx) {
        for (int t = 0; t < ctx.targetCount(); t++) {
            MonitoringTarget target = ctx.target(t);
            for (int i = 0, n = target.regionCount(); i < n; i++) {
                long page = target.samplingAddress(i) / PAGE_SIZE;
                if ((accessedBits[(int) (page >>> 6)] & (1L << page)) != 0) {
                    target.markAccessed(i);
                }
            }
        }
    }
}
