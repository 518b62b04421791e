package io.jdamon.core.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.jdamon.api.MonitoringTarget;
import io.jdamon.api.Primitive;
import io.jdamon.api.PrimitiveContext;

/**
 * A tiny primitive with a known access pattern: each target is one range
 * {@code [0, sizeBytes)} and an address counts as accessed when it lies in
 * the hot range {@code [hotStart, hotEnd)}. It logs its hooks, can be told to
 * throw in one hook, and to declare its targets invalid.
 */
class PatternPrimitive implements Primitive {
    final List<String> events = new CopyOnWriteArrayList<>();
    final long sizeBytes;
    volatile long hotStart;
    volatile long hotEnd;
    volatile boolean targetsValid = true;
    volatile String throwIn;
    volatile boolean logSamples = true;
    volatile String initThread;
    volatile boolean cleanedUp;

    PatternPrimitive(long sizeBytes, long hotStart, long hotEnd) {
        this.sizeBytes = sizeBytes;
        this.hotStart = hotStart;
        this.hotEnd = hotEnd;
    }

    private void hook(String name) {
        if (logSamples || !(name.equals("prepare") || name.equals("check"))) {
            events.add(name);
        }
        if (name.equals(throwIn)) {
            throw new IllegalStateException("test failure in " + name);
        }
    }

    @Override
    public void init(PrimitiveContext ctx) {
        initThread = Thread.currentThread().getName();
        hook("init");
        for (int t = 0; t < ctx.targetCount(); t++) {
            ctx.target(t).initRegions(0, sizeBytes);
        }
    }

    @Override
    public void update(PrimitiveContext ctx) {
        hook("update");
    }

    @Override
    public void prepareAccessChecks(PrimitiveContext ctx) {
        hook("prepare");
    }

    @Override
    public void checkAccesses(PrimitiveContext ctx) {
        hook("check");
        long from = hotStart;
        long to = hotEnd;
        for (int t = 0; t < ctx.targetCount(); t++) {
            MonitoringTarget target = ctx.target(t);
            for (int i = 0; i < target.regionCount(); i++) {
                long address = target.samplingAddress(i);
                if (address >= from && address < to) {
                    target.markAccessed(i);
                }
            }
        }
    }

    @Override
    public void resetAggregated(PrimitiveContext ctx) {
        hook("reset");
    }

    @Override
    public boolean targetValid(MonitoringTarget target) {
        return targetsValid;
    }

    @Override
    public void cleanup(PrimitiveContext ctx) {
        cleanedUp = true;
        hook("cleanup");
    }
}
