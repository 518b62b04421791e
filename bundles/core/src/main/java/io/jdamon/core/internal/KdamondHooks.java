package io.jdamon.core.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import io.jdamon.api.ActionRequest;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextView;
import io.jdamon.api.MonitoringTarget;
import io.jdamon.api.Primitive;
import io.jdamon.api.PrimitiveContext;
import io.jdamon.api.QuotaGoal;
import io.jdamon.api.StopReason;

/**
 * Every call from a run's kdamond into plugin code (the primitive's and the
 * callbacks' hooks), each one the same way: stamped for the watchdog, timed
 * for the run's costs and the overrun watch, and whatever it throws turned
 * into the context's stop with the reason, so the kdamond goes on to its
 * terminate hooks. The per-sample calls allocate nothing.
 */
final class KdamondHooks {

    private static final Logger LOG = System.getLogger("io.jdamon.core");

    private final KdamondContext context;
    private final Primitive primitive;
    private final String primitiveName;
    private final PrimitiveContext primitiveView;
    private final ContextView callbackView;
    private final HookStamp stamp;
    private final RunCostMeter costs;
    private final IntervalOverrunWatch overruns;
    private KdamondContext.NamedCallback[] active = new KdamondContext.NamedCallback[0];
    private int activeVersion;

    KdamondHooks(KdamondContext context, Primitive primitive, PrimitiveContext primitiveView, ContextView callbackView,
            RunCostMeter costs, IntervalOverrunWatch overruns) {
        this.context = context;
        this.primitive = primitive;
        this.primitiveName = context.definition().primitiveName();
        this.primitiveView = primitiveView;
        this.callbackView = callbackView;
        this.stamp = context.hookStamp();
        this.costs = costs;
        this.overruns = overruns;
    }

    // ---- the primitive -----------------------------------------------------

    /** @return whether {@code init} returned */
    boolean init() {
        try {
            stamp.enterSetup("primitive", primitiveName, "init");
            primitive.init(primitiveView);
            return true;
        } catch (Throwable e) {
            pluginFailed("primitive", primitiveName, "init", e);
            return false;
        } finally {
            costs.primitiveTook(ended());
        }
    }

    /** The primitive's least region size, asked once per run; a page if it throws or answers garbage. */
    long minRegionSize() {
        try {
            stamp.enter("primitive", primitiveName, "minRegionSize");
            long size = primitive.minRegionSize();
            if (size > 0) {
                return size;
            }
            pluginFailed("primitive", primitiveName, "minRegionSize", new IllegalStateException(
                    "minRegionSize() returned " + size + "; return a positive number of bytes, e.g. Primitive.PAGE_SIZE"));
        } catch (Throwable e) {
            pluginFailed("primitive", primitiveName, "minRegionSize", e);
        } finally {
            costs.primitiveTook(ended());
        }
        return Primitive.PAGE_SIZE;
    }

    /**
     * Asks the primitive to {@code describe} itself after {@code after}; the context shows it.
     *
     * @return false if it threw (the run then stops)
     */
    boolean describe(String after) {
        try {
            stamp.enter("primitive", primitiveName, "describe");
            context.primitiveDescribed(Map.copyOf(primitive.describe(primitiveView)));
            return true;
        } catch (Throwable e) {
            pluginFailed("primitive", primitiveName, "describe (after " + after + ")", e);
            return false;
        } finally {
            costs.primitiveTook(ended());
        }
    }

    /** @return true if some target is still valid (or there is none); false asks the stop, with the reason */
    boolean anyTargetValid(MonitoringTarget[] targets) {
        if (targets.length == 0) {
            return true;
        }
        try {
            stamp.enter("primitive", primitiveName, "targetValid");
            for (MonitoringTarget t : targets) {
                if (primitive.targetValid(t)) {
                    return true;
                }
            }
        } catch (Throwable e) {
            pluginFailed("primitive", primitiveName, "targetValid", e);
            return false;
        } finally {
            costs.primitiveTook(ended());
        }
        context.lifecycle().askStop(StopReason.TARGETS_INVALID, "every target is gone");
        return false;
    }

    /** @return whether {@code prepareAccessChecks} returned */
    boolean prepareAccessChecks() {
        try {
            stamp.enter("primitive", primitiveName, "prepareAccessChecks");
            primitive.prepareAccessChecks(primitiveView);
            return true;
        } catch (Throwable e) {
            pluginFailed("primitive", primitiveName, "prepareAccessChecks", e);
            return false;
        } finally {
            costs.sensorTook(ended());
        }
    }

