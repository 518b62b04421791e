package io.jdamon.core.internal.osgi;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import io.jdamon.api.Configurations;

/**
 * One monitoring context per factory configuration with the factory PID
 * {@value #FACTORY_PID}. The component only hands its configuration to the
 * {@link EngineComponent}, which creates, binds, starts, changes and stops the
 * context; a configuration with problems is activated all the same, so that
 * its context shows as INVALID with the reason instead of silently missing.
 */
@Component(name = ConfiguredContextComponent.FACTORY_PID, configurationPid = ConfiguredContextComponent.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = ContextConfig.class, factory = true)
public final class ConfiguredContextComponent {

    /** The factory PID of monitoring context configurations: {@value}. */
    public static final String FACTORY_PID = Configurations.CONTEXT_FACTORY_PID;

    private final EngineComponent engine;
    private final String pid;

    @Activate
    public ConfiguredContextComponent(@Reference EngineComponent engine, Map<String, Object> properties) {
        this.engine = engine;
        this.pid = pidOf(properties);
        engine.configure(ContextConfiguration.parse(pid, properties));
    }

    @Modified
    void modified(Map<String, Object> properties) {
        engine.reconfigure(ContextConfiguration.parse(pid, properties));
    }

    @Deactivate
    void deactivate() {
        engine.unconfigure(pid);
    }

    private static String pidOf(Map<String, Object> properties) {
        Object pid = properties.get("service.pid");
        if (pid instanceof String s) {
            return s;
        }
        Object name = properties.get("component.name");
        Object id = properties.get("component.id");
        return name + "." + id;
    }
}
