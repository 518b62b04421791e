package io.jdamon.vaddr.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.jdamon.api.InvalidTargetException;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.vaddr.SensorProbe;

/** The uffd-write sensor on a helper started with jdamon's preload shim, through the real engine. */
@Timeout(120)
class UffdWriteSensorTest {

    static Path shim() throws Exception {
        SensorProbe probe = new UffdWriteSensor().probe(0);
        Assumptions.assumeTrue(probe.available(), () -> "uffd-write unavailable here: " + probe.reason());
        return UffdShim.library(Path.of("target/test-helper"));
    }

    @Test
    void writtenMappingIsHotAndUntouchedMappingIsCold() throws Exception {
        try (AccessHelper helper = AccessHelper.start(32, 32, "write", -1, shim())) {
            HotColdCheck.Result r = HotColdCheck.run(helper, UffdWriteSensor.NAME,
                    MonitoringAttributes.DEFAULTS.withUpdateIntervalUs(1_000_000), 30);
            System.out.println("uffd-write, writes: " + r);
            HotColdCheck.assertHotAndCold(r, 0.8);
            assertThat(r.primitiveProperties()).containsEntry("sensor", "uffd-write").containsEntry("sees", "writes")
                    .containsEntry("granularity", "page");
        }
    }

    @Test
    void readsAreInvisibleToIt() throws Exception {
        try (AccessHelper helper = AccessHelper.start(32, 32, "read", -1, shim())) {
            HotColdCheck.Result r = HotColdCheck.run(helper, UffdWriteSensor.NAME,
                    MonitoringAttributes.DEFAULTS.withUpdateIntervalUs(1_000_000), 20);
            System.out.println("uffd-write, reads: " + r);
            assertThat(r.hotRate()).as("a mapping only read looks idle to a writes-only sensor").isLessThan(0.05);
        }
    }

    @Test
    void aProcessWithoutTheShimIsRefusedWithTheReason() throws Exception {
        shim();
        try (AccessHelper helper = AccessHelper.start(1, 1, "read", -1)) {
            assertThatThrownBy(() -> new VaddrPrimitive().checkTarget("pid=" + helper.pid() + ",sensor=uffd-write"))
                    .isInstanceOf(InvalidTargetException.class).hasMessageContaining("holds no userfaultfd")
                    .hasMessageContaining("preload shim");
        }
    }
}
