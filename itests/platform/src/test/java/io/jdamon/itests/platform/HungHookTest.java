package io.jdamon.itests.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;

import io.jdamon.api.ContextState;
import io.jdamon.api.ContextStatus;
import io.jdamon.api.StopReason;

/**
 * Issue 12 A1: a primitive hook that never returns. The test primitive's {@code hangAfter=N}
 * blocks in checkAccesses for good, ignoring interrupts; {@code sleepAfter=N} blocks until
 * interrupted. With the default hook limit (the larger of 1 s and 10 aggregation intervals of
 * 20 ms: 1 s), a hung hook is reported and interrupted after 1 s and its context abandoned 1 s
 * later; Config Admin, the other contexts and the bundle's stop go on throughout.
 */
class HungHookTest extends PlatformTestSupport {

    /** The most a stop may wait for a kdamond stuck in a hook: limit 1 s + grace 1 s + two 100 ms looks, and slack. */
    private static final long STOP_BOUND_MS = 2_200 + 1_500;

    @Test
    void aHookThatNeverReturnsIsAbandonedAndEverythingElseGoesOn() throws Exception {
        installPrimitive();
        configure("healthy", fastContext("half"));
        Configuration stuckConfig = configure("stuck", fastContext("half;hangAfter=5"));
        Supplier<Map<String, Long>> counts = primitiveCounter();

        ContextStatus abandoned = awaitStatus("stuck", ContextState.ABANDONED);
        assertThat(abandoned.stopReason()).contains(StopReason.HOOK_ABANDONED);
        assertThat(abandoned.detail()).contains("primitive 'itest'").contains("did not return from checkAccesses")
                .contains("within the hook limit of 1 s").contains("PatternPrimitive.hang");
        assertThat(abandoned.samples()).isEqualTo(5);
        assertThat(count(counts, "stuck.interrupted")).as("interrupted once before being abandoned").isEqualTo(1);

        // the other context samples on, and a new configuration applies
        long samples = status("healthy").orElseThrow().samples();
        awaitStatus("healthy", ContextState.RUNNING, s -> s.samples() > samples + 20, "sampling on");
        configure("later", fastContext("all"));
        awaitStatus("later", ContextState.RUNNING, s -> s.samples() > 0, "a later configuration applies");

        // its configuration can be deleted, and its name is free again
        stuckConfig.delete();
        await("the abandoned context gone with its configuration", () -> status("stuck").isEmpty());
        configure("stuck", fastContext("half"));
        awaitStatus("stuck", ContextState.RUNNING, s -> s.samples() > 10, "the name used again");
    }

    @Test
    void deletingTheConfigurationOfAContextInAHungHookLeavesConfigAdminFree() throws Exception {
        installPrimitive();
        Configuration stuckConfig = configure("hung", fastContext("half;hangAfter=5"));
        Supplier<Map<String, Long>> counts = primitiveCounter();
        await("the kdamond in its hung hook", () -> count(counts, "hung.blocked") == 1);
        assertThat(status("hung").orElseThrow().state()).isEqualTo(ContextState.RUNNING);

        long t0 = System.nanoTime();
        stuckConfig.delete();
        configure("after-delete", fastContext("half")); // delivered by the same Config Admin thread
        awaitStatus("after-delete", ContextState.RUNNING, s -> s.samples() > 0, "the next configuration applied");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.println("deleting a hung context's configuration and applying the next took " + tookMs + " ms");
        assertThat(status("hung")).as("the hung context is gone with its configuration").isEmpty();
        assertThat(tookMs).as("the delete waited for the hung kdamond at most the stop bound")
                .isLessThan(STOP_BOUND_MS + 2_000);
    }

    @Test
    void stoppingThePrimitiveBundleOfAHungContextReturns() throws Exception {
        Bundle primitive = installPrimitive();
        configure("bystander", fastContext("half"));
        configure("hung-stop", fastContext("half;hangAfter=5"));
        Supplier<Map<String, Long>> counts = primitiveCounter();
        await("the kdamond in its hung hook", () -> count(counts, "hung-stop.blocked") == 1);
        awaitStatus("bystander", ContextState.RUNNING, s -> s.samples() > 0, "sampling");

        long t0 = System.nanoTime();
        primitive.stop();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        System.out.println("stopping the bundle of a primitive hung in checkAccesses took " + tookMs + " ms");
        assertThat(tookMs).as("the bundle's stop waited at most the stop bound").isLessThan(STOP_BOUND_MS);

        ContextStatus hung = status("hung-stop").orElseThrow();
        assertThat(hung.state()).isEqualTo(ContextState.ABANDONED);
        assertThat(hung.stopReason()).contains(StopReason.HOOK_ABANDONED);
        assertThat(hung.detail()).contains("itest").contains("checkAccesses");
        ContextStatus bystander = status("bystander").orElseThrow();
        assertThat(bystander.state()).isEqualTo(ContextState.WAITING);
        assertThat(bystander.stopReason()).contains(StopReason.PRIMITIVE_GONE);
        assertThat(count(counts, "bystander.cleanup")).isEqualTo(1);

        // the primitive registered again: the bystander runs again, the abandoned context starts afresh
        primitive.start();
        awaitStatus("bystander", ContextState.RUNNING, s -> s.samples() > 0, "running again");
        Supplier<Map<String, Long>> again = primitiveCounter();
        await("the abandoned context started afresh", () -> count(again, "hung-stop.init") == 1);
    }

    @Test
    void aHookPastTheLimitThatGivesUpWhenInterruptedIsReportedAndRunsOn() throws Exception {
        installPrimitive();
        configure("sleepy", fastContext("half;sleepAfter=5"));
        Supplier<Map<String, Long>> counts = primitiveCounter();

        await("the hook interrupted", () -> count(counts, "sleepy.interrupted") == 1);
        ContextStatus s = awaitStatus("sleepy", ContextState.RUNNING, r -> r.samples() > 30, "sampling on");
        assertThat(s.detail()).contains("primitive 'itest' has been in checkAccesses for")
                .contains("past the hook limit of 1 s").contains("was interrupted").contains("PatternPrimitive");
        assertThat(s.stopReason()).isEmpty();
    }
}
