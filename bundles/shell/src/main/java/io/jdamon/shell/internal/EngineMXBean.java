package io.jdamon.shell.internal;

/**
 * The engine as JMX shows it, {@code io.jdamon:type=Engine}: the contexts and
 * what {@code jdamon:status|start|stop|tune} do. A failed operation throws an
 * {@link IllegalArgumentException} whose message says why.
 */
public interface EngineMXBean {

    /** @return the contexts' names, in the engine's order */
    String[] getContextNames();

    /** @return the text of {@code jdamon:status}, with {@code -v} when verbose */
    String status(boolean verbose);

    /** Starts a stopped context. @return what was done */
    String start(String name);

    /** Stops a running context, waiting for its kdamond. @return what was done */
    String stop(String name);

    /**
     * Changes attributes online, as {@code jdamon:tune}.
     *
     * @param settings {@code key=value} pairs, e.g. {@code sampleIntervalUs=10ms}
     * @return the attributes now asked for
     */
    String tune(String name, String[] settings);
}
