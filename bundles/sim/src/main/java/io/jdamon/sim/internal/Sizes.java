package io.jdamon.sim.internal;

import java.util.Locale;

/** Byte sizes as people write them: binary units, as masim counts (1 MB = 1024 * 1024 bytes). */
final class Sizes {

    /** The page size the simulated accessed bits track, in bytes. */
    static final long PAGE = 4096;
    static final int PAGE_SHIFT = 12;

    static final long KIB = 1L << 10;
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;
    static final long TIB = 1L << 40;

    private Sizes() {
    }

    /**
     * Parses {@code 10485760}, {@code 10M}, {@code 10MB}, {@code 10MiB},
     * {@code 64GiB}, {@code 1T}... Every unit is binary; the unit is case-insensitive.
     *
     * @return the size in bytes
     * @throws IllegalArgumentException with a message that says what is accepted
     */
    static long parse(String text) {
        String s = text.trim();
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a size; write a whole number of bytes,"
                    + " optionally with a binary unit: K, M, G, T (or KiB, MiB, GiB, TiB)");
        }
        long number;
        try {
            number = Long.parseLong(s.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large a number");
        }
        String unit = s.substring(i).trim().toLowerCase(Locale.ROOT);
        long factor = switch (unit) {
            case "", "b" -> 1;
            case "k", "kb", "kib" -> KIB;
            case "m", "mb", "mib" -> MIB;
            case "g", "gb", "gib" -> GIB;
            case "t", "tb", "tib" -> TIB;
            default -> throw new IllegalArgumentException("'" + text + "' has an unknown unit '" + s.substring(i).trim()
                    + "'; use K, M, G or T (or KiB, MiB, GiB, TiB)");
        };
        try {
            return Math.multiplyExact(number, factor);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too large a size");
        }
    }

    static long roundUpToPage(long bytes) {
        return (bytes + PAGE - 1) & -PAGE;
    }

    /** @return e.g. {@code 10 MiB}, {@code 1.5 GiB}, {@code 4096 B} */
    static String format(long bytes) {
        if (bytes >= TIB) {
            return unit(bytes, TIB, "TiB");
        } else if (bytes >= GIB) {
            return unit(bytes, GIB, "GiB");
        } else if (bytes >= MIB) {
            return unit(bytes, MIB, "MiB");
        } else if (bytes >= KIB) {
            return unit(bytes, KIB, "KiB");
        }
        return bytes + " B";
    }

    private static String unit(long bytes, long factor, String name) {
        if (bytes % factor == 0) {
            return bytes / factor + " " + name;
        }
        return String.format(Locale.ROOT, "%.1f %s", (double) bytes / factor, name);
    }
}
