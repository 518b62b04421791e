package io.jdamon.vaddr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.jdamon.api.Callback;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextView;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.StartMode;
import io.jdamon.api.StopReason;
import io.jdamon.core.internal.DamonEngine;

/**
 * A monitored process that execs another program: the sensor's files opened
 * on the old address space see nothing afterwards, so the primitive must
 * notice the exec and reopen them. A shell is monitored first; told to, it
 * execs the access helper, whose hot mapping must then be seen hot.
 */
@Timeout(180)
class ExecFollowTest {

    private static final MonitoringAttributes ATTRS = MonitoringAttributes.DEFAULTS.withUpdateIntervalUs(1_000_000);

    @Test
    void referencedSeesTheProgramTheProcessExecd() throws Exception {
        // referenced's rounds on this helper cost about 3 ms of CPU, so it samples every 80 ms: at 100 ms
        // aggregations that is one sample each, too few for the regions to settle on the mappings' edges
        // (hot rates of 0.83-0.89 seen); its own test's 500 ms aggregations give six
        ExecCheck.Run run = ExecCheck.monitorThroughExec(ReferencedSensor.NAME, "read", null, 32, 32, 16,
                ReferencedSensorTest.ATTRIBUTES);
        System.out.println("referenced after exec: " + run.result());
        // what this asserts is that the sensor follows the exec (the new program's hot mapping is seen hot, its
        // cold one cold); under load CI saw hot rates of 0.86, so 0.8 here, and referenced's accuracy (0.9) is
        // judged in ReferencedSensorTest
        HotColdCheck.assertHotAndCold(run.result(), 0.8);
        ExecCheck.assertExecDescribed(run);
    }

    @Test
    void uffdWriteTakesTheNewProgramsUserfaultfd() throws Exception {
        Path shim = UffdWriteSensorTest.shim();
        ExecCheck.Run run = ExecCheck.monitorThroughExec(UffdWriteSensor.NAME, "write", shim, 32, 32, 30, ATTRS);
        System.out.println("uffd-write after exec: " + run.result());
        HotColdCheck.assertHotAndCold(run.result(), 0.8);
        ExecCheck.assertExecDescribed(run);
    }

    @Test
    void uffdWriteEndsTheRunWithTheReasonWhenTheNewProgramHasNoUserfaultfd() throws Exception {
        Path shim = UffdWriteSensorTest.shim();
        Path helper = AccessHelper.binary().toAbsolutePath();
        // the shell holds the shim's userfaultfd; the program it execs is started without the shim
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", "read go && LD_PRELOAD= exec \"$0\" 8 8 write", helper.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("LD_PRELOAD", shim.toString());
        Process sh = pb.start();
        try {
            ExecCheck.awaitUserfaultfd(sh);
            DamonEngine engine = new DamonEngine();
            MonitoringContext ctx = engine.newContext(new ContextDefinition("exec-no-uffd", VaddrPrimitive.NAME,
                    List.of("pid=" + sh.pid() + ",sensor=" + UffdWriteSensor.NAME), ATTRS), new VaddrPrimitive());
            CountDownLatch monitoring = new CountDownLatch(3);
            ctx.addCallback("count", new Callback() {
                @Override
                public CallbackResult afterAggregation(ContextView view) {
                    monitoring.countDown();
                    return CallbackResult.CONTINUE;
                }
            });
            engine.start(List.of(ctx), StartMode.SHARED);
            assertThat(monitoring.await(60, TimeUnit.SECONDS)).as("monitoring the shell: " + ctx.status()).isTrue();
            ExecCheck.tell(sh);
            AccessHelper.whenReady(sh).process.getClass(); // the helper runs: the exec is done
            assertThat(ctx.awaitTermination(60, TimeUnit.SECONDS)).as("the run ended: " + ctx.status()).isTrue();
            assertThat(ctx.status().stopReason()).contains(StopReason.PLUGIN_FAILED);
            assertThat(ctx.status().detail()).contains("PID " + sh.pid() + " exec'd " + helper.toRealPath())
                    .contains("cannot monitor the new program").contains("holds no userfaultfd");
        } finally {
            sh.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }


}
