package io.jdamon.shell.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.Configurations;
import io.jdamon.api.ContextNotRunningException;
import io.jdamon.api.ContextState;
import io.jdamon.api.ContextStatus;
import io.jdamon.api.EngineBusyException;
import io.jdamon.api.IntervalsGoal;
import io.jdamon.api.InvalidAttributesException;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.MonitoringEngine;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.RunCosts;
import io.jdamon.api.StartMode;
import io.jdamon.api.TargetSnapshot;
import io.jdamon.units.UnitFormat;
import io.jdamon.units.UnitParser;

/**
 * What every management surface does to the engine's contexts: the status
 * text, start, stop and online attribute changes. The Gogo commands, the local
 * channel of {@code bin/jdamon} and the JMX beans all call this class, so they
 * say the same thing the same way.
 */
final class ContextControl {

    /** The attribute keys {@link #tune} takes: the context configuration's own. */
    static final List<String> TUNABLE_KEYS = List.of(Configurations.Context.SAMPLE_INTERVAL_US,
            Configurations.Context.AGGREGATION_INTERVAL_US, Configurations.Context.UPDATE_INTERVAL_US,
            Configurations.Context.MIN_NR_REGIONS, Configurations.Context.MAX_NR_REGIONS,
            Configurations.Context.INTERVALS_GOAL_AGGRS, Configurations.Context.INTERVALS_GOAL_ACCESS_BP,
            Configurations.Context.INTERVALS_GOAL_MIN_SAMPLE_US, Configurations.Context.INTERVALS_GOAL_MAX_SAMPLE_US);

    /** A request that cannot be done; the message says why and what to do. */
    static final class ControlException extends Exception {
        private static final long serialVersionUID = 1L;

        ControlException(String message) {
            super(message);
        }
    }

    private final MonitoringEngine engine;

    ContextControl(MonitoringEngine engine) {
        this.engine = engine;
    }

    /**
     * @param verbose whether to add, per context, its attributes, what its
     *     primitive said (the sensor), its run costs and every region of the
     *     last aggregation
     * @return one line per context, in the engine's order
     */
    String status(boolean verbose) {
        StringBuilder b = new StringBuilder();
        // one look: contexts come and go meanwhile, and "no contexts" must not precede one
        List<ContextStatus> statuses = engine.statuses();
        if (statuses.isEmpty()) {
            b.append("no contexts; drop a io.jdamon.context-<name>.cfg into deploy/ (see the README)\n");
        }
        for (ContextStatus s : statuses) {
            Optional<MonitoringContext> context = engine.context(s.name());
            Optional<AggregationSnapshot> last = context.flatMap(MonitoringContext::lastAggregation);
            b.append(String.format(Locale.ROOT, "%-20s %-8s primitive=%s samples=%d aggregations=%d regions=%d wss=%s%s%n",
                    s.name(), s.state(), s.primitiveName(), s.samples(), s.aggregations(), s.regions(),
                    last.map(a -> Progress.bytes(a.effectiveWorkingSetBytes())).orElse("-"),
                    s.stopReason().map(r -> " stopped=" + r).orElse("")));
            if (!s.detail().isEmpty()) {
                b.append("    ").append(s.detail()).append('\n');
            }
            List<io.jdamon.api.SchemeStats> schemes = context.map(MonitoringContext::schemeStats).orElse(List.of());
            if (verbose && s.state() == ContextState.RUNNING && !schemes.isEmpty()) {
                schemes = withTriedRegions(context.get(), schemes);
            }
            for (io.jdamon.api.SchemeStats st : schemes) {
                b.append("    ").append(scheme(st, context.get().schemes())).append('\n');
            }
            if (verbose) {
                verbose(b, s, context.map(MonitoringContext::runCosts), last);
                for (io.jdamon.api.SchemeStats st : schemes) {
                    b.append(String.format(Locale.ROOT, "    scheme %d last tried regions (%d%s):%n", st.index(),
                            st.lastTriedRegions().size(), st.triedRegionsApplication() == 0 ? ", none collected yet"
                                    : ", at application " + st.triedRegionsApplication() + " of "
                                            + st.applications()));
                    for (io.jdamon.api.TriedRegion r : st.lastTriedRegions()) {
                        b.append(String.format(Locale.ROOT, "        target %d %s-%s %12s nr_accesses %3d age %d"
                                + " applied %s%n", r.targetIndex(), UnitFormat.address(r.start()),
                                UnitFormat.address(r.end()), UnitFormat.bytes(r.size()), r.nrAccesses(), r.age(),
                                UnitFormat.bytes(r.appliedBytes())));
                    }
                }
            }
        }
        return b.toString();
    }

