package io.jdamon.vaddr;

/**
 * Whether a {@link Sensor} can work on this machine (and for one process).
 *
 * @param available true if the sensor can be used
 * @param reason why not (missing kernel option, permission, kernel version,
 *     and what to do), or a short note on what it needs when available
 */
public record SensorProbe(boolean available, String reason) {

    /** @return an available probe with a note */
    public static SensorProbe available(String note) {
        return new SensorProbe(true, note);
    }

    /** @return an unavailable probe naming the reason and the fix */
    public static SensorProbe unavailable(String reason) {
        return new SensorProbe(false, reason);
    }
}
