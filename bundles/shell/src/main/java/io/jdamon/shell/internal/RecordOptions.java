package io.jdamon.shell.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

import io.jdamon.api.InvalidAttributesException;
import io.jdamon.api.IntervalsGoal;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.units.UnitFormat;
import io.jdamon.units.UnitParser;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The arguments of {@code jdamon record}, checked. picocli reads them; jdamon's
 * spellings and damo's {@code record} flags are both accepted
 * ({@code -s/-a/-u} or {@code --monitoring_intervals}, {@code -d} or
 * {@code --timeout}, {@code --nr_regions} or {@code --monitoring_nr_regions_range},
 * {@code -r/--regions} address ranges, a positional pid or command,
 * {@code --output_type}); damo flags that have no meaning here are refused
 * naming what to do instead. Times, sizes and addresses go through
 * {@link UnitParser}, as in every jdamon command.
 *
 * @param primitive the primitive's name, e.g. {@code sim} or {@code vaddr}
 * @param targets the targets in the primitive's syntax; empty when {@link #command} is given
 *     (the target is then the started process, see {@link #vaddrTarget(long)})
 * @param command the command to start and monitor ({@code -- cmd args}, or damo's positional
 *     command); empty if none
 * @param sensor the vaddr access sensor asked for with {@code --sensor} (already in {@link #targets}
 *     for {@code --pid}; the started command's target gets it too), or null for the primitive's choice
 * @param ranges the fixed address ranges of {@code -r/--regions}, {@code [start0, end0, ...]}, sorted,
 *     not overlapping; empty to follow the process's mappings
 * @param out the record file, as given (relative to the working directory)
 * @param outputType the finished file's format: {@code json} or {@code json_compressed}
 * @param durationUs how long to record, in microseconds; 0 = until the target ends or Ctrl-C
 * @param attributes the context's intervals and region limits
 * @param help whether {@code --help} was asked
 * @param schemeFlags damo's {@code --damos_*} flags with their values, in the order given, for the
 *     context's {@code schemes} key (read there, so that a file and the command line mean the same); empty
 *     for none
 */
public record RecordOptions(String primitive, List<String> targets, List<String> command, String sensor,
        long[] ranges, String out, String outputType, long durationUs, MonitoringAttributes attributes,
        boolean help, List<String> schemeFlags) {

    /** The workload recorded when no target is named. */
    public static final String DEFAULT_SIM_TARGET = "stairs_30secs";
    /** damo's default update interval for {@code record}: 1 s. */
    public static final long DEFAULT_UPDATE_INTERVAL_US = 1_000_000;
    /** The sensor that sees only processes started with jdamon's userfaultfd preload shim. */
    public static final String UFFD_WRITE_SENSOR = "uffd-write";
    /** The sensor that combines uffd-write's page-level writes with referenced's mapping-level reads. */
    public static final String UFFD_REFERENCED_SENSOR = "uffd-write+referenced";
    /** The longest time a TIME option takes: 1,000,000,000 hours (about 114,000 years), in microseconds. */
    public static final long MAX_TIME_US = 1_000_000_000L * 3_600_000_000L;
    /** The record formats of {@code --output_type}, as damo names them. */
    public static final List<String> OUTPUT_TYPES = List.of("json", "json_compressed");

    public static final String USAGE = """
            usage: jdamon record [options] [--sim WORKLOAD | --pid N | PID | --primitive NAME --target SPEC...
                                            | -- CMD ARGS... | CMD ARGS...]

            Monitors one target and records every aggregation to a file in damo's JSON record format.
            Stops at --duration, when the target ends (the workload finishes, the process exits), or on Ctrl-C.

            targets (one of; default: --sim stairs_30secs):
              --sim WORKLOAD          a built-in simulated workload: stairs, zigzag, stairs_30secs, zigzag_30secs,
                                      file=PATH (a masim config); prefix virtual: to compute accesses instead of
                                      touching memory; option ,size=1GiB scales it
              --pid N, or PID         a running process (vaddr primitive); see 'jdamon sensors --pid N'
              -- CMD ARGS...          start CMD, monitor it, stop when it exits (it is stopped if still
                                      running when recording ends); as in damo the command may also come
                                      without '--' (what follows it is the command's), and one argument
                                      with spaces, "CMD ARGS", is run by /bin/sh
              --primitive NAME        any registered primitive, e.g. one dropped into deploy/, with
              --target SPEC           its target syntax; repeat --target for several targets

            vaddr (--pid, PID, -- CMD):
              --sensor NAME           the access sensor: auto (default), page-idle, referenced, uffd-write,
                                      uffd-write+referenced, pageout-probe; see 'jdamon sensors'.
                                      uffd-write (writes only) and uffd-write+referenced need -- CMD:
                                      jdamon starts CMD with its userfaultfd preload shim (needs cc);
                                      with -- CMD auto uses the shim when it can, to combine them
              -r, --regions "START-END ..."
                                      monitor these address ranges only, fixed, instead of following the
                                      mappings (damo's -r); repeat it or give several in one; addresses in
                                      hex (0x7f0000000000), decimal (4,294,967,296) or sizes (4GiB)

            options:
              -o, --out FILE          the record file (default damon.data)
              --output_type TYPE      json (default; crash-safe while written) or json_compressed (damo's
                                      default, zlib; damo needs it above about 7 MB); see 'report convert'
              -d, --duration TIME     stop after TIME, e.g. 20s, 2m (default: until the target ends or Ctrl-C)
              --timeout SECONDS       the same, in damo's spelling (a bare number is seconds)
              -s, --sample TIME       sample interval (default 5ms)
              -a, --aggr TIME         aggregation interval (default 100ms)
              -u, --update TIME       update interval: how often target ranges are refreshed (default 1s)
              --monitoring_intervals SAMPLE AGGR UPDATE
                                      the three at once, in damo's spelling
              --monitoring_intervals_goal ACCESS_BP AGGRS MIN_SAMPLE MAX_SAMPLE
                                      tune the sample and aggregation intervals every AGGRS aggregations
                                      so that ACCESS_BP of the possible access events are seen (400 or 4%),
                                      the sample interval within [MIN_SAMPLE, MAX_SAMPLE] (Linux 6.15)
              --monitoring_intervals_autotune
                                      the same with DAMON's recommendation: 4% 3 5ms 10s
              --nr_regions MIN,MAX    the least and most number of regions (default 10,1000)
              --monitoring_nr_regions_range MIN MAX
                                      the same, in damo's spelling
              --damos_action ACTION   a DAMOS scheme (stat, or what the primitive applies: sim and vaddr
                                      pageout, willneed, ...); then, in damo's spelling, for it:
                                      --damos_access_rate MIN MAX (%), --damos_sz_region MIN MAX,
                                      --damos_age MIN MAX (us or with units; min/max), --damos_apply_interval US,
                                      --damos_quotas MS [BYTES [RESET_MS [W_SIZE W_FREQ W_AGE]]],
                                      --damos_quota_goal METRIC TARGET [VALUE|NODE],
                                      --damos_wmarks none|free_mem_rate US HIGH MID LOW,
                                      --damos_filter allow|reject [none] TYPE [ARGS] (with several schemes:
                                      --damos_nr_quota_goals / --damos_nr_filters N...)
              --web [PORT]            watch it live on http://127.0.0.1:PORT/jdamon/ (default 8321; bin/jdamon)
              -h, --help              this help

            TIME is a number with a unit: ns, us, ms, s, m, h or d (a bare number means microseconds, as in
            damo; for --timeout seconds).
            example: jdamon record --sim stairs_30secs --duration 10s -o stairs.data
            """;

    /** A wrong argument; the message says which and how to fix it. */
    public static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** What picocli reads: every value as text, checked and converted below with messages of our own. */
    static final class Flags {
        @Option(names = {"-h", "--help"})
        boolean help;
        @Option(names = "--sim")
        String sim;
        @Option(names = "--pid")
        String pid;
        @Option(names = "--sensor")
        String sensor;
        @Option(names = "--primitive")
        String primitive;
        @Option(names = "--target")
        List<String> targets = new ArrayList<>();
        @Option(names = {"-r", "--regions"})
        List<String> regions = new ArrayList<>();
        @Option(names = {"-o", "--out", "--output"})
        String out = "damon.data";
        @Option(names = "--output_type")
        String outputType = "json";
        @Option(names = {"-d", "--duration"})
        String duration;
        @Option(names = "--timeout")
        String timeout;
        @Option(names = {"-s", "--sample"})
        String sample;
        @Option(names = {"-a", "--aggr"})
        String aggr;
        @Option(names = {"-u", "--update"})
        String update;
        @Option(names = "--monitoring_intervals", arity = "3", paramLabel = "SAMPLE AGGR UPDATE")
        List<String> intervals;
        @Option(names = "--monitoring_intervals_goal", arity = "4", paramLabel = "ACCESS_BP AGGRS MIN MAX")
        List<String> intervalsGoal;
        @Option(names = "--monitoring_intervals_autotune")
        boolean autotune;
        @Option(names = "--nr_regions")
        String nrRegions;
        @Option(names = "--monitoring_nr_regions_range", arity = "2", paramLabel = "MIN MAX")
        List<String> nrRegionsRange;
        @Parameters
        List<String> positional = new ArrayList<>();

        // damo's record flags that have no meaning for jdamon: refused, naming what to use instead
        @Option(names = {"-c", "--schemes"}, hidden = true)
        String schemes;
        @Option(names = "--ops", hidden = true)
        String ops;
        @Option(names = "--kdamonds", hidden = true)
        String kdamonds;
        @Option(names = "--output_permission", hidden = true)
        String outputPermission;
        @Option(names = "--output_flush_sec", hidden = true)
        String outputFlushSec;
        @Option(names = "--perf_path", hidden = true)
        String perfPath;
        @Option(names = {"--include_child_tasks", "--exclude_child_tasks"}, hidden = true)
        boolean childTasks;
        @Option(names = "--schemes_target_regions", hidden = true)
        boolean schemesTargetRegions;
        @Option(names = "--snapshot", arity = "2", hidden = true)
        List<String> snapshot;
        @Option(names = "--do_record", arity = "1..*", hidden = true)
        List<String> doRecord;
        @Option(names = "--damon_tracer", hidden = true)
        String damonTracer;
        @Option(names = "--numa_node", hidden = true)
        String numaNode;
    }

    /**
     * Parses the arguments of {@code jdamon record}.
     *
     * @throws UsageException naming the wrong argument and the fix
     */
    public static RecordOptions parse(String... args) {
        int dashDash = Arrays.asList(args).indexOf("--");
        String[] all = dashDash < 0 ? args : Arrays.copyOfRange(args, 0, dashDash);
        // damo's scheme flags take a varying number of values each; they go to the context as they are
        List<String> schemeFlags = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (int i = 0; i < all.length; i++) {
            if (all[i].startsWith("--damos_")) {
                schemeFlags.add(all[i]);
                while (i + 1 < all.length && !all[i + 1].startsWith("-")) {
                    schemeFlags.add(all[++i]);
                }
            } else {
                others.add(all[i]);
            }
        }
        String[] options = others.toArray(String[]::new);
        List<String> command = new ArrayList<>();
        if (dashDash >= 0) {
            command.addAll(Arrays.asList(args).subList(dashDash + 1, args.length));
            if (command.isEmpty()) {
                throw new UsageException("'--' must be followed by the command to start, e.g. -- sleep 5");
            }
        }
        Flags f = new Flags();
        CommandLine cl = new CommandLine(f);
        cl.setOverwrittenOptionsAllowed(true); // the last value wins, as in damo's argparse
        cl.setUnmatchedOptionsArePositionalParams(false);
        cl.setStopAtPositional(true); // damo's positional command: what follows it is the command's
        try {
            cl.parseArgs(options);
        } catch (ParameterException e) {
            throw new UsageException(describe(e, options));
        }
        if (f.help) {
            return new RecordOptions("sim", List.of(DEFAULT_SIM_TARGET), List.of(), null, new long[0], f.out, "json",
                    0, MonitoringAttributes.DEFAULTS, true, List.of());
        }
        refuseDamoOnly(f);

        Integer pid = f.pid == null ? null : parsePid("--pid", f.pid);
        if (!f.positional.isEmpty()) {
            if (!command.isEmpty()) {
                throw new UsageException("unexpected argument '" + f.positional.get(0) + "' before '--'; name the"
                        + " target once: PID, CMD ARGS, or -- CMD ARGS");
            }
            String first = f.positional.get(0);
            if (first.isBlank()) {
                throw new UsageException("an empty argument ('" + first + "') is neither an option nor a target;"
                        + " remove it (a value such as -o FILE goes right after its option)");
            }
            refuseDamoTargetKeyword(first);
            if (f.positional.size() == 1 && first.chars().allMatch(Character::isDigit)) {
                if (pid != null) {
                    throw new UsageException("name one target: --pid " + f.pid + " or " + first);
                }
                pid = parsePid("PID", first);
            } else if (f.positional.size() == 1 && first.trim().contains(" ")) {
                command.addAll(List.of("/bin/sh", "-c", first)); // damo runs such a target with the shell
            } else {
                command.addAll(f.positional);
            }
        }
        String sim = f.sim == null ? null : nonBlank("--sim", f.sim);
        String primitive = f.primitive == null ? null : nonBlank("--primitive", f.primitive);
        List<String> targets = new ArrayList<>();
        for (String t : f.targets) {
            targets.add(nonBlank("--target", t));
        }
        String sensor = f.sensor == null ? null : parseSensor(f.sensor);

        int kinds = (sim != null ? 1 : 0) + (pid != null ? 1 : 0) + (command.isEmpty() ? 0 : 1)
                + (primitive != null || !targets.isEmpty() ? 1 : 0);
        if (kinds > 1) {
            throw new UsageException("name one target: --sim, --pid (or a PID), --primitive with --target, or"
                    + " -- CMD");
        }
        if (primitive != null && targets.isEmpty()) {
            throw new UsageException("--primitive " + primitive + " needs at least one --target SPEC "
                    + "in that primitive's syntax");
        }
        if (primitive == null && !targets.isEmpty()) {
            throw new UsageException("--target needs --primitive NAME (or use --sim or --pid)");
        }
        boolean process = pid != null || !command.isEmpty();
        if (sensor != null && !process) {
            throw new UsageException("--sensor chooses how a process is watched: use it with --pid N or -- CMD"
                    + " (for --primitive vaddr, write it in the target: --target pid=N,sensor=" + sensor + ")");
        }
        long[] ranges = parseRanges(f.regions);
        if (ranges.length > 0 && !process) {
            throw new UsageException(primitive != null
                    ? "-r/--regions sets a process's address ranges: for --primitive " + primitive
                            + " write the ranges in its --target syntax (vaddr: --target pid=N,range=START-END)"
                    : "-r/--regions sets a process's address ranges (--pid N or -- CMD); a sim workload's"
                            + " addresses are its layout: choose what a report shows with --address_range instead");
        }
        String outputType = f.outputType.trim().toLowerCase(Locale.ROOT);
        if (!OUTPUT_TYPES.contains(outputType)) {
            throw new UsageException("--output_type '" + f.outputType + "' is not a record format; write json or"
                    + " json_compressed");
        }
        if (f.out.isBlank()) {
            throw new UsageException("-o/--out needs a file name, e.g. -o damon.data");
        }
        UnaryOperator<String> typed = name -> typedName(cl.getCommandSpec().findOption(name),
                options);
        long durationUs = duration(f, typed);
        MonitoringAttributes attributes = attributes(f, typed);

        RecordOptions o = new RecordOptions(primitive, List.copyOf(targets), List.copyOf(command), sensor, ranges,
                f.out, outputType, durationUs, attributes, false, List.copyOf(schemeFlags));
        if (primitive != null) {
            return o;
        }
        List<String> own = new ArrayList<>();
        String kind = "vaddr";
        if (pid != null) {
            own.add(o.vaddrTarget(pid));
        } else if (command.isEmpty()) {
            kind = "sim";
            own.add(sim != null ? sim : DEFAULT_SIM_TARGET);
        }
        return new RecordOptions(kind, List.copyOf(own), o.command, sensor, ranges, f.out, outputType, durationUs,
                attributes, false, o.schemeFlags);
    }

    /**
     * @return the vaddr target for process {@code pid} with these options: {@code pid=N}, with
     *     {@code ,sensor=NAME} if a sensor was asked for and {@code ,range=START-END} for each fixed range
     */
    public String vaddrTarget(long pid) {
        StringBuilder sb = new StringBuilder("pid=").append(pid);
        if (sensor != null) {
            sb.append(",sensor=").append(sensor);
        }
        for (int i = 0; i + 1 < ranges.length; i += 2) {
            sb.append(",range=").append(UnitFormat.address(ranges[i])).append('-')
                    .append(UnitFormat.address(ranges[i + 1]));
        }
        return sb.toString();
    }

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

    /** @param typed an option's name as the user typed it ({@code -d} or {@code --duration}) */
    private static long duration(Flags f, UnaryOperator<String> typed) {
        if (f.duration != null && f.timeout != null) {
            throw new UsageException("give one of -d/--duration and --timeout (damo's name for it), not both");
        }
        if (f.timeout != null) {
            return parseTime("--timeout", f.timeout, "s");
        }
        return f.duration == null ? 0 : parseTime(typed.apply("-d"), f.duration, "us");
    }

    private static MonitoringAttributes attributes(Flags f, UnaryOperator<String> typed) {
        long sampleUs = MonitoringAttributes.DEFAULT_SAMPLE_INTERVAL_US;
        long aggrUs = MonitoringAttributes.DEFAULT_AGGREGATION_INTERVAL_US;
        long updateUs = DEFAULT_UPDATE_INTERVAL_US;
        if (f.intervals != null) {
            if (f.sample != null || f.aggr != null || f.update != null) {
                throw new UsageException("give the intervals either as --monitoring_intervals SAMPLE AGGR UPDATE"
                        + " or as -s/-a/-u, not both");
            }
            sampleUs = parseTime("--monitoring_intervals SAMPLE", f.intervals.get(0), "us");
            aggrUs = parseTime("--monitoring_intervals AGGR", f.intervals.get(1), "us");
            updateUs = parseTime("--monitoring_intervals UPDATE", f.intervals.get(2), "us");
        } else {
            sampleUs = f.sample == null ? sampleUs : parseTime(typed.apply("-s"), f.sample, "us");
            aggrUs = f.aggr == null ? aggrUs : parseTime(typed.apply("-a"), f.aggr, "us");
            updateUs = f.update == null ? updateUs : parseTime(typed.apply("-u"), f.update, "us");
        }
        int minRegions = MonitoringAttributes.DEFAULT_MIN_NR_REGIONS;
        int maxRegions = MonitoringAttributes.DEFAULT_MAX_NR_REGIONS;
        String regionsFlag = "--nr_regions";
        if (f.nrRegions != null && f.nrRegionsRange != null) {
            throw new UsageException("give the region limits either as --nr_regions MIN,MAX or as"
                    + " --monitoring_nr_regions_range MIN MAX, not both");
        }
        if (f.nrRegions != null) {
            String[] parts = f.nrRegions.split(",", -1);
            if (parts.length != 2) {
                throw new UsageException("--nr_regions '" + f.nrRegions + "' must be MIN,MAX, e.g. --nr_regions"
                        + " 10,1000");
            }
            minRegions = regionCount("--nr_regions", f.nrRegions, parts[0]);
            maxRegions = regionCount("--nr_regions", f.nrRegions, parts[1]);
        } else if (f.nrRegionsRange != null) {
            regionsFlag = "--monitoring_nr_regions_range";
            String both = String.join(" ", f.nrRegionsRange);
            minRegions = regionCount(regionsFlag, both, f.nrRegionsRange.get(0));
            maxRegions = regionCount(regionsFlag, both, f.nrRegionsRange.get(1));
        }
        IntervalsGoal goal = intervalsGoal(f);
        try {
            return new MonitoringAttributes(sampleUs, aggrUs, updateUs, minRegions, maxRegions, goal);
        } catch (InvalidAttributesException e) {
            String flag = switch (e.field()) {
                case "sampleIntervalUs" -> f.intervals != null ? "--monitoring_intervals" : "-s/--sample";
                case "aggregationIntervalUs" -> f.intervals != null ? "--monitoring_intervals" : "-a/--aggr";
                case "updateIntervalUs" -> f.intervals != null ? "--monitoring_intervals" : "-u/--update";
                default -> regionsFlag;
            };
            throw new UsageException(flag + ": " + e.getMessage());
        }
    }

    /** @return the goal of {@code --monitoring_intervals_goal} or {@code _autotune}, in damo's spellings */
    private static IntervalsGoal intervalsGoal(Flags f) {
        if (f.autotune && f.intervalsGoal != null) {
            throw new UsageException("give either --monitoring_intervals_goal or --monitoring_intervals_autotune,"
                    + " not both");
        }
        if (f.autotune) {
            return IntervalsGoal.RECOMMENDED;
        }
        if (f.intervalsGoal == null) {
            return IntervalsGoal.NONE;
        }
        String flag = "--monitoring_intervals_goal";
        String all = String.join(" ", f.intervalsGoal);
        String bpText = f.intervalsGoal.get(0).trim();
        long accessBp;
        try {
            // damo's bp: a bare number is basis points, 'N%' a percentage
            accessBp = bpText.endsWith("%")
                    ? Math.round(Double.parseDouble(bpText.substring(0, bpText.length() - 1)) * 100)
                    : UnitParser.wholeNumber(bpText);
        } catch (IllegalArgumentException e) {
            throw new UsageException(flag + " '" + all + "': ACCESS_BP '" + bpText + "' is neither basis points"
                    + " nor a percentage; write e.g. 400 or 4%");
        }
        long aggrs;
        try {
            aggrs = UnitParser.wholeNumber(f.intervalsGoal.get(1));
        } catch (IllegalArgumentException e) {
            aggrs = -1;
        }
        if (aggrs < 1 || aggrs > Integer.MAX_VALUE) {
            throw new UsageException(flag + " '" + all + "': AGGRS '" + f.intervalsGoal.get(1).trim()
                    + "' is not a positive whole number of aggregations; write e.g. 3");
        }
        long minUs = parseTime(flag + " MIN_SAMPLE", f.intervalsGoal.get(2), "us");
        long maxUs = parseTime(flag + " MAX_SAMPLE", f.intervalsGoal.get(3), "us");
        try {
            return new IntervalsGoal((int) Math.min(Integer.MAX_VALUE, accessBp), (int) aggrs, minUs, maxUs);
        } catch (InvalidAttributesException e) {
            throw new UsageException(flag + " '" + all + "': " + e.getMessage());
        }
    }

    private static int regionCount(String flag, String all, String part) {
        long n;
        try {
            n = UnitParser.wholeNumber(part);
        } catch (IllegalArgumentException e) {
            throw new UsageException(flag + " '" + all + "': '" + part.trim() + "' is not a whole number; write e.g. "
                    + (flag.equals("--nr_regions") ? "--nr_regions 10,1000" : flag + " 10 1000"));
        }
        if (n > Integer.MAX_VALUE) {
            throw new UsageException(flag + " '" + all + "': " + part.trim() + " is too large; the most is "
                    + Integer.MAX_VALUE + " (and the cost grows with the number)");
        }
        if (n < 0) {
            throw new UsageException(flag + " '" + all + "': " + part.trim() + " is negative; the least is "
                    + MonitoringAttributes.LOWEST_MIN_NR_REGIONS);
        }
        return (int) n;
    }

    /**
     * damo's {@code -r "START-END ..."}: each value one or more ranges separated by spaces.
     *
     * @return {@code [start0, end0, ...]}, sorted; refused when one is empty, reversed or overlaps another
     */
    static long[] parseRanges(List<String> values) {
        List<String> ranges = new ArrayList<>();
        for (String v : values) {
            if (v.isBlank()) {
                throw new UsageException("-r/--regions needs address ranges START-END, e.g. -r 0x7f0000000000"
                        + "-0x7f0010000000");
            }
            if (!v.contains("-") && v.matches("[0-9 ]+,[0-9 ]+")) {
                throw new UsageException("-r/--regions '" + v + "': -r takes address ranges START-END, as in damo;"
                        + " for the least and most number of regions write --nr_regions " + v.replace(" ", "")
                        + " or --monitoring_nr_regions_range " + v.replace(" ", "").replace(',', ' '));
            }
            ranges.addAll(List.of(v.trim().split("\\s+")));
        }
        try {
            return UnitParser.addressRanges(ranges);
        } catch (IllegalArgumentException e) {
            throw new UsageException("-r/--regions " + e.getMessage());
        }
    }

    private static void refuseDamoOnly(Flags f) {
        if (f.schemes != null) {
            throw damoOnly("-c/--schemes", "jdamon does not read damo's JSON schemes",
                    "give each scheme with --damos_action and the --damos_* flags after it");
        }
        if (f.ops != null) {
            throw damoOnly("--ops", "jdamon chooses the primitive from the target",
                    "use --pid N or -- CMD for vaddr, --sim for a simulated one, --primitive NAME for another");
        }
        if (f.kdamonds != null) {
            throw damoOnly("--kdamonds", "jdamon records one context from its flags",
                    "give the target and intervals as flags, or write io.jdamon.context .cfg files for a container");
        }
        if (f.outputPermission != null) {
            throw damoOnly("--output_permission", "jdamon creates record files with the process's umask, as"
                    + " any file it writes", "run it under 'umask 077' for owner-only files (damo's 600), or chmod"
                    + " the file afterwards");
        }
        if (f.outputFlushSec != null) {
            throw damoOnly("--output_flush_sec", "jdamon writes each aggregation as it ends",
                    "drop it: nothing waits to be flushed");
        }
        if (f.perfPath != null || f.damonTracer != null) {
            throw damoOnly(f.perfPath != null ? "--perf_path" : "--damon_tracer",
                    "jdamon records from its own kdamond, not from kernel trace events", "drop it");
        }
        if (f.childTasks) {
            throw damoOnly("--include_child_tasks/--exclude_child_tasks", "jdamon monitors the one process named",
                    "record a child with its own --pid");
        }
        if (f.schemesTargetRegions) {
            throw damoOnly("--schemes_target_regions", "jdamon keeps each scheme's last tried regions",
                    "drop it; jdamon:status -v NAME shows them");
        }
        if (f.snapshot != null) {
            throw damoOnly("--snapshot", "jdamon records every aggregation", "use -d/--duration, and report"
                    + " access --snapshot_idx N to look at one");
        }
        if (f.doRecord != null) {
            throw damoOnly("--do_record", "jdamon records accesses only", "drop it");
        }
        if (f.numaNode != null) {
            throw damoOnly("--numa_node", "jdamon has no physical address space primitive", "drop it");
        }
    }

    private static void refuseDamoTargetKeyword(String target) {
        switch (target) {
            case "paddr", "fvaddr" -> throw damoOnly("the target '" + target + "'",
                    "jdamon monitors processes (vaddr) and simulated workloads, not physical memory",
                    "give a PID or a command");
            case "ongoing" -> throw damoOnly("the target 'ongoing'", "jdamon records its own contexts",
                    "give a PID, a command or --sim");
            default -> {
                if (target.startsWith("{") || target.endsWith(".json") || target.endsWith(".yaml")) {
                    throw damoOnly("a kdamonds specification as the target", "jdamon records one context from its"
                            + " flags", "give the target and intervals as flags");
                }
            }
        }
    }

    private static UsageException damoOnly(String what, String why, String instead) {
        return new UsageException(what + " is damo's and has no meaning here: " + why + "; " + instead);
    }

    /** picocli's complaint, in the words record has always used. */
    private static String describe(ParameterException e, String[] args) {
        if (e instanceof MissingParameterException m && !m.getMissing().isEmpty()
                && m.getMissing().get(0) instanceof OptionSpec o) {
            String typed = typedName(o, args);
            return o.arity().min > 1 ? typed + " needs " + o.arity().min + " values, " + o.paramLabel()
                    : typed + " needs a value" + example(typed);
        }
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            return "unknown option '" + u.getUnmatched().get(0) + "'";
        }
        String msg = e.getMessage();
        if (msg != null && (msg.contains("is not a boolean") || msg.contains("should be specified without"))) {
            for (String a : args) {
                if (a.startsWith("--") && a.contains("=")) {
                    return a.substring(0, a.indexOf('=')) + " takes no value"; // --help=yes
                }
            }
        }
        return msg;
    }

    /** @return the name of {@code o} as typed last on the command line (e.g. {@code -s}, not {@code --sample}) */
    private static String typedName(OptionSpec o, String[] args) {
        for (int i = args.length - 1; i >= 0; i--) {
            for (String n : o.names()) {
                if (args[i].equals(n) || args[i].startsWith(n + "=")) {
                    return n;
                }
            }
        }
        return o.longestName();
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

    private static String example(String flag) {
        return switch (flag) {
            case "--sim" -> ", e.g. --sim stairs_30secs";
            case "--pid" -> ", e.g. --pid 1234";
            case "-o", "--out", "--output" -> ", e.g. -o damon.data";
            case "-r", "--regions" -> ", e.g. -r 0x7f0000000000-0x7f0010000000";
            case "--nr_regions" -> ", e.g. --nr_regions 10,1000";
            case "--primitive" -> ", e.g. --primitive sim";
            case "--target" -> ", e.g. --target stairs";
            case "--sensor" -> ", e.g. --sensor referenced";
            case "--output_type" -> ", e.g. --output_type json_compressed";
            case "--timeout" -> ", e.g. --timeout 10";
            default -> ", e.g. " + flag + " 100ms";
        };
    }

    private static int parsePid(String flag, String s) {
        try {
            long pid = UnitParser.wholeNumber(s);
            if (pid > 0 && pid <= Integer.MAX_VALUE) {
                return (int) pid;
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw new UsageException(flag + " '" + s + "' is not a process ID; give a positive number, e.g. --pid 1234");
    }

    /**
     * Parses a time the way every jdamon command does ({@link UnitParser#timeNanos}), within
     * record's bounds.
     *
     * @param bareUnit the unit of a bare number: {@code us} (damo's intervals) or {@code s} (damo's timeout)
     * @return the time in microseconds, at least 1
     * @throws UsageException naming the flag, the problem and a form that works
     */
    static long parseTime(String flag, String text, String bareUnit) {
        long us;
        String tooLong = flag + " '" + text + "' is too long; the most is " + MAX_TIME_US / 3_600_000_000L
                + "h (about 114,000 years)";
        try {
            us = UnitParser.timeMicros(text, bareUnit);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage().endsWith("is too large") ? tooLong : flag + " " + e.getMessage());
        }
        if (us > MAX_TIME_US) {
            throw new UsageException(tooLong);
        }
        if (us < 1) {
            throw new UsageException(flag + " '" + text + "' is too short; give at least 1us");
        }
        return us;
    }
}
