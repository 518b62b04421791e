package io.jdamon.itests.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A soak benchmark, not a test (not run by {@code mvn verify}): N context
 * start/stop cycles with unique names in a running {@code jdamon container} of
 * the real distribution, each driven as users do: a
 * {@code deploy/io.jdamon.context-soak-I.cfg} dropped in, the context seen
 * {@code RUNNING} with an aggregation in {@code jdamon:status}, the file deleted,
 * the context seen gone. At the start and every 100 cycles it prints the
 * container JVM's threads ({@code /proc/PID/status}), open file descriptors
 * ({@code /proc/PID/fd}) and heap used after a full GC ({@code jcmd PID GC.run},
 * {@code GC.heap_info}); the goal is flat within 5%.
 *
 * <p>Run: {@code mvn -o -pl itests/dropin -am verify -Psoak} (1,000 cycles;
 * {@code -Dsoak.cycles=200} for fewer).
 */
class ContextSoakBench {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    @TempDir
    Path dir;

    @Test
    void contextStartStopCycles() throws Exception {
        int cycles = Integer.getInteger("soak.cycles", 1_000);
        try (Distribution dist = new Distribution(dir)) {
            // FileInstall polls deploy/ every 50 ms instead of 500 ms, so a cycle takes a fraction of a second
            Distribution.Container c = dist.container(dir, Map.of("JDAMON_JAVA_OPTS", "-Dfelix.fileinstall.poll=50"));
            c.pollUntil("jdamon:status", 0, l -> l.startsWith("no contexts"), WAIT, 500);
            long pid = c.pid();
            System.out.printf("soak: %d context start/stop cycles in jdamon container (PID %d)%n", cycles, pid);
            System.out.println("soak: cycle   threads   fds   heap-after-GC   seconds");
            Sample first = sample(pid);
            print(0, first, 0);
            long begin = System.nanoTime();
            Sample last = first;
            for (int i = 1; i <= cycles; i++) {
                String name = "soak-" + i;
                String cfg = "io.jdamon.context-" + name + ".cfg";
                int from = c.output().length();
                Distribution.drop(cfg, """
                        primitive = sim
                        targets = virtual:stairs
                        sampleIntervalUs = 1000
                        aggregationIntervalUs = 10000
                        minNrRegions = 10
                        maxNrRegions = 100
                        """, dist.deploy());
                Pattern running = Pattern.compile("^" + Pattern.quote(name) + "\\s+RUNNING .*aggregations=[1-9].*");
                c.pollUntil("jdamon:status", from, l -> running.matcher(l).matches(), WAIT, 100);
                int stopFrom = c.output().length();
                Files.delete(dist.deploy().resolve(cfg));
                // gone: a status answer after the deletion that no longer lists it
                c.pollUntil("jdamon:status", stopFrom, l -> l.startsWith("no contexts"), WAIT, 100);
                if (i % 100 == 0 || i == cycles) {
                    last = sample(pid);
                    print(i, last, (System.nanoTime() - begin) / 1e9);
                }
            }
            System.out.printf(Locale.ROOT, "soak: change over %d cycles: threads %+.1f%%, fds %+.1f%%, heap %+.1f%%"
                    + " (goal: within 5%%)%n", cycles, pct(first.threads, last.threads), pct(first.fds, last.fds),
                    pct(first.heapKiB, last.heapKiB));
            assertThat(c.stop(Duration.ofSeconds(30))).as("the container stops").isTrue();
        }
    }

    private record Sample(long threads, long fds, long heapKiB) {
    }

    private static void print(int cycle, Sample s, double seconds) {
        System.out.printf(Locale.ROOT, "soak: %5d   %7d   %3d   %9.1f MiB   %7.1f%n", cycle, s.threads, s.fds,
                s.heapKiB / 1024.0, seconds);
    }

    private static double pct(long from, long to) {
        return from == 0 ? 0 : 100.0 * (to - from) / from;
    }

    private static Sample sample(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        String heap = jcmd(pid, "GC.heap_info");
        Matcher m = HEAP_USED.matcher(heap);
        assertThat(m.find()).as("heap use in: " + heap).isTrue();
        long threads = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
                .filter(l -> l.startsWith("Threads:")).mapToLong(l -> Long.parseLong(l.substring(8).trim()))
                .findFirst().orElse(-1);
        long fds;
        try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds = s.count();
        }
        return new Sample(threads, fds, Long.parseLong(m.group(1)));
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("jcmd " + command).isTrue();
        return out;
    }
}
