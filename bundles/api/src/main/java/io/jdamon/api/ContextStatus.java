package io.jdamon.api;

import java.util.Map;
import java.util.Optional;

/**
 * A consistent look at a context from any thread.
 *
 * @param name the context's name
 * @param state where the context is in its life
 * @param detail what it waits for ({@link ContextState#WAITING}), what is
 *     wrong ({@link ContextState#INVALID}), or why it stopped; empty otherwise
 * @param primitiveName the primitive it uses
 * @param primitiveProperties what the primitive said about this run (see {@link Primitive#describe}),
 *     with who provides it ({@code provider}, see {@link ContextView#primitiveProperties})
 * @param attributes the attributes in force
 * @param threadName the kdamond's thread name, e.g. {@code kdamond.0}, while running
 * @param samples samples taken in the current or last run
 * @param aggregations aggregation intervals completed in the current or last run
 * @param regions regions over all targets at the last aggregation
 * @param stopReason why the last run ended; absent while running or never run
 */
public record ContextStatus(String name, ContextState state, String detail, String primitiveName,
        Map<String, String> primitiveProperties, MonitoringAttributes attributes, Optional<String> threadName,
        long samples, long aggregations, int regions, Optional<StopReason> stopReason) {

    public ContextStatus {
        primitiveProperties = Map.copyOf(primitiveProperties);
        detail = detail == null ? "" : detail;
    }
}
