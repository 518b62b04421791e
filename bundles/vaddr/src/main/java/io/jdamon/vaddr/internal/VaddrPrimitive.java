package io.jdamon.vaddr.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import io.jdamon.api.InvalidTargetException;
import io.jdamon.api.MonitoringTarget;
import io.jdamon.api.Primitive;
import io.jdamon.api.PrimitiveContext;
import io.jdamon.vaddr.Sensor;
import io.jdamon.vaddr.SensorSession;
import io.jdamon.vaddr.SensorTraits;

/**
 * DAMON's virtual address space primitive for Linux processes.
 *
 * <p>Targets are written {@code pid=N} or {@code pid=N,sensor=NAME} (see
 * {@link TargetSpec}). Regions start as DAMON's three regions of
 * {@code /proc/PID/maps} (heap, mmap area, stack) and follow the mappings
 * every update interval. Accesses come from an access {@link Sensor}: the one
 * named, or with {@code sensor=auto} the best available non-intrusive one;
 * {@link #describe} states which ran, what it sees and at which granularity.
 * A target is invalid once its process has exited.
 */
@Component(service = Primitive.class, property = Primitive.SERVICE_PROPERTY + "=" + VaddrPrimitive.NAME)
public final class VaddrPrimitive implements Primitive {

    /** The primitive's name, what contexts write as their primitive. */
    public static final String NAME = "vaddr";

    private final Sensors sensors = new Sensors();

    /** Per-target state. */
    static final class TargetState {
        final int pid;
        final Sensor sensor;
        final SensorSession session;
        final ProcessLiveness liveness;

        TargetState(int pid, Sensor sensor, SensorSession session, ProcessLiveness liveness) {
            this.pid = pid;
            this.sensor = sensor;
            this.session = session;
            this.liveness = liveness;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSensor(Sensor sensor) {
        sensors.add(sensor);
    }

    void removeSensor(Sensor sensor) {
        sensors.remove(sensor);
    }

    Sensors sensors() {
        return sensors;
    }

    @Override
    public void checkTarget(String spec) {
        TargetSpec t = TargetSpec.parse(spec);
        ProcessAccess.requireInspectable(spec, t.pid());
        sensors.choose(spec, t);
    }

    @Override
    public void init(PrimitiveContext ctx) {
        long sampleUs = ctx.attributes().sampleIntervalUs();
        for (int i = 0; i < ctx.targetCount(); i++) {
            MonitoringTarget target = ctx.target(i);
            String spec = target.spec();
            TargetSpec t = TargetSpec.parse(spec);
            ProcessAccess.requireInspectable(spec, t.pid());
            Sensor sensor = sensors.choose(spec, t);
            ProcessLiveness liveness = new ProcessLiveness(t.pid());
            SensorSession session;
            try {
                session = sensor.open(t.pid(), sampleUs);
            } catch (IOException e) {
                liveness.close();
                throw new InvalidTargetException(spec, "sensor " + sensor.traits().name() + " cannot open PID " + t.pid()
                        + ": " + e.getMessage(), e);
            } catch (RuntimeException | Error e) {
                liveness.close(); // a third-party sensor may fail unchecked; the process handle must not leak
                throw e;
            }
            target.attach(new TargetState(t.pid(), sensor, session, liveness));
            try {
                target.initRegions(ProcMaps.threeRegions(ProcMaps.read(t.pid()), minRegionSize()));
            } catch (IOException | IllegalStateException e) {
                throw new InvalidTargetException(spec, "cannot read the mappings of PID " + t.pid() + ": "
                        + e.getMessage(), e);
            }
        }
        askForSampleInterval(ctx);
    }

    /** Sensors whose rounds are costly want a longer sample interval: the engine then samples at it. */
    @Override
    public void resetAggregated(PrimitiveContext ctx) {
        askForSampleInterval(ctx);
    }

    /** Asks the engine for the longest sample interval a target's sensor wants (0: the context's own). */
    private static void askForSampleInterval(PrimitiveContext ctx) {
        long wanted = 0;
        for (int i = 0; i < ctx.targetCount(); i++) {
            if (ctx.target(i).attachment() instanceof TargetState s
                    && s.session instanceof ReferencedSensor.Session referenced) {
                wanted = Math.max(wanted, referenced.wantedSampleIntervalUs());
            }
        }
        ctx.useSampleIntervalUs(wanted);
    }

    @Override
    public Map<String, String> describe(PrimitiveContext ctx) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < ctx.targetCount(); i++) {
            if (!(ctx.target(i).attachment() instanceof TargetState s)) {
                continue;
            }
            String prefix = ctx.targetCount() == 1 ? "" : "target." + i + ".";
            SensorTraits traits = s.sensor.traits();
            m.put(prefix + "pid", Integer.toString(s.pid));
            m.put(prefix + "sensor", traits.name());
            m.put(prefix + "sees", traits.sees());
            m.put(prefix + "granularity", traits.granularity().label());
            if (traits.intrusive()) {
                m.put(prefix + "intrusive", "true");
            }
            for (Map.Entry<String, String> e : s.session.describe().entrySet()) {
                m.put(prefix + traits.name() + "." + e.getKey(), e.getValue());
            }
        }
        return m;
    }

