package io.jdamon.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a {@link Primitive} hook is handed: the context's attributes and its
 * targets with write access to their regions. Valid on the kdamond thread only.
 */
@ProviderType
public interface PrimitiveContext {

    /** @return the context's name, unique in the engine */
    String name();

    /** @return the attributes in force now */
    MonitoringAttributes attributes();

    /** @return the number of targets */
    int targetCount();

    /** @return target {@code i}, from 0 to {@link #targetCount()} - 1 */
    MonitoringTarget target(int i);

    /** @return the primitive's per-context state set with {@link #attach}, or null */
    Object attachment();

    /** Keeps per-context state for the primitive. */
    void attach(Object state);
}
