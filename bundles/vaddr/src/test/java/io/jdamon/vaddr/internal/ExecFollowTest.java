package io.jdamon.vaddr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

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
        Run run = monitorThroughExec(ReferencedSensor.NAME, "read", null, 40);
        System.out.println("referenced after exec: " + run.result);
        HotColdCheck.assertHotAndCold(run.result, 0.9);
        assertExecDescribed(run);
    }

    @Test
    void uffdWriteTakesTheNewProgramsUserfaultfd() throws Exception {
        Path shim = UffdWriteSensorTest.shim();
        Run run = monitorThroughExec(UffdWriteSensor.NAME, "write", shim, 30);
        System.out.println("uffd-write after exec: " + run.result);
        HotColdCheck.assertHotAndCold(run.result, 0.8);
        assertExecDescribed(run);
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
            tell(sh);
            AccessHelper.whenReady(sh).process.getClass(); // the helper runs: the exec is done
            assertThat(ctx.awaitTermination(60, TimeUnit.SECONDS)).as("the run ended: " + ctx.status()).isTrue();
            assertThat(ctx.status().stopReason()).contains(StopReason.PLUGIN_FAILED);
            assertThat(ctx.status().detail()).contains("PID " + sh.pid() + " exec'd " + helper.toRealPath())
                    .contains("cannot monitor the new program").contains("holds no userfaultfd");
        } finally {
            sh.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void assertExecDescribed(Run run) throws Exception {
        assertThat(run.result.primitiveProperties()).containsEntry("execs", "1")
                .containsEntry("pid", Integer.toString(run.pid));
        assertThat(run.result.primitiveProperties().get("lastExec"))
                .contains("PID " + run.pid + " exec'd " + AccessHelper.binary().toRealPath() + " at ")
                .contains("reopened");
    }

    record Run(int pid, HotColdCheck.Result result) {
    }

    /**
     * Monitors {@code sh}, lets it exec the helper once three aggregations
     * are done, and measures {@code aggregations} aggregations of the helper.
     */
    private static Run monitorThroughExec(String sensor, String mode, Path preload, int aggregations)
            throws Exception {
        Path helperBinary = AccessHelper.binary().toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", "read go && exec \"$0\" 32 32 " + mode,
                helperBinary.toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (preload != null) {
            pb.environment().put("LD_PRELOAD", preload.toString());
        }
        Process sh = pb.start();
        int pid = (int) sh.pid();
        try {
            DamonEngine engine = new DamonEngine();
            MonitoringContext ctx = engine.newContext(new ContextDefinition("exec-" + sensor, VaddrPrimitive.NAME,
                    List.of("pid=" + pid + ",sensor=" + sensor), ATTRS), new VaddrPrimitive());
            CountDownLatch beforeExec = new CountDownLatch(3);
            AtomicReference<HotColdCheck.Truth> truth = new AtomicReference<>();
            List<HotColdCheck.Aggregation> after = new ArrayList<>();
            ctx.addCallback("hot-cold", new Callback() {
                @Override
                public CallbackResult afterAggregation(ContextView view) {
                    HotColdCheck.Truth t = truth.get();
                    if (t == null) {
                        beforeExec.countDown();
                        return CallbackResult.CONTINUE;
                    }
                    synchronized (after) {
                        after.add(HotColdCheck.measure(view, t));
                        return after.size() >= aggregations ? CallbackResult.STOP : CallbackResult.CONTINUE;
                    }
                }
            });
            engine.start(List.of(ctx), StartMode.SHARED);
            assertThat(beforeExec.await(60, TimeUnit.SECONDS)).as("monitoring the shell: " + ctx.status()).isTrue();
            tell(sh);
            AccessHelper helper = AccessHelper.whenReady(sh);
            truth.set(new HotColdCheck.Truth(Integer.toString(pid), helper.hotStart, helper.hotEnd, helper.coldStart,
                    helper.coldEnd));
            if (!ctx.awaitTermination(120, TimeUnit.SECONDS)) {
                engine.stop(List.of(ctx));
                throw new AssertionError("no " + aggregations + " aggregations after the exec: " + ctx.status());
            }
            synchronized (after) {
                assertThat(after).as("aggregations after the exec: " + ctx.status()).hasSize(aggregations);
                return new Run(pid, new HotColdCheck.Result(List.copyOf(after), ctx.status().primitiveProperties(),
                        truth.get()));
            }
        } finally {
            sh.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Lets the shell go on to its exec; its stdin stays open (the helper exits when it closes). */
    private static void tell(Process sh) throws Exception {
        OutputStream in = sh.getOutputStream();
        in.write("go\n".getBytes(StandardCharsets.US_ASCII));
        in.flush();
    }
}
