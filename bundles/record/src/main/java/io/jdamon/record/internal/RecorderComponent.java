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
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

import io.jdamon.api.Callback;
import io.jdamon.api.Configurations;
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
@Designate(ocd = RecorderComponent.Config.class, factory = true)
public class RecorderComponent {

    /** The configuration PID (used as a factory PID): {@value}. */
    public static final String PID = Configurations.RECORDER_FACTORY_PID;

    private static final System.Logger LOG = System.getLogger(RecorderComponent.class.getName());

    /** The configuration ({@link Configurations.Recorder} names its keys and defaults). */
    @ObjectClassDefinition(name = "jdamon recorder", description = "Records the contexts that list this recorder's"
            + " name in their callbacks to a file in damo's record format.")
    public @interface Config {
        /** The callback's name, which contexts use to ask for it; becomes {@code jdamon.callback}. */
        @AttributeDefinition(description = "The callback's name, which contexts list in their 'callbacks'."
                + " Required.")
        String name() default "";

        /** The record file; {@code {context}} in the name is replaced by the context's name. */
        @AttributeDefinition(description = "The record file; {context} in it is replaced by the context's name."
                + " A relative name is relative to the folder jdamon was started in.")
        String file() default Configurations.Recorder.DEFAULT_FILE;

        /**
         * Whether to force every aggregation to the storage device (survives
         * power loss; costs milliseconds per aggregation). Without it a
         * {@code kill -9} still loses nothing completed.
         */
        @AttributeDefinition(description = "Force every aggregation to the storage device (survives power loss,"
                + " costs milliseconds per aggregation); a kill -9 loses no completed aggregation either way.")
        boolean sync() default Configurations.Recorder.DEFAULT_SYNC;

        /**
         * {@code output_type}: the format of a finished file, {@code json} or
         * {@code json_compressed} (damo's default, which damo needs for files
         * above about 7 MB); a file is plain JSON while it is written.
         */
        @AttributeDefinition(description = "The finished file's format: json, or json_compressed (damo's default,"
                + " zlib; damo needs it above about 7 MB). A file is plain JSON while it is written.",
                options = {@Option(label = "json", value = "json"), @Option(label = "json_compressed", value = "json_compressed")})
        String output__type() default Configurations.Recorder.DEFAULT_OUTPUT_TYPE;
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
