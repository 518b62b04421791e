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

    /** The most passes of the writer thread that may take longer than a sample interval for its buffer to count as hot. */
    static final double MAX_SLOW_PASS_SHARE = 0.1;

    static Path shim() throws Exception {
        SensorProbe probe = new UffdWriteSensor().probe(0);
        Assumptions.assumeTrue(probe.available(), () -> "uffd-write unavailable here: " + probe.reason());
        return io.jdamon.vaddr.UffdShim.library(Path.of("target/test-helper"));
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

    @Test
    void theJvmItselfWithItsOwnUserfaultfd() throws Exception {
        Assumptions.assumeTrue(new UffdWriteSensor().probe(0).available(), "uffd-write unavailable here");
        // two 64 MiB off-heap buffers: one written all the time, one once
        java.nio.ByteBuffer hot = java.nio.ByteBuffer.allocateDirect(64 << 20);
        java.nio.ByteBuffer cold = java.nio.ByteBuffer.allocateDirect(64 << 20);
        for (int i = 0; i < cold.capacity(); i += 4096) {
            cold.put(i, (byte) 1);
            hot.put(i, (byte) 1);
        }
        long hs = com.sun.jna.Pointer.nativeValue(com.sun.jna.Native.getDirectBufferPointer(hot));
        long cs = com.sun.jna.Pointer.nativeValue(com.sun.jna.Native.getDirectBufferPointer(cold));
        // whole pages only: malloc's header shares the first page with other data
        HotColdCheck.Truth truth = new HotColdCheck.Truth("self", ProcMaps.alignUp(hs, 4096),
                ProcMaps.alignDown(hs + hot.capacity(), 4096), ProcMaps.alignUp(cs, 4096),
                ProcMaps.alignDown(cs + cold.capacity(), 4096));
        java.util.concurrent.atomic.AtomicBoolean run = new java.util.concurrent.atomic.AtomicBoolean(true);
        // the truth is "hot" only if the writer rewrites every page within a sample interval: count the passes
        // that took longer (a starved writer on a loaded machine), so as not to blame the sensor for them
        long sampleNanos = MonitoringAttributes.DEFAULTS.sampleIntervalUs() * 1_000;
        java.util.concurrent.atomic.AtomicLong passes = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong slowPasses = new java.util.concurrent.atomic.AtomicLong();
        Thread writer = new Thread(() -> {
            long passStart = System.nanoTime();
            for (byte pass = 0; run.get(); pass++) {
                for (int i = 0; i < hot.capacity(); i += 4096) {
                    hot.put(i, pass);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                long now = System.nanoTime();
                passes.incrementAndGet();
                if (now - passStart > sampleNanos) {
                    slowPasses.incrementAndGet();
                }
                passStart = now;
            }
        }, "uffd-self-writer");
        writer.start();
        try {
            // a JVM reserves gigabytes (heap, code cache, metaspace): start from finer regions than the default
            // 10, or the adaptive split takes many aggregations to find a 64 MiB buffer in them
            HotColdCheck.Result r = HotColdCheck.run(truth, UffdWriteSensor.NAME,
                    MonitoringAttributes.DEFAULTS.withUpdateIntervalUs(1_000_000).withNrRegions(300, 1000), 40);
            double slowShare = (double) slowPasses.get() / Math.max(1, passes.get());
            System.out.printf(java.util.Locale.ROOT, "uffd-write, pid=self: %s; writer passes %d, %.1f%% longer than"
                    + " a sample interval%n", r, passes.get(), 100 * slowShare);
            Assumptions.assumeTrue(slowShare <= MAX_SLOW_PASS_SHARE, () -> String.format(java.util.Locale.ROOT,
                    "the writer thread was starved (%.0f%% of its passes over the hot buffer took longer than a"
                            + " sample interval), so the buffer was not hot in every sample and the sensor's rate"
                            + " says nothing; run again on a quieter machine", 100 * slowShare));
            // The buffers lie next to arena reservations of hundreds of MiB that are never touched. A region that
            // straddles the hot buffer's edge and such a reservation is sampled mostly outside the buffer (nr 0),
            // merges with its idle neighbours and is hardly ever split at the edge again: DAMON may keep it for the
            // whole run. hotRate over all hot bytes then says where that edge fell at the start (0.69-0.89 seen in
            // loaded runs; up to half of the buffer in such a region), not what the sensor saw. So judge the sensor
            // on the regions (at least 90%) inside the hot buffer, which must cover a quarter of it at every
            // settled aggregation, and ask of all hot bytes only that they stand clearly apart from the cold ones.
            long hotSize = truth.hotEnd() - truth.hotStart();
            assertThat(r.minHotInsideBytes()).as("regions (90%) inside the hot buffer cover a quarter of it: " + r)
                    .isGreaterThanOrEqualTo(hotSize / 4);
            assertThat(r.hotInsideRate()).as(r.toString()).isGreaterThan(0.8);
            assertThat(r.hotRate()).as(r.toString()).isGreaterThan(0.5);
            assertThat(r.coldMaxNrAccesses()).as("no region wholly inside the cold buffer ever written: " + r)
                    .isZero();
            assertThat(r.coldRate()).as(r.toString()).isLessThan(0.05);
        } finally {
            run.set(false);
            writer.join();
        }
    }
}
