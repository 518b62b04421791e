package io.jdamon.web.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

import io.jdamon.api.Configurations;

/**
 * Turns the web view on or off. The one place the settings are read: the
 * configuration {@value #PID} ({@code port}, {@code bindAddress},
 * {@code allowNonLoopback}), or, without a {@code port} there, the framework
 * property {@value #PORT_PROPERTY} that {@code jdamon container --web PORT}
 * sets. With neither, nothing listens. Felix HTTP is told through its own
 * configuration ({@value #HTTP_PID}); the distribution starts it disabled
 * ({@code org.apache.felix.http.enable=false}).
 */
@Component(configurationPid = WebSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public final class WebSettings {

    /** The configuration of the web view. */
    public static final String PID = Configurations.WEB_PID;
    /** The framework property {@code --web PORT} sets: the port, when {@value #PID} gives none. */
    public static final String PORT_PROPERTY = "jdamon.web.port";
    /** Felix HTTP's configuration. */
    static final String HTTP_PID = "org.apache.felix.http";
    /** The address listened on unless configured. */
    public static final String DEFAULT_BIND_ADDRESS = Configurations.Web.DEFAULT_BIND_ADDRESS;

    private static final Logger LOG = System.getLogger("io.jdamon.web");

    /** The configuration's keys. */
    @interface Config {
        /** @return the TCP port; -1 (the default) means: take {@value WebSettings#PORT_PROPERTY}, or stay off */
        int port() default -1;

        /** @return the address to listen on */
        String bindAddress() default DEFAULT_BIND_ADDRESS;

        /** @return whether an address other than loopback may be used (the page then is public) */
        boolean allowNonLoopback() default false;
    }

    /** What to do: listen on {@code host:port}, or stay off and say why. */
    record Decision(boolean listen, String host, int port, String message) {
    }

    @Reference
    private ConfigurationAdmin configurationAdmin;

    private boolean configured;

    @Activate
    @Modified
    void apply(BundleContext context, Config config) throws IOException {
        Decision d = decide(config, context.getProperty(PORT_PROPERTY));
        Configuration http = configurationAdmin.getConfiguration(HTTP_PID, null);
        if (!d.listen()) {
            if (!d.message().isEmpty()) {
                LOG.log(Level.ERROR, d.message());
            }
            if (configured) {
                http.delete();
                configured = false;
            }
            return;
        }
        if (!d.message().isEmpty()) {
            LOG.log(Level.WARNING, d.message());
        }
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("org.apache.felix.http.enable", Boolean.TRUE);
        props.put("org.apache.felix.https.enable", Boolean.FALSE);
        props.put("org.osgi.service.http.port", d.port());
        props.put("org.apache.felix.http.host", d.host());
        http.update(props);
        configured = true;
        LOG.log(Level.INFO, "jdamon web: http://" + d.host() + ":" + d.port() + PageServlet.ROOT + "/ and /metrics");
    }

    @Deactivate
    void deactivate() throws IOException {
        if (configured) {
            configurationAdmin.getConfiguration(HTTP_PID, null).delete();
            configured = false;
        }
    }

    /** Decides from the configuration and the framework property; pure, for tests. */
    static Decision decide(Config config, String portProperty) {
        int port = config.port();
        if (port < 0 && portProperty != null && !portProperty.isBlank()) {
            try {
                port = Integer.parseInt(portProperty.trim());
            } catch (NumberFormatException e) {
                return new Decision(false, "", -1, "jdamon web: " + PORT_PROPERTY + "='" + portProperty
                        + "' is not a port; give a number from 1 to 65535 (jdamon container --web 8321)");
            }
        }
        if (port < 0) {
            return new Decision(false, "", -1, "");
        }
        if (port == 0 || port > 65535) {
            return new Decision(false, "", -1, "jdamon web: port " + port
                    + " is out of range; give a number from 1 to 65535 in " + PID + ".cfg (port = 8321)");
        }
        String host = config.bindAddress() == null || config.bindAddress().isBlank()
                ? DEFAULT_BIND_ADDRESS : config.bindAddress().trim();
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return new Decision(false, "", -1, "jdamon web: bindAddress '" + host
                    + "' is not an address of this host; use " + DEFAULT_BIND_ADDRESS + " or an interface's address");
        }
        if (!address.isLoopbackAddress()) {
            if (!config.allowNonLoopback()) {
                return new Decision(false, "", -1, "jdamon web: bindAddress '" + host
                        + "' is not loopback; the web view stays off. To serve it beyond this host, add"
                        + " allowNonLoopback = true to " + PID + ".cfg");
            }
            return new Decision(true, host, port, "jdamon web: listening on " + host + ":" + port
                    + ", beyond loopback (allowNonLoopback = true): anyone who reaches it sees every context");
        }
        return new Decision(true, host, port, "");
    }
}
