package io.jdamon.api;

/**
 * A target that a primitive cannot monitor: malformed, missing (a process
 * that does not exist), or forbidden (a process the user may not inspect).
 * The message names the target, the reason, and what to do about it.
 */
public class InvalidTargetException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String target;

    public InvalidTargetException(String target, String message) {
        super(message);
        this.target = target;
    }

    public InvalidTargetException(String target, String message, Throwable cause) {
        super(message, cause);
        this.target = target;
    }

    /** @return the target specification as given */
    public String target() {
        return target;
    }
}
