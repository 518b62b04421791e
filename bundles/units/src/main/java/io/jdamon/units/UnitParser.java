package io.jdamon.units;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Parses times, sizes and addresses the way damo accepts them, so that one
 * spelling works in every jdamon command.
 *
 * <ul>
 * <li>Numbers may carry thousands separators ({@code 4,294,967,296}) and a
 * fraction ({@code 1.5}).</li>
 * <li>Times take {@code ns}, {@code us}, {@code ms}, {@code s}, {@code m},
 * {@code h} or {@code d}, with or without a space ({@code 100 ms}), also
 * several in a row ({@code 1 m 30 s}); a bare number is in the unit the
 * caller names (damo: microseconds for intervals, nanoseconds for report
 * times).</li>
 * <li>Sizes take {@code B}, and {@code K}/{@code KB}/{@code KiB} up to
 * {@code E}/{@code EB}/{@code EiB}, all binary (1 KB = 1024 B, as damo);
 * a bare number is bytes.</li>
 * <li>Addresses are {@code 0x} hex, or anything a size is ({@code 4GiB},
 * {@code 4,294,967,296}).</li>
 * </ul>
 *
 * <p>Every method throws {@link IllegalArgumentException} whose message says
 * what the text is not and shows a form that works, e.g.
 * {@code 'soon' is not a time; write e.g. 1500ms, 2s or 250000ns}; callers put
 * the option's name in front.
 */
public final class UnitParser {

    private UnitParser() {
    }

    private static final String[] TIME_UNITS = {"ns", "us", "ms", "s", "m", "h", "d"};
    private static final long[] TIME_UNIT_NANOS = {1L, 1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L,
            3_600_000_000_000L, 86_400_000_000_000L};

    private static final String[] SIZE_UNITS = {"b", "k", "m", "g", "t", "p", "e"};

    /**
     * Parses a time.
     *
     * @param text e.g. {@code 5ms}, {@code 1.5 s}, {@code 1 m 30 s}, {@code 250000}
     * @param bareUnit the unit of a number without one: {@code "ns"}, {@code "us"}, ... {@code "d"}
     * @return the time in nanoseconds, at least 0
     * @throws IllegalArgumentException if the text is not a time, is negative or does not fit a long
     */
    public static long timeNanos(String text, String bareUnit) {
        return toLong(time(text, bareUnit), timeProblem(text, bareUnit));
    }

    /**
     * Parses a time, as {@link #timeNanos} does, in microseconds; times up to
     * {@link Long#MAX_VALUE} microseconds (about 292,000 years) fit.
     *
     * @param bareUnit the unit of a number without one, e.g. {@code "us"} as damo's intervals
     * @return the time in microseconds, rounded to the nearest
     */
    public static long timeMicros(String text, String bareUnit) {
        return toLong(time(text, bareUnit).movePointLeft(3), timeProblem(text, bareUnit));
    }

    private static String timeProblem(String text, String bareUnit) {
        String example = "ns".equals(bareUnit) ? "1500ms, 2s or 250000ns" : "5ms, 2s or 100us";
        return "'" + text + "' is not a time; write e.g. " + example + " (a bare number is " + bareUnit + ")";
    }

