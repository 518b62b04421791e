package io.jdamon.vaddr;

/** How finely a {@link Sensor} tells accessed memory from idle memory. */
public enum Granularity {
    /** Each page (4 KiB) on its own: the sampling address's page. */
    PAGE,
    /**
     * A whole mapping (a VMA, one line of {@code /proc/PID/maps}): every
     * address of a mapping gets the same answer, so results inside one
     * mapping are estimates, not page-level observations.
     */
    MAPPING;

    /** @return the lower-case name used in output, {@code page} or {@code mapping} */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
