package io.jdamon.core.internal.osgi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.jdamon.api.Callback;
import io.jdamon.api.ContextState;
import io.jdamon.api.ContextStatus;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.Primitive;
import io.jdamon.core.internal.KdamondContext;

/**
 * The state of one context configuration: the configuration, the context made
 * from it (if any), what is bound to it, and why it was rejected. Its INVALID
 * report is computed from this state, one per configuration. Guarded by the
 * lock of {@link ConfiguredContexts}.
 */
final class ConfiguredContext {

    ContextConfiguration config;
    /** The context made from the configuration; null while it is rejected or being replaced. */
    KdamondContext context;
    /** The primitive bound to {@link #context}, or null. */
    Provider<Primitive> primitive;
    /** Who provided the primitive the last time one was bound, to say when that changes; null before. */
    String lastProvider;
    /** What was said about the last provider change, or empty. */
    String providerChange = "";
    final Map<String, Callback> boundCallbacks = new LinkedHashMap<>();
    /** Why the configuration does not make a context, or null. */
    String rejection;
    /** Whether the primitive rejected a target, so a new primitive of that name may accept it. */
    boolean targetRejected;

    ConfiguredContext(ContextConfiguration config) {
        this.config = config;
    }

    String pid() {
        return config.pid();
    }

    /** Rejects the configuration: it has no context and reports {@code detail}. */
    void reject(String detail) {
        rejection = detail;
    }

    /** @return the INVALID report of a configuration that makes no context, if it was rejected */
    Optional<ContextStatus> invalidStatus() {
        if (context != null || rejection == null) {
            return Optional.empty();
        }
        String primitiveName = config.isValid() ? config.definition().primitiveName() : "";
        return Optional.of(new ContextStatus(config.name(), ContextState.INVALID, rejection, primitiveName, Map.of(),
                MonitoringAttributes.DEFAULTS, Optional.empty(), 0, 0, 0, Optional.empty()));
    }
}
