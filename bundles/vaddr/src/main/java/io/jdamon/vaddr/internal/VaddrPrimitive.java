package io.jdamon.vaddr.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
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
import io.jdamon.units.UnitFormat;
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

    /** Exec'd targets whose sensor cannot be reopened yet are retried at this many updates before the run fails. */
    static final int REOPEN_ATTEMPTS = 3;

    private static final System.Logger LOG = System.getLogger(VaddrPrimitive.class.getName());

    /** Per-target state. */
    static final class TargetState {
        final int pid;
        final Sensor sensor;
        final long sampleIntervalUs;
        /** replaced when the process exec'd and the sensor is not a {@link FollowsExec} */
        SensorSession session;
        final ProcessLiveness liveness;
        final ExecWatch exec;
        /** failed attempts to reopen the sensor after an exec; 0 while it senses */
        int reopenFailures;
        String reopenFailure;
        /** set once a costly sensor's rounds cannot be held to their CPU budget (see {@link #overBudget}) */
        String budgetNote;
        /** the fixed address ranges of the target ({@code range=}), page-aligned; empty to follow the mappings */
        final long[] fixedRanges;
        /** DAMOS actions on the process, opened at the first one */
        ProcessMadvise madvise;

        TargetState(int pid, Sensor sensor, long sampleIntervalUs, SensorSession session, ProcessLiveness liveness,
                ExecWatch exec, long[] fixedRanges) {
            this.pid = pid;
            this.fixedRanges = fixedRanges;
            this.sensor = sensor;
            this.sampleIntervalUs = sampleIntervalUs;
            this.session = session;
            this.liveness = liveness;
            this.exec = exec;
        }

        /** @return true while the sensor may be asked: the process lives and its session is open */
        boolean sensing() {
            return reopenFailures == 0 && liveness.alive();
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
            ExecWatch exec = new ExecWatch(t.pid()); // before the sensor opens: an exec in between is seen
            SensorSession session;
            try {
                session = sensor.open(t.pid(), sampleUs);
            } catch (IOException e) {
                liveness.close();
                throw new InvalidTargetException(spec, "sensor " + sensor.traits().name() + " cannot open PID " + t.pid()
                        + ": " + e, e); // the class too: some say nothing more (ClosedByInterruptException)
            } catch (RuntimeException | Error e) {
                liveness.close(); // a third-party sensor may fail unchecked; the process handle must not leak
                throw e;
            }
            TargetState state = new TargetState(t.pid(), sensor, sampleUs, session, liveness, exec,
                    pageAligned(t.ranges()));
            target.attach(state);
            if (state.fixedRanges.length > 0) {
                target.initRegions(state.fixedRanges);
                keepToRegions(state);
                continue;
            }
            if (referencedPart(session) != null) {
                target.measureWholeRanges(); // referenced bytes per mapping, from the first check on
            }
            try {
                target.initRegions(ProcMaps.threeRegions(ProcMaps.read(t.pid()), minRegionSize()));
            } catch (IOException | IllegalStateException e) {
                throw new InvalidTargetException(spec, "cannot read the mappings of PID " + t.pid() + ": "
                        + e.getMessage(), e);
            }
        }
        askForSampleInterval(ctx);
    }

    /**
     * @return sorted {@code ranges} widened to whole pages (starts rounded down, ends up), ranges that
     *     then touch or overlap joined
     */
    static long[] pageAligned(long[] ranges) {
        long[] r = new long[ranges.length];
        int n = 0;
        for (int i = 0; i + 1 < ranges.length; i += 2) {
            long start = ranges[i] & -PAGE_SIZE;
            long end = (ranges[i + 1] + PAGE_SIZE - 1) & -PAGE_SIZE;
            end = end == 0 ? -PAGE_SIZE : end; // an end in the last page of the address space
            if (n > 0 && Long.compareUnsigned(start, r[n - 1]) <= 0) {
                r[n - 1] = end;
            } else {
                r[n++] = start;
                r[n++] = end;
            }
        }
        return Arrays.copyOf(r, n);
    }

    /**
     * A target with fixed ranges may cut a mapping, whose referenced bytes cannot be split between
     * the part monitored and the rest: its checks report no mapping-level measurement, and its
     * working set comes from its regions.
     */
    private static void keepToRegions(TargetState s) {
        ReferencedSensor.Session r = referencedPart(s.session);
        if (r != null) {
            r.measuresMappings = false;
        }
    }

    /** Sensors whose rounds are costly want a longer sample interval: the engine then samples at it. */
    @Override
    public void resetAggregated(PrimitiveContext ctx) {
        askForSampleInterval(ctx);
    }

    /** Asks the engine for the longest sample interval a target's sensor wants (0: the context's own). */
    private static void askForSampleInterval(PrimitiveContext ctx) {
        long wanted = 0;
        long aggregationUs = ctx.attributes().aggregationIntervalUs();
        for (int i = 0; i < ctx.targetCount(); i++) {
            if (!(ctx.target(i).attachment() instanceof TargetState s)) {
                continue;
            }
            ReferencedSensor.Session r = referencedPart(s.session);
            if (r != null) {
                wanted = Math.max(wanted, r.wantedSampleIntervalUs());
                overBudget(s, r, aggregationUs);
            }
        }
        ctx.useSampleIntervalUs(wanted);
    }

    /**
     * An aggregation needs one sample at least, so the engine samples at most
     * one aggregation interval apart: a round dearer than 5% of that breaks
     * the budget. Said once in the log and kept in the description, with the fix.
     */
    private static void overBudget(TargetState s, ReferencedSensor.Session r, long aggregationUs) {
        if (r.wantedSampleIntervalUs() <= aggregationUs || s.budgetNote != null) {
            return;
        }
        long costUs = r.roundCostUs();
        s.budgetNote = "a clear_refs+smaps round costs " + costUs + " us of CPU; at one round per aggregation ("
                + aggregationUs / 1000 + " ms) that is " + Math.round(100.0 * costUs / aggregationUs) + "% of a CPU,"
                + " above the " + Math.round(100 * ReferencedSensor.MAX_COST_SHARE) + "% budget; an aggregation interval"
                + " of " + ((long) (costUs / ReferencedSensor.MAX_COST_SHARE) / 1000 + 1) + " ms or more"
                + " holds it";
        LOG.log(System.Logger.Level.WARNING, () -> "PID " + s.pid + ": " + s.budgetNote);
    }

    /** @return the referenced session of a session that is or holds one, else null */
    private static ReferencedSensor.Session referencedPart(SensorSession session) {
        if (session instanceof ReferencedSensor.Session r) {
            return r;
        }
        return session instanceof UffdReferencedSensor.Session c ? c.reads : null;
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
            if (s.fixedRanges.length > 0) {
                StringBuilder ranges = new StringBuilder();
                for (int r = 0; r + 1 < s.fixedRanges.length; r += 2) {
                    ranges.append(r == 0 ? "" : " ").append(UnitFormat.address(s.fixedRanges[r])).append('-')
                            .append(UnitFormat.address(s.fixedRanges[r + 1]));
                }
                m.put(prefix + "ranges", "fixed " + ranges + " (the mappings are not followed; no mapping-level"
                        + " measurement)");
            }
            m.put(prefix + "sensor", traits.name());
            m.put(prefix + "sees", traits.sees());
            m.put(prefix + "granularity", traits.granularity().label());
            if (traits.intrusive()) {
                m.put(prefix + "intrusive", "true");
            }
            s.exec.describe(prefix, m);
            if (s.reopenFailures > 0) {
                m.put(prefix + "blind", "the sensor could not be reopened after PID " + s.pid + " exec'd ("
                        + s.reopenFailure + "); no accesses are seen until it can");
                continue;
            }
            for (Map.Entry<String, String> e : s.session.describe().entrySet()) {
                m.put(prefix + traits.name() + "." + e.getKey(), e.getValue());
            }
            if (s.budgetNote != null) {
                m.put(prefix + "budget", s.budgetNote);
            }
            if (referencedPart(s.session) != null) {
                // its checks report referenced bytes per mapping: records carry them, reports use them
                m.put(MonitoringTarget.MEASURED_UNIT_PROPERTY, "mapping");
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
            if (s.reopenFailures > 0) {
                reopen(s); // still blind since an exec: try again
            } else if (s.exec.execed(false)) {
                followExec(s);
            }
            if (s.fixedRanges.length == 0) { // fixed ranges are kept, so their mappings need not be read
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
            }
            if (!s.sensing()) {
                continue;
            }
            try {
                s.session.update();
            } catch (UncheckedIOException e) {
                failedUnlessGone(s, e);
            }
        }
    }

    /** The process exec'd: the sensor's files see the old, empty address space; open them on the new one. */
    private static void followExec(TargetState s) {
        LOG.log(System.Logger.Level.WARNING, () -> "PID " + s.pid + " exec'd " + s.exec.exe() + ": its address space"
                + " was replaced, so sensor " + s.sensor.traits().name() + " reopens its files on the new one");
        reopen(s);
    }

    /**
     * Reopens a target's sensor session; when it cannot (yet: e.g. the new
     * program has not created its userfaultfd), the target is blind and the
     * next updates try again, {@link #REOPEN_ATTEMPTS} times in all before
     * the run fails with the reason.
     */
    private static void reopen(TargetState s) {
        try {
            if (s.session instanceof FollowsExec f) {
                f.reopen();
            } else {
                if (s.reopenFailures == 0) {
                    s.session.close();
                }
                s.session = s.sensor.open(s.pid, s.sampleIntervalUs);
                if (s.fixedRanges.length > 0) {
                    keepToRegions(s);
                }
            }
            s.reopenFailures = 0;
            s.reopenFailure = null;
        } catch (IOException e) {
            if (!s.liveness.alive()) {
                return;
            }
            s.reopenFailures++;
            s.reopenFailure = e.getMessage();
            if (s.reopenFailures >= REOPEN_ATTEMPTS) {
                throw new UncheckedIOException("PID " + s.pid + " exec'd " + s.exec.exe() + " and sensor "
                        + s.sensor.traits().name() + " cannot monitor the new program (" + REOPEN_ATTEMPTS
                        + " attempts, one per update interval): " + e.getMessage(), e);
            }
            LOG.log(System.Logger.Level.WARNING, () -> "PID " + s.pid + ": sensor " + s.sensor.traits().name()
                    + " cannot be reopened after the exec yet (" + e.getMessage() + "); it sees nothing until the"
                    + " next update tries again");
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
            if (s == null || !s.sensing()) {
                continue;
            }
            try {
                step.accept(s.session, target);
            } catch (UncheckedIOException e) {
                failedUnlessGone(s, e);
            }
            if (s.session instanceof FollowsExec f && f.sawNoAddressSpace() && s.liveness.alive()
                    && s.exec.execed(true)) {
                followExec(s); // rare: allocation allowed
            }
        }
    }

    /** A read that failed because the process just exited is the end of the target, not an error. */
    private static void failedUnlessGone(TargetState s, UncheckedIOException e) {
        if (s.liveness.alive()) {
            throw new UncheckedIOException("sensor " + s.sensor.traits().name() + " failed on PID " + s.pid + ": "
                    + e.getCause(), e.getCause()); // the cause's class too: some say nothing more (ClosedByInterruptException)
        }
    }

    @Override
    public boolean targetValid(MonitoringTarget target) {
        return target.attachment() instanceof TargetState s && s.liveness.alive();
    }

    /** DAMOS actions through {@code process_madvise}: see {@link ProcessMadvise}. */
    @Override
    public java.util.Set<String> supportedActions() {
        return ProcessMadvise.ADVICE.keySet();
    }

    @Override
    public long applyAction(PrimitiveContext ctx, io.jdamon.api.ActionRequest request) {
        MonitoringTarget target = ctx.target(request.targetIndex());
        if (!(target.attachment() instanceof TargetState s) || !s.liveness.alive()) {
            return 0; // gone: nothing to advise
        }
        if (s.madvise == null) {
            s.madvise = new ProcessMadvise(s.pid);
        }
        try {
            return s.madvise.apply(request.action(), request.start(), request.end());
        } catch (IOException e) {
            if (!s.liveness.alive()) {
                return 0;
            }
            throw new UncheckedIOException("cannot apply " + request.action() + " to PID " + s.pid + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void cleanup(PrimitiveContext ctx) {
        for (int i = 0; i < ctx.targetCount(); i++) {
            MonitoringTarget target = ctx.target(i);
            if (target.attachment() instanceof TargetState s) {
                if (s.reopenFailures == 0 || s.session instanceof FollowsExec) {
                    s.session.close();
                }
                s.liveness.close();
                if (s.madvise != null) {
                    s.madvise.close();
                }
                target.attach(null);
            }
        }
    }
}
