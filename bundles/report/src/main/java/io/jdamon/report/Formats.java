package io.jdamon.report;

import io.jdamon.units.UnitFormat;

/**
 * Human-readable sizes and times, as damo prints them.
 *
 * @deprecated use {@link UnitFormat}, the one formatter of every jdamon command
 */
@Deprecated
public final class Formats {

    private Formats() {
    }

    /** @return as {@link UnitFormat#bytes} */
    public static String bytes(double bytes) {
        return UnitFormat.bytes(bytes);
    }

    /** @return as {@link UnitFormat#nanos} */
    public static String nanos(double ns) {
        return UnitFormat.nanos(ns);
    }

    /** @return as {@link UnitFormat#address} */
    public static String address(long a) {
        return UnitFormat.address(a);
    }
}
