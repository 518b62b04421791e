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

import io.jdamon.api.Callback;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextView;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.StartMode;
import io.jdamon.core.internal.DamonEngine;

/**
 * Monitors a shell that execs the access helper when told, and measures the
 * helper after the exec. Shared by {@link ExecFollowTest} and the lab's
 * {@link LabCheck}.
 */
final class ExecCheck {

    private ExecCheck() {
    }

    record Run(int pid, HotColdCheck.Result result) {
    }

    /**
     * Monitors {@code sh}, lets it exec the helper once three aggregations
     * are done, and measures {@code aggregations} aggregations of the helper.
     */
    /**
     * Waits until the preload shim has made the process's userfaultfd: the
     * shell's dynamic loader runs it a moment after the process starts, and a
     * uffd-write target checked before that is refused as having none.
     */
    static void awaitUserfaultfd(Process p) throws Exception {
        Path fds = Path.of("/proc/" + p.pid() + "/fd");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && p.isAlive()) {
            try (java.util.stream.Stream<Path> links = java.nio.file.Files.list(fds)) {
                if (links.anyMatch(ExecCheck::isUserfaultfd)) {
                    return;
                }
            } catch (java.io.IOException | java.io.UncheckedIOException raced) {
                // a descriptor closed while listed: look again
            }
            Thread.sleep(5);
        }
        throw new AssertionError("PID " + p.pid() + " made no userfaultfd within 30 s (alive: " + p.isAlive() + ")");
    }

    private static boolean isUserfaultfd(Path fd) {
        try {
            return java.nio.file.Files.readSymbolicLink(fd).toString().contains("userfaultfd");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static Run monitorThroughExec(String sensor, String mode, Path preload, int hotMib, int coldMib,
            int aggregations, MonitoringAttributes attrs) throws Exception {
        Path helperBinary = AccessHelper.binary().toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", "read go && exec \"$0\" " + hotMib + " " + coldMib + " " + mode,
                helperBinary.toString()).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (preload != null) {
            pb.environment().put("LD_PRELOAD", preload.toString());
        }
        Process sh = pb.start();
        int pid = (int) sh.pid();
        try {
            if (preload != null) {
                awaitUserfaultfd(sh);
            }
            DamonEngine engine = new DamonEngine();
            MonitoringContext ctx = engine.newContext(new ContextDefinition("exec-" + sensor, VaddrPrimitive.NAME,
                    List.of("pid=" + pid + ",sensor=" + sensor), attrs), new VaddrPrimitive());
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
                    HotColdCheck.Aggregation a = HotColdCheck.measure(view, t);
                    if (after.isEmpty() && a.hotBytes() < t.hotEnd() - t.hotStart()) {
                        // the aggregation that ended between the exec and the update that found the new
                        // program's mappings: judged from the first one that covers them
                        return CallbackResult.CONTINUE;
                    }
                    synchronized (after) {
                        after.add(a);
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
            if (!ctx.awaitTermination(Math.max(120, 20L * aggregations * attrs.aggregationIntervalUs() / 1_000_000), TimeUnit.SECONDS)) {
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
    static void tell(Process sh) throws Exception {
        OutputStream in = sh.getOutputStream();
        in.write("go\n".getBytes(StandardCharsets.US_ASCII));
        in.flush();
    }

    /** Checks that the description says the process exec'd once, and into the helper. */
    static void assertExecDescribed(ExecCheck.Run run) throws Exception {
        assertThat(run.result.primitiveProperties()).containsEntry("execs", "1")
                .containsEntry("pid", Integer.toString(run.pid));
        assertThat(run.result.primitiveProperties().get("lastExec"))
                .contains("PID " + run.pid + " exec'd " + AccessHelper.binary().toRealPath() + " at ")
                .contains("reopened");
    }
}
