package io.jdamon.vaddr.internal;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.jdamon.vaddr.SensorProbe;

/**
 * The page-idle sensor against the helper's ground truth, through the real
 * engine. Runs where the kernel has idle page tracking; this machine's kernel
 * does not, so here it is skipped with the probe's reason, and the lab profile
 * ({@code mvn -Plab}) runs the same check ({@link LabCheck}) inside a kernel that has it.
 */
@Timeout(300)
class PageIdleSensorTest {

    @Test
    void hotMappingIsHotAndColdMappingIsCold() throws Exception {
        SensorProbe probe = new PageIdleSensor().probe(0);
        Assumptions.assumeTrue(probe.available(), () -> "page-idle unavailable here: " + probe.reason());
        LabCheck.check(PageIdleSensor.NAME);
    }

}
