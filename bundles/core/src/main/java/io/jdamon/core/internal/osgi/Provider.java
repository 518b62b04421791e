package io.jdamon.core.internal.osgi;

import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/**
 * One whiteboard service (a primitive or a callback) under its name, and what
 * ranks it among services of the same name: the highest
 * {@code service.ranking}, then the oldest (lowest {@code service.id}).
 *
 * @param service the service object
 * @param name its {@code jdamon.primitive} or {@code jdamon.callback} name
 * @param ranking its {@code service.ranking}
 * @param serviceId its {@code service.id}
 * @param bundle the symbolic name of the bundle that registered it
 * @param version that bundle's version
 */
record Provider<T>(T service, String name, int ranking, long serviceId, String bundle, String version) {

    /** The primitive property naming the providing bundle: {@value}. */
    static final String PROVIDER_PROPERTY = "provider";
    /** The primitive property naming the provider before a change: {@value}. */
    static final String PREVIOUS_PROVIDER_PROPERTY = "previousProvider";

    /**
     * @return the provider registered with that reference, or null if its name property is not a
     *     non-blank string
     */
    static <T> Provider<T> of(T service, ServiceReference<?> reference, String nameProperty) {
        Object name = reference.getProperty(nameProperty);
        if (!(name instanceof String s) || s.isBlank()) {
            return null;
        }
        Object ranking = reference.getProperty(Constants.SERVICE_RANKING);
        Object id = reference.getProperty(Constants.SERVICE_ID);
        Bundle b = reference.getBundle();
        String bsn = b == null ? "(unregistered)" : String.valueOf(b.getSymbolicName());
        String version = b == null ? "" : b.getVersion().toString();
        return new Provider<>(service, s.trim(), ranking instanceof Integer r ? r : 0,
                id instanceof Long l ? l : Long.MAX_VALUE, bsn, version);
    }

    boolean beats(Provider<T> other) {
        return ranking != other.ranking ? ranking > other.ranking : serviceId < other.serviceId;
    }

    /** @return {@code bundle-symbolic-name version}, as the {@value #PROVIDER_PROPERTY} property says it */
    String description() {
        return bundle + " " + version;
    }

    /** @return the provider's description with its service id and ranking, for log messages */
    String longDescription() {
        return "bundle " + description() + " (service.id " + serviceId + ", service.ranking " + ranking + ")";
    }

    /** @return the provider property alone, and the previous provider if it differs */
    Map<String, String> properties(String previous) {
        return previous == null || previous.equals(description()) ? Map.of(PROVIDER_PROPERTY, description())
                : Map.of(PROVIDER_PROPERTY, description(), PREVIOUS_PROVIDER_PROPERTY, previous);
    }
}
