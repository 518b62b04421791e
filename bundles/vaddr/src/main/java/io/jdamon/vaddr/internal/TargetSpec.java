package io.jdamon.vaddr.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.jdamon.api.InvalidTargetException;
import io.jdamon.units.UnitFormat;
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
        List<long[]> ranges = new ArrayList<>();
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
                case "range" -> ranges.add(parseRange(spec, value));
                default -> throw new InvalidTargetException(spec, "vaddr target '" + spec + "': unknown key '"
                        + key + "'; the keys are pid, sensor and range (" + SYNTAX + ")");
            }
        }
        if (pid == null) {
            throw new InvalidTargetException(spec, "vaddr target '" + spec + "' names no process; write " + SYNTAX);
        }
        ranges.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
        long[] flat = new long[2 * ranges.size()];
        for (int i = 0; i < ranges.size(); i++) {
            if (i > 0 && Long.compareUnsigned(ranges.get(i)[0], flat[2 * i - 1]) < 0) {
                throw new InvalidTargetException(spec, "vaddr target '" + spec + "': range "
                        + UnitFormat.address(ranges.get(i)[0]) + "-" + UnitFormat.address(ranges.get(i)[1])
                        + " overlaps " + UnitFormat.address(flat[2 * i - 2]) + "-"
                        + UnitFormat.address(flat[2 * i - 1]) + "; give ranges that do not overlap");
            }
            flat[2 * i] = ranges.get(i)[0];
            flat[2 * i + 1] = ranges.get(i)[1];
        }
        return new TargetSpec(pid, sensor, flat);
    }

    /** @return {@code [start, end]} of {@code START-END}, addresses as {@link UnitParser#address} reads them */
    private static long[] parseRange(String spec, String value) {
        String[] ends = value.split("-", -1);
        if (ends.length != 2) {
            throw new InvalidTargetException(spec, "vaddr target '" + spec + "': range '" + value
                    + "' is not START-END; write e.g. range=0x7f0000000000-0x7f0010000000");
        }
        long start;
        long end;
        try {
            start = UnitParser.address(ends[0]);
            end = UnitParser.address(ends[1]);
        } catch (IllegalArgumentException e) {
            throw new InvalidTargetException(spec, "vaddr target '" + spec + "': range '" + value + "': "
                    + e.getMessage());
        }
        if (Long.compareUnsigned(start, end) >= 0) {
            throw new InvalidTargetException(spec, "vaddr target '" + spec + "': range '" + value
                    + "' does not start below its end; write range=START-END with START < END");
        }
        return new long[] {start, end};
    }

    /** @return whether the target has fixed address ranges instead of following its mappings */
    boolean fixedRanges() {
        return ranges.length > 0;
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
