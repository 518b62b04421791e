package io.jdamon.units;

import java.util.Locale;

/**
 * Formats sizes, times and addresses for people, as damo prints them: three
 * decimals and a binary unit for sizes ({@code 10.000 MiB}), the largest
 * fitting unit for times ({@code 1.500 s}), {@code 0x} hex for addresses.
 * The output of {@link #bytes} and {@link #nanos} parses back with
 * {@link UnitParser}.
 */
public final class UnitFormat {

    private UnitFormat() {
    }

    private static final String[] SIZE_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    /**
     * @param bytes a size in bytes
     * @return e.g. {@code 512 B}, {@code 4.000 KiB}, {@code 10.000 MiB}
     *     (a unit is used from one of it: 1024 B is {@code 1.000 KiB})
     */
    public static String bytes(double bytes) {
        int u = 0;
        double v = bytes;
        while (Math.abs(v) >= 1024 && u < SIZE_UNITS.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%d B", (long) v)
                : String.format(Locale.ROOT, "%.3f %s", v, SIZE_UNITS[u]);
    }

    /**
     * @param ns a time in nanoseconds
     * @return e.g. {@code 850 ns}, {@code 12.500 us}, {@code 100 ms},
     *     {@code 1.500 s}, {@code 2 m 3.000 s}
     */
    public static String nanos(double ns) {
        double a = Math.abs(ns);
        if (a < 1_000) {
            return String.format(Locale.ROOT, "%d ns", (long) ns);
        }
        if (a < 1_000_000) {
            return trim(ns / 1e3) + " us";
        }
        if (a < 1_000_000_000) {
            return trim(ns / 1e6) + " ms";
        }
        if (a < 60e9) {
            return trim(ns / 1e9) + " s";
        }
        long minutes = (long) (ns / 60e9);
        return minutes + " m " + trim((ns - minutes * 60e9) / 1e9) + " s";
    }

    /**
     * @param us a time in microseconds
     * @return as {@link #nanos}
     */
    public static String micros(double us) {
        return nanos(us * 1000.0);
    }

    /** @return the address as {@code 0x...}, lower-case hex, unsigned */
    public static String address(long a) {
        return "0x" + Long.toHexString(a);
    }

    /** @return the number with thousands separators, e.g. {@code 4,294,967,296}, as damo prints counts */
    public static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String trim(double v) {
        if (v == Math.rint(v)) {
            return String.valueOf((long) v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
