package io.jdamon.record.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * The numbers damo writes in record files, as text: plain digits, digits
 * with thousands commas ({@code "1,234"}), times with units
 * ({@code "100 ms"}, {@code "1 s 200 ms"}, {@code "1.500 ms"}), sizes with
 * units ({@code "4.000 KiB"}) and percents ({@code "50 %"}). damo writes
 * them so in regions re-saved by {@code convert_record_format} and
 * {@code adjust} (a region's {@code age.usec} and {@code age.aggr_intervals}).
 */
public final class DamoValues {

    /** What a value measures, which decides the units it may carry. */
    public enum Kind {
        /** a plain count or index */
        COUNT,
        /** a time in nanoseconds */
        TIME_NS,
        /** a time in microseconds */
        TIME_US,
        /** a size in bytes */
        BYTES,
        /** a percent */
        PERCENT
    }

    private DamoValues() {
    }

    /**
     * @return the text's value in the kind's base unit (ns, us, bytes, count,
     *     percent), rounded to whole units, or null if it is not such a value
     */
    public static BigInteger parse(String text, Kind kind) {
        String s = text.replace(",", "").trim();
        if (s.isEmpty()) {
            return null;
        }
        BigDecimal plain = number(s);
        if (plain != null) {
            return whole(plain);
        }
        switch (kind) {
        case TIME_NS:
            return time(s, 1);
        case TIME_US:
            BigInteger ns = time(s, 1);
            return ns == null ? null : new BigDecimal(ns).divide(BigDecimal.valueOf(1000), 0, RoundingMode.HALF_UP)
                    .toBigInteger();
        case BYTES:
            return size(s);
        case PERCENT:
            if (s.endsWith("%")) {
                BigDecimal p = number(s.substring(0, s.length() - 1).trim());
                return p == null ? null : whole(p);
            }
            return null;
        default:
            return null;
        }
    }

    private static BigInteger whole(BigDecimal d) {
        return d.setScale(0, RoundingMode.HALF_UP).toBigInteger();
    }

    private static BigDecimal number(String s) {
        if (!s.matches("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?")) {
            return null;
        }
        return new BigDecimal(s);
    }

    /** "1 h 2 m 3.500 s", "100 ms", "5ms": the sum of number-unit pairs, in ns times {@code scale}. */
    private static BigInteger time(String s, long scale) {
        String[] parts = s.replaceAll("(?<=[0-9.])(?=[a-zA-Z])", " ").trim().split("\\s+");
        if (parts.length % 2 != 0) {
            return null;
        }
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0; i < parts.length; i += 2) {
            BigDecimal n = number(parts[i]);
            long unit = nanos(parts[i + 1]);
            if (n == null || unit == 0) {
                return null;
            }
            total = total.add(n.multiply(BigDecimal.valueOf(unit * scale)));
        }
        return whole(total);
    }

    private static long nanos(String unit) {
        switch (unit) {
        case "ns": return 1L;
        case "us": return 1_000L;
        case "ms": return 1_000_000L;
        case "s": return 1_000_000_000L;
        case "m": return 60_000_000_000L;
        case "h": return 3_600_000_000_000L;
        case "d": return 86_400_000_000_000L;
        default: return 0;
        }
    }

    /** "4.000 KiB", "4KiB", "4 K", "12 B". */
    private static BigInteger size(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([-+]?[0-9.]+)\\s*([KMGTPE]?)(i?B)?")
                .matcher(s);
        if (!m.matches() || (m.group(2).isEmpty() && m.group(3) == null)) {
            return null;
        }
        BigDecimal n = number(m.group(1));
        if (n == null) {
            return null;
        }
        int shift = "BKMGTPE".indexOf(m.group(2).isEmpty() ? "B" : m.group(2).toUpperCase(Locale.ROOT)) * 10;
        return whole(n.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(shift))));
    }
}
