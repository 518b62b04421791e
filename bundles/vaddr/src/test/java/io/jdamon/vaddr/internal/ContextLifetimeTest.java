package io.jdamon.vaddr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
import io.jdamon.core.internal.DamonEngine;

/**
 * Nothing of a context outlives its run in the vaddr primitive: many
 * contexts with unique names, one after another through the real engine on
 * one process, leave no descriptor (sensor files, pidfds, userfaultfds) open
 * in this JVM.
 */
@Timeout(120)
class ContextLifetimeTest {

    private static final int RUNS = 20;

    @Test
    void uniqueContextNamesLeaveNoDescriptorOpen() throws Exception {
        VaddrPrimitive vaddr = new VaddrPrimitive();
        MonitoringAttributes attrs = MonitoringAttributes.DEFAULTS.withSampleIntervalUs(2_000)
                .withAggregationIntervalUs(20_000);
        try (AccessHelper helper = AccessHelper.start(4, 4, "rw", -1)) {
            long before = sensorDescriptors(helper.pid());
            for (int i = 0; i < RUNS; i++) {
                DamonEngine engine = new DamonEngine();
                MonitoringContext ctx = engine.newContext(new ContextDefinition("vaddr-unique-" + i,
                        VaddrPrimitive.NAME, List.of("pid=" + helper.pid() + ",sensor=referenced"), attrs), vaddr);
                ctx.addCallback("two", new Callback() {
                    private int seen;

                    @Override
                    public CallbackResult afterAggregation(ContextView view) {
                        return ++seen >= 2 ? CallbackResult.STOP : CallbackResult.CONTINUE;
                    }
                });
                engine.start(List.of(ctx), StartMode.SHARED);
                assertThat(ctx.awaitTermination(30, TimeUnit.SECONDS)).as("run %d ended: %s", i, ctx.status())
                        .isTrue();
                assertThat(ctx.status().aggregations()).as("run %d monitored", i).isGreaterThanOrEqualTo(2);
                assertThat(sensorDescriptors(helper.pid())).as("descriptors left after run %d", i)
                        .isEqualTo(before);
            }
        }
    }

    /** @return this JVM's descriptors on the helper's /proc files, pidfds and userfaultfds */
    private static long sensorDescriptors(int pid) throws IOException {
        long n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("/proc/" + pid + "/") || target.equals("anon_inode:[pidfd]") || target.startsWith("pidfd:")
                            || target.equals("anon_inode:[userfaultfd]")) {
                        n++;
                    }
                } catch (IOException gone) {
                    // the directory stream's own descriptor
                }
            }
        }
        return n;
    }
}
