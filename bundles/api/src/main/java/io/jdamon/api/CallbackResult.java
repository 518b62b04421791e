package io.jdamon.api;

/** What a {@link Callback} hook wants to happen next. */
public enum CallbackResult {
    /** Go on monitoring. */
    CONTINUE,
    /**
     * Stop this context: the kdamond finishes the current step, then runs
     * {@code beforeTerminate} and {@code cleanup} and ends. The stop reason is
     * {@link StopReason#CALLBACK_REQUESTED}.
     */
    STOP
}
