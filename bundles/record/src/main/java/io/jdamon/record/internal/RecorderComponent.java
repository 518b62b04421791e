package io.jdamon.record.internal;

import java.lang.System.Logger.Level;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

import io.jdamon.api.Callback;
import io.jdamon.record.RecordingCallback;

/**
 * A recorder per factory configuration of PID {@value #PID}: registers a
 * {@link RecordingCallback} as a {@link Callback} service whose
 * {@value Callback#SERVICE_PROPERTY} is the configuration's {@code name}, so
 * contexts that name it are recorded to {@code file}.
 *
 * <pre>
 * # deploy/io.jdamon.record-main.cfg
 * name = record
 * file = /var/tmp/damon.data
 * sync = false
 * output_type = json_compressed
 * </pre>
 */
@Component(configurationPid = RecorderComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {})
public class RecorderComponent {

    /** The configuration PID (used as a factory PID): {@value}. */
    public static final String PID = "io.jdamon.record";

    private static final System.Logger LOG = System.getLogger(RecorderComponent.class.getName());

    /** The configuration. */
    public @interface Config {
        /** The callback's name, which contexts use to ask for it; becomes {@code jdamon.callback}. */
        String name() default "";

        /** The record file; {@code {context}} in the name is replaced by the context's name. */
        String file() default "damon.data";

        /**
         * Whether to force every aggregation to the storage device (survives
         * power loss; costs milliseconds per aggregation). Without it a
         * {@code kill -9} still loses nothing completed.
         */
        boolean sync() default false;

        /**
         * {@code output_type}: the format of a finished file, {@code json} or
         * {@code json_compressed} (damo's default, which damo needs for files
         * above about 7 MB); a file is plain JSON while it is written.
         */
        String output__type() default "json";
    }

    private RecordingCallback recorder;
    private ServiceRegistration<Callback> registration;

    @Activate
    void activate(BundleContext bundleContext, Config config) {
        String name = config.name().trim();
        if (name.isEmpty()) {
            LOG.log(Level.ERROR, "recorder configuration (" + PID + ") has no 'name'; set name=<callback name> "
                    + "so contexts can ask for it; no recorder registered");
            return;
        }
        Path file;
        try {
            file = Path.of(config.file().trim());
        } catch (InvalidPathException e) {
            LOG.log(Level.ERROR, "recorder '" + name + "': file '" + config.file() + "' is not a valid path ("
                    + e.getReason() + "); fix 'file' in its configuration; no recorder registered");
            return;
        }
        io.jdamon.record.RecordFormat format;
        try {
            format = io.jdamon.record.RecordFormat.of(config.output__type());
        } catch (IllegalArgumentException e) {
            LOG.log(Level.ERROR, "recorder '" + name + "': " + e.getMessage() + "; fix 'output_type' in its "
                    + "configuration; no recorder registered");
            return;
        }
        recorder = new RecordingCallback(file, config.sync(), format);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Callback.SERVICE_PROPERTY, name);
        props.put("file", file.toString());
        props.put("output_type", format.damoName());
        registration = bundleContext.registerService(Callback.class, recorder, props);
        LOG.log(Level.INFO, "recorder ''{0}'' registered, writing to {1}", name, file.toAbsolutePath());
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping and the framework unregistered it
            }
            registration = null;
        }
        if (recorder != null) {
            recorder.close();
            recorder = null;
        }
    }
}