    /** How long {@code status -v} waits for the schemes to collect their tried regions once asked. */
    private static final long TRIED_REGIONS_WAIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);

    /**
     * Tried regions are collected only on request, as DAMON's: the first
     * {@link MonitoringContext#schemeStats()} asked for them, so wait (at most
     * {@link #TRIED_REGIONS_WAIT_NANOS}) until every scheme applied once since.
     */
    private static List<io.jdamon.api.SchemeStats> withTriedRegions(MonitoringContext context,
            List<io.jdamon.api.SchemeStats> asked) {
        long deadline = System.nanoTime() + TRIED_REGIONS_WAIT_NANOS;
        List<io.jdamon.api.SchemeStats> now = asked;
        while (System.nanoTime() - deadline < 0) {
            boolean all = true;
            for (int i = 0; i < now.size() && i < asked.size(); i++) {
                all &= now.get(i).triedRegionsApplication() > asked.get(i).applications() || !now.get(i).active();
            }
            if (all && now != asked) {
                return now;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return now;
            }
            now = context.schemeStats();
        }
        return now;
    }

    /** @return a scheme's line: its action and pattern, DAMOS's five counters, quota and activity */
    static String scheme(io.jdamon.api.SchemeStats st, List<io.jdamon.api.Scheme> defined) {
        io.jdamon.api.Scheme def = st.index() < defined.size() ? defined.get(st.index()) : null;
        return String.format(Locale.ROOT, "scheme %d %s%s: nr_tried=%d sz_tried=%s nr_applied=%d sz_applied=%s"
                + " qt_exceeds=%d applications=%d%s%s", st.index(), st.action(),
                def == null ? "" : " " + def.pattern(), st.nrTried(), UnitFormat.bytes(st.szTried()), st.nrApplied(),
                UnitFormat.bytes(st.szApplied()), st.qtExceeds(), st.applications(),
                st.effectiveQuotaBytes() > 0 ? " quota=" + UnitFormat.bytes(st.effectiveQuotaBytes()) : "",
                st.active() ? "" : " inactive (watermarks)");
    }

    private static void verbose(StringBuilder b, ContextStatus s, Optional<RunCosts> costs,
            Optional<AggregationSnapshot> last) {
        MonitoringAttributes a = s.attributes();
        b.append("    attributes: ").append(attributes(a)).append('\n');
        b.append("    primitive: ").append(s.primitiveProperties().isEmpty() ? "(said nothing yet)"
                : String.join(" ", properties(s.primitiveProperties()))).append('\n');
        s.threadName().ifPresent(t -> b.append("    kdamond: ").append(t).append('\n'));
        costs.ifPresent(c -> {
            b.append("    costs: sensor ").append(UnitFormat.nanos(c.sensorNanos()))
                    .append(", other primitive hooks ").append(UnitFormat.nanos(c.primitiveOtherNanos()))
                    .append(", late aggregations ").append(c.lateAggregations());
            for (RunCosts.CallbackCost cb : c.callbacks()) {
                b.append(", callback ").append(cb.name()).append(' ').append(UnitFormat.nanos(cb.hookNanos()))
                        .append(" in ").append(cb.hookCalls()).append(" calls");
            }
            b.append('\n');
        });
        if (last.isEmpty()) {
            b.append("    no aggregation yet\n");
            return;
        }
        AggregationSnapshot snapshot = last.get();
        b.append(String.format(Locale.ROOT, "    last aggregation #%d: %d samples at %s%n", snapshot.aggregationIndex(),
                snapshot.samplesPerAggregation(), UnitFormat.nanos(snapshot.meanSampleIntervalNanos())));
        for (TargetSnapshot t : snapshot.targets()) {
            b.append(String.format(Locale.ROOT, "    target %d %s: %d regions, %s, working set %s%n", t.index(),
                    t.spec(), t.regions().size(), UnitFormat.bytes(t.totalBytes()),
                    UnitFormat.bytes(t.effectiveWorkingSetBytes())));
            for (RegionSnapshot r : t.regions()) {
                b.append(String.format(Locale.ROOT, "        %s-%s %12s nr_accesses %3d age %d%n",
                        UnitFormat.address(r.start()), UnitFormat.address(r.end()), UnitFormat.bytes(r.size()),
                        r.nrAccesses(), r.age()));
            }
        }
    }

    /** @return the attributes as the configuration keys say them, with units for people */
    static String attributes(MonitoringAttributes a) {
        IntervalsGoal g = a.intervalsGoal();
        String goal = !g.enabled() ? "" : String.format(Locale.ROOT,
                "; tuned towards %s=%d %s=%d %s=%d %s=%d (%d%% of access events every %d aggregations, "
                        + "sample %s to %s)",
                Configurations.Context.INTERVALS_GOAL_ACCESS_BP, g.accessBp(), Configurations.Context.INTERVALS_GOAL_AGGRS,
                g.aggrs(), Configurations.Context.INTERVALS_GOAL_MIN_SAMPLE_US, g.minSampleUs(),
                Configurations.Context.INTERVALS_GOAL_MAX_SAMPLE_US, g.maxSampleUs(), g.accessBp() / 100, g.aggrs(),
                UnitFormat.micros(g.minSampleUs()), UnitFormat.micros(g.maxSampleUs()));
        return plainAttributes(a) + goal;
    }

    private static String plainAttributes(MonitoringAttributes a) {
        return String.format(Locale.ROOT, "%s=%d (%s) %s=%d (%s) %s=%d (%s) %s=%d %s=%d",
                Configurations.Context.SAMPLE_INTERVAL_US, a.sampleIntervalUs(), UnitFormat.micros(a.sampleIntervalUs()),
                Configurations.Context.AGGREGATION_INTERVAL_US, a.aggregationIntervalUs(),
                UnitFormat.micros(a.aggregationIntervalUs()),
                Configurations.Context.UPDATE_INTERVAL_US, a.updateIntervalUs(), UnitFormat.micros(a.updateIntervalUs()),
                Configurations.Context.MIN_NR_REGIONS, a.minNrRegions(),
                Configurations.Context.MAX_NR_REGIONS, a.maxNrRegions());
    }

    private static List<String> properties(Map<String, String> properties) {
        List<String> out = new ArrayList<>();
        new TreeMap<>(properties).forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /**
     * Starts a stopped context again (shared: other contexts keep running).
     *
     * @return what was done
     * @throws ControlException if there is no such context or it cannot start now
     */
    String start(String name) throws ControlException {
        MonitoringContext c = context(name);
        if (c.isRunning()) {
            throw new ControlException("context '" + name + "' runs already");
        }
        try {
            engine.start(List.of(c), StartMode.SHARED);
        } catch (EngineBusyException | IllegalStateException e) {
            throw new ControlException(e.getMessage());
        }
        return "started " + name;
    }

    /**
     * Stops a running context and waits for its kdamond to end. Its
     * configuration stays: {@link #start} runs it again, and a change of its
     * configuration restarts it.
     *
     * @return what was done
     * @throws ControlException if there is no such context or it does not run
     */
    String stop(String name) throws ControlException, InterruptedException {
        MonitoringContext c = context(name);
        try {
            engine.stop(List.of(c));
        } catch (ContextNotRunningException e) {
            throw new ControlException("context '" + name + "' does not run (" + c.status().state()
                    + "); nothing to stop");
        }
        return "stopped " + name + "; 'start " + name + "' runs it again";
    }

    /**
     * Changes a context's attributes online: the kdamond takes them at its
     * next aggregation, as a configuration change of attributes only does.
     * Nothing is saved: the context's configuration, if it has one, is what a
     * restart uses.
     *
     * @param settings {@code key=value} pairs, keys from {@link #TUNABLE_KEYS};
     *     times take units ({@code 5ms}; a bare number is microseconds)
     * @return the attributes now asked for
     * @throws ControlException naming the bad setting and the fix, or the attributes' problem
     */
    String tune(String name, List<String> settings) throws ControlException {
        MonitoringContext c = context(name);
        if (settings.isEmpty()) {
            throw new ControlException("nothing to tune; give key=value pairs, keys " + String.join(", ", TUNABLE_KEYS)
                    + "; e.g. tune " + name + " " + Configurations.Context.SAMPLE_INTERVAL_US + "=10ms");
        }
        Map<String, Long> values = new LinkedHashMap<>();
        for (String setting : settings) {
            int eq = setting.indexOf('=');
            String key = eq < 0 ? setting : setting.substring(0, eq).trim();
            if (eq < 0 || !TUNABLE_KEYS.contains(key)) {
                throw new ControlException("'" + setting + "' is not a setting; write key=value with a key from "
                        + String.join(", ", TUNABLE_KEYS));
            }
            String value = setting.substring(eq + 1).trim();
            try {
                values.put(key, key.endsWith("Us") ? UnitParser.timeMicros(value, "us") : Long.parseLong(value));
            } catch (IllegalArgumentException e) {
                throw new ControlException(key + ": " + (key.endsWith("Us") ? e.getMessage()
                        : "'" + value + "' is not a whole number; write e.g. " + key + "=100"));
            }
        }
        MonitoringAttributes a = c.attributes();
        // with no goal yet, turning tuning on (intervalsGoalAggrs=3) takes DAMON's recommendation for the rest
        IntervalsGoal g = a.intervalsGoal().enabled() ? a.intervalsGoal() : IntervalsGoal.RECOMMENDED;
        long aggrsNow = a.intervalsGoal().aggrs();
        long minRegions = values.getOrDefault(Configurations.Context.MIN_NR_REGIONS, (long) a.minNrRegions());
        long maxRegions = values.getOrDefault(Configurations.Context.MAX_NR_REGIONS, (long) a.maxNrRegions());
        long aggrs = values.getOrDefault(Configurations.Context.INTERVALS_GOAL_AGGRS, aggrsNow);
        long accessBp = values.getOrDefault(Configurations.Context.INTERVALS_GOAL_ACCESS_BP, (long) g.accessBp());
        if (minRegions > Integer.MAX_VALUE || maxRegions > Integer.MAX_VALUE || aggrs > Integer.MAX_VALUE
                || accessBp > Integer.MAX_VALUE) {
            throw new ControlException("a count is out of range; give at most " + Integer.MAX_VALUE);
        }
        try {
            IntervalsGoal goal = new IntervalsGoal((int) accessBp, (int) aggrs,
                    values.getOrDefault(Configurations.Context.INTERVALS_GOAL_MIN_SAMPLE_US, g.minSampleUs()),
                    values.getOrDefault(Configurations.Context.INTERVALS_GOAL_MAX_SAMPLE_US, g.maxSampleUs()));
            MonitoringAttributes tuned = new MonitoringAttributes(
                    values.getOrDefault(Configurations.Context.SAMPLE_INTERVAL_US, a.sampleIntervalUs()),
                    values.getOrDefault(Configurations.Context.AGGREGATION_INTERVAL_US, a.aggregationIntervalUs()),
                    values.getOrDefault(Configurations.Context.UPDATE_INTERVAL_US, a.updateIntervalUs()),
                    (int) minRegions, (int) maxRegions, goal);
            c.updateAttributes(tuned);
            return "tuned " + name + (c.isRunning() ? " (from its next aggregation)" : " (for its next run)") + ": "
                    + attributes(tuned) + "; not saved: its configuration still says what a restart uses";
        } catch (InvalidAttributesException e) {
            throw new ControlException(e.field() + ": " + e.getMessage() + "; nothing was changed");
        }
    }

    /** @return the context of that name; absent ones are an error naming those there are */
    MonitoringContext context(String name) throws ControlException {
        Optional<MonitoringContext> c = engine.context(name);
        if (c.isEmpty()) {
            List<String> names = names();
            throw new ControlException("no context '" + name + "'; " + (names.isEmpty() ? "there are none"
                    : "there are " + String.join(", ", names)));
        }
        return c.get();
    }

    /** @return the names of the contexts, for completion and the beans */
    List<String> names() {
        List<String> names = new ArrayList<>();
        engine.contexts().forEach(c -> names.add(c.name()));
        return names;
    }
}
