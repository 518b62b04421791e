package io.jdamon.vaddr;

import java.util.Objects;

/**
 * What a {@link Sensor} is, as opposed to what it does: its name, what it
 * sees, how finely, whether it disturbs the target, how {@code sensor=auto}
 * ranks it, and one sentence on how it works. Fixed for the sensor's life;
 * every run's description is made from it, so results are never presented as
 * more than they are.
 *
 * @param name what users write after {@code sensor=} in a target, e.g. {@code page-idle}
 * @param seesReads true if a read of the sampled memory counts as an access
 * @param seesWrites true if a write of the sampled memory counts as an access
 * @param granularity how finely it tells accessed from idle memory
 * @param intrusive true if sampling changes the target's behaviour (e.g.
 *     evicts its pages); such a sensor is used only when named, never by
 *     {@code sensor=auto}
 * @param rank the preference of {@code sensor=auto} among available sensors; higher wins
 * @param description one sentence on how it works and what it costs
 */
public record SensorTraits(String name, boolean seesReads, boolean seesWrites, Granularity granularity,
        boolean intrusive, int rank, String description) {

    /**
     * @throws IllegalArgumentException if the name is blank or holds a
     *     character a target cannot carry ({@code ,} {@code =} or white space),
     *     or the sensor sees nothing
     */
    public SensorTraits {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(granularity, "granularity");
        Objects.requireNonNull(description, "description");
        if (name.isBlank() || name.chars().anyMatch(c -> c == ',' || c == '=' || Character.isWhitespace(c))) {
            throw new IllegalArgumentException("sensor name '" + name + "' must be a non-empty word without"
                    + " ',', '=' or spaces: users write it as sensor=NAME in a target");
        }
        if (!seesReads && !seesWrites) {
            throw new IllegalArgumentException("sensor " + name + " sees neither reads nor writes");
        }
    }

    /** @return a non-intrusive sensor's traits */
    public static SensorTraits of(String name, boolean seesReads, boolean seesWrites, Granularity granularity,
            int rank, String description) {
        return new SensorTraits(name, seesReads, seesWrites, granularity, false, rank, description);
    }

    /** @return the same traits, marked intrusive (opt-in only) */
    public SensorTraits asIntrusive() {
        return new SensorTraits(name, seesReads, seesWrites, granularity, true, rank, description);
    }

    /** @return what it sees as output shows it: {@code reads,writes}, {@code writes} or {@code reads} */
    public String sees() {
        if (seesReads && seesWrites) {
            return "reads,writes";
        }
        return seesWrites ? "writes" : "reads";
    }
}
