package io.jdamon.api;

/** Why a kdamond ended. */
public enum StopReason {
    /** {@link MonitoringEngine#stop} was called. */
    STOP_REQUESTED,
    /** The primitive's {@link Primitive#targetValid} said every target is gone (e.g. the process exited). */
    TARGETS_INVALID,
    /** A callback returned {@link CallbackResult#STOP}. */
    CALLBACK_REQUESTED,
    /** A primitive or callback hook threw; the status detail names the plugin and the exception. */
    PLUGIN_FAILED,
    /** The primitive service went away (its bundle stopped or was uninstalled). */
    PRIMITIVE_GONE,
    /**
     * The engine itself failed (a bug, or the JVM ran out of a resource); the
     * status detail names the exception. {@code beforeTerminate} and
     * {@code cleanup} still ran.
     *
     * @since 1.1
     */
    ENGINE_FAILED,
    /**
     * A primitive or callback hook did not return within the engine's hook limit, nor after its
     * thread was interrupted; the engine abandoned the kdamond (state {@link ContextState#ABANDONED}).
     * The status detail names the plugin, the hook and the time it ran.
     *
     * @since 1.1
     */
    HOOK_ABANDONED,
    /**
     * A DAMOS scheme could not go on: a quota goal's metric could not be read (no such NUMA node, no
     * {@code /proc/pressure/memory}, a metric the primitive does not provide). The status detail names the
     * scheme and the reason.
     *
     * @since 2.0
     */
    SCHEME_FAILED
}
