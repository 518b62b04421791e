package io.jdamon.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.jdamon.sim.internal.WorkloadConfig.AccessMode;

class ConfigParserTest {

    private static WorkloadConfig builtIn(String name) throws WorkloadConfigException {
        return ConfigParser.parse(name, TargetSpec.builtIn(name));
    }

    @Test
    void stairsHasTenTenMegabyteRegionsAndMasimTimings() throws Exception {
        WorkloadConfig stairs = builtIn("stairs");
        assertThat(stairs.regions()).hasSize(10).allSatisfy(r -> assertThat(r.sizeBytes()).isEqualTo(10L << 20));
        assertThat(stairs.phases()).hasSize(11);
        assertThat(stairs.phases().get(0).durationMs()).isEqualTo(10_000);
        assertThat(stairs.phases().get(0).accesses()).hasSize(10);
        for (int p = 1; p <= 10; p++) {
            assertThat(stairs.phases().get(p).durationMs()).isEqualTo(5_000);
            assertThat(stairs.phases().get(p).accesses()).singleElement()
                    .satisfies(a -> assertThat(a.regionIndex()).isBetween(0, 9));
        }
        assertThat(stairs.totalDurationMs()).isEqualTo(60_000);

        WorkloadConfig fast = builtIn("stairs_30secs");
        assertThat(fast.regions()).isEqualTo(stairs.regions());
        assertThat(fast.totalDurationMs()).isEqualTo(30_000);
        assertThat(fast.phases().get(0).durationMs()).isEqualTo(5_000);
        assertThat(fast.phases().get(1).durationMs()).isEqualTo(2_500);
    }

    @Test
    void zigzagHasTwoHundredMegabyteRegionsThatAlternate() throws Exception {
        WorkloadConfig zigzag = builtIn("zigzag");
        assertThat(zigzag.regions()).hasSize(2).allSatisfy(r -> assertThat(r.sizeBytes()).isEqualTo(100L << 20));
        assertThat(zigzag.phases().get(0).durationMs()).isEqualTo(10_000);
        assertThat(zigzag.phases().get(0).accesses(0)).isTrue();
        assertThat(zigzag.phases().get(0).accesses(1)).isTrue();
        for (int p = 1; p < zigzag.phases().size(); p++) {
            int only = (p - 1) % 2;
            assertThat(zigzag.phases().get(p).accesses(only)).isTrue();
            assertThat(zigzag.phases().get(p).accesses(1 - only)).isFalse();
            assertThat(zigzag.phases().get(p).durationMs()).isEqualTo(5_000);
        }
        assertThat(builtIn("zigzag_30secs").totalDurationMs()).isEqualTo(30_000);
    }

    @Test
    void readsCommentsModesUnitsAndBlankLineParagraphs() throws Exception {
        String text = """
                # regions
                heap, 4M   # trailing comment
                stack, 8192

                # a comment line inside a paragraph does not split it
                warm up
                # still the same phase
                100
                heap, 0, 64, 3, ro
                stack, 1, 4096, 1, WO
                """;
        WorkloadConfig c = ConfigParser.parse("t.cfg", text);
        assertThat(c.regions()).extracting(WorkloadConfig.Region::sizeBytes).containsExactly(4L << 20, 8192L);
        assertThat(c.phases()).singleElement().satisfies(p -> {
            assertThat(p.name()).isEqualTo("warm up");
            assertThat(p.durationMs()).isEqualTo(100);
            assertThat(p.accesses().get(0).random()).isFalse();
            assertThat(p.accesses().get(0).weight()).isEqualTo(3);
            assertThat(p.accesses().get(0).mode()).isEqualTo(AccessMode.RO);
            assertThat(p.accesses().get(1).mode()).isEqualTo(AccessMode.WO);
        });
    }

    @Test
    void theAccessModeDefaultsToReadWrite() throws Exception {
        WorkloadConfig c = ConfigParser.parse("t", "a, 4096\n\np\n10\na, 1, 64, 1\n");
        assertThat(c.phases().get(0).accesses().get(0).mode()).isEqualTo(AccessMode.RW);
    }

    @Test
    void errorsNameTheSourceTheLineAndTheFix() {
        assertError("", "t.cfg: the config is empty");
        assertError("a, 4096\n", "defines regions but no phase");
        assertError("a, 4096, 3\n\np\n10\na, 1, 64, 1\n", "t.cfg:1: a region line needs 2 fields");
        assertError("a, lots\n\np\n10\na, 1, 64, 1\n", "t.cfg:1: region size 'lots' is not a size");
        assertError("a, 0\n\np\n10\na, 1, 64, 1\n", "t.cfg:1: region 'a' has size 0");
        assertError("a, 4096\na, 8192\n\np\n10\na, 1, 64, 1\n", "t.cfg:2: region 'a' is defined twice");
        assertError("a, 4096\n\np\nsoon\na, 1, 64, 1\n", "t.cfg:4: phase 'p' has duration 'soon'");
        assertError("a, 4096\n\np\n0\na, 1, 64, 1\n", "t.cfg:4: phase 'p' lasts 0 ms");
        assertError("a, 4096\n\np\n10\n", "t.cfg:3: phase 'p' needs a duration");
        assertError("a, 4096\n\np\n10\nb, 1, 64, 1\n", "t.cfg:5: access line names region 'b' but the regions are a");
        assertError("a, 4096\n\np\n10\na, 2, 64, 1\n", "t.cfg:5: the second field is '2'; write 1 for random or 0");
        assertError("a, 4096\n\np\n10\na, 1, 8192, 1\n", "t.cfg:5: stride 8192 is larger than region 'a'");
        assertError("a, 4096\n\np\n10\na, 1, 64, 1, rx\n", "t.cfg:5: access mode 'rx' is unknown");
        assertError("a, 4096\n\np\n10\na, 1, 64\n", "t.cfg:5: an access line needs");
        assertError("a, 4096\n\np\n10\na, 1, 64, 0\n", "t.cfg:5: every access line of phase 'p' has weight 0");
        assertError("a, 4096\n\np\n10\na, 1, 64, -1\n", "t.cfg:5: weight -1 is out of range");
    }

    private static void assertError(String text, String expected) {
        assertThatThrownBy(() -> ConfigParser.parse("t.cfg", text))
                .isInstanceOf(WorkloadConfigException.class)
                .hasMessageContaining(expected);
    }
}
