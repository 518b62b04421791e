package io.jdamon.itests.karaf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jdamon in a real Apache Karaf, as a user would run it: the feature
 * repository of this build added with {@code feature:repo-add}, {@code
 * feature:install jdamon}, a sim context configured in {@code etc/}, a
 * primitive bundle dropped into {@code deploy/}, the {@code jdamon:*}
 * commands through {@code bin/client} in batch mode, and an uninstall that
 * leaves no jdamon bundle and no kdamond thread behind.
 */
class KarafFeatureTest {

    private static final Duration BOOT = Duration.ofSeconds(360);
    private static final Duration WAIT = Duration.ofSeconds(150);
    private static final String VERSION = System.getProperty("jdamon.version");
    private static final Pattern AGGREGATIONS = Pattern.compile("aggregations=(\\d+)");

    @TempDir
    Path dir;

    @Test
    void featureInstallsRunsContextsAndUninstallsCleanly() throws Exception {
        long started = System.nanoTime();
        try (Karaf karaf = new Karaf(dir)) {
            // a sim context configured in etc/ before the feature is there: it waits for the engine
            Files.writeString(karaf.etc().resolve("io.jdamon.context-karafsim.cfg"), String.join("\n",
                    "primitive = sim", "targets = virtual:stairs", "sampleIntervalUs = 1000",
                    "aggregationIntervalUs = 20000", ""));
            karaf.start();
            karaf.clientUntil(BOOT, out -> out.contains("karaf-is-up"), "echo karaf-is-up");
            long booted = System.nanoTime();

            // one command a session: a batch session may end before a second command has printed
            karaf.client(WAIT, "feature:repo-add mvn:io.jdamon/jdamon-features/" + VERSION + "/xml/features");
            karaf.client(WAIT, "feature:install jdamon");
            String installed = karaf.clientUntil(WAIT, out -> out.contains("jdamon-shell "), "feature:list -i");
            for (String f : new String[] {"jdamon ", "jdamon-core", "jdamon-sim", "jdamon-vaddr", "jdamon-record",
                "jdamon-report", "jdamon-shell"}) {
                assertThat(installed).as("feature " + f + " installed; output:\n" + installed).contains(f);
            }

            // jdamon:status prints in batch mode, and the context of etc/ runs and aggregates
            String status = karaf.clientUntil(WAIT, out -> aggregations(out, "karafsim") > 2, "jdamon:status");
            assertThat(line(status, "karafsim")).contains("RUNNING").contains("primitive=sim");

            // a context made with config:edit --alias is named after the alias (one session, Gogo's ';')
            karaf.client(WAIT, "config:edit --factory --alias aliased io.jdamon.context; "
                    + "config:property-set primitive sim; config:property-set targets virtual:stairs; "
                    + "config:property-set sampleIntervalUs 1000; config:property-set aggregationIntervalUs 20000; "
                    + "config:update");
            karaf.clientUntil(WAIT, out -> aggregations(out, "aliased") > 2, "jdamon:status");

            // the management commands print in batch mode; a refusal fails the client with its message
            String verbose = karaf.clientUntil(WAIT, out -> out.contains("target 0 virtual:stairs"),
                    "jdamon:status -v");
            assertThat(verbose).contains("attributes: sampleIntervalUs=1000 (1 ms)").contains(" nr_accesses ");
            assertThat(karaf.client(WAIT, "jdamon:tune karafsim sampleIntervalUs=2ms aggregationIntervalUs=40ms")
                    .out()).contains("tuned karafsim");
            karaf.clientUntil(WAIT, out -> out.contains("sampleIntervalUs=2000 (2 ms) aggregationIntervalUs=40000"),
                    "jdamon:status -v");
            Karaf.Result refused = karaf.client(WAIT, "jdamon:tune karafsim speed=max");
            assertThat(refused.out()).contains("'speed=max' is not a setting");
            assertThat(refused.exit()).isNotZero();
            assertThat(karaf.client(WAIT, "jdamon:stop aliased").out()).contains("stopped aliased");
            karaf.clientUntil(WAIT, out -> line(out, "aliased").contains("STOPPED"), "jdamon:status");
            assertThat(karaf.client(WAIT, "jdamon:start aliased").out()).contains("started aliased");
            karaf.clientUntil(WAIT, out -> line(out, "aliased").contains("RUNNING"), "jdamon:status");
            // the tab key completes context names and tune's keys (Karaf's registry holds the commands)
            // (the screen after the tab holds the completed word only if the tab completed it)
            assertThat(karaf.complete(WAIT, "jdamon:stop karafs", "karafsim ")).contains("karafsim ");
            assertThat(karaf.complete(WAIT, "jdamon:tune aliased aggr", "aggregationIntervalUs="))
                    .contains("aggregationIntervalUs=");
            String wss = karaf.client(WAIT, "jdamon:report wss karafsim --aggregations 3").out();
            assertThat(wss).contains("# <percentile> <wss>").contains("3 snapshots");

            // a primitive dropped into deploy/, and a context for it
            Path primitive = Path.of(System.getProperty("jdamon.primitive.jar"));
            Karaf.drop(primitive, karaf.deploy());
            Karaf.drop("io.jdamon.context-dropped.cfg", "primitive = itest\ntargets = half\n"
                    + "sampleIntervalUs = 1000\naggregationIntervalUs = 20000\n", karaf.etc());
            status = karaf.clientUntil(WAIT, out -> aggregations(out, "dropped") > 2, "jdamon:status");
            assertThat(line(status, "dropped")).contains("RUNNING").contains("primitive=itest");

            // the dropped bundle goes, then the feature: nothing of jdamon stays
            Files.delete(karaf.deploy().resolve(primitive.getFileName()));
            karaf.clientUntil(WAIT, out -> line(out, "dropped").contains("WAITING"), "jdamon:status");
            karaf.client(WAIT, "feature:uninstall jdamon");
            String bundles = karaf.clientUntil(WAIT, out -> out.contains("org.apache.karaf.shell.core")
                    && !out.contains("io.jdamon"), "bundle:list -t 0 -s");
            assertThat(bundles).doesNotContain("io.jdamon");
            assertThat(threadDump(karaf.pid())).as("no kdamond thread after the uninstall")
                    .contains("\"FelixStartLevel\"").doesNotContain("\"kdamond").doesNotContain("\"jdamon-");

            long ended = System.nanoTime();
            System.out.printf("Karaf itest: boot %d s, jdamon steps %d s, total %d s%n",
                    TimeUnit.NANOSECONDS.toSeconds(booted - started), TimeUnit.NANOSECONDS.toSeconds(ended - booted),
                    TimeUnit.NANOSECONDS.toSeconds(ended - started));
        }
    }

    /** @return the aggregations that {@code jdamon:status} shows for {@code name}, or -1 */
    private static long aggregations(String status, String name) {
        String l = line(status, name);
        Matcher m = AGGREGATIONS.matcher(l);
        return l.contains("RUNNING") && m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String line(String status, String name) {
        return Arrays.stream(status.split("\n")).filter(l -> l.startsWith(name + " ")).findFirst().orElse("");
    }

    /** The Karaf JVM's threads, from {@code jcmd PID Thread.print}. */
    private static String threadDump(long pid) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "Thread.print")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("jcmd ended").isTrue();
        return out;
    }
}
