package io.jdamon.record;

import java.util.ArrayList;
import java.util.List;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.TargetSnapshot;

/** Deterministic snapshot sequences for tests: every field is a function of the indexes. */
final class Snapshots {
    static final long BASE = 0x7f00_0000_0000L;
    static final long REGION = 1 << 20;

    private Snapshots() {
    }

    static RecordWriter.Header header(String name, int targets) {
        List<String> specs = new ArrayList<>();
        for (int t = 0; t < targets; t++) {
            specs.add("spec-" + t);
        }
        return new RecordWriter.Header(name, 3, 0,
                MonitoringAttributes.DEFAULTS.withSampleIntervalUs(5_000).withAggregationIntervalUs(100_000),
                "sim", java.util.Map.of("sensor", "simulated", "sees", "reads,writes"), specs);
    }

    /** Aggregation {@code a}: target t has {@code regions} regions; nr_accesses and age vary with a, t, i. */
    static AggregationSnapshot aggregation(long a, int targets, int regions) {
        List<TargetSnapshot> ts = new ArrayList<>();
        for (int t = 0; t < targets; t++) {
            List<RegionSnapshot> rs = new ArrayList<>();
            for (int i = 0; i < regions; i++) {
                long start = BASE + t * 0x1000_0000L + i * REGION;
                rs.add(new RegionSnapshot(start, start + REGION, nrAccesses(a, t, i), age(a, t, i)));
            }
            ts.add(new TargetSnapshot(t, "spec-" + t, rs));
        }
        return new AggregationSnapshot("ctx", a, a * 100_000_000L, (a + 1) * 100_000_000L, 5_000, 100_000, ts);
    }

    static int nrAccesses(long a, int t, int i) {
        return (int) ((a * 7 + t * 3 + i) % 21);
    }

    static int age(long a, int t, int i) {
        return (int) ((a + i + t) % 50);
    }
}
