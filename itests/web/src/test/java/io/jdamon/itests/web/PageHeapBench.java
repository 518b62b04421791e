package io.jdamon.itests.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;

/**
 * Not a test: a benchmark (profile {@code webheap}, not in {@code verify}).
 * The real container runs a sim context whose workload never ends while
 * headless Chromium keeps its live page open for {@code -Dwebheap.minutes}
 * (default 10); every minute it prints the container's heap after a full GC
 * ({@code jcmd PID GC.run}, {@code GC.heap_info}), and at the end the page's
 * update latency (aggregation end as the server saw it to the page's draw).
 *
 * <pre>mvn -pl itests/web verify -Pwebheap [-Dwebheap.minutes=10]</pre>
 */
class PageHeapBench {

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    @Test
    void containerHeapWithThePageOpen(@TempDir Path dir) throws Exception {
        int minutes = Integer.getInteger("webheap.minutes", 10);
        Path chromium = Tools.require("chromium", "chromium");
        // one phase longer than the benchmark: two 64 MiB regions, one hot
        Path workload = dir.resolve("long.cfg");
        Files.writeString(workload, "hot, 67108864\ncold, 67108864\n\nforever\n" + (minutes + 5) * 60_000L
                + "\nhot, 1, 4096, 1\n");
        int port = Tools.freePort();
        try (WebContainer c = new WebContainer(dir, port, "io.jdamon.context-long.cfg",
                "primitive = sim\ntargets = virtual:file=" + workload + "\n");
                Chromium browser = new Chromium(chromium, dir)) {
            c.awaitGet("/jdamon/api/statuses", b -> b.contains("\"RUNNING\""), Duration.ofSeconds(60));
            browser.navigate("http://127.0.0.1:" + port + "/jdamon/context?name=long");
            long java = containerJvm(c);
            System.out.println("webheap: minute   heap-after-GC   page-columns");
            List<Double> heaps = new ArrayList<>();
            long start = System.nanoTime();
            for (int minute = 0; minute <= minutes; minute++) {
                long due = start + TimeUnit.MINUTES.toNanos(minute);
                while (System.nanoTime() < due) {
                    Thread.sleep(Math.max(1, (due - System.nanoTime()) / 1_000_000)); // the benchmark's pace
                }
                double mib = heapAfterGcKiB(java) / 1024.0;
                heaps.add(mib);
                String columns = browser.evaluate("window.jdamonHook ? String(window.jdamonHook.times.length) : '0'");
                System.out.printf(Locale.ROOT, "webheap: %6d   %9.1f MiB   %s%n", minute, mib, columns);
            }
            System.out.printf(Locale.ROOT, "webheap: change over %d minutes: %+.1f MiB (%+.1f%%)%n", minutes,
                    heaps.get(heaps.size() - 1) - heaps.get(0),
                    100 * (heaps.get(heaps.size() - 1) - heaps.get(0)) / heaps.get(0));
            JsonArray lat = JsonParser.parseString(browser.evaluate(
                    "window.jdamonHook ? JSON.stringify(window.jdamonHook.latenciesMs) : '[]'")).getAsJsonArray();
            long[] ms = new long[lat.size()];
            for (int i = 0; i < ms.length; i++) {
                ms[i] = lat.get(i).getAsLong();
            }
            Arrays.sort(ms);
            assertThat(ms).as("the page drew pushed aggregations").isNotEmpty();
            System.out.printf(Locale.ROOT, "webheap: update latency (ms), server saw the aggregation -> page drew it:"
                    + " n=%d median=%d p95=%d max=%d%n", ms.length, ms[ms.length / 2], ms[(int) (ms.length * 0.95)],
                    ms[ms.length - 1]);
        }
    }

    /** @return the pid of the container's JVM: the one bin/jdamon became (it execs java) */
    static long containerJvm(WebContainer c) {
        ProcessHandle self = ProcessHandle.of(c.pid()).orElseThrow();
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(self), self.descendants())
                .filter(h -> h.info().command().map(cmd -> cmd.endsWith("/java")).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("no java under bin/jdamon; log:\n" + c.log()))
                .pid();
    }

    static long heapAfterGcKiB(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        String heap = jcmd(pid, "GC.heap_info");
        Matcher m = HEAP_USED.matcher(heap);
        assertThat(m.find()).as("heap use in: " + heap).isTrue();
        return Long.parseLong(m.group(1));
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
