package io.jdamon.api;

/** How a group of contexts shares the engine with other groups. */
public enum StartMode {
    /**
     * The seed's behaviour: the start fails with {@link EngineBusyException}
     * if any group started by an earlier call still runs, and while this group
     * runs no other group can start.
     */
    EXCLUSIVE,
    /**
     * The group runs beside other shared groups (as configured contexts do);
     * it fails only while an exclusive group runs, and an exclusive start
     * fails while it runs.
     */
    SHARED
}
