package io.jdamon.api;

/** Where a monitoring context is in its life. */
public enum ContextState {
    /** Defined, but something it needs is missing (its primitive, a callback); the status detail names it. */
    WAITING,
    /** Ready to start: the primitive is bound, no kdamond runs. */
    READY,
    /** A kdamond thread runs it. */
    RUNNING,
    /** Its kdamond has ended; the status carries the {@link StopReason}. It may be started again. */
    STOPPED,
    /** Its definition was rejected (bad configuration); the status detail says what to fix. */
    INVALID,
    /**
     * A plugin hook of its kdamond ran past the engine's hook limit (the larger of 1 s and 10
     * aggregation intervals), did not return when its thread was interrupted, and the engine gave
     * the kdamond thread up: the context no longer runs, holds no engine resources, and its
     * status detail names the plugin, the hook and how long it ran ({@link StopReason#HOOK_ABANDONED}).
     * The abandoned thread is left to end by itself if the hook ever returns. A new configuration
     * of the context, or a new registration of its primitive, makes a fresh context.
     *
     * @since 1.1
     */
    ABANDONED
}
