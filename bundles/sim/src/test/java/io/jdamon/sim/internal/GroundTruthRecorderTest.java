package io.jdamon.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

/** The ground-truth ring keeps its memory bound however many regions a workload has. */
class GroundTruthRecorderTest {

    private static WorkloadConfig regions(int n) throws WorkloadConfigException {
        StringBuilder text = new StringBuilder();
        for (int r = 0; r < n; r++) {
            text.append('r').append(r).append(", 4096\n");
        }
        text.append("\nall\n10\nr0, 1, 64, 1\n");
        return ConfigParser.parse("many.cfg", text.toString());
    }

    private static GroundTruthRecorder recorder(WorkloadConfig config, int capacity) {
        return new GroundTruthRecorder("many", true, config, new AddressLayout(config), capacity);
    }

    @Test
    void manyRegionsKeepFewerWindowsInBoundedMemory() throws Exception {
        int nrRegions = 2048;
        WorkloadConfig config = regions(nrRegions);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        GroundTruthRecorder truth = recorder(config, GroundTruthRecorder.DEFAULT_CAPACITY);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // the ring holds at most MAX_CELLS longs (8 MiB); 10,000 windows of 2048 regions would be 156 MiB
        assertThat(allocated).isLessThan(10L << 20);

        int kept = GroundTruthRecorder.MAX_CELLS / nrRegions;
        long[] touched = new long[nrRegions];
        for (int w = 0; w < kept + 5; w++) {
            touched[0] = w;
            truth.record(w, w + 1, 0, 0, touched);
        }
        assertThat(truth.windows()).hasSize(kept);
        assertThat(truth.droppedWindows()).isEqualTo(5);
        assertThat(truth.windows().get(0).startNanos()).isEqualTo(5);
    }

    @Test
    void aCapacityBelowOneStillKeepsTheLastWindow() throws Exception {
        WorkloadConfig config = regions(2);
        GroundTruthRecorder truth = recorder(config, 0);
        truth.record(0, 1, 0, 0, new long[] {4096, 0});
        truth.record(1, 2, 0, 0, new long[] {0, 4096});
        assertThat(truth.windows()).hasSize(1);
        assertThat(truth.windows().get(0).startNanos()).isEqualTo(1);
        assertThat(truth.droppedWindows()).isEqualTo(1);
    }

    @Test
    void aCompactedTruthReadsAsTheOriginalInAFractionOfItsMemory() throws Exception {
        WorkloadConfig config = regions(3);
        GroundTruthRecorder truth = recorder(config, 5);
        for (int w = 0; w < 8; w++) { // 3 dropped, 5 kept, the ring wrapped
            truth.record(w * 10L, w * 10L + 10, 0, 0, new long[] {w, 2L * w, 4096});
        }
        truth.markFinished();
        GroundTruthRecorder compacted = truth.compacted();
        assertThat(compacted.windows()).isEqualTo(truth.windows()).hasSize(5);
        assertThat(compacted.windows().get(0).startNanos()).isEqualTo(30);
        assertThat(compacted.droppedWindows()).isEqualTo(truth.droppedWindows()).isEqualTo(3);
        assertThat(compacted.phases()).isEqualTo(truth.phases());
        assertThat(compacted.finished()).isTrue();
        assertThat(compacted.medianWorkingSetBytes()).isEqualTo(truth.medianWorkingSetBytes());
        assertThat(compacted.regionSizes()).isEqualTo(truth.regionSizes());

        // a short run's truth: a ring for 10,000 windows shrinks to the two recorded
        GroundTruthRecorder big = recorder(config, GroundTruthRecorder.DEFAULT_CAPACITY);
        big.record(0, 10, 0, 0, new long[] {1, 2, 3});
        big.record(10, 20, 0, 0, new long[] {4, 5, 6});
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        GroundTruthRecorder small = big.compacted();
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(small.windows()).isEqualTo(big.windows());
        assertThat(allocated).as("bytes of the compacted copy").isLessThan(4096);
    }
}
