package io.jdamon.vaddr.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.jdamon.api.InvalidTargetException;
import io.jdamon.units.UnitParser;

/**
 * A vaddr target as the user writes it: {@code pid=N}, then optionally
 * {@code ,sensor=NAME}, where NAME is {@code auto} (the default: the
 * best available non-intrusive sensor) or a sensor name such as
 * {@code page-idle}, {@code referenced}, {@code uffd-write} or
 * {@code pageout-probe}, and {@code ,range=START-END} once per fixed address
 * range (damo's {@code -r}: only those are monitored, whatever the mappings).
 * {@code pid=self} names the JVM jdamon runs in.
 *
 * @param pid the process ID, positive
 * @param sensor the sensor name, {@link #AUTO} if not given
 * @param ranges the fixed ranges {@code [start0, end0, ...]}, sorted and not overlapping; empty to
 *     follow the mappings (DAMON's three regions)
 */
record TargetSpec(int pid, String sensor, long[] ranges) {

    static final String AUTO = "auto";
    static final String SYNTAX = "pid=N[,sensor=auto|page-idle|referenced|uffd-write|pageout-probe]"
            + "[,range=START-END]...";

    static TargetSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new InvalidTargetException(String.valueOf(spec), "empty vaddr target; write " + SYNTAX);
        }
        Integer pid = null;
        String sensor = AUTO;
        List<String> ranges = new ArrayList<>();
        for (String part : spec.trim().split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new InvalidTargetException(spec, "vaddr target '" + spec + "': '" + part.trim()
                        + "' is not key=value; write " + SYNTAX);
            }
            String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = part.substring(eq + 1).trim();
            switch (key) {
                case "pid" -> pid = parsePid(spec, value);
                case "sensor" -> {
                    if (value.isEmpty()) {
                        throw new InvalidTargetException(spec, "vaddr target '" + spec
                                + "': sensor is empty; write sensor=auto or a name listed by 'jdamon sensors'");
                    }
                    sensor = value.toLowerCase(Locale.ROOT);
                }
                case "range" -> ranges.add(value);
                default -> throw new InvalidTargetException(spec, "vaddr target '" + spec + "': unknown key '"
                        + key + "'; the keys are pid, sensor and range (" + SYNTAX + ")");
            }
        }
        if (pid == null) {
            throw new InvalidTargetException(spec, "vaddr target '" + spec + "' names no process; write " + SYNTAX);
        }
        try {
            return new TargetSpec(pid, sensor, UnitParser.addressRanges(ranges));
        } catch (IllegalArgumentException e) {
            throw new InvalidTargetException(spec, "vaddr target '" + spec + "': range " + e.getMessage());
        }
    }

    private static int parsePid(String spec, String value) {
        if (value.equals("self")) {
            return (int) ProcessHandle.current().pid();
        }
        try {
            int pid = Integer.parseInt(value);
            if (pid > 0) {
                return pid;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new InvalidTargetException(spec, "vaddr target '" + spec + "': pid '" + value
                + "' is not a process ID; give a positive number (see 'ps -e') or 'self'");
    }

    boolean autoSensor() {
        return sensor.equals(AUTO);
    }
}
