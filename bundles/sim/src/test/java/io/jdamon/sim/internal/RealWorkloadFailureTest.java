package io.jdamon.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A real workload whose off-heap memory cannot be had ends its context with
 * the reason and the fix, not as if its target had simply finished.
 */
class RealWorkloadFailureTest {

    @Test
    void aFailedAllocationEndsTheContextWithTheReasonAndTheFix() throws Exception {
        String out = runChild("32MiB");
        assertThat(out).as(out)
                .contains("stopReason: PLUGIN_FAILED")
                .contains("could not get").contains("of off-heap memory")
                .contains("raise -XX:MaxDirectMemorySize");
    }

    @Test
    void aFailedWorkloadIsNotFinishedSoItsFailureIsReported() throws Exception {
        // deterministic where the engine-level test above is a race: a failed
        // workload counted as finished let the kdamond end the context as
        // TARGETS_INVALID before any checkAccesses could report why
        String out = runChild("32MiB", "workloads");
        assertThat(out).as(out).contains("failed workload finished: false");
    }

    /** Runs {@link DirectMemoryChild} in a JVM whose direct memory fits one 32 MiB workload, not two. */
    private static String runChild(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-XX:MaxDirectMemorySize=48m", "-cp",
                System.getProperty("java.class.path"), DirectMemoryChild.class.getName()));
        command.addAll(List.of(args));
        ChildProcess.Result r = ChildProcess.run(new ProcessBuilder(command), 60);
        assertThat(r.exitStatus()).as(r.output()).isZero();
        return r.output();
    }
}
