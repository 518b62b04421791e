package io.jdamon.vaddr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.jdamon.api.MonitoringAttributes;

/** The referenced sensor on this machine, against the helper's ground truth, through the real engine. */
@Timeout(120)
class ReferencedSensorTest {

    @Test
    void hotMappingIsHotAndColdMappingIsCold() throws Exception {
        try (AccessHelper helper = AccessHelper.start(64, 64, "read", -1)) {
            MonitoringAttributes attrs = MonitoringAttributes.DEFAULTS.withUpdateIntervalUs(1_000_000);
            HotColdCheck.Result r = HotColdCheck.run(helper, "referenced", attrs, 40);
            System.out.println("referenced, reads: " + r);
            HotColdCheck.assertHotAndCold(r, 0.9);
            assertThat(r.primitiveProperties())
                    .containsEntry("sensor", "referenced")
                    .containsEntry("sees", "reads,writes")
                    .containsEntry("granularity", "mapping")
                    .containsEntry("pid", Integer.toString(helper.pid()))
                    .containsKey("referenced.effectiveSampleIntervalUs");
        }
    }

    @Test
    void writesCountToo() throws Exception {
        try (AccessHelper helper = AccessHelper.start(32, 32, "write", -1)) {
            HotColdCheck.Result r = HotColdCheck.run(helper, "referenced",
                    MonitoringAttributes.DEFAULTS.withUpdateIntervalUs(1_000_000), 30);
            System.out.println("referenced, writes: " + r);
            HotColdCheck.assertHotAndCold(r, 0.9);
        }
    }
}
