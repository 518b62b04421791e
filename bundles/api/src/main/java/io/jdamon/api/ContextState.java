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
    INVALID
}
