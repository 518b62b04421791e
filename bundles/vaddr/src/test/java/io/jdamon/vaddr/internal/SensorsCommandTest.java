package io.jdamon.vaddr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;

/** {@code jdamon sensors} on this machine. */
class SensorsCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new SensorsCommand().run(args, new PrintStream(out, true), new PrintStream(err, true));
    }

    @Test
    void listsEverySensorWithAvailabilityAndReason() throws Exception {
        assertThat(run()).isZero();
        String text = out.toString();
        assertThat(text).contains("kernel " + Kernel.release()).contains("page-idle").contains("referenced")
                .contains("pageout-probe").contains("INTRUSIVE").contains("sensor=auto picks");
        boolean pageIdle = Files.exists(PageIdleSensor.BITMAP);
        if (!pageIdle) {
            assertThat(text).containsPattern("page-idle +unavailable").contains("CONFIG_IDLE_PAGE_TRACKING")
                    .contains("sensor=auto picks referenced");
        }
        assertThat(text).containsPattern("referenced +available +sees reads,writes +granularity mapping");
    }

    @Test
    void forAProcess() throws Exception {
        try (AccessHelper h = AccessHelper.start(1, 1, "read", -1)) {
            assertThat(run("--pid", Integer.toString(h.pid()))).isZero();
            assertThat(out.toString()).contains("for PID " + h.pid()).containsPattern("referenced +available");
        }
    }

    @Test
    void badArgumentsSayWhatIsWrong() throws Exception {
        assertThat(run("--pid", "x")).isEqualTo(2);
        assertThat(err.toString()).contains("'x' is not a process ID").contains("usage: jdamon sensors");
        int pidMax = Integer.parseInt(Kernel.read("/proc/sys/kernel/pid_max").trim());
        err.reset();
        assertThat(run("--pid", Integer.toString(pidMax + 1))).isEqualTo(1);
        assertThat(err.toString()).contains("no process with PID");
        err.reset();
        assertThat(run("--frobnicate")).isEqualTo(2);
        assertThat(err.toString()).contains("unexpected argument '--frobnicate'");
    }
}
