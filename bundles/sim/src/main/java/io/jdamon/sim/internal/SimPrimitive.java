package io.jdamon.sim.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;

import io.jdamon.api.MonitoringTarget;
import io.jdamon.api.Primitive;
import io.jdamon.api.PrimitiveContext;
import io.jdamon.sim.GroundTruth;
import io.jdamon.sim.SimulatedWorkloads;

/**
 * The {@code sim} primitive: each target is a masim-style workload (see the
 * {@code io.jdamon.sim} package for the target syntax), real or virtual,
 * with a per-page accessed bit that this primitive samples as DAMON samples
 * the page table's accessed bit. A context ends when its workloads have run
 * all their phases.
 */
@Component(service = {Primitive.class, SimulatedWorkloads.class},
        property = Primitive.SERVICE_PROPERTY + "=" + SimPrimitive.NAME)
public final class SimPrimitive implements Primitive, SimulatedWorkloads {

    /** The primitive's name: {@value}. */
    public static final String NAME = "sim";

    /**
     * How many ended runs keep their ground truth readable (compacted to the
     * windows they recorded): the most recently ended ones. Everything else a
     * context had here dies with its run, so unique context names cannot pile
     * up memory.
     */
    static final int ENDED_RUNS_KEPT = 16;

    /** Ground truth of the runs going on now, by context name. */
    private final Map<String, GroundTruth[]> running = new ConcurrentHashMap<>();
    /** Ground truth of the last {@link #ENDED_RUNS_KEPT} runs that ended, oldest first; guarded by itself. */
    private final LinkedHashMap<String, GroundTruth[]> ended = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, GroundTruth[]> eldest) {
            return size() > ENDED_RUNS_KEPT;
        }
    };
    private final int truthCapacity;

    public SimPrimitive() {
        this(GroundTruthRecorder.DEFAULT_CAPACITY);
    }

    SimPrimitive(int truthCapacity) {
        this.truthCapacity = truthCapacity;
    }

    @Override
    public void checkTarget(String spec) {
        TargetSpec.parse(spec);
    }

    @Override
    public void init(PrimitiveContext ctx) {
        long windowNanos = ctx.attributes().aggregationIntervalUs() * 1_000;
        List<SimWorkload> created = new ArrayList<>();
        GroundTruth[] contextTruths = new GroundTruth[ctx.targetCount()];
        try {
            for (int i = 0; i < ctx.targetCount(); i++) {
                MonitoringTarget target = ctx.target(i);
                TargetSpec spec = TargetSpec.parse(target.spec());
                SimWorkload w = spec.virtual() ? new VirtualWorkload(spec, truthCapacity)
                        : new RealWorkload(spec, windowNanos, "sim." + ctx.name() + "." + i, truthCapacity);
                created.add(w);
                target.initRegions(w.layout.ranges());
                target.attach(w);
                contextTruths[i] = w.truth;
            }
        } catch (RuntimeException e) {
            for (SimWorkload w : created) {
                try {
                    w.stop();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
            throw e;
        }
        synchronized (ended) {
            ended.remove(ctx.name()); // this run's truth replaces the last one of that name
        }
        running.put(ctx.name(), contextTruths);
        ctx.attach(contextTruths);
        for (SimWorkload w : created) {
            w.start();
        }
    }

    @Override
    public Map<String, String> describe(PrimitiveContext ctx) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("sensor", "simulated-accessed-bit");
        facts.put("sees", "reads,writes");
        facts.put("granularity", "page");
        List<String> workloads = new ArrayList<>();
        for (int i = 0; i < ctx.targetCount(); i++) {
            if (ctx.target(i).attachment() instanceof SimWorkload w) {
                workloads.add(w.describe());
            }
        }
        facts.put("workloads", String.join("; ", workloads));
        return facts;
    }

    @Override
    public void prepareAccessChecks(PrimitiveContext ctx) {
        int n = ctx.targetCount();
        for (int i = 0; i < n; i++) {
            MonitoringTarget t = ctx.target(i);
            if (t.attachment() instanceof SimWorkload w) {
                w.prepareAccessChecks(t);
            }
        }
    }

    @Override
    public void checkAccesses(PrimitiveContext ctx) {
        int n = ctx.targetCount();
        for (int i = 0; i < n; i++) {
            MonitoringTarget t = ctx.target(i);
            if (t.attachment() instanceof SimWorkload w) {
                w.checkAccesses(t);
            }
        }
    }

    @Override
    public void resetAggregated(PrimitiveContext ctx) {
        int n = ctx.targetCount();
        for (int i = 0; i < n; i++) {
            if (ctx.target(i).attachment() instanceof SimWorkload w) {
                w.aggregated();
            }
        }
    }

    /** DAMOS actions on virtual targets, whose residency the ground truth models. */
    @Override
    public java.util.Set<String> supportedActions() {
        return java.util.Set.of(io.jdamon.api.Scheme.PAGEOUT, io.jdamon.api.Scheme.WILLNEED);
    }

    @Override
    public long applyAction(PrimitiveContext ctx, io.jdamon.api.ActionRequest request) {
        MonitoringTarget t = ctx.target(request.targetIndex());
        if (t.attachment() instanceof VirtualWorkload w) {
            return w.applyAction(request.action(), request.start(), request.end());
        }
        throw new UnsupportedOperationException("sim applies " + request.action() + " to virtual targets only;"
                + " target '" + t.spec() + "' is a real workload (use a virtual: target, or the vaddr primitive"
                + " for a real process)");
    }

    @Override
    public boolean targetValid(MonitoringTarget target) {
        return !(target.attachment() instanceof SimWorkload w) || !w.finished();
    }

    @Override
    public void cleanup(PrimitiveContext ctx) {
        InterruptedException interrupted = null;
        for (int i = 0; i < ctx.targetCount(); i++) {
            MonitoringTarget t = ctx.target(i);
            if (t.attachment() instanceof SimWorkload w) {
                try {
                    w.stop();
                } catch (InterruptedException e) {
                    interrupted = e;
                }
                t.attach(null);
            }
        }
        if (ctx.attachment() instanceof GroundTruth[] truths) {
            keepEnded(ctx.name(), truths);
            ctx.attach(null);
        }
        if (interrupted != null) {
            Thread.currentThread().interrupt();
        }
    }

    /** Moves a run's truth from the running ones to the ended ones, compacted to what it recorded. */
    private void keepEnded(String contextName, GroundTruth[] truths) {
        GroundTruth[] compacted = new GroundTruth[truths.length];
        for (int i = 0; i < truths.length; i++) {
            compacted[i] = truths[i] instanceof GroundTruthRecorder r ? r.compacted() : truths[i];
        }
        synchronized (ended) {
            ended.put(contextName, compacted);
        }
        running.remove(contextName, truths);
    }

    /** @return how many contexts' ground truth this primitive holds, running or ended (for tests) */
    int contextsHeld() {
        synchronized (ended) {
            return running.size() + ended.size();
        }
    }

    @Override
    public Optional<GroundTruth> groundTruth(String contextName, int targetIndex) {
        GroundTruth[] t = running.get(contextName);
        if (t == null) {
            synchronized (ended) {
                t = ended.get(contextName);
            }
        }
        if (t == null || targetIndex < 0 || targetIndex >= t.length) {
            return Optional.empty();
        }
        return Optional.ofNullable(t[targetIndex]);
    }
}
