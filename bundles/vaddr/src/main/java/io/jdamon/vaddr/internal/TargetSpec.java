package io.jdamon.vaddr.internal;

import java.util.Locale;

import io.jdamon.api.InvalidTargetException;

/**
 * A vaddr target as the user writes it: {@code pid=N} or
 * {@code pid=N,sensor=NAME}, where NAME is {@code auto} (the default: the
 * best available non-intrusive sensor) or a sensor name such as
 * {@code page-idle}, {@code referenced}, {@code uffd-write} or
 * {@code pageout-probe}.
 * {@code pid=self} names the JVM jdamon runs in.
 *
 * @param pid the process ID, positive
 * @param sensor the sensor name, {@link #AUTO} if not given
 */
record TargetSpec(int pid, String sensor) {

    static final String AUTO = "auto";
    static final String SYNTAX = "pid=N[,sensor=auto|page-idle|referenced|uffd-write|pageout-probe]";

    static TargetSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new InvalidTargetException(String.valueOf(spec), "empty vaddr target; write " + SYNTAX);
        }
        Integer pid = null;
        String sensor = AUTO;
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
                default -> throw new InvalidTargetException(spec, "vaddr target '" + spec + "': unknown key '"
                        + key + "'; the keys are pid and sensor (" + SYNTAX + ")");
            }
        }
        if (pid == null) {
            throw new InvalidTargetException(spec, "vaddr target '" + spec + "' names no process; write " + SYNTAX);
        }
        return new TargetSpec(pid, sensor);
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
