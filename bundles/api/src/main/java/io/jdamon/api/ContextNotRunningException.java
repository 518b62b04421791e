package io.jdamon.api;

/**
 * The seed's {@code EPERM} from {@code damon_stop}: a context that is not
 * running was asked to stop.
 */
public class ContextNotRunningException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String contextName;

    public ContextNotRunningException(String contextName) {
        super("context '" + contextName + "' is not running; nothing to stop");
        this.contextName = contextName;
    }

    /** @return the name of the context that was not running */
    public String contextName() {
        return contextName;
    }
}
