package io.jdamon.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The sim benchmark's command line and its full-scan baseline; no monitoring run (the benchmark runs on demand). */
class SimBenchmarkTest {

    @Test
    void defaultsAreTheIssuesSizesWithEverything() {
        SimBenchmark.Settings s = SimBenchmark.parse(new String[0]);
        assertThat(s.sizes()).containsExactly(Sizes.GIB, 64 * Sizes.GIB, Sizes.TIB);
        assertThat(s.seconds()).isEqualTo(3);
        assertThat(s.rounds()).isEqualTo(3);
        assertThat(s.realRow()).isTrue();
        assertThat(s.accuracy()).isTrue();
    }

    @Test
    void optionsAndSizesAreRead() {
        SimBenchmark.Settings s = SimBenchmark.parse(
                new String[] {"--seconds", "1", "256MiB", "--rounds", "5", "--skip-real", "--skip-accuracy", "2G"});
        assertThat(s.sizes()).containsExactly(256 * Sizes.MIB, 2 * Sizes.GIB);
        assertThat(s.seconds()).isEqualTo(1);
        assertThat(s.rounds()).isEqualTo(5);
        assertThat(s.realRow()).isFalse();
        assertThat(s.accuracy()).isFalse();
    }

    @Test
    void badArgumentsSayWhatToWrite() {
        assertThatThrownBy(() -> SimBenchmark.parse(new String[] {"--seconds"}))
                .hasMessage("--seconds needs a number after it, e.g. --seconds 3");
        assertThatThrownBy(() -> SimBenchmark.parse(new String[] {"--seconds", "26"}))
                .hasMessage("--seconds '26' is not a whole number from 1 to 25");
        assertThatThrownBy(() -> SimBenchmark.parse(new String[] {"--fast"}))
                .hasMessageStartingWith("unknown option '--fast'; the options are --seconds N");
        assertThatThrownBy(() -> SimBenchmark.parse(new String[] {"64QiB"}))
                .hasMessageStartingWith("size '64QiB' is not a size").hasMessageContaining("e.g. 4096, 4KiB");
        assertThatThrownBy(() -> SimBenchmark.parse(new String[] {"1M"}))
                .hasMessage("size '1M' is out of range; give a size from 16 MiB to 1 TiB, e.g. 64GiB");
    }

    @Test
    void fullScanFindsEveryAccessedPageOfStairsFirstPhase() {
        VirtualWorkload w = new VirtualWorkload(TargetSpec.parse("virtual:stairs_30secs,size=1GiB"), 16);
        w.start(); // the first phase (5 s) accesses all ten regions
        long found = SimBenchmark.fullScan(w);
        assertThat(w.currentPhase()).isZero();
        assertThat(found).isEqualTo(w.layout.dataPages()).isGreaterThan(200_000);
    }

    @Test
    void checkerboardFullScanFindsTheEvenHalf() throws Exception {
        Path cfg = SimBenchmark.checkerboardConfig();
        try {
            VirtualWorkload w = new VirtualWorkload(TargetSpec.parse("virtual:file=" + cfg + ",size=400MiB"), 16);
            assertThat(w.layout.regionCount()).isEqualTo(200);
            w.start();
            long found = SimBenchmark.fullScan(w);
            assertThat(w.currentPhase()).isZero();
            long evenPages = 0;
            for (int r = 0; r < 200; r += 2) {
                evenPages += w.layout.size(r) / Sizes.PAGE;
            }
            assertThat(found).isEqualTo(evenPages).isEqualTo(w.layout.dataPages() / 2);
        } finally {
            Files.deleteIfExists(cfg);
        }
    }
}
