package io.jdamon.sim.internal;

/** A workload config that cannot be used; the message names the source, the line and the fix. */
final class WorkloadConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    WorkloadConfigException(String message) {
        super(message);
    }
}
