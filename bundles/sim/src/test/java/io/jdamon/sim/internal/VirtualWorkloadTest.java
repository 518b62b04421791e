package io.jdamon.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VirtualWorkloadTest {

    @Test
    void pagesOfTheActiveRegionsCountAsAccessedPhaseByPhase() {
        VirtualWorkload w = new VirtualWorkload(TargetSpec.parse("virtual:zigzag,size=1TiB"), 16);
        AddressLayout l = w.layout;
        assertThat(l.dataBytes()).isEqualTo(1L << 40);
        long inA = l.start(0) + 12345 * Sizes.PAGE;
        long inB = l.end(1) - 1;
        assertThat(w.phaseAt(0)).isZero();
        assertThat(w.phaseAt(10_000_000_000L)).isEqualTo(1);
        assertThat(w.phaseAt(60_000_000_000L)).isEqualTo(11);
        assertThat(w.accessedIn(inA, 0)).isTrue();
        assertThat(w.accessedIn(inB, 0)).isTrue();
        assertThat(w.accessedIn(inA, 1)).isTrue();
        assertThat(w.accessedIn(inB, 1)).isFalse();
        assertThat(w.accessedIn(inA, 2)).isFalse();
        assertThat(w.accessedIn(inB, 2)).isTrue();
        assertThat(w.accessedIn(l.end(0) + 1, 0)).as("in the gap").isFalse();
        assertThat(w.accessedIn(inA, 11)).as("after the last phase").isFalse();
    }
}
