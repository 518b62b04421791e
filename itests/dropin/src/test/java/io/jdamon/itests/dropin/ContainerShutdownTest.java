package io.jdamon.itests.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 A1, end to end: the real container ({@code bin/jdamon container --headless}, a separate
 * process) with a primitive in deploy/ whose checkAccesses never returns and ignores interrupts
 * stops on SIGTERM within seconds; before, the shutdown waited on the hung kdamond for good and
 * only SIGKILL ended it.
 */
class ContainerShutdownTest {

    /** What SIGTERM may take: the engine waits at most 3 s for all kdamonds, plus the framework's own stop. */
    private static final Duration STOP_WITHIN = Duration.ofSeconds(8);

    @TempDir
    Path dir;

    @Test
    void theContainerStopsOnSigtermWhileAHookHangs() throws Exception {
        Path primitiveJar = Path.of(System.getProperty("jdamon.dropin.primitive",
                "target/dropin-bundles/io.jdamon.itests.primitive.jar"));
        assertThat(primitiveJar).isRegularFile();
        try (Distribution dist = new Distribution(dir)) {
            Distribution.drop(primitiveJar, dist.deploy());
            Distribution.drop("io.jdamon.context-healthy.cfg", "primitive = itest\ntargets = half\n"
                    + "sampleIntervalUs = 5000\naggregationIntervalUs = 50000\n", dist.deploy());
            Distribution.drop("io.jdamon.context-hung.cfg", "primitive = itest\ntargets = half;hangAfter=5\n"
                    + "sampleIntervalUs = 5000\naggregationIntervalUs = 50000\n", dist.deploy());

            ProcessBuilder b = new ProcessBuilder(List.of("bash", dist.home.resolve("bin/jdamon").toString(),
                    "container", "--headless")).directory(dir.toFile()).redirectErrorStream(true);
            b.environment().put("JAVA_HOME", System.getProperty("java.home"));
            Process p = b.start();
            StringBuffer output = new StringBuffer();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        output.append(line).append('\n');
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "container-output");
            reader.setDaemon(true);
            reader.start();
            try {
                // the primitive says when its kdamond enters the hook that never returns
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!output.toString().contains("checkAccesses of context 'hung' hangs for good")) {
                    assertThat(p.isAlive()).as("the container runs; output:\n" + output).isTrue();
                    assertThat(System.nanoTime()).as("the hung hook reported; output:\n" + output)
                            .isLessThan(deadline);
                    Thread.sleep(50); // polling the output of another process, with a deadline
                }

                long t0 = System.nanoTime();
                p.destroy(); // SIGTERM
                boolean ended = p.waitFor(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                System.out.println("the container with a hung hook stopped " + tookMs + " ms after SIGTERM (exit "
                        + (ended ? p.exitValue() : "none") + ")");
                assertThat(ended).as("the container stops within " + STOP_WITHIN + " of SIGTERM; output:\n" + output)
                        .isTrue();
            } finally {
                if (p.isAlive()) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }
}
