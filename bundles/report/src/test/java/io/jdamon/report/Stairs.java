package io.jdamon.report;

import java.util.ArrayList;
import java.util.List;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.TargetSnapshot;

/** A known access pattern: ten 10 MiB regions; during snapshot k only region k is accessed, every sample. */
final class Stairs {
    static final long BASE = 0x4000_0000L;
    static final long MIB = 1 << 20;
    static final long STEP_NANOS = 100_000_000;

    private Stairs() {
    }

    static List<AggregationSnapshot> snapshots() {
        List<AggregationSnapshot> out = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
            List<RegionSnapshot> regions = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                long start = BASE + i * 10 * MIB;
                regions.add(new RegionSnapshot(start, start + 10 * MIB, i == k ? 20 : 0, i == k ? 0 : k));
            }
            out.add(new AggregationSnapshot("stairs", k, k * STEP_NANOS, (k + 1) * STEP_NANOS, 5_000, 100_000,
                    List.of(new TargetSnapshot(0, "stairs", regions))));
        }
        return out;
    }
}