    @Override
    public void update(PrimitiveContext ctx) {
        for (int i = 0; i < ctx.targetCount(); i++) {
            MonitoringTarget target = ctx.target(i);
            if (!(target.attachment() instanceof TargetState s) || !s.liveness.alive()) {
                continue;
            }
            List<ProcMaps.Mapping> maps;
            try {
                maps = ProcMaps.read(s.pid);
            } catch (IOException e) {
                if (!s.liveness.alive()) {
                    continue;
                }
                throw new UncheckedIOException("cannot read /proc/" + s.pid + "/maps: " + e.getMessage(), e);
            }
            if (maps.size() >= 3) {
                target.updateRegions(ProcMaps.threeRegions(maps, minRegionSize()));
            }
            try {
                s.session.update();
            } catch (UncheckedIOException e) {
                failedUnlessGone(s, e);
            }
        }
    }

    @Override
    public void prepareAccessChecks(PrimitiveContext ctx) {
        forEachLiveSession(ctx, PREPARE);
    }

    @Override
    public void checkAccesses(PrimitiveContext ctx) {
        forEachLiveSession(ctx, CHECK);
    }

    /** The per-sample steps; constants, so the hot path allocates no lambda. */
    private static final BiConsumer<SensorSession, MonitoringTarget> PREPARE = SensorSession::prepare;
    private static final BiConsumer<SensorSession, MonitoringTarget> CHECK = SensorSession::check;

    /** Runs one per-sample step on every target whose process is alive. */
    private static void forEachLiveSession(PrimitiveContext ctx, BiConsumer<SensorSession, MonitoringTarget> step) {
        int n = ctx.targetCount();
        for (int i = 0; i < n; i++) {
            MonitoringTarget target = ctx.target(i);
            TargetState s = (TargetState) target.attachment();
            if (s == null || !s.liveness.alive()) {
                continue;
            }
            try {
                step.accept(s.session, target);
            } catch (UncheckedIOException e) {
                failedUnlessGone(s, e);
            }
        }
    }

    /** A read that failed because the process just exited is the end of the target, not an error. */
    private static void failedUnlessGone(TargetState s, UncheckedIOException e) {
        if (s.liveness.alive()) {
            throw new UncheckedIOException("sensor " + s.sensor.traits().name() + " failed on PID " + s.pid + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public boolean targetValid(MonitoringTarget target) {
        return target.attachment() instanceof TargetState s && s.liveness.alive();
    }

    @Override
    public void cleanup(PrimitiveContext ctx) {
        for (int i = 0; i < ctx.targetCount(); i++) {
            MonitoringTarget target = ctx.target(i);
            if (target.attachment() instanceof TargetState s) {
                s.session.close();
                s.liveness.close();
                target.attach(null);
            }
        }
    }
}
