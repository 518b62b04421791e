package io.jdamon.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The kdamond engine (the seed's {@code damon_start}/{@code damon_stop}).
 * Safe to call from any thread.
 */
@ProviderType
public interface MonitoringEngine {

    /**
     * Creates a context, ready to start. Each target is first checked with
     * {@link Primitive#checkTarget}.
     *
     * @throws InvalidAttributesException if the name is taken
     * @throws InvalidTargetException if the primitive rejects a target
     */
    MonitoringContext newContext(ContextDefinition definition, Primitive primitive);

    /** Same as {@code start(group, StartMode.EXCLUSIVE)}, the seed's {@code damon_start}. */
    void start(List<? extends MonitoringContext> group) throws EngineBusyException;

    /**
     * Starts one kdamond thread per context, named {@code kdamond.N}, where N
     * counts the contexts running at that moment.
     *
     * @throws EngineBusyException if an exclusive group runs, or if
     *     {@code mode} is exclusive and any group runs; nothing is started
     * @throws IllegalStateException if a context of the group already runs,
     *     has no primitive, or was disposed; nothing is started
     */
    void start(List<? extends MonitoringContext> group, StartMode mode) throws EngineBusyException;

    /**
     * Asks each context's kdamond to stop and waits until it has ended
     * ({@code beforeTerminate} and {@code cleanup} have run), in order.
     *
     * @throws ContextNotRunningException at the first context that is not
     *     running; the ones before it were stopped
     * @throws InterruptedException if interrupted while waiting
     */
    void stop(List<? extends MonitoringContext> group) throws ContextNotRunningException, InterruptedException;

    /**
     * Stops the context if it runs, waits for it, and forgets it; its name can
     * be used again.
     */
    void dispose(MonitoringContext context) throws InterruptedException;

    /** @return every context the engine knows, in creation order */
    List<MonitoringContext> contexts();

    /** @return the context with that name */
    Optional<MonitoringContext> context(String name);

    /**
     * @return the status of every context the engine knows, in creation
     *     order, and of every context definition that was rejected
     *     ({@link ContextState#INVALID}, detail saying what to fix)
     */
    List<ContextStatus> statuses();
}