    /** @return whether {@code checkAccesses} returned */
    boolean checkAccesses() {
        try {
            stamp.enter("primitive", primitiveName, "checkAccesses");
            primitive.checkAccesses(primitiveView);
            return true;
        } catch (Throwable e) {
            pluginFailed("primitive", primitiveName, "checkAccesses", e);
            return false;
        } finally {
            costs.sensorTook(ended());
        }
    }

    void resetAggregated() {
        try {
            stamp.enter("primitive", primitiveName, "resetAggregated");
            primitive.resetAggregated(primitiveView);
        } catch (Throwable e) {
            pluginFailed("primitive", primitiveName, "resetAggregated", e);
        } finally {
            costs.primitiveTook(ended());
        }
    }

    /** @return whether {@code update} returned */
    boolean update() {
        try {
            stamp.enter("primitive", primitiveName, "update");
            primitive.update(primitiveView);
            return true;
        } catch (Throwable e) {
            pluginFailed("primitive", primitiveName, "update", e);
            return false;
        } finally {
            costs.primitiveTook(ended());
        }
    }

    /**
     * The primitive applies a scheme's action.
     *
     * @return the bytes applied (clamped to the range), or -1 if it threw or answered garbage (the run stops)
     */
    long applyAction(ActionRequest request) {
        try {
            stamp.enter("primitive", primitiveName, "applyAction");
            long applied = primitive.applyAction(primitiveView, request);
            long size = request.end() - request.start();
            if (applied < 0 || applied > size) {
                pluginFailed("primitive", primitiveName, "applyAction", new IllegalStateException("applyAction("
                        + request.action() + ") on [0x" + Long.toHexString(request.start()) + ", 0x"
                        + Long.toHexString(request.end()) + ") returned " + applied + " bytes; return 0 to the"
                        + " range's " + size + " bytes"));
                return -1;
            }
            return applied;
        } catch (Throwable e) {
            pluginFailed("primitive", primitiveName, "applyAction(" + request.action() + ")", e);
            return -1;
        } finally {
            ended(); // counted with the schemes' time (RunCosts.schemeNanos)
        }
    }

    /** @return the primitive's value of a quota goal metric; throws with the reason if it has none */
    long quotaGoalValue(String metric) {
        OptionalLong v;
        try {
            stamp.enter("primitive", primitiveName, "quotaGoalValue");
            v = primitive.quotaGoalValue(primitiveView, metric);
        } catch (Throwable e) {
            throw new IllegalStateException("primitive '" + primitiveName + "' threw in quotaGoalValue(" + metric
                    + "): " + e, e);
        } finally {
            costs.primitiveTook(ended());
        }
        if (v == null || v.isEmpty() || v.getAsLong() < 0) {
            throw new IllegalStateException("quota goal metric '" + metric + "' is neither one of the engine's ("
                    + QuotaGoal.USER_INPUT + ", " + QuotaGoal.SOME_MEM_PSI_US + ", "
                    + QuotaGoal.NODE_MEM_USED_BP + ", " + QuotaGoal.NODE_MEM_FREE_BP
                    + ") nor a value primitive '" + primitiveName + "' provides (it answered " + v + ")");
        }
        return v.getAsLong();
    }

    void cleanup() {
        try {
            stamp.enter("primitive", primitiveName, "cleanup");
            primitive.cleanup(primitiveView);
        } catch (Throwable e) {
            pluginFailed("primitive", primitiveName, "cleanup", e);
        } finally {
            costs.primitiveTook(ended());
        }
    }

    // ---- the callbacks -----------------------------------------------------

    void afterSampling() {
        for (KdamondContext.NamedCallback c : active) {
            try {
                stamp.enter("callback", c.name(), "afterSampling");
                if (c.callback().afterSampling(callbackView) == CallbackResult.STOP) {
                    callbackAskedToStop(c, "afterSampling");
                }
            } catch (Throwable e) {
                pluginFailed("callback", c.name(), "afterSampling", e);
            } finally {
                c.cost().took(ended());
            }
        }
    }

    void afterAggregation() {
        for (KdamondContext.NamedCallback c : active) {
            try {
                stamp.enter("callback", c.name(), "afterAggregation");
                if (c.callback().afterAggregation(callbackView) == CallbackResult.STOP) {
                    callbackAskedToStop(c, "afterAggregation");
                }
            } catch (Throwable e) {
                pluginFailed("callback", c.name(), "afterAggregation", e);
            } finally {
                c.cost().took(ended());
            }
        }
    }

