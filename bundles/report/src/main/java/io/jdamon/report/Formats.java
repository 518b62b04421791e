package io.jdamon.report;

import java.util.Locale;

/** Human-readable sizes and times, as damo prints them. */
public final class Formats {

    private Formats() {
    }

    /** @return e.g. {@code 4.000 KiB}, {@code 10.000 MiB}, {@code 512 B} */
    public static String bytes(double bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        int u = 0;
        double v = bytes;
        while (Math.abs(v) >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%d B", (long) v) : String.format(Locale.ROOT, "%.3f %s", v, units[u]);
    }

    /** @return e.g. {@code 850 ns}, {@code 12.500 us}, {@code 100 ms}, {@code 1.500 s}, {@code 2 m 3.000 s} */
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

    /** @return the address as {@code 0x...} */
    public static String address(long a) {
        return "0x" + Long.toHexString(a);
    }

    private static String trim(double v) {
        if (v == Math.rint(v)) {
            return String.valueOf((long) v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
