package io.jdamon.api;

/**
 * The seed's {@code EBUSY}: a group of contexts could not be started because
 * a group started by an earlier call still runs (see
 * {@link MonitoringEngine#start(java.util.List, StartMode)}). Nothing was
 * started.
 */
public class EngineBusyException extends Exception {
    private static final long serialVersionUID = 1L;

    public EngineBusyException(String message) {
        super(message);
    }
}
