package io.jdamon.itests.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.jdamon.api.ContextState;
import io.jdamon.api.ContextStatus;
import io.jdamon.api.StopReason;

/** A primitive hook that throws stops only the context it threw for. */
class FailingPrimitiveTest extends PlatformTestSupport {

    @Test
    void aThrowingPrimitiveStopsOnlyItsContext() throws Exception {
        installPrimitive();
        configure("healthy", fastContext("half"));
        configure("faulty", fastContext("half;failAfter=15"));
        Supplier<Map<String, Long>> counts = primitiveCounter();

        ContextStatus faulty = awaitStatus("faulty", ContextState.STOPPED);
        assertThat(faulty.stopReason()).contains(StopReason.PLUGIN_FAILED);
        assertThat(faulty.detail()).contains("itest").contains("checkAccesses").contains("fails on purpose");
        assertThat(faulty.samples()).isEqualTo(15);
        await("cleanup ran for the faulty context", () -> count(counts, "faulty.cleanup") == 1);

        long samples = status("healthy").orElseThrow().samples();
        awaitStatus("healthy", ContextState.RUNNING, s -> s.samples() > samples + 20,
                "the healthy context sampling on");
        assertThat(count(counts, "healthy.cleanup")).isZero();
        assertThat(status("faulty").orElseThrow().state()).as("a failed context stays stopped")
                .isEqualTo(ContextState.STOPPED);
    }
}