    /** {@code beforeTerminate} of every active callback, then the primitive's {@code cleanup}: both always run. */
    void terminate() {
        try {
            for (KdamondContext.NamedCallback c : active) {
                try {
                    stamp.enter("callback", c.name(), "beforeTerminate");
                    c.callback().beforeTerminate(callbackView);
                } catch (Throwable e) {
                    pluginFailed("callback", c.name(), "beforeTerminate", e);
                } finally {
                    c.cost().took(ended());
                }
            }
        } finally {
            active = new KdamondContext.NamedCallback[0];
            cleanup();
        }
    }

    /** Brings the active callbacks in line with the registered ones if they changed since last asked. */
    void syncCallbacksIfChanged() {
        if (activeVersion != context.callbacksVersion()) {
            syncCallbacks(false);
        }
    }

    /**
     * Brings the active callbacks in line with the registered ones: newcomers
     * get {@code beforeStart}, leavers {@code beforeTerminate}. Allocates, but
     * only when the set changed.
     */
    void syncCallbacks(boolean starting) {
        int version = context.callbacksVersion();
        List<KdamondContext.NamedCallback> now = new ArrayList<>(context.registeredCallbacks());
        if (!starting) {
            for (KdamondContext.NamedCallback old : active) {
                if (!now.contains(old)) {
                    try {
                        stamp.enter("callback", old.name(), "beforeTerminate");
                        old.callback().beforeTerminate(callbackView);
                    } catch (Throwable e) {
                        LOG.log(Level.WARNING, "callback '" + old.name() + "' threw in beforeTerminate of context '"
                                + context.name() + "' while leaving it", e);
                    } finally {
                        old.cost().took(ended());
                    }
                }
            }
        }
        List<KdamondContext.NamedCallback> previous = starting ? List.of() : List.of(active);
        active = now.toArray(new KdamondContext.NamedCallback[0]);
        activeVersion = version;
        for (KdamondContext.NamedCallback c : active) {
            if (!previous.contains(c)) {
                costs.join(c.cost());
                try {
                    stamp.enter("callback", c.name(), "beforeStart");
                    if (c.callback().beforeStart(callbackView) == CallbackResult.STOP) {
                        callbackAskedToStop(c, "beforeStart");
                    }
                } catch (Throwable e) {
                    pluginFailed("callback", c.name(), "beforeStart", e);
                } finally {
                    c.cost().took(ended());
                }
            }
        }
    }

    // ---- failures ----------------------------------------------------------

    private void callbackAskedToStop(KdamondContext.NamedCallback c, String hook) {
        context.lifecycle().askStop(StopReason.CALLBACK_REQUESTED,
                "callback '" + c.name() + "' asked to stop in " + hook);
    }

    /**
     * A plugin hook threw, whatever it threw (an {@link Error} included): its
     * context stops, and {@code beforeTerminate} and {@code cleanup} still run.
     */
    private void pluginFailed(String kind, String pluginName, String hook, Throwable e) {
        String interrupted = stamp.interrupted()
                ? " after the engine interrupted it for running past the hook limit (its I/O may end so)" : "";
        String detail = kind + " '" + pluginName + "' threw in " + hook + interrupted + ": " + e;
        LOG.log(Level.ERROR, "context '" + context.name() + "' stops: " + detail, e);
        context.lifecycle().askStop(StopReason.PLUGIN_FAILED, detail);
    }

    /** The engine's own code threw: the run ends as after a plugin failure, and says why. */
    void kdamondFailed(Throwable e) {
        String where = stamp.enteredNanos() != 0 ? " (in " + stamp.kind() + " '" + stamp.pluginName()
                + "' " + stamp.hook() + ")" : "";
        String detail = "the kdamond failed" + where + ": " + e;
        try {
            LOG.log(Level.ERROR, "context '" + context.name() + "' stops: " + detail
                    + "; this is a jdamon bug, please report it with this stack trace", e);
        } finally {
            stamp.exit();
            context.lifecycle().askStop(StopReason.ENGINE_FAILED, detail);
        }
    }

    /**
     * A hook returned: the stamp is cleared and its time counted against the interval.
     *
     * @return how long the hook ran, in nanoseconds, for the run's costs
     */
    private long ended() {
        long nanos = stamp.exit();
        overruns.hookTook(stamp, nanos);
        return nanos;
    }
}
