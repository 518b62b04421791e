package io.jdamon.shell.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.jdamon.api.InvalidAttributesException;
import io.jdamon.api.MonitoringAttributes;

/**
 * The arguments of {@code jdamon record}, checked. Flags follow damo's
 * {@code record}: {@code -s/--sample}, {@code -a/--aggr}, {@code -u/--update}
 * intervals with units, {@code --regions MIN,MAX}, {@code -o/--out}.
 *
 * @param primitive the primitive's name, e.g. {@code sim} or {@code vaddr}
 * @param targets the targets in the primitive's syntax; empty when {@link #command} is given
 *     (the target is then the started process)
 * @param command the command to start and monitor ({@code -- cmd args}); empty if none
 * @param sensor the vaddr access sensor asked for with {@code --sensor} (already in {@link #targets}
 *     for {@code --pid}; the started command's target gets it too), or null for the primitive's choice
 * @param out the record file, as given (relative to the working directory)
 * @param durationUs how long to record, in microseconds; 0 = until the target ends or Ctrl-C
 * @param attributes the context's intervals and region limits
 * @param help whether {@code --help} was asked
 */
public record RecordOptions(String primitive, List<String> targets, List<String> command, String sensor,
        String out, long durationUs, MonitoringAttributes attributes, boolean help) {

    /** The workload recorded when no target is named. */
    public static final String DEFAULT_SIM_TARGET = "stairs_30secs";
    /** damo's default update interval for {@code record}: 1 s. */
    public static final long DEFAULT_UPDATE_INTERVAL_US = 1_000_000;
    /** The sensor that sees only processes started with jdamon's userfaultfd preload shim. */
    public static final String UFFD_WRITE_SENSOR = "uffd-write";
    /** The longest time a TIME option takes: 1,000,000,000 hours (about 114,000 years), in microseconds. */
    public static final long MAX_TIME_US = 1_000_000_000L * 3_600_000_000L;

    public static final String USAGE = """
            usage: jdamon record [options] [--sim WORKLOAD | --pid N | --primitive NAME --target SPEC... | -- CMD ARGS...]

            Monitors one target and records every aggregation to a file in damo's JSON record format.
            Stops at --duration, when the target ends (the workload finishes, the process exits), or on Ctrl-C.

            targets (one of; default: --sim stairs_30secs):
              --sim WORKLOAD          a built-in simulated workload: stairs, zigzag, stairs_30secs, zigzag_30secs,
                                      file=PATH (a masim config); prefix virtual: to compute accesses instead of
                                      touching memory; option ,size=1GiB scales it
              --pid N                 a running process (vaddr primitive); see 'jdamon sensors --pid N'
              -- CMD ARGS...          start CMD, monitor it, stop when it exits (it is stopped if still
                                      running when recording ends)
              --primitive NAME        any registered primitive, e.g. one dropped into deploy/, with
              --target SPEC           its target syntax; repeat --target for several targets

            vaddr (--pid, -- CMD):
              --sensor NAME           the access sensor: auto (default), page-idle, referenced, uffd-write,
                                      uffd-write+referenced, pageout-probe; see 'jdamon sensors'.
                                      uffd-write (writes only) and uffd-write+referenced need -- CMD:
                                      jdamon starts CMD with its userfaultfd preload shim (needs cc);
                                      with -- CMD auto uses the shim when it can, to combine them

            options:
              -o, --out FILE          the record file (default damon.data)
              -d, --duration TIME     stop after TIME, e.g. 20s, 2m (default: until the target ends or Ctrl-C)
              -s, --sample TIME       sample interval (default 5ms)
              -a, --aggr TIME         aggregation interval (default 100ms)
              -u, --update TIME       update interval: how often target ranges are refreshed (default 1s)
              -r, --regions MIN,MAX   the least and most number of regions (default 10,1000)
              --web [PORT]            watch it live on http://127.0.0.1:PORT/jdamon/ (default 8321; bin/jdamon)
              -h, --help              this help

            TIME is a number with a unit: us, ms, s, m or h (a bare number means microseconds, as in damo).
            example: jdamon record --sim stairs_30secs --duration 10s -o stairs.data
            """;

    /** A wrong argument; the message says which and how to fix it. */
    public static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * Parses the arguments of {@code jdamon record}.
     *
     * @throws UsageException naming the wrong argument and the fix
     */
    public static RecordOptions parse(String... args) {
        String primitive = null;
        String sim = null;
        Integer pid = null;
        List<String> targets = new ArrayList<>();
        List<String> command = new ArrayList<>();
        String sensor = null;
        String out = "damon.data";
        long durationUs = 0;
        long sampleUs = MonitoringAttributes.DEFAULT_SAMPLE_INTERVAL_US;
        long aggrUs = MonitoringAttributes.DEFAULT_AGGREGATION_INTERVAL_US;
        long updateUs = DEFAULT_UPDATE_INTERVAL_US;
        int minRegions = MonitoringAttributes.DEFAULT_MIN_NR_REGIONS;
        int maxRegions = MonitoringAttributes.DEFAULT_MAX_NR_REGIONS;
        boolean help = false;

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                for (int j = i + 1; j < args.length; j++) {
                    command.add(args[j]);
                }
                if (command.isEmpty()) {
                    throw new UsageException("'--' must be followed by the command to start, e.g. -- sleep 5");
                }
                break;
            }
            String flag = arg;
            String inline = null;
            if (arg.startsWith("--") && arg.indexOf('=') > 0) {
                flag = arg.substring(0, arg.indexOf('='));
                inline = arg.substring(arg.indexOf('=') + 1);
            }
            switch (flag) {
                case "-h", "--help" -> {
                    if (inline != null) {
                        throw new UsageException(flag + " takes no value");
                    }
                    help = true;
                }
                case "--sim" -> sim = nonBlank(flag, value(args, i++, flag, inline));
                case "--pid" -> pid = parsePid(value(args, i++, flag, inline));
                case "--sensor" -> sensor = parseSensor(value(args, i++, flag, inline));
                case "--primitive" -> primitive = nonBlank(flag, value(args, i++, flag, inline));
                case "--target" -> targets.add(nonBlank(flag, value(args, i++, flag, inline)));
                case "-o", "--out", "--output" -> out = value(args, i++, flag, inline);
                case "-d", "--duration" -> durationUs = parseTimeUs(flag, value(args, i++, flag, inline));
                case "-s", "--sample" -> sampleUs = parseTimeUs(flag, value(args, i++, flag, inline));
                case "-a", "--aggr" -> aggrUs = parseTimeUs(flag, value(args, i++, flag, inline));
                case "-u", "--update" -> updateUs = parseTimeUs(flag, value(args, i++, flag, inline));
                case "-r", "--regions" -> {
                    int[] r = parseRegions(value(args, i++, flag, inline));
                    minRegions = r[0];
                    maxRegions = r[1];
                }
                default -> {
                    if (arg.isBlank()) {
                        throw new UsageException("an empty argument ('" + arg + "') is neither an option nor a target;"
                                + " remove it (a value such as -o FILE goes right after its option)");
                    }
                    throw new UsageException(arg.startsWith("-") ? "unknown option '" + arg + "'"
                            : "unexpected argument '" + arg + "'; to monitor a command write it after '--', "
                                    + "e.g. jdamon record -- " + arg);
                }
            }
            if (inline != null) {
                i--; // value() was handed i++ but the value was inline: nothing to skip
            }
        }
        if (help) {
            return new RecordOptions("sim", List.of(DEFAULT_SIM_TARGET), List.of(), null, out, durationUs,
                    MonitoringAttributes.DEFAULTS, true);
        }

        int kinds = (sim != null ? 1 : 0) + (pid != null ? 1 : 0) + (command.isEmpty() ? 0 : 1)
                + (primitive != null || !targets.isEmpty() ? 1 : 0);
        if (kinds > 1) {
            throw new UsageException("name one target: --sim, --pid, --primitive with --target, or -- CMD");
        }
        if (primitive != null && targets.isEmpty()) {
            throw new UsageException("--primitive " + primitive + " needs at least one --target SPEC "
                    + "in that primitive's syntax");
        }
        if (primitive == null && !targets.isEmpty()) {
            throw new UsageException("--target needs --primitive NAME (or use --sim or --pid)");
        }
        if (sensor != null && pid == null && command.isEmpty()) {
            throw new UsageException("--sensor chooses how a process is watched: use it with --pid N or -- CMD"
                    + " (for --primitive vaddr, write it in the target: --target pid=N,sensor=" + sensor + ")");
        }
        if (primitive == null) {
            if (pid != null) {
                primitive = "vaddr";
                targets.add(vaddrTarget(pid, sensor));
            } else if (!command.isEmpty()) {
                primitive = "vaddr";
            } else {
                primitive = "sim";
                targets.add(sim != null ? sim.trim() : DEFAULT_SIM_TARGET);
            }
        }
        if (out.isBlank()) {
            throw new UsageException("-o/--out needs a file name, e.g. -o damon.data");
        }
        MonitoringAttributes attributes;
        try {
            attributes = new MonitoringAttributes(sampleUs, aggrUs, updateUs, minRegions, maxRegions);
        } catch (InvalidAttributesException e) {
            throw new UsageException(flagOf(e.field()) + ": " + e.getMessage());
        }
        return new RecordOptions(primitive, List.copyOf(targets), List.copyOf(command), sensor, out, durationUs,
                attributes, false);
    }

    /** @return the vaddr target for a process, with {@code ,sensor=NAME} if a sensor was asked for */
    public static String vaddrTarget(long pid, String sensor) {
        return "pid=" + pid + (sensor == null ? "" : ",sensor=" + sensor);
    }

    /** The sensor that combines uffd-write's page-level writes with referenced's mapping-level reads. */
    public static final String UFFD_REFERENCED_SENSOR = "uffd-write+referenced";

    /**
     * @return true if the started command needs jdamon's userfaultfd preload shim: a sensor with a
     *     uffd-write part was named
     */
    public boolean needsUffdShim() {
        return (UFFD_WRITE_SENSOR.equals(sensor) || UFFD_REFERENCED_SENSOR.equals(sensor)) && !command.isEmpty();
    }

    /**
     * @return true if the started command gets the shim when it can be had: with {@code auto}, so that
     *     auto can combine uffd-write with referenced (without the shim auto picks another sensor)
     */
    public boolean wantsUffdShim() {
        return sensor == null && !command.isEmpty();
    }

    private static String parseSensor(String s) {
        String name = s.trim().toLowerCase(Locale.ROOT);
        if (name.isEmpty() || name.contains(",") || name.contains("=") || name.contains(" ")) {
            throw new UsageException("--sensor '" + s + "' is not a sensor name; write e.g. --sensor referenced"
                    + " ('jdamon sensors' lists them)");
        }
        return name;
    }

    /** @return {@code value} trimmed; refused when blank, naming the flag */
    private static String nonBlank(String flag, String value) {
        String v = value.trim();
        if (v.isEmpty()) {
            throw new UsageException(flag + " needs a value, not an empty one" + example(flag));
        }
        return v;
    }

    private static String flagOf(String field) {
        return switch (field) {
            case "sampleIntervalUs" -> "-s/--sample";
            case "aggregationIntervalUs" -> "-a/--aggr";
            case "updateIntervalUs" -> "-u/--update";
            default -> "-r/--regions";
        };
    }

    private static String value(String[] args, int i, String flag, String inline) {
        if (inline != null) {
            return inline;
        }
        if (i + 1 >= args.length || args[i + 1].equals("--")) {
            throw new UsageException(flag + " needs a value" + example(flag));
        }
        return args[i + 1];
    }

    private static String example(String flag) {
        return switch (flag) {
            case "--sim" -> ", e.g. --sim stairs_30secs";
            case "--pid" -> ", e.g. --pid 1234";
            case "-o", "--out", "--output" -> ", e.g. -o damon.data";
            case "-r", "--regions" -> ", e.g. --regions 10,1000";
            case "--primitive" -> ", e.g. --primitive sim";
            case "--target" -> ", e.g. --target stairs";
            case "--sensor" -> ", e.g. --sensor referenced";
            default -> ", e.g. " + flag + " 100ms";
        };
    }

    private static int parsePid(String s) {
        try {
            int pid = Integer.parseInt(s.trim());
            if (pid > 0) {
                return pid;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException("--pid '" + s + "' is not a process ID; give a positive number, e.g. --pid 1234");
    }

    private static int[] parseRegions(String s) {
        String[] parts = s.split(",");
        if (parts.length != 2) {
            throw new UsageException("--regions '" + s + "' must be MIN,MAX, e.g. --regions 10,1000");
        }
        int[] r = new int[2];
        for (int k = 0; k < 2; k++) {
            String part = parts[k].trim();
            if (part.matches("[0-9]+") && new BigInteger(part).compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
                throw new UsageException("--regions '" + s + "': " + part + " is too large; the most is "
                        + Integer.MAX_VALUE + " (and the cost grows with the number), e.g. --regions 10,1000");
            }
            try {
                r[k] = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new UsageException("--regions '" + s + "': '" + parts[k].trim()
                        + "' is not a whole number; write MIN,MAX, e.g. --regions 10,1000");
            }
        }
        return r;
    }

    /**
     * Parses a time with a unit ({@code us}, {@code ms}, {@code s}, {@code m},
     * {@code h}); a bare number is microseconds, as damo takes them.
     *
     * @return the time in microseconds, positive
     * @throws UsageException if it is not such a time
     */
    public static long parseTimeUs(String flag, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int split = 0;
        while (split < t.length() && (Character.isDigit(t.charAt(split)) || t.charAt(split) == '.')) {
            split++;
        }
        String number = t.substring(0, split);
        String unit = t.substring(split).trim();
        long factor = switch (unit) {
            case "", "us" -> 1L;
            case "ms" -> 1_000L;
            case "s", "sec", "secs" -> 1_000_000L;
            case "m", "min", "mins" -> 60_000_000L;
            case "h" -> 3_600_000_000L;
            default -> -1L;
        };
        if (number.isEmpty() || factor < 0) {
            throw new UsageException(flag + " '" + text + "' is not a time; write a number with a unit "
                    + "(us, ms, s, m, h), e.g. 5ms or 20s");
        }
        double value;
        try {
            value = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " '" + text + "' is not a time; write e.g. 5ms or 20s");
        }
        double us = value * factor;
        if (us > MAX_TIME_US) {
            throw new UsageException(flag + " '" + text + "' is too long; the most is "
                    + MAX_TIME_US / 3_600_000_000L + "h (about 114,000 years)");
        }
        if (us < 1) {
            throw new UsageException(flag + " '" + text + "' is too short; give at least 1us");
        }
        return Math.round(us);
    }

    /** @return a time in microseconds the way people read it: 5ms, 1.5s, 100us */
    public static String formatUs(long us) {
        if (us % 1_000_000 == 0) {
            return us / 1_000_000 + "s";
        }
        if (us >= 1_000_000) {
            return String.format(Locale.ROOT, "%.1fs", us / 1e6);
        }
        if (us % 1_000 == 0) {
            return us / 1_000 + "ms";
        }
        return us + "us";
    }
}
