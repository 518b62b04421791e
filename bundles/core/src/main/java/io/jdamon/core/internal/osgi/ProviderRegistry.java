package io.jdamon.core.internal.osgi;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/**
 * The whiteboard services of one kind (primitives or callbacks) by name.
 * Warns when two providers share a name, naming both bundles and versions
 * and which one is used. Not thread-safe: the caller serialises.
 */
final class ProviderRegistry<T> {

    private static final Logger LOG = System.getLogger("io.jdamon.core.osgi");

    private final String kind;
    private final String nameProperty;
    private final Map<String, List<Provider<T>>> byName = new TreeMap<>();

    /**
     * @param kind "primitive" or "callback", for messages
     * @param nameProperty the service property that names a service
     */
    ProviderRegistry(String kind, String nameProperty) {
        this.kind = kind;
        this.nameProperty = nameProperty;
    }

    /**
     * Adds a service.
     *
     * @return the provider, or null if the service has no usable name (logged)
     */
    Provider<T> add(T service, ServiceReference<?> reference) {
        Provider<T> p = Provider.of(service, reference, nameProperty);
        if (p == null) {
            LOG.log(Level.WARNING, "ignoring {0} service {1} (service.id {2}) of bundle {3}: its service property "
                    + "{4} is missing or not a string; register it with {4}=<name>", kind,
                    service.getClass().getName(), reference.getProperty(Constants.SERVICE_ID),
                    reference.getBundle() == null ? "?" : reference.getBundle().getSymbolicName(), nameProperty);
            return null;
        }
        List<Provider<T>> list = byName.computeIfAbsent(p.name(), k -> new ArrayList<>());
        list.add(p);
        LOG.log(Level.INFO, "{0} ''{1}'' registered by {2}", kind, p.name(), p.longDescription());
        warnIfShared(p.name());
        return p;
    }

    /** Warns when several providers share the name, naming each and the one in use. */
    private void warnIfShared(String name) {
        List<Provider<T>> list = byName.getOrDefault(name, List.of());
        if (list.size() < 2) {
            return;
        }
        Provider<T> used = best(name);
        List<String> others = new ArrayList<>();
        for (Provider<T> p : list) {
            if (p != used) {
                others.add(p.longDescription());
            }
        }
        LOG.log(Level.WARNING, "{0} {1} services share the name ''{2}'' ({3}={2}): {4} is used, not {5}; the "
                + "highest service.ranking, then the oldest, wins, and contexts switch to another one when it goes. "
                + "Uninstall the one you do not want, or give it another name", list.size(), kind, name,
                nameProperty, used.longDescription(), String.join(", ", others));
    }

    /** @return the provider that was removed, or null if the service was not known */
    Provider<T> remove(T service) {
        for (Map.Entry<String, List<Provider<T>>> e : byName.entrySet()) {
            for (Provider<T> p : e.getValue()) {
                if (p.service() == service) {
                    e.getValue().remove(p);
                    if (e.getValue().isEmpty()) {
                        byName.remove(e.getKey());
                    }
                    LOG.log(Level.INFO, "{0} ''{1}'' unregistered: {2}", kind, p.name(), p.longDescription());
                    return p;
                }
            }
        }
        return null;
    }

    /**
     * The service's properties changed: if it kept its name, only its ranking is refreshed.
     *
     * @return true if it kept its name
     */
    boolean refresh(T service, ServiceReference<?> reference) {
        Provider<T> now = Provider.of(service, reference, nameProperty);
        if (now == null) {
            return false;
        }
        List<Provider<T>> list = byName.get(now.name());
        if (list == null) {
            return false;
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).service() == service) {
                list.set(i, now);
                return true;
            }
        }
        return false;
    }

    /** @return the provider used for that name, or null if none is registered */
    Provider<T> best(String name) {
        Provider<T> best = null;
        for (Provider<T> p : byName.getOrDefault(name, List.of())) {
            if (best == null || p.beats(best)) {
                best = p;
            }
        }
        return best;
    }

    /** @return the registered names, sorted */
    Set<String> names() {
        return new TreeSet<>(byName.keySet());
    }
}
