package io.jdamon.itests.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Hashtable;
import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.ContextState;
import io.jdamon.api.ContextStatus;
import io.jdamon.api.MonitoringAttributes;

/** Configuration changes apply online where they can, restart only their own context otherwise. */
class ConfigurationChangeTest extends PlatformTestSupport {

    @Test
    void changedIntervalsAndLimitsApplyOnline() throws Exception {
        installPrimitive();
        Configuration config = configure("tuned", fastContext("half"));
        ContextStatus before = awaitStatus("tuned", ContextState.RUNNING, s -> s.aggregations() >= 3, "aggregating");

        Hashtable<String, Object> p = fastContext("half");
        p.put("sampleIntervalUs", 1_000L);
        p.put("aggregationIntervalUs", 30_000L);
        p.put("maxNrRegions", 200);
        config.update(p);
        MonitoringAttributes expected = new MonitoringAttributes(1_000, 30_000,
                MonitoringAttributes.DEFAULT_UPDATE_INTERVAL_US, 10, 200);
        ContextStatus after = awaitStatus("tuned", ContextState.RUNNING, s -> s.attributes().equals(expected),
                "the new attributes in force");
        await("an aggregation with the new intervals", () -> engine.context("tuned").orElseThrow().lastAggregation()
                .map(a -> a.aggregationIntervalUs() == 30_000 && a.sampleIntervalUs() == 1_000).orElse(false));

        assertThat(after.threadName()).as("the same kdamond goes on").isEqualTo(before.threadName());
        assertThat(after.samples()).as("the run was not restarted").isGreaterThanOrEqualTo(before.samples());
        assertThat(count(primitiveCounter(), "tuned.init")).isEqualTo(1);
        assertThat(count(primitiveCounter(), "tuned.cleanup")).isZero();
    }

    @Test
    void changedCallbackListAppliesOnline() throws Exception {
        installPrimitive();
        installCallback();
        Configuration config = configure("listened", fastContext("half"));
        ContextStatus before = awaitStatus("listened", ContextState.RUNNING, s -> s.aggregations() >= 2,
                "aggregating");
        Supplier<Map<String, Long>> callbackCounts = callbackCounter();
        assertThat(count(callbackCounts, "listened/beforeStart")).as("not listed yet").isZero();

        Hashtable<String, Object> p = fastContext("half");
        p.put("callbacks", CALLBACK);
        config.update(p);
        await("the newly listed callback joins", () -> count(callbackCounts, "listened/beforeStart") == 1
                && count(callbackCounts, "listened/afterAggregation") >= 2);

        config.update(fastContext("half"));
        await("the callback no longer listed leaves", () -> count(callbackCounts, "listened/beforeTerminate") == 1);

        ContextStatus after = status("listened").orElseThrow();
        assertThat(after.state()).isEqualTo(ContextState.RUNNING);
        assertThat(after.threadName()).as("the same run all along").isEqualTo(before.threadName());
        assertThat(count(primitiveCounter(), "listened.init")).isEqualTo(1);
    }

    @Test
    void changedTargetsRestartOnlyThatContext() throws Exception {
        installPrimitive();
        Configuration left = configure("left", fastContext("half"));
        configure("right", fastContext("half"));
        awaitStatus("left", ContextState.RUNNING, s -> s.aggregations() >= 2, "aggregating");
        ContextStatus right = awaitStatus("right", ContextState.RUNNING, s -> s.aggregations() >= 2, "aggregating");
        Supplier<Map<String, Long>> counts = primitiveCounter();

        left.update(fastContext("all"));
        await("left restarted", () -> count(counts, "left.init") == 2 && count(counts, "left.cleanup") == 1);
        awaitStatus("left", ContextState.RUNNING, s -> s.aggregations() >= 2, "aggregating again");
        AggregationSnapshot last = engine.context("left").orElseThrow().lastAggregation().orElseThrow();
        assertThat(last.targets().get(0).spec()).isEqualTo("all");
        assertThat(last.workingSetBytes()).as("with target 'all' everything is accessed")
                .isEqualTo(last.targets().get(0).totalBytes());

        assertThat(count(counts, "right.init")).as("right was not restarted").isEqualTo(1);
        assertThat(count(counts, "right.cleanup")).isZero();
        assertThat(status("right").orElseThrow().threadName()).isEqualTo(right.threadName());
    }

    @Test
    void deletingTheConfigurationStopsAndRemovesTheContext() throws Exception {
        installPrimitive();
        Configuration config = configure("doomed", fastContext("half"));
        configure("survivor", fastContext("half"));
        awaitStatus("doomed", ContextState.RUNNING, s -> s.samples() > 0, "sampling");
        awaitStatus("survivor", ContextState.RUNNING, s -> s.samples() > 0, "sampling");

        config.delete();
        await("the deleted context is gone", () -> status("doomed").isEmpty());
        assertThat(engine.context("doomed")).isEmpty();
        assertThat(count(primitiveCounter(), "doomed.cleanup")).isEqualTo(1);
        assertThat(status("survivor").orElseThrow().state()).isEqualTo(ContextState.RUNNING);
    }

    @Test
    void schemesFromTheConfigurationRunAndChangeOnlineAndOnesThePrimitiveLacksAreRejected() throws Exception {
        installPrimitive();
        Hashtable<String, Object> p = fastContext("half");
        p.put("schemes", "--damos_action stat --damos_access_rate 0% 0%");
        Configuration config = configure("schemed", p);
        ContextStatus before = awaitStatus("schemed", ContextState.RUNNING, s -> s.aggregations() >= 3,
                "aggregating");
        await("the stat scheme applied", () -> engine.context("schemed").orElseThrow().schemeStats().stream()
                .anyMatch(st -> st.applications() >= 2 && st.action().equals("stat")));

        p.put("schemes", "--damos_action stat --damos_action stat --damos_access_rate 50% max");
        config.update(p);
        await("two schemes from the next aggregation", () -> engine.context("schemed").orElseThrow().schemeStats()
                .size() == 2 && engine.context("schemed").orElseThrow().schemeStats().get(1).applications() >= 1);
        assertThat(status("schemed").orElseThrow().threadName()).as("the same run").isEqualTo(before.threadName());

        Hashtable<String, Object> bad = fastContext("half");
        bad.put("schemes", "--damos_action pageout");
        configure("unpaged", bad);
        ContextStatus rejected = awaitStatus("unpaged", ContextState.INVALID, s -> true, "rejected");
        assertThat(rejected.detail()).contains("key 'schemes'", "does not apply action 'pageout'");
        assertThat(status("schemed").orElseThrow().state()).as("the other context runs on")
                .isEqualTo(ContextState.RUNNING);
    }
}