    /** @return the time in nanoseconds, exactly */
    private static BigDecimal time(String text, String bareUnit) {
        long bareFactor = timeFactor(bareUnit);
        if (bareFactor < 0) {
            throw new IllegalArgumentException("unknown time unit '" + bareUnit + "'");
        }
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        String problem = timeProblem(text, bareUnit);
        if (t.isEmpty()) {
            throw new IllegalArgumentException(problem);
        }
        BigDecimal total = BigDecimal.ZERO;
        int i = 0;
        boolean any = false;
        while (i < t.length()) {
            while (i < t.length() && t.charAt(i) == ' ') {
                i++;
            }
            if (i >= t.length()) {
                break;
            }
            int numStart = i;
            while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.' || t.charAt(i) == ',')) {
                i++;
            }
            String number = t.substring(numStart, i);
            while (i < t.length() && t.charAt(i) == ' ') {
                i++;
            }
            int unitStart = i;
            while (i < t.length() && Character.isLetter(t.charAt(i))) {
                i++;
            }
            String unit = t.substring(unitStart, i);
            BigDecimal value = number(number);
            long factor = unit.isEmpty() ? bareFactor : timeFactor(unit);
            if (value == null || factor < 0 || unit.isEmpty() && any) {
                throw new IllegalArgumentException(problem);
            }
            total = total.add(value.multiply(BigDecimal.valueOf(factor)));
            any = true;
        }
        if (total.signum() < 0) {
            throw new IllegalArgumentException(problem);
        }
        return total;
    }

    /**
     * Parses a size.
     *
     * @param text e.g. {@code 4096}, {@code 4 KiB}, {@code 10M}, {@code 1.5GB}, {@code 4,294,967,296}
     * @return the size in bytes, at least 0
     * @throws IllegalArgumentException if the text is not a size or does not fit a long
     */
    public static long sizeBytes(String text) {
        String problem = "'" + text + "' is not a size; write bytes or a number with a unit, e.g. 4096, 4KiB, "
                + "10M or 1.5GiB";
        String t = text == null ? "" : text.trim();
        int i = 0;
        while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.' || t.charAt(i) == ',')) {
            i++;
        }
        BigDecimal value = number(t.substring(0, i));
        String unit = t.substring(i).trim().toLowerCase(Locale.ROOT);
        long factor = sizeFactor(unit);
        if (value == null || factor < 0) {
            throw new IllegalArgumentException(problem);
        }
        return toLong(value.multiply(BigDecimal.valueOf(factor)), problem);
    }

    /**
     * Parses an address.
     *
     * @param text {@code 0x} hex ({@code 0x7f0000000000}), decimal with or
     *     without separators ({@code 4,294,967,296}), or a size ({@code 4GiB})
     * @return the address; hex up to {@code 0xffffffffffffffff} (as unsigned)
     * @throws IllegalArgumentException if the text is none of these
     */
    public static long address(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("0x")) {
            try {
                return Long.parseUnsignedLong(t.substring(2).replace(",", ""), 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not an address; write 0x hex (0x7f0000000000), "
                        + "decimal (4,294,967,296) or a size (4GiB)");
            }
        }
        try {
            return sizeBytes(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not an address; write 0x hex (0x7f0000000000), "
                    + "decimal (4,294,967,296) or a size (4GiB)");
        }
    }

    /**
     * Parses address ranges {@code START-END} (damo's {@code -r}), each address as {@link #address}
     * reads it.
     *
     * @param ranges one range each, e.g. {@code 0x7f0000000000-0x7f0010000000} or {@code 4GiB-8GiB}
     * @return {@code [start0, end0, start1, end1, ...]}, sorted by start (unsigned)
     * @since 1.1
     * @throws IllegalArgumentException naming the range: not {@code START-END}, an address that is not
     *     one, a start not below its end, or two ranges that overlap
     */
    public static long[] addressRanges(java.util.Collection<String> ranges) {
        java.util.List<long[]> parsed = new java.util.ArrayList<>();
        for (String range : ranges) {
            String[] ends = range.trim().split("-", -1);
            if (ends.length != 2) {
                throw new IllegalArgumentException("'" + range + "' is not START-END; write e.g."
                        + " 0x7f0000000000-0x7f0010000000");
            }
            long start;
            long end;
            try {
                start = address(ends[0]);
                end = address(ends[1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + range + "': " + e.getMessage());
            }
            if (Long.compareUnsigned(start, end) >= 0) {
                throw new IllegalArgumentException("'" + range + "': the start is not below the end; write"
                        + " START-END with START < END");
            }
            parsed.add(new long[] {start, end});
        }
        parsed.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
        long[] flat = new long[2 * parsed.size()];
        for (int i = 0; i < parsed.size(); i++) {
            long[] r = parsed.get(i);
            if (i > 0 && Long.compareUnsigned(r[0], flat[2 * i - 1]) < 0) {
                throw new IllegalArgumentException(UnitFormat.address(r[0]) + "-" + UnitFormat.address(r[1])
                        + " overlaps " + UnitFormat.address(flat[2 * i - 2]) + "-" + UnitFormat.address(flat[2 * i - 1])
                        + "; give ranges that do not overlap");
            }
            flat[2 * i] = r[0];
            flat[2 * i + 1] = r[1];
        }
        return flat;
    }

    /**
     * Parses a whole number, with or without thousands separators.
     *
     * @return the number
     * @throws IllegalArgumentException naming the text: {@code 'x' is not a whole number}
     */
    public static long wholeNumber(String text) {
        String t = text == null ? "" : text.trim();
        boolean negative = t.startsWith("-");
        String digits = (negative ? t.substring(1) : t).replace(",", "");
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)
                || !separatorsInPlace(negative ? t.substring(1) : t)) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number");
        }
        try {
            return Long.parseLong((negative ? "-" : "") + digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large a number");
        }
    }

    private static long timeFactor(String unit) {
        for (int i = 0; i < TIME_UNITS.length; i++) {
            if (TIME_UNITS[i].equals(unit)) {
                return TIME_UNIT_NANOS[i];
            }
        }
        return switch (unit) {
            case "sec", "secs" -> 1_000_000_000L;
            case "min", "mins" -> 60_000_000_000L;
            default -> -1;
        };
    }

    private static long sizeFactor(String unit) {
        if (unit.isEmpty()) {
            return 1;
        }
        String u = unit;
        if (u.length() == 3 && u.endsWith("ib")) {
            u = u.substring(0, 1);
        } else if (u.length() == 2 && u.endsWith("b")) {
            u = u.substring(0, 1);
        }
        for (int i = 0; i < SIZE_UNITS.length; i++) {
            if (SIZE_UNITS[i].equals(u)) {
                return 1L << (10 * i);
            }
        }
        return -1;
    }

    /** @return the number, or null if it is not one (commas only between groups of three digits) */
    private static BigDecimal number(String s) {
        if (s.isEmpty() || !separatorsInPlace(s)) {
            return null;
        }
        try {
            return new BigDecimal(s.replace(",", ""));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean separatorsInPlace(String s) {
        int dot = s.indexOf('.');
        String whole = dot < 0 ? s : s.substring(0, dot);
        if (dot >= 0 && s.indexOf(',', dot) >= 0) {
            return false;
        }
        if (whole.indexOf(',') < 0) {
            return true;
        }
        String[] groups = whole.split(",", -1);
        if (groups[0].isEmpty() || groups[0].length() > 3) {
            return false;
        }
        for (int i = 1; i < groups.length; i++) {
            if (groups[i].length() != 3) {
                return false;
            }
        }
        return true;
    }

    private static long toLong(BigDecimal v, String problem) {
        if (v.signum() < 0) {
            throw new IllegalArgumentException(problem);
        }
        try {
            return v.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(problem.substring(0, problem.indexOf(" is not")) + " is too large");
        }
    }
}
