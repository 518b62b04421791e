package io.jdamon.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.TargetSnapshot;

class WorkingSetSizeAndAccessTest {

    private static final long MIB = 1 << 20;

    /** Snapshot i (1..100, shuffled) has an accessed region of i MiB and a cold one of 50 MiB. */
    private static List<AggregationSnapshot> oneToHundredMib() {
        List<Integer> order = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new java.util.Random(42));
        List<AggregationSnapshot> out = new ArrayList<>();
        for (int k = 0; k < order.size(); k++) {
            long hot = order.get(k) * MIB;
            out.add(new AggregationSnapshot("w", k, k * 100L, k * 100L + 100, 5_000, 100_000, List.of(
                    new TargetSnapshot(0, "t", List.of(new RegionSnapshot(0, hot, 1 + k % 20, 0),
                            new RegionSnapshot(hot, hot + 50 * MIB, 0, 3))))));
        }
        return out;
    }

    @Test
    void percentilesAndAverageOnKnownData() {
        WorkingSetSize w = WorkingSetSize.of(oneToHundredMib(), 0);
        assertThat(w.count()).isEqualTo(100);
        assertThat(w.percentile(0)).isEqualTo(1 * MIB);
        assertThat(w.percentile(25)).isEqualTo(26 * MIB);
        assertThat(w.percentile(50)).isEqualTo(51 * MIB);
        assertThat(w.percentile(75)).isEqualTo(76 * MIB);
        assertThat(w.percentile(100)).isEqualTo(100 * MIB);
        assertThat(w.average()).isEqualTo(50.5 * MIB);
        String text = w.toText(false);
        assertThat(text).contains("# avr:\t50.500 MiB").contains(" 50\t51.000 MiB").contains("100\t100.000 MiB");
        assertThat(w.toText(true)).contains(" 25\t" + 26 * MIB);
    }

    @Test
    void stairsWssIsOneRegion() {
        WorkingSetSize w = WorkingSetSize.of(Stairs.snapshots(), -1, 50);
        assertThat(w.percentile(50)).isEqualTo(10 * MIB);
        assertThat(w.percentile(0)).isEqualTo(10 * MIB);
    }

    @Test
    void accessReportListsEveryRegionWithRateAndAge() {
        AggregationSnapshot s = new AggregationSnapshot("a", 7, 700_000_000L, 800_000_000L, 5_000, 100_000, List.of(
                new TargetSnapshot(0, "pid=42", List.of(new RegionSnapshot(0x1000, 0x3000, 10, 4),
                        new RegionSnapshot(0x3000, 0x103000, 0, 12), new RegionSnapshot(0x200000, 0x300000, 20, 0)))));
        String text = AccessReport.toText(s, 0, "snapshot 7 of 8", false);
        String[] lines = text.split("\n");
        assertThat(lines[0]).isEqualTo("# snapshot 7 of 8 (aggregation 7): 700 ms - 800 ms, target 0 (pid=42), "
                + "sample 5 ms, aggregation 100 ms");
        assertThat(lines[2]).contains("0x1000").contains("0x3000").contains("8.000 KiB").contains("50.0 %")
                .contains("400 ms (4 aggregations)");
        assertThat(lines[3]).contains("1.000 MiB").contains("0.0 %").contains("1.200 s (12 aggregations)");
        assertThat(lines[4]).contains("100.0 %");
        assertThat(lines[5]).isEqualTo("# total 2.008 MiB in 3 regions, accessed 1.008 MiB (50.2 %)");
        assertThat(AccessReport.toText(s, 0, "x", true)).contains(" 8192 ").contains("400000 us (4)");
    }
}
