package io.jdamon.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextState;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.StartMode;
import io.jdamon.core.internal.DamonEngine;

/** The management commands on a real engine and a running context: what each prints and refuses. */
@Timeout(120)
class ControlCommandsTest {

    private final DamonEngine engine = new DamonEngine();
    private final ContextControl control = new ContextControl(engine);
    private MonitoringContext hot;

    /** What one command printed and returned. */
    record Run(int status, String out, String err) {
    }

    private Run run(String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ControlCommands.run(control, List.of(argv), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 60 s for " + what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @BeforeEach
    void startHotHalf() throws Exception {
        hot = engine.newContext(new ContextDefinition("hh", "test", List.of("t0"),
                new MonitoringAttributes(1_000, 20_000, 1_000_000, 10, 100)), new HotHalfPrimitive());
        engine.start(List.of(hot), StartMode.SHARED);
        await("an aggregation", () -> hot.lastAggregation().isPresent());
    }

    @AfterEach
    void disposeContexts() throws Exception {
        for (MonitoringContext c : engine.contexts()) {
            engine.dispose(c);
        }
    }

    @Test
    void statusIsOneLinePerContextAndVerboseAddsAttributesSensorCostsAndRegions() {
        Run plain = run("status");
        assertThat(plain.status()).isZero();
        assertThat(plain.out()).startsWith("hh ").contains("RUNNING").contains("primitive=test")
                .doesNotContain("attributes:");
        Run verbose = run("status", "-v");
        assertThat(verbose.status()).isZero();
        assertThat(verbose.out())
                .contains("attributes: sampleIntervalUs=1000 (1 ms) aggregationIntervalUs=20000 (20 ms)")
                .contains("minNrRegions=10 maxNrRegions=100")
                .contains("primitive: ").contains("sensor=hot-half")
                .contains("costs: sensor ").contains("late aggregations ")
                .contains("target 0 t0: ");
        // every region of the last aggregation, each with its access count
        long regionLines = verbose.out().lines().filter(l -> l.contains(" nr_accesses ")).count();
        assertThat(regionLines).isGreaterThanOrEqualTo(10);
    }

    @Test
    void verboseStatusShowsTheTriedRegionsItAskedForAtTheNextApplication() throws Exception {
        MonitoringContext schemed = engine.newContext(ContextDefinition.builder("schemed", "test").target("t0")
                .attributes(new MonitoringAttributes(1_000, 20_000, 1_000_000, 10, 100))
                .scheme(io.jdamon.api.Scheme.builder(io.jdamon.api.Scheme.STAT).build()).build(),
                new HotHalfPrimitive());
        engine.start(List.of(schemed), StartMode.SHARED);
        await("the scheme applied", () -> !schemed.schemeStats().isEmpty()
                && schemed.schemeStats().get(0).applications() > 2);
        Run verbose = run("status", "-v");
        assertThat(verbose.status()).as(verbose.err()).isZero();
        // stat with any pattern tries every region, and status waited for an application after its ask
        String triedLine = verbose.out().lines().filter(l -> l.contains("scheme 0 last tried regions"))
                .findFirst().orElseThrow(() -> new AssertionError("no tried regions line in " + verbose.out()));
        assertThat(triedLine).doesNotContain("none collected").contains("at application ");
        long tried = verbose.out().lines().filter(l -> l.contains(" applied 0 B")).count();
        assertThat(tried).as(verbose.out()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void stopAndStartAContextAndRefuseWhatCannotBeDone() throws Exception {
        Run stop = run("stop", "hh");
        assertThat(stop.status()).as(stop.err()).isZero();
        assertThat(stop.out()).contains("stopped hh");
        assertThat(hot.status().state()).isEqualTo(ContextState.STOPPED);

        Run again = run("stop", "hh");
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).contains("context 'hh' does not run (STOPPED); nothing to stop");

        long before = hot.status().aggregations();
        Run start = run("start", "hh");
        assertThat(start.status()).as(start.err()).isZero();
        assertThat(start.out()).contains("started hh");
        await("aggregations of the new run", () -> hot.isRunning() && hot.status().aggregations() > 2);
        assertThat(before).isGreaterThan(0);

        Run twice = run("start", "hh");
        assertThat(twice.status()).isEqualTo(1);
        assertThat(twice.err()).contains("runs already");

        Run unknown = run("stop", "nope");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("no context 'nope'; there are hh");
    }

    @Test
    void tuneChangesAttributesOnlineAndRefusesBadSettingsChangingNothing() throws Exception {
        Run tune = run("tune", "hh", "sampleIntervalUs=2ms", "aggregationIntervalUs=40000");
        assertThat(tune.status()).as(tune.err()).isZero();
        assertThat(tune.out()).contains("tuned hh (from its next aggregation)").contains("not saved");
        await("an aggregation at the tuned intervals", () -> hot.lastAggregation()
                .filter(a -> a.sampleIntervalUs() == 2_000 && a.aggregationSamples() == 20).isPresent());
        assertThat(hot.attributes().aggregationIntervalUs()).isEqualTo(40_000);

        // intervals auto-tuning turned on online, DAMON's recommendation for what is not given
        Run goal = run("tune", "hh", "intervalsGoalAggrs=2", "intervalsGoalMinSampleUs=1ms");
        assertThat(goal.status()).as(goal.err()).isZero();
        assertThat(goal.out()).contains("tuned towards intervalsGoalAccessBp=400 intervalsGoalAggrs=2 "
                + "intervalsGoalMinSampleUs=1000 intervalsGoalMaxSampleUs=10000000");
        await("the goal in force", () -> hot.attributes().intervalsGoal().aggrs() == 2);
        assertThat(run("status", "-v").out()).contains("tuned towards intervalsGoalAccessBp=400");
        Run off = run("tune", "hh", "intervalsGoalAggrs=0", "sampleIntervalUs=2ms", "aggregationIntervalUs=40000");
        assertThat(off.status()).as(off.err()).isZero();
        await("tuning off", () -> !hot.attributes().intervalsGoal().enabled()
                && hot.attributes().sampleIntervalUs() == 2_000);

        for (String[] bad : new String[][] {
            {"tune", "hh", "sampleInterval=5ms"},
            {"tune", "hh", "sampleIntervalUs=fast"},
            {"tune", "hh", "maxNrRegions=lots"},
            {"tune", "hh", "aggregationIntervalUs=1ms"},
            {"tune", "hh"},
        }) {
            Run r = run(bad);
            assertThat(r.status()).as(Arrays.toString(bad)).isEqualTo(1);
            assertThat(r.err()).as(Arrays.toString(bad)).startsWith("jdamon tune: ");
        }
        assertThat(run("tune", "hh", "sampleInterval=5ms").err()).contains("sampleIntervalUs, aggregationIntervalUs");
        assertThat(run("tune", "hh", "sampleIntervalUs=fast").err()).contains("'fast' is not a time");
        assertThat(run("tune", "hh", "aggregationIntervalUs=1ms").err()).contains("nothing was changed");
        assertThat(hot.attributes().sampleIntervalUs()).isEqualTo(2_000);
        assertThat(hot.attributes().aggregationIntervalUs()).isEqualTo(40_000);
    }

    @Test
    void reportsARunningContextWithoutAFile() {
        Run wss = run("report", "wss", "hh", "--aggregations", "3", "--raw_number");
        assertThat(wss.status()).as(wss.err()).isZero();
        // the hot half of 64 MiB is the working set
        assertThat(wss.out()).contains(String.valueOf(HotHalfPrimitive.SIZE / 2));

        Run heatmap = run("report", "heatmap", "hh", "--aggregations", "4", "--resol", "4", "16");
        assertThat(heatmap.status()).as(heatmap.err()).isZero();
        List<String> rows = heatmap.out().lines().filter(l -> l.matches("[0-9]{16}")).toList();
        assertThat(rows).hasSize(4);
        // hot lower half, cold upper half in every row
        assertThat(rows).allMatch(r -> r.substring(0, 6).chars().allMatch(c -> c == '9')
                && r.substring(10).chars().allMatch(c -> c == '0'));

        Run access = run("report", "access", "hh");
        assertThat(access.status()).as(access.err()).isZero();
        assertThat(access.out()).contains("context hh, last aggregation");
    }

    @Test
    void aReportOnAStoppedContextOrABadCommandLineIsRefusedWithTheFix() throws Exception {
        engine.stop(List.of(hot));
        Run stopped = run("report", "wss", "hh");
        assertThat(stopped.status()).isEqualTo(1);
        assertThat(stopped.err()).contains("does not run").contains("'jdamon report'");
        // the last aggregation of a stopped context is still there to show
        assertThat(run("report", "access", "hh").status()).isZero();

        Run type = run("report", "pie", "hh");
        assertThat(type.status()).isEqualTo(2);
        assertThat(type.err()).contains("pie").contains("Usage:");
        Run none = run();
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err()).contains("give a command: status, start, stop, tune, report");
        Run help = run("tune", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("Usage:").contains("KEY=VALUE");
    }

    @Test
    void completionOffersCommandsOptionsReportTypesTuneKeysAndTheContextsOfNow() throws Exception {
        engine.newContext(ContextDefinition.of("heap", "test", "t0"), new HotHalfPrimitive());
        assertThat(ControlCommands.complete(control, List.of("st"), 0, 2)).containsExactly("start", "status", "stop");
        assertThat(ControlCommands.complete(control, List.of("stop", ""), 1, 0)).containsExactly("heap", "hh");
        assertThat(ControlCommands.complete(control, List.of("stop", "he"), 1, 2)).containsExactly("heap");
        assertThat(ControlCommands.complete(control, List.of("tune", "hh", "agg"), 2, 3))
                .containsExactly("aggregationIntervalUs=");
        assertThat(ControlCommands.complete(control, List.of("report", "w"), 1, 1)).containsExactly("wss");
        assertThat(ControlCommands.complete(control, List.of("report", "wss", "h"), 2, 1)).containsExactly("heap", "hh");
        assertThat(ControlCommands.complete(control, List.of("status", "--n"), 1, 3)).containsExactly("--names");
        // a context that goes is not offered any more
        engine.dispose(engine.context("heap").orElseThrow());
        assertThat(ControlCommands.complete(control, List.of("start", ""), 1, 0)).containsExactly("hh");
    }

    @Test
    void theGogoFunctionsPrintToTheSessionAndThrowTheMessageWhenTheyFail() {
        JdamonCommands commands = new JdamonCommands(null, null, engine);
        PrintStream previous = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            commands.status("-v");
        } finally {
            System.setOut(previous);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("hh ").contains("sensor=hot-half");
        assertThatThrownBy(() -> commands.stop("nope")).isInstanceOf(JdamonCommands.CommandFailedException.class)
                .hasMessage("jdamon stop: no context 'nope'; there are hh");
    }
}
