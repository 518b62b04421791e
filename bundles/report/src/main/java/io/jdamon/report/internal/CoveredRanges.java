package io.jdamon.report.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.jdamon.api.RegionSnapshot;
import io.jdamon.report.Range;

/**
 * The address ranges a target's regions covered, merged where they touch or
 * overlap, built snapshot by snapshot (as a record streams), in memory bounded
 * by the number of ranges; {@link io.jdamon.report.Heatmap#coveredRanges} is
 * this over a list of snapshots.
 */
public final class CoveredRanges {

    /** start to end of each merged range */
    private final TreeMap<Long, Long> ranges = new TreeMap<>();

    /** Adds a snapshot's regions. */
    public void add(List<RegionSnapshot> regions) {
        for (RegionSnapshot r : regions) {
            if (r.end() > r.start()) {
                add(r.start(), r.end());
            }
        }
    }

    private void add(long start, long end) {
        Map.Entry<Long, Long> before = ranges.floorEntry(start);
        if (before != null && before.getValue() >= end) {
            return; // already covered: the usual case, the same regions snapshot after snapshot
        }
        if (before != null && before.getValue() >= start) {
            start = before.getKey();
            ranges.remove(start);
        }
        Map.Entry<Long, Long> next;
        while ((next = ranges.ceilingEntry(start)) != null && next.getKey() <= end) {
            end = Math.max(end, next.getValue());
            ranges.remove(next.getKey());
        }
        ranges.put(start, end);
    }

    /** @return whether no region was added */
    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** @return the merged ranges, lowest first */
    public List<Range> ranges() {
        List<Range> out = new ArrayList<>(ranges.size());
        for (Map.Entry<Long, Long> e : ranges.entrySet()) {
            out.add(new Range(e.getKey(), e.getValue()));
        }
        return out;
    }
}
