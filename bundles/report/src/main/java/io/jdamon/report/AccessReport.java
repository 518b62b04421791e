package io.jdamon.report;

import java.util.Locale;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.units.UnitFormat;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.TargetSnapshot;

/**
 * One snapshot's regions, like damo's {@code report access}: per region its
 * address range, size, access rate ({@code nr_accesses} as a percentage of
 * the samples in one aggregation) and age (as time and as aggregation
 * intervals).
 */
public final class AccessReport {

    private AccessReport() {
    }

    /** @return a region's access rate in percent: {@code nr_accesses * 100 / (aggr / sample)} */
    public static double accessRatePercent(RegionSnapshot r, AggregationSnapshot s) {
        return r.nrAccesses() * 100.0 / s.samplesPerAggregation();
    }

    /**
     * @param s the snapshot
     * @param targetIndex its target to show
     * @param position the snapshot's position for the header, e.g. {@code "snapshot 3 of 40"}
     * @param raw print plain numbers (bytes, microseconds) instead of units
     * @return the text report: a header line, a line per region, a total line
     */
    public static String toText(AggregationSnapshot s, int targetIndex, String position, boolean raw) {
        if (targetIndex < 0 || targetIndex >= s.targets().size()) {
            throw new IllegalArgumentException("there is no target " + targetIndex + "; the snapshot has "
                    + s.targets().size());
        }
        TargetSnapshot t = s.targets().get(targetIndex);
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(position).append(" (aggregation ").append(s.aggregationIndex()).append("): ")
                .append(UnitFormat.nanos(s.startNanos())).append(" - ").append(UnitFormat.nanos(s.endNanos()))
                .append(", target ").append(t.index()).append(" (").append(t.spec()).append(")")
                .append(", sample ").append(UnitFormat.nanos(s.sampleIntervalUs() * 1000.0))
                .append(", aggregation ").append(UnitFormat.nanos(s.aggregationIntervalUs() * 1000.0)).append('\n');
        sb.append(String.format(Locale.ROOT, "# %4s  %-18s  %-18s  %12s  %11s  %s%n", "idx", "start", "end", "size",
                "access_rate", "age"));
        long total = 0;
        long accessed = 0;
        int i = 0;
        for (RegionSnapshot r : t.regions()) {
            long ageUs = (long) r.age() * s.aggregationIntervalUs();
            String size = raw ? Long.toString(r.size()) : UnitFormat.bytes(r.size());
            String age = raw ? ageUs + " us (" + r.age() + ")"
                    : UnitFormat.nanos(ageUs * 1000.0) + " (" + r.age() + " aggregations)";
            sb.append(String.format(Locale.ROOT, "  %4d  %-18s  %-18s  %12s  %9.1f %%  %s%n", i++,
                    UnitFormat.address(r.start()), UnitFormat.address(r.end()), size, accessRatePercent(r, s), age));
            total += r.size();
            if (r.nrAccesses() > 0) {
                accessed += r.size();
            }
        }
        sb.append("# total ").append(raw ? Long.toString(total) : UnitFormat.bytes(total)).append(" in ")
                .append(t.regions().size()).append(" regions, accessed ")
                .append(raw ? Long.toString(accessed) : UnitFormat.bytes(accessed))
                .append(String.format(Locale.ROOT, " (%.1f %%)%n", total == 0 ? 0.0 : accessed * 100.0 / total));
        return sb.toString();
    }
}
