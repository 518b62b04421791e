package io.jdamon.vaddr.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.InvalidTargetException;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.StartMode;
import io.jdamon.api.StopReason;
import io.jdamon.core.internal.DamonEngine;

/** A target's life: refused before monitoring when it cannot be monitored, ended cleanly when it exits. */
@Timeout(60)
class TargetLifeTest {

    private final VaddrPrimitive vaddr = new VaddrPrimitive();

    @Test
    void processExitEndsTheContextAsTargetsInvalid() throws Exception {
        try (AccessHelper helper = AccessHelper.start(8, 8, "read", -1)) {
            DamonEngine engine = new DamonEngine();
            MonitoringContext ctx = engine.newContext(new ContextDefinition("exit", VaddrPrimitive.NAME,
                    List.of("pid=" + helper.pid()), MonitoringAttributes.DEFAULTS), vaddr);
            // the helper exits once monitored for 4 aggregations (it exits when its stdin closes), not after a
            // fixed time that a slow start-up on a loaded machine could eat up
            java.util.concurrent.CountDownLatch monitored = new java.util.concurrent.CountDownLatch(4);
            ctx.addCallback("count", new io.jdamon.api.Callback() {
                @Override
                public io.jdamon.api.CallbackResult afterAggregation(io.jdamon.api.ContextView view) {
                    monitored.countDown();
                    return io.jdamon.api.CallbackResult.CONTINUE;
                }
            });
            engine.start(List.of(ctx), StartMode.SHARED);
            assertThat(monitored.await(30, TimeUnit.SECONDS)).as("monitored: " + ctx.status()).isTrue();
            helper.process.getOutputStream().close();
            assertThat(ctx.awaitTermination(30, TimeUnit.SECONDS)).as("context ended after the process exited")
                    .isTrue();
            // the kernel says the process is gone before Java's reaper thread does: wait for the latter
            assertThat(helper.process.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ctx.status().stopReason()).contains(StopReason.TARGETS_INVALID);
            assertThat(ctx.status().aggregations()).as("it monitored before the exit").isGreaterThan(3);
        }
    }

    @Test
    void missingProcessIsRefusedBeforeMonitoring() throws Exception {
        int pidMax = Integer.parseInt(Kernel.read("/proc/sys/kernel/pid_max").trim());
        String spec = "pid=" + (pidMax + 1);
        assertThatThrownBy(() -> vaddr.checkTarget(spec)).isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining("no process with PID " + (pidMax + 1)).hasMessageContaining("ps -p");
        DamonEngine engine = new DamonEngine();
        assertThatThrownBy(() -> engine.newContext(ContextDefinition.of("gone", VaddrPrimitive.NAME, spec), vaddr))
                .isInstanceOf(InvalidTargetException.class).hasMessageContaining("no process");
    }

    @Test
    void exitedProcessIsRefused() throws Exception {
        Process p = new ProcessBuilder("true").start();
        int pid = (int) p.pid();
        p.waitFor();
        assertThatThrownBy(() -> vaddr.checkTarget("pid=" + pid)).isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining("PID " + pid);
    }

    @Test
    void kernelThreadIsRefused() {
        // PID 2 is kthreadd on Linux: no user address space
        assertThatThrownBy(() -> vaddr.checkTarget("pid=2")).isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining("no user address space");
    }

    @Test
    void malformedTargetsNameTheSyntax() {
        assertThatThrownBy(() -> vaddr.checkTarget("1234")).hasMessageContaining("not key=value")
                .hasMessageContaining("pid=N");
        assertThatThrownBy(() -> vaddr.checkTarget("pid=abc")).hasMessageContaining("not a process ID");
        assertThatThrownBy(() -> vaddr.checkTarget("pid=-4")).hasMessageContaining("not a process ID");
        assertThatThrownBy(() -> vaddr.checkTarget("pid=1,colour=red")).hasMessageContaining("unknown key 'colour'");
        assertThatThrownBy(() -> vaddr.checkTarget("sensor=referenced")).hasMessageContaining("names no process");
    }

    @Test
    void unknownOrUnavailableSensorIsRefusedWithTheReason() throws Exception {
        try (AccessHelper helper = AccessHelper.start(1, 1, "read", -1)) {
            assertThatThrownBy(() -> vaddr.checkTarget("pid=" + helper.pid() + ",sensor=telepathy"))
                    .isInstanceOf(InvalidTargetException.class).hasMessageContaining("unknown sensor 'telepathy'")
                    .hasMessageContaining("referenced");
            if (!new PageIdleSensor().probe(0).available()) {
                assertThatThrownBy(() -> vaddr.checkTarget("pid=" + helper.pid() + ",sensor=page-idle"))
                        .isInstanceOf(InvalidTargetException.class)
                        .hasMessageContaining("CONFIG_IDLE_PAGE_TRACKING");
            }
            vaddr.checkTarget("pid=" + helper.pid()); // auto finds one on any Linux with clear_refs
            vaddr.checkTarget("pid=self,sensor=referenced");
        }
    }

    @Test
    void anotherUsersProcessIsRefusedAsPermissionDenied() throws Exception {
        // run the check as 'nobody' against a process of ours: real kernel permission rules
        if (Kernel.euid() != 0) {
            org.junit.jupiter.api.Assumptions.abort("needs root to switch to another user");
        }
        Path classes = Path.of("target/classes").toAbsolutePath();
        Path jna = Path.of(com.sun.jna.Native.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path api = Path.of(io.jdamon.api.Primitive.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = Files.createTempDirectory("vaddr-perm");
        try {
            Path jnaCopy = Files.copy(jna, dir.resolve("jna.jar"));
            Path apiCopy = Files.copy(api, dir.resolve("api.jar"));
            dir.toFile().setReadable(true, false);
            dir.toFile().setExecutable(true, false);
            jnaCopy.toFile().setReadable(true, false);
            apiCopy.toFile().setReadable(true, false);
            try (AccessHelper helper = AccessHelper.start(1, 1, "read", -1)) {
                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                ChildProcess.Result r = ChildProcess.run(new ProcessBuilder("setpriv", "--reuid=65534",
                        "--regid=65534", "--clear-groups", java, "-cp", classes + ":" + jnaCopy + ":" + apiCopy,
                        SensorsCommand.class.getName(), "--pid", Integer.toString(helper.pid())), 30);
                String out = r.output();
                assertThat(r.exitStatus()).as(out).isEqualTo(1);
                assertThat(out).contains("permission denied").contains("PID " + helper.pid())
                        .contains("belongs to another user").contains("root");
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }
}
