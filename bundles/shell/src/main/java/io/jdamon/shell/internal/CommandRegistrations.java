package io.jdamon.shell.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.util.tracker.ServiceTracker;

import io.jdamon.api.MonitoringEngine;

/**
 * Registers the shell commands where the shell takes them. In Felix (and any
 * framework without Karaf's shell): one Gogo service, {@link JdamonCommands},
 * with all of {@code jdamon:status|start|stop|tune|report|record}. In Karaf:
 * the management commands go into Karaf's registry ({@link KarafCommands}, for
 * completion) and the Gogo service keeps only {@code record}, so no name is
 * registered twice.
 */
@Component(service = {}, immediate = true)
public final class CommandRegistrations {

    private static final Logger LOG = System.getLogger("io.jdamon.shell");
    /** The Karaf shell's session factory service, whose registry takes commands with completers. */
    static final String KARAF_SESSION_FACTORY = "org.apache.karaf.shell.api.console.SessionFactory";

    private final ServiceRegistration<JdamonCommands> gogo;
    private final ServiceTracker<Object, AutoCloseable> karaf;

    @Activate
    public CommandRegistrations(BundleContext bundleContext, @Reference ConfigurationAdmin configurationAdmin,
            @Reference MonitoringEngine engine) {
        JdamonCommands commands = new JdamonCommands(bundleContext, configurationAdmin, engine);
        boolean inKaraf = karafShellWired();
        List<String> functions = new ArrayList<>();
        if (!inKaraf) {
            functions.addAll(ControlCommands.NAMES);
        }
        functions.add("record");
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("osgi.command.scope", "jdamon");
        properties.put("osgi.command.function", functions.toArray(String[]::new));
        gogo = bundleContext.registerService(JdamonCommands.class, commands, properties);
        karaf = inKaraf ? track(bundleContext, new ContextControl(engine)) : null;
    }

    /** @return whether Karaf's shell API is in this bundle's class space (its optional import is wired) */
    static boolean karafShellWired() {
        try {
            Class.forName(KARAF_SESSION_FACTORY, false, CommandRegistrations.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static ServiceTracker<Object, AutoCloseable> track(BundleContext bundleContext, ContextControl control) {
        ServiceTracker<Object, AutoCloseable> t = new ServiceTracker<>(bundleContext, KARAF_SESSION_FACTORY, null) {
            @Override
            public AutoCloseable addingService(ServiceReference<Object> reference) {
                Object factory = context.getService(reference);
                try {
                    return KarafCommands.register(factory, control);
                } catch (RuntimeException | LinkageError e) {
                    LOG.log(Level.WARNING, "jdamon's commands are not in Karaf's shell: " + e);
                    context.ungetService(reference);
                    return null;
                }
            }

            @Override
            public void removedService(ServiceReference<Object> reference, AutoCloseable registration) {
                try {
                    registration.close();
                } catch (Exception e) {
                    LOG.log(Level.DEBUG, "unregistering jdamon's Karaf commands: " + e);
                }
                context.ungetService(reference);
            }
        };
        t.open();
        return t;
    }

    @Deactivate
    void close() {
        if (karaf != null) {
            karaf.close();
        }
        gogo.unregister();
    }
}
