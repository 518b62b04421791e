package io.jdamon.core.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.jdamon.api.RunCosts;

/**
 * Adds up what a run costs: hook times by plugin and late aggregations.
 * Written by the kdamond only (so plain read-and-add on volatile fields is
 * safe), read from any thread through {@link #snapshot()}. Counting allocates
 * nothing; a callback joining a run copies the small array of callbacks.
 */
final class RunCostMeter {

    /** One callback registration's hook time in the current run. */
    static final class CallbackMeter {
        final String name;
        private volatile long nanos;
        private volatile long calls;

        CallbackMeter(String name) {
            this.name = name;
        }

        /** A hook of this callback returned after {@code hookNanos}. */
        void took(long hookNanos) {
            nanos += hookNanos;
            calls++;
        }
    }

    private volatile long sensorNanos;
    private volatile long primitiveOtherNanos;
    private volatile long lateAggregations;
    private volatile long schemeNanos;
    private volatile CallbackMeter[] callbacks = new CallbackMeter[0];

    /** A new run: every figure from 0, no callback yet. */
    void reset() {
        sensorNanos = 0;
        primitiveOtherNanos = 0;
        lateAggregations = 0;
        schemeNanos = 0;
        callbacks = new CallbackMeter[0];
    }

    /** A callback joins the run (at its {@code beforeStart}): its meter starts from 0 and is listed. */
    void join(CallbackMeter meter) {
        meter.nanos = 0;
        meter.calls = 0;
        CallbackMeter[] old = callbacks;
        for (CallbackMeter m : old) {
            if (m == meter) {
                return;
            }
        }
        CallbackMeter[] grown = Arrays.copyOf(old, old.length + 1);
        grown[old.length] = meter;
        callbacks = grown;
    }

    /** {@code prepareAccessChecks} or {@code checkAccesses} returned after {@code nanos}. */
    void sensorTook(long nanos) {
        sensorNanos += nanos;
    }

    /** Another primitive hook returned after {@code nanos}. */
    void primitiveTook(long nanos) {
        primitiveOtherNanos += nanos;
    }

    /** Applying the schemes after an aggregation took {@code nanos}, the primitive's actions included. */
    void schemesTook(long nanos) {
        schemeNanos += nanos;
    }

    /** An aggregation interval ended late (see {@link IntervalOverrunWatch}). */
    void aggregationLate() {
        lateAggregations++;
    }

    /** @return the figures now, from any thread */
    RunCosts snapshot() {
        CallbackMeter[] cs = callbacks;
        List<RunCosts.CallbackCost> list = new ArrayList<>(cs.length);
        for (CallbackMeter m : cs) {
            list.add(new RunCosts.CallbackCost(m.name, m.nanos, m.calls));
        }
        return new Costs(lateAggregations, sensorNanos, primitiveOtherNanos, schemeNanos, List.copyOf(list));
    }

    private record Costs(long lateAggregations, long sensorNanos, long primitiveOtherNanos, long schemeNanos,
            List<CallbackCost> callbacks) implements RunCosts {
    }
}
