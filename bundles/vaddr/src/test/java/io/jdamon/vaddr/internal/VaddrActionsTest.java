package io.jdamon.vaddr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.Scheme;
import io.jdamon.api.SchemeStats;
import io.jdamon.api.StartMode;
import io.jdamon.core.internal.DamonEngine;

/**
 * DAMOS pageout on a real process through {@code process_madvise}: a cold
 * file-backed mapping's resident pages (its {@code Rss} in smaps) go, while
 * the hot buffer next to it stays resident. Clean file pages need no swap,
 * so this runs on any machine that allows process_madvise (root here); the
 * anonymous case needs swap and is the lab's (zram).
 */
@Timeout(120)
class VaddrActionsTest {

    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void aColdPageoutSchemeEmptiesTheColdFileMappingAndLeavesTheHotBufferResident() throws Exception {
        Assumptions.assumeTrue(LibC.available(), () -> "no native calls: " + LibC.unavailableReason());
        Assumptions.assumeTrue(Kernel.root(), "process_madvise on another process needs CAP_SYS_NICE");
        Process p = new ProcessBuilder("python3", Path.of("src/test/resources/file_cold_helper.py").toString(),
                dir.resolve("cold.bin").toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String[] f = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine().trim().split(" ");
            long coldStart = Long.parseLong(f[0]);
            long hotStart = Long.parseLong(f[2]) + 4096 & ~4095L;
            long hotEnd = Long.parseLong(f[3]) & ~4095L;
            long coldBefore = rssOfMappingAt(p.pid(), coldStart);
            assertThat(coldBefore).as("the file was read in").isGreaterThan(60 * MIB);

            DamonEngine engine = new DamonEngine();
            Scheme pageout = Scheme.builder(Scheme.PAGEOUT).nrAccesses(0, 0).ageAggregations(5, Long.MAX_VALUE)
                    .build();
            MonitoringContext ctx = engine.newContext(ContextDefinition.builder("paging", VaddrPrimitive.NAME)
                    .target("pid=" + p.pid()).attributes(MonitoringAttributes.DEFAULTS.withUpdateIntervalUs(1_000_000))
                    .scheme(pageout).build(), new VaddrPrimitive());
            engine.start(List.of(ctx), StartMode.SHARED);
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                long cold = coldBefore;
                while (System.nanoTime() < deadline && ctx.isRunning()
                        && (cold = rssOfMappingAt(p.pid(), coldStart)) > coldBefore / 10) {
                    Thread.sleep(100);
                }
                SchemeStats stats = ctx.schemeStats().get(0);
                String figures = "cold Rss " + cold / 1024 + " kB of " + coldBefore / 1024 + " kB; " + stats + "; "
                        + ctx.status();
                System.out.println("vaddr pageout: " + figures);
                assertThat(ctx.isRunning()).as(figures).isTrue();
                assertThat(cold).as(figures).isLessThanOrEqualTo(coldBefore / 10);
                assertThat(stats.szApplied()).as("bytes advised").isGreaterThanOrEqualTo(coldBefore - cold);
                long hot = rssIn(p.pid(), hotStart, hotEnd);
                assertThat(hot).as("the hot buffer stays resident: " + figures)
                        .isGreaterThanOrEqualTo((hotEnd - hotStart) * 9 / 10);
            } finally {
                if (ctx.isRunning()) {
                    engine.stop(List.of(ctx));
                }
            }
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** @return the Rss of the mapping starting at {@code start}, from smaps, in bytes */
    static long rssOfMappingAt(long pid, long start) throws Exception {
        String header = Long.toHexString(start) + "-";
        boolean in = false;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps"))) {
            if (!line.isEmpty() && Character.isLetterOrDigit(line.charAt(0)) && line.contains("-")
                    && line.indexOf(' ') > line.indexOf('-')) {
                in = line.startsWith(header);
            } else if (in && line.startsWith("Rss:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new AssertionError("no mapping at 0x" + Long.toHexString(start) + " in smaps of " + pid);
    }

    /** @return the resident bytes of {@code [start, end)}, from pagemap */
    static long rssIn(long pid, long start, long end) throws Exception {
        try (PagemapReader pagemap = new PagemapReader((int) pid)) {
            long resident = 0;
            for (long a = start; a < end; a += 4096) {
                if ((pagemap.entry(a) & PagemapReader.PRESENT) != 0) {
                    resident += 4096;
                }
            }
            return resident;
        }
    }
}
