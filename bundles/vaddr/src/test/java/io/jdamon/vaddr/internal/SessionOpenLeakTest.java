package io.jdamon.vaddr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** A sensor session that cannot open all it needs closes what it did open. */
class SessionOpenLeakTest {

    @Test
    void aReferencedSessionThatFailsToOpenLeavesNoFileOpen() throws Exception {
        // clear_refs opens, smaps does not
        String out = runChild(ReferencedSensor.NAME, 1);
        assertThat(out).as(out).contains("open: failed:").contains("Too many open files");
        // the JVM keeps a few /proc files of its own open; the session must add none
        assertThat(count(out, "after: ")).as(out).isEqualTo(count(out, "before: "));
    }

    @Test
    void aUffdWriteSessionThatFailsToOpenLeavesNoFileOpen() throws Exception {
        UffdWriteSensor sensor = new UffdWriteSensor();
        Assumptions.assumeTrue(sensor.probe(0).available(), () -> sensor.probe(0).reason());
        // the userfaultfd and pagemap open, reading the maps does not
        String out = runChild(UffdWriteSensor.NAME, 2);
        assertThat(out).as(out).contains("open: failed:").contains("Too many open files");
        assertThat(count(out, "after: ")).as(out).isEqualTo(count(out, "before: "));
    }

    /** Runs {@link FdExhaustionChild} with a small open-file limit, so that it can fill its file table quickly. */
    private static String runChild(String sensor, int free) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder("sh", "-c", "ulimit -n 256 && exec \"$0\" -cp \"$1\" \"$2\" \"$3\" \"$4\"",
                java, System.getProperty("java.class.path"), FdExhaustionChild.class.getName(), sensor,
                Integer.toString(free))
                .redirectErrorStream(true)
                .start();
        try {
            child.getOutputStream().close();
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as(out).isTrue();
            return out;
        } finally {
            child.destroyForcibly();
        }
    }

    private static int count(String out, String label) {
        int at = out.indexOf(label);
        assertThat(at).as("'" + label + "' in " + out).isNotNegative();
        int end = out.indexOf('\n', at);
        return Integer.parseInt(out.substring(at + label.length(), end < 0 ? out.length() : end).trim());
    }
}
