package io.jdamon.vaddr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.jdamon.api.MonitoringAttributes;
import io.jdamon.vaddr.SensorProbe;

/**
 * The page-idle sensor against the helper's ground truth, through the real
 * engine. Runs where the kernel has idle page tracking; this machine's kernel
 * does not, so here it is skipped with the probe's reason, and the lab profile
 * ({@code mvn -Plab}) runs {@link #main} inside a kernel that has it.
 */
@Timeout(300)
class PageIdleSensorTest {

    /** Sizes and intervals that also suit the lab's emulated CPU (5-20x slower). */
    static final MonitoringAttributes ATTRS = new MonitoringAttributes(20_000, 400_000, 2_000_000, 10, 1000);

    @Test
    void hotMappingIsHotAndColdMappingIsCold() throws Exception {
        SensorProbe probe = new PageIdleSensor().probe(0);
        Assumptions.assumeTrue(probe.available(), () -> "page-idle unavailable here: " + probe.reason());
        check();
    }

    static HotColdCheck.Result check() throws Exception {
        try (AccessHelper helper = AccessHelper.start(16, 16, "read", -1)) {
            HotColdCheck.Result r = HotColdCheck.run(helper, PageIdleSensor.NAME, ATTRS, 24);
            System.out.println("page-idle, reads: " + r);
            HotColdCheck.assertHotAndCold(r, 0.8);
            assertThat(r.primitiveProperties()).containsEntry("sensor", "page-idle")
                    .containsEntry("sees", "reads,writes").containsEntry("granularity", "page");
            return r;
        }
    }

    /**
     * The lab's entry point: runs the same check and exits 0 when it holds, 1
     * when it does not, 2 when page-idle is unavailable.
     */
    public static void main(String[] args) throws Exception {
        SensorProbe probe = new PageIdleSensor().probe(0);
        System.out.println("kernel " + Kernel.release() + "; page-idle: "
                + (probe.available() ? "available" : "unavailable") + " (" + probe.reason() + ")");
        if (!probe.available()) {
            System.exit(2);
        }
        try {
            check();
            System.out.println("PASS: page-idle sees the hot mapping hot and the cold mapping cold");
            System.exit(0);
        } catch (AssertionError e) {
            System.out.println("FAIL: " + e.getMessage());
            System.exit(1);
        }
    }
}
