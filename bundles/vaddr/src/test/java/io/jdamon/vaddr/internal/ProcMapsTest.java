package io.jdamon.vaddr.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** DAMON's three regions from maps text, and from a live process. */
class ProcMapsTest {

    static final String MAPS = """
            55d0a0000000-55d0a0001000 r--p 00000000 fe:00 1 /bin/x
            55d0a0001000-55d0a0002000 r-xp 00001000 fe:00 1 /bin/x
            55d0a1000000-55d0a1021000 rw-p 00000000 00:00 0 [heap]
            7f0000000000-7f0000400000 rw-p 00000000 00:00 0
            7f0000400000-7f0000500000 r-xp 00000000 fe:00 2 /lib/libc.so.6
            7f0000600000-7f0000601000 rw-p 00000000 00:00 0
            7ffc00000000-7ffc00021000 rw-p 00000000 00:00 0 [stack]
            ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]
            """;

    @Test
    void threeRegionsSkipTheTwoLargestGaps() {
        List<ProcMaps.Mapping> maps = ProcMaps.parse(MAPS);
        assertThat(maps).hasSize(7).noneMatch(m -> m.path().equals("[vsyscall]"));
        long[] r = ProcMaps.threeRegions(maps, 4096);
        assertThat(r).containsExactly(0x55d0a0000000L, 0x55d0a1021000L, 0x7f0000000000L, 0x7f0000601000L,
                0x7ffc00000000L, 0x7ffc00021000L);
    }

    @Test
    void touchingMappingsGiveJoinedRanges() {
        String maps = """
                1000-2000 rw-p 00000000 00:00 0
                2000-3000 rw-p 00000000 00:00 0
                3000-4000 rw-p 00000000 00:00 0
                """;
        assertThat(ProcMaps.threeRegions(ProcMaps.parse(maps), 4096)).containsExactly(0x1000L, 0x4000L);
    }

    @Test
    void fewerThanThreeMappingsIsAnError() {
        assertThatThrownBy(() -> ProcMaps.threeRegions(ProcMaps.parse("1000-2000 rw-p 0 0:0 0\n"), 4096))
                .hasMessageContaining("at least 3");
    }

    @Test
    void liveProcessHasItsHotAndColdMappingsInTheMiddleRegion() throws Exception {
        try (AccessHelper h = AccessHelper.start(4, 4, "read", -1)) {
            long[] r = ProcMaps.threeRegions(ProcMaps.read(h.pid()), 4096);
            assertThat(r).hasSize(6);
            assertThat(r[2]).isLessThanOrEqualTo(h.coldStart);
            assertThat(r[3]).isGreaterThanOrEqualTo(h.hotEnd);
            for (int i = 0; i < r.length; i++) {
                assertThat(r[i] % 4096).isZero();
            }
        }
    }
}
