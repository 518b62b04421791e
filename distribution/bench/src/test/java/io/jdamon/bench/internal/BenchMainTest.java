package io.jdamon.bench.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The jar's entry point: usage, help and bad arguments, without running a benchmark. */
class BenchMainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return BenchMain.run(args, "jdamon bench", new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void noArgumentPrintsUsageAndFails() {
        assertThat(run()).isEqualTo(2);
        assertThat(err()).startsWith("usage: jdamon bench <benchmark>").contains("engine", "sim");
        assertThat(out()).isEmpty();
    }

    @Test
    void helpPrintsUsageToStandardOutput() {
        assertThat(run("--help")).isZero();
        assertThat(out()).startsWith("usage: jdamon bench <benchmark>").contains("  engine ", "  sim ");
        assertThat(err()).isEmpty();
    }

    @Test
    void unknownBenchmarkIsNamed() {
        assertThat(run("disk")).isEqualTo(2);
        assertThat(err()).startsWith("jdamon bench: unknown benchmark 'disk'; name engine or sim");
    }

    @Test
    void jmhOptionsWithoutEngineShowWhereTheyGo() {
        assertThat(run("-f", "1")).isEqualTo(2);
        assertThat(err()).startsWith("jdamon bench: unknown benchmark '-f'; name engine or sim first"
                + " (JMH options go after engine: jdamon bench engine -f 1)");
    }

    @Test
    void simHelpListsItsOptions() {
        assertThat(run("sim", "--help")).isZero();
        assertThat(out()).startsWith("usage: jdamon bench sim ")
                .contains("--seconds N", "--rounds N", "--skip-real", "--skip-accuracy", "1GiB 64GiB 1TiB");
    }

    @Test
    void simRejectsBadArgumentsBeforeRunning() {
        assertThat(run("sim", "2TiB")).isEqualTo(2);
        assertThat(err()).isEqualTo("jdamon bench sim: size '2TiB' is out of range; give a size from 16 MiB to 1 TiB,"
                + " e.g. 64GiB" + System.lineSeparator());
        assertThat(out()).isEmpty();
    }

    @Test
    void engineHelpDescribesTheBenchmark() {
        assertThat(run("engine", "--help")).isZero();
        assertThat(out()).startsWith("usage: jdamon bench engine [JMH options]")
                .contains("100, 1,000 and 10,000 regions", "JMH options:");
    }

    @Test
    void engineRejectsABadJmhOptionWithoutAStackTrace() {
        assertThat(run("engine", "-f", "many")).isEqualTo(2);
        assertThat(err()).startsWith("jdamon bench engine: ").contains("'jdamon bench engine --help' lists the options")
                .doesNotContain("\tat ");
    }
}
