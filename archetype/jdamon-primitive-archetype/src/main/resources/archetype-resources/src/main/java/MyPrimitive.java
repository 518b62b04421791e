package ${package};

import org.osgi.service.component.annotations.Component;

import io.jdamon.api.InvalidTargetException;
import io.jdamon.api.MonitoringTarget;
import io.jdamon.api.Primitive;
import io.jdamon.api.PrimitiveContext;

/**
 * The primitive '${primitiveName}': targets 'lower' or 'upper' say which half
 * of a 1 MiB address space is accessed at every sample. Replace the three
 * hooks with what your primitive monitors; every other hook has a default.
 */
@Component(service = Primitive.class, property = Primitive.SERVICE_PROPERTY + "=" + MyPrimitive.NAME)
public final class MyPrimitive implements Primitive {

    /** This primitive's name: {@code primitive = ${primitiveName}} in a context's configuration. */
    public static final String NAME = "${primitiveName}";

    private static final long BASE = 0x100000;
    private static final long SIZE = 0x100000;

    @Override
    public void checkTarget(String spec) { // runs before the context is created
        if (!spec.equals("lower") && !spec.equals("upper")) {
            throw new InvalidTargetException(spec, "use 'lower' or 'upper'");
        }
    }

    @Override
    public void init(PrimitiveContext ctx) { // the address ranges of each target
        for (int t = 0; t < ctx.targetCount(); t++) {
            ctx.target(t).initRegions(BASE, BASE + SIZE);
        }
    }

    @Override
    public void checkAccesses(PrimitiveContext ctx) { // once per sample interval, on the kdamond thread
        for (int t = 0; t < ctx.targetCount(); t++) {
            MonitoringTarget target = ctx.target(t);
            boolean lower = target.spec().equals("lower");
            for (int i = 0, n = target.regionCount(); i < n; i++) {
                if ((target.samplingAddress(i) < BASE + SIZE / 2) == lower) {
                    target.markAccessed(i);
                }
            }
        }
    }
}
