package io.jdamon.sim.internal;

import java.util.Locale;

import io.jdamon.units.UnitParser;

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
     * Parses a size as every jdamon command does ({@link UnitParser#sizeBytes}): {@code 10485760},
     * {@code 10M}, {@code 10MiB}, {@code 1.5GiB}, {@code 4,294,967,296}; every unit is binary.
     *
     * @return the size in bytes
     * @throws IllegalArgumentException with a message that says what is accepted
     */
    static long parse(String text) {
        return UnitParser.sizeBytes(text);
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
