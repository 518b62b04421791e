package io.jdamon.report.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;

import io.jdamon.api.RegionSnapshot;
import io.jdamon.record.RecordedSnapshot;
import io.jdamon.record.TargetRecord;

/**
 * damo's {@code report heatmap --output raw}: one line per pixel,
 * {@code <time> <address> <heat>}, for plotting tools. The pixel grid, the
 * heat (access frequency in Hz, weighted by the pixel's time x space each
 * region covers, a region's age counting as time it was observed before its
 * snapshot) and the number formats are damo's, so that damo's plotting
 * scripts read the same numbers; pixels no region touched are {@code NaN}.
 * (The text and PNG heatmaps are jdamon's: tenths of the hottest cell,
 * ages not counted.)
 */
final class RawHeatmap {

    private RawHeatmap() {
    }

    /**
     * @param r the target's record
     * @param timeStartNs the first pixel row's time (the snapshots' clock)
     * @param timeEndNs the end of the time range
     * @param addrStart the first pixel column's address
     * @param addrEnd the end of the address range
     * @param rows time pixels
     * @param cols address pixels
     * @param absTime print times as they are, not from the range's start
     * @param absAddr print addresses as they are, not from the range's start
     */
    static String text(TargetRecord r, List<RecordedSnapshot> snapshots, long timeStartNs, long timeEndNs, long addrStart, long addrEnd, int rows,
            int cols, boolean absTime, boolean absAddr) {
        long timeUnit = Math.floorDiv(timeEndNs - timeStartNs, rows);
        long addrUnit = Math.floorDiv(addrEnd - addrStart, cols);
        if (timeUnit <= 0 || addrUnit <= 0) {
            throw new IllegalArgumentException("the ranges are smaller than the resolution (" + rows + " x " + cols
                    + " pixels); choose a smaller --resol");
        }
        double[][] heat = new double[rows][cols];
        boolean[][] touched = new boolean[rows][cols];
        double pixelTimeSpace = BigInteger.valueOf(timeUnit).multiply(BigInteger.valueOf(addrUnit)).doubleValue();
        long aggrUs = r.aggregationIntervalUs();
        long aggrNs = aggrUs * 1000;
        long mapAddrEnd = addrStart + addrUnit * cols;
        RecordedSnapshot last = null;
        for (RecordedSnapshot s : snapshots) {
            for (RegionSnapshot g : s.regions()) {
                if (g.end() < addrStart || mapAddrEnd < g.start()) {
                    continue;
                }
                long observeStart = s.startNanos() - (aggrUs > 0 ? g.age() * aggrNs : 0);
                long rangeStart = observeStart;
                if (last != null && rangeStart < last.endNanos()) {
                    rangeStart = last.endNanos();
                }
                long p0 = index(rangeStart, timeStartNs, timeUnit);
                long p1 = index(s.endNanos(), timeStartNs, timeUnit);
                double heatVal = aggrUs > 0 ? g.nrAccesses() / (aggrUs / 1_000_000.0) : g.nrAccesses();
                for (long pi = p0; pi <= p1; pi++) {
                    if (pi < 0 || pi >= rows) {
                        continue;
                    }
                    long pixelTime = timeStartNs + pi * timeUnit;
                    long q0 = index(g.start(), addrStart, addrUnit);
                    long q1 = index(g.end(), addrStart, addrUnit);
                    for (long pj = q0; pj <= q1; pj++) {
                        if (pj < 0 || pj >= cols) {
                            continue;
                        }
                        long pixelAddr = addrStart + pj * addrUnit;
                        long accTime = Math.min(s.endNanos(), pixelTime + timeUnit) - Math.max(observeStart, pixelTime);
                        long accSize = Math.min(g.end(), pixelAddr + addrUnit) - Math.max(g.start(), pixelAddr);
                        double h = heatVal * accTime * accSize;
                        int i = (int) pi;
                        int j = (int) pj;
                        h += heat[i][j] * pixelTimeSpace;
                        heat[i][j] = h / pixelTimeSpace;
                        touched[i][j] = true;
                    }
                }
            }
            last = s;
        }
        StringBuilder sb = new StringBuilder(rows * cols * 32);
        for (int i = 0; i < rows; i++) {
            long time = timeStartNs + i * timeUnit - (absTime ? 0 : timeStartNs);
            for (int j = 0; j < cols; j++) {
                long addr = addrStart + j * addrUnit - (absAddr ? 0 : addrStart);
                sb.append(time).append('\t').append(Long.toUnsignedString(addr)).append('\t')
                        .append(touched[i][j] ? python(heat[i][j]) : "NaN").append('\n');
            }
        }
        return sb.toString();
    }

    /** damo's {@code int((t - start) / unit)}: a true division, truncated toward zero. */
    private static long index(long value, long start, long unit) {
        return (long) ((double) (value - start) / unit);
    }

    /** @return the double as Python's {@code str()} prints it: the shortest digits that read back the same */
    static String python(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        BigDecimal bd = null;
        for (int p = 1; p <= 17; p++) {
            String s = String.format(Locale.ROOT, "%." + (p - 1) + "e", d);
            if (Double.parseDouble(s) == d) {
                bd = new BigDecimal(s);
                break;
            }
        }
        bd = bd.stripTrailingZeros();
        int exp = bd.precision() - bd.scale() - 1;
        if (exp < -4 || exp >= 16) {
            String digits = bd.unscaledValue().abs().toString();
            String mantissa = digits.substring(0, 1) + (digits.length() > 1 ? "." + digits.substring(1) : "");
            return (d < 0 ? "-" : "") + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "")
                    + Math.abs(exp);
        }
        String plain = bd.toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    /** @return damo's default time range: from the first snapshot's oldest observation (its ages) to the last's end */
    static long[] guideTimes(TargetRecord r, List<RecordedSnapshot> s) {
        return guideTimes(r, s.get(0), s.get(s.size() - 1).endNanos());
    }

    /** As {@link #guideTimes(TargetRecord, List)}, from the record's first snapshot and its last end. */
    static long[] guideTimes(TargetRecord r, RecordedSnapshot first, long lastEndNanos) {
        int maxAge = 0;
        for (RegionSnapshot g : first.regions()) {
            maxAge = Math.max(maxAge, g.age());
        }
        long start = first.startNanos() - (r.aggregationIntervalUs() > 0 ? maxAge * r.aggregationIntervalUs() * 1000
                : 0);
        return new long[] {start, lastEndNanos};
    }
}
