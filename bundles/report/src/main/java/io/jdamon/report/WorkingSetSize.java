package io.jdamon.report;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.TargetSnapshot;
import io.jdamon.units.UnitFormat;

/**
 * The distribution of the working set size over snapshots, like damo's
 * {@code report wss}: a snapshot's working set is the total size of the
 * regions with {@code nr_accesses >= 1}; for a target whose primitive
 * measured whole ranges ({@link TargetSnapshot#measuredRounds()}, e.g.
 * referenced bytes per mapping) it is those measured bytes instead, since
 * region sizes would count all of a mapping once one sample in it is accessed.
 *
 * <p>Percentile p is the value at index {@code floor(p / 100 * n)} (the last
 * one for p = 100) of the n per-snapshot sizes sorted ascending, as damo
 * computes it.
 *
 * @param label what was measured, for the text output
 * @param sortedBytes the per-snapshot working set sizes, ascending
 * @param percentiles the percentiles asked for, 0 to 100
 */
public record WorkingSetSize(String label, long[] sortedBytes, int[] percentiles) {

    /** What the label says when the sizes are the primitive's measured bytes. */
    public static final String MEASURED_NOTE = "measured by the primitive per range (e.g. a mapping's referenced "
            + "bytes; the most of any round per range), not from region sizes";

    /** The percentiles damo shows by default. */
    public static final int[] DEFAULT_PERCENTILES = {0, 25, 50, 75, 100};

    public WorkingSetSize {
        sortedBytes = sortedBytes.clone();
        Arrays.sort(sortedBytes);
        percentiles = percentiles.clone();
        for (int p : percentiles) {
            if (p < 0 || p > 100) {
                throw new IllegalArgumentException("percentile " + p + " is not between 0 and 100");
            }
        }
    }

    /**
     * Computes the distribution.
     *
     * @param snapshots the aggregations
     * @param targetIndex the target to measure, or -1 for all targets summed
     * @param percentiles the percentiles to report, each 0 to 100
     * @throws IllegalArgumentException if there are no snapshots
     */
    public static WorkingSetSize of(List<AggregationSnapshot> snapshots, int targetIndex, int... percentiles) {
        if (snapshots.isEmpty()) {
            throw new IllegalArgumentException("no snapshots to measure the working set size from");
        }
        long[] sizes = new long[snapshots.size()];
        boolean measured = false;
        for (int i = 0; i < sizes.length; i++) {
            AggregationSnapshot s = snapshots.get(i);
            for (TargetSnapshot t : targetIndex < 0 ? s.targets() : List.of(s.targets().get(targetIndex))) {
                measured |= !t.measuredRounds().isEmpty();
                sizes[i] += t.effectiveWorkingSetBytes();
            }
        }
        String label = (targetIndex < 0 ? "all targets"
                : "target " + snapshots.get(0).targets().get(targetIndex).index() + " ("
                        + snapshots.get(0).targets().get(targetIndex).spec() + ")")
                + (measured ? ", " + MEASURED_NOTE : "");
        return new WorkingSetSize(label, sizes, percentiles.length == 0 ? DEFAULT_PERCENTILES : percentiles);
    }

    /** @return a copy of the per-snapshot working set sizes, ascending */
    @Override
    public long[] sortedBytes() {
        return sortedBytes.clone();
    }

    /** @return a copy of the percentiles asked for */
    @Override
    public int[] percentiles() {
        return percentiles.clone();
    }

    /** @return the number of snapshots measured */
    public int count() {
        return sortedBytes.length;
    }

    /** @return the working set size at percentile p (0 to 100), in bytes */
    public long percentile(int p) {
        if (p < 0 || p > 100) {
            throw new IllegalArgumentException("percentile " + p + " is not between 0 and 100");
        }
        // in doubles, as damo: int(p / 100.0 * n), so that both pick the same snapshot (29 of 100 is index 28)
        int idx = (int) Math.min(sortedBytes.length - 1, (int) (p / 100.0 * sortedBytes.length));
        return sortedBytes[idx];
    }

    /** @return the mean working set size, in bytes */
    public double average() {
        double sum = 0;
        for (long b : sortedBytes) {
            sum += b;
        }
        return sum / sortedBytes.length;
    }

    /**
     * @param raw print byte counts instead of KiB/MiB
     * @return damo-style text: a comment header, the average, then one line per percentile
     */
    public String toText(boolean raw) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(label).append(", ").append(count()).append(" snapshots\n");
        sb.append("# <percentile> <wss>\n");
        sb.append("# avr:\t").append(raw ? String.format(Locale.ROOT, "%.0f", average()) : UnitFormat.bytes(average()))
                .append('\n');
        for (int p : percentiles) {
            long v = percentile(p);
            sb.append(String.format(Locale.ROOT, "%3d\t%s%n", p, raw ? Long.toString(v) : UnitFormat.bytes(v)));
        }
        return sb.toString();
    }
}
