package io.jdamon.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Notified of a context's monitoring events (the seed's {@code damon_callback}):
 * to record, report or act on the results.
 *
 * <p>Register an implementation as an OSGi service with the service property
 * {@value #SERVICE_PROPERTY} set to its name; contexts name the callbacks they
 * want. Hooks run on the context's kdamond thread, so they may read the
 * regions without locking, and should be quick: the kdamond does not sample
 * while a hook runs.
 *
 * <p>Each hook returns whether monitoring should go on. A hook that throws
 * stops only its own context ({@link StopReason#PLUGIN_FAILED}).
 *
 * <p>A callback added to a running context gets {@code beforeStart} before its
 * first other hook; one removed from a running context gets
 * {@code beforeTerminate}; both on the kdamond thread.
 */
@ConsumerType
public interface Callback {

    /** The service property that names a callback: {@value}. */
    String SERVICE_PROPERTY = "jdamon.callback";

    /** Called once, after the primitive's {@code init}, before the first sample. */
    default CallbackResult beforeStart(ContextView ctx) {
        return CallbackResult.CONTINUE;
    }

    /** Called every sample interval, after the access checks were prepared. */
    default CallbackResult afterSampling(ContextView ctx) {
        return CallbackResult.CONTINUE;
    }

    /**
     * Called at the end of every aggregation interval, after regions were
     * merged and before the counts are reset: {@link TargetView#nrAccesses}
     * holds the finished interval's counts.
     */
    default CallbackResult afterAggregation(ContextView ctx) {
        return CallbackResult.CONTINUE;
    }

    /** Called once when the run ends, whatever the reason, before the primitive's {@code cleanup}. */
    default CallbackResult beforeTerminate(ContextView ctx) {
        return CallbackResult.CONTINUE;
    }
}
