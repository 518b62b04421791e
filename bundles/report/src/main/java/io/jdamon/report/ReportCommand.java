package io.jdamon.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.record.OutputFiles;
import io.jdamon.record.RecordFileException;
import io.jdamon.record.RecordRepair;
import io.jdamon.record.RecordReader;
import io.jdamon.record.Recording;

/**
 * The {@code report} command over record files, with damo's habits:
 *
 * <pre>
 * report heatmap [-i FILE] [--target N] [--resol ROWSxCOLS] [--png FILE [--png-size WxH]]
 *                [--address-range START END] [--time-range START END]
 * report wss     [-i FILE] [--target N|all] [--percentiles P,P,...] [--raw]
 * report access  [-i FILE] [--target N] [--snapshot N] [--raw]
 * report repair  [-i FILE]
 * </pre>
 *
 * <p>The input defaults to {@value #DEFAULT_INPUT}; a file still being
 * written is read up to its last complete snapshot (with a note on the error
 * stream); a file left unfinished by a fault gets a note naming the
 * {@code repair} command, which rewrites it in place so that damo reads it
 * (see {@link RecordRepair}). Odd content read anyway (overlapping regions,
 * rates above 100%) is warned of on the error stream, naming the snapshot and
 * region. {@code --png} never replaces its input; an existing image is
 * refused unless {@code --force}, which moves it aside to {@code FILE.old}
 * first (nothing is ever overwritten). Exit codes: {@value #OK} done, {@value #DATA_PROBLEM} the data
 * cannot be used (missing, corrupt or foreign file, no snapshot yet, an image
 * that cannot be written), {@value #USAGE} the command line is wrong. Errors
 * are one line on the error stream, never a stack trace.
 *
 * <p>Use: {@code System.exit(new ReportCommand().run(args, System.out, System.err))}.
 * A leading {@code report} argument is skipped, so both {@code heatmap ...}
 * and {@code report heatmap ...} work.
 */
public final class ReportCommand {

    /** Success. */
    public static final int OK = 0;
    /** The data cannot be used. */
    public static final int DATA_PROBLEM = 1;
    /** The command line is wrong. */
    public static final int USAGE = 2;
    /** The default input file: {@value}. */
    public static final String DEFAULT_INPUT = "damon.data";

    static final String HEATMAP_USAGE = String.join("\n",
            "  report heatmap   time x address access heatmap of one target",
            "      -i, --input FILE           record file (default " + DEFAULT_INPUT + ")",
            "      --target N                 target index (default 0)",
            "      --resol ROWSxCOLS          time rows x address columns (default 40x80; 200x300 for --png)",
            "      --png FILE                 write a PNG image with axes and a legend instead of text",
            "      --png-size WxH             image size in pixels (default 1000x600)",
            "      --force                    with --png: replace an existing image (it is kept as FILE.old)",
            "      --address-range START END  addresses to show (decimal or 0x hex; default: from the lowest to",
            "                                 the highest monitored address when the gaps are small, else the",
            "                                 largest contiguous monitored range; the footer says which)",
            "      --time-range START END     times to show, e.g. 0 2s or 500ms 1.5s (plain numbers are ns)",
            "");
    static final String WSS_USAGE = String.join("\n",
            "  report wss       working set size percentiles and average",
            "      -i, --input FILE           record file (default " + DEFAULT_INPUT + ")",
            "      --target N|all             target index, or all targets summed (default all)",
            "      --percentiles LIST         comma-separated, 0-100 (default 0,25,50,75,100)",
            "      --raw                      print bytes instead of KiB/MiB",
            "");
    static final String ACCESS_USAGE = String.join("\n",
            "  report access    the regions of one snapshot: address, size, access rate, age",
            "      -i, --input FILE           record file (default " + DEFAULT_INPUT + ")",
            "      --target N                 target index (default 0)",
            "      --snapshot N               snapshot index from 0; negative counts from the end (default -1, the last)",
            "      --raw                      print plain numbers",
            "");
    static final String REPAIR_USAGE = String.join("\n",
            "  report repair    rewrite a record file left unfinished by a fault (full disk, kill -9) so",
            "                   that damo reads it; the original is kept as FILE.broken",
            "      -i, --input FILE           record file (default " + DEFAULT_INPUT + ")",
            "");
    private static final String EXIT_TEXT = "\nexit status: 0 ok, 1 data problem, 2 usage error\n";

    static final String USAGE_TEXT = "usage: report heatmap|wss|access|repair [options]\n\n" + HEATMAP_USAGE
            + WSS_USAGE + ACCESS_USAGE + REPAIR_USAGE + EXIT_TEXT;

    /** A wrong command line; the message says what and how to fix it. */
    private static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** Data that cannot be used; the message says why. */
    private static final class DataException extends Exception {
        private static final long serialVersionUID = 1L;

        DataException(String message) {
            super(message);
        }
    }

    /**
     * Runs a report.
     *
     * @param args e.g. {@code heatmap -i damon.data --resol 20x60}
     * @param out where the report goes
     * @param err where notes and errors go
     * @return the exit status: {@link #OK}, {@link #DATA_PROBLEM} or {@link #USAGE}
     */
    public int run(String[] args, PrintStream out, PrintStream err) {
        List<String> a = new ArrayList<>(List.of(args));
        if (!a.isEmpty() && a.get(0).equals("report")) {
            a.remove(0);
        }
        if (a.isEmpty()) {
            err.print(USAGE_TEXT);
            return USAGE;
        }
        String sub = a.remove(0);
        String subUsage = switch (sub) {
            case "heatmap" -> HEATMAP_USAGE;
            case "wss" -> WSS_USAGE;
            case "access" -> ACCESS_USAGE;
            case "repair" -> REPAIR_USAGE;
            default -> null;
        };
        if (subUsage != null && (a.contains("-h") || a.contains("--help"))) {
            out.print("usage: report " + sub + " [options]\n\n" + subUsage + EXIT_TEXT);
            return OK;
        }
        try {
            switch (sub) {
                case "-h":
                case "--help":
                case "help":
                    out.print(USAGE_TEXT);
                    return OK;
                case "heatmap":
                    return heatmap(a, out, err);
                case "wss":
                    return wss(a, out, err);
                case "access":
                    return access(a, out, err);
                case "repair":
                    return repair(a, out);
                default:
                    throw new UsageException("unknown report '" + sub + "'; use heatmap, wss, access or repair");
            }
        } catch (UsageException e) {
            err.println("report: " + e.getMessage());
            err.println("run 'report --help' for the options");
            return USAGE;
        } catch (DataException e) {
            err.println("report: " + e.getMessage());
            return DATA_PROBLEM;
        } catch (RuntimeException e) {
            err.println("report: internal error (" + e + "); please report it with the command line used");
            return DATA_PROBLEM;
        }
    }

    private int heatmap(List<String> a, PrintStream out, PrintStream err) throws UsageException, DataException {
        Options o = new Options("heatmap", a);
        Path input = o.input();
        int target = o.intValue("--target", 0);
        String resol = o.value("--resol");
        String png = o.value("--png");
        String pngSize = o.value("--png-size");
        boolean force = o.flag("--force");
        Range addresses = o.range("--address-range", "--address_range", false);
        Range times = o.range("--time-range", "--time_range", true);
        o.finish();
        if (pngSize != null && png == null) {
            throw new UsageException("--png-size needs --png FILE");
        }
        if (force && png == null) {
            throw new UsageException("--force goes with --png FILE (it replaces an existing image)");
        }
        int[] rc = resol == null ? null : pair(resol, "--resol", "ROWSxCOLS, e.g. 40x80");
        int[] size = pngSize == null ? new int[] {1000, 600} : pair(pngSize, "--png-size", "WxH, e.g. 1000x600");
        if (rc != null) {
            checkDrawable(rc, resol, "--resol", MAX_RESOL_SIDE, MAX_RESOL_CELLS, "cells");
        }
        if (pngSize != null) {
            checkDrawable(size, pngSize, "--png-size", MAX_PNG_SIDE, MAX_PNG_PIXELS, "pixels");
        }
        Path pngPath = png == null ? null : pngPath(png, input, force);
        List<AggregationSnapshot> snaps = snapshots(input, target, err);
        int rows = rc != null ? rc[0] : png != null ? Math.min(200, Math.max(1, snaps.size())) : 40;
        int cols = rc != null ? rc[1] : png != null ? 300 : 80;
        Heatmap h;
        try {
            h = Heatmap.of(snaps, 0, rows, cols, addresses, times).withNote(sensorNote(lastRecording));
        } catch (IllegalArgumentException e) {
            throw new DataException(input + ": " + e.getMessage());
        }
        if (png == null) {
            out.print(h.toText());
            return OK;
        }
        if (size[0] < 300 || size[1] < 200) {
            throw new UsageException("--png-size " + pngSize + " is too small; use at least 300x200");
        }
        Path aside = null;
        try {
            if (force) {
                aside = OutputFiles.moveAside(pngPath);
            }
            h.writePng(pngPath, size[0], size[1]);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new DataException(pngPath + " appeared while the heatmap was drawn; nothing was overwritten; "
                    + "run again, with --force to move it aside");
        } catch (IOException e) {
            String reason = e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null
                    ? fse.getReason() : e.getMessage();
            throw new DataException("cannot write the PNG to " + pngPath + ": " + reason
                    + "; choose a writable place with --png FILE");
        } catch (java.awt.AWTError | UnsatisfiedLinkError e) {
            throw new DataException("cannot draw images in this Java runtime (" + e.getMessage()
                    + "); use the text heatmap (drop --png) or a JDK with java.desktop");
        }
        if (aside != null) {
            out.println("the existing " + pngPath + " was moved aside to " + aside);
        }
        out.println("heatmap of " + snaps.size() + " snapshots written to " + pngPath + " (" + size[0] + "x"
                + size[1] + " pixels, " + rows + "x" + cols + " cells)");
        return OK;
    }

    /**
     * The image file, checked before anything is read or drawn: a writable
     * place, not a link or special file, never the input, and no existing
     * file unless {@code --force}.
     */
    private static Path pngPath(String png, Path input, boolean force) throws UsageException, DataException {
        Path p;
        try {
            p = Path.of(png);
        } catch (InvalidPathException e) {
            throw new UsageException("--png " + png + " is not a valid file name (" + e.getReason() + ")");
        }
        if (sameFile(p, input)) {
            throw new UsageException("--png " + png + " is the record file being read (" + input
                    + "); name another file for the image, e.g. --png heatmap.png");
        }
        try {
            OutputFiles.checkTarget(p, "--png");
        } catch (OutputFiles.OutputRefusedException e) {
            throw new DataException(e.getMessage());
        }
        if (!force && Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new DataException(p + " exists; jdamon does not overwrite files: name another with --png FILE, "
                    + "or add --force to move the existing one aside to " + p.getFileName()
                    + OutputFiles.ASIDE_SUFFIX + " and write the new image");
        }
        return p;
    }

    private static boolean sameFile(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    private int repair(List<String> a, PrintStream out) throws UsageException, DataException {
        Options o = new Options("repair", a);
        Path input = o.input();
        o.finish();
        RecordRepair.Result r;
        try {
            r = RecordRepair.repair(input);
        } catch (RecordFileException e) {
            throw new DataException(e.getMessage());
        } catch (IOException e) {
            String reason = e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null
                    ? fse.getFile() + ": " + fse.getReason() : e.getMessage();
            throw new DataException("cannot repair " + input + ": " + reason);
        }
        if (!r.repaired()) {
            out.println(input + " is complete and damo reads it as it is (" + r.records() + " target(s), "
                    + r.snapshots() + " snapshots); nothing to repair");
        } else {
            out.println("repaired " + input + ": " + r.records() + " target(s), " + r.snapshots()
                    + " complete snapshots kept, in the layout damo reads; the original is kept as " + r.backup());
        }
        return OK;
    }

    private int wss(List<String> a, PrintStream out, PrintStream err) throws UsageException, DataException {
        Options o = new Options("wss", a);
        Path input = o.input();
        String targetText = o.value("--target");
        String pct = o.value("--percentiles");
        boolean raw = o.flag("--raw");
        o.finish();
        int[] percentiles = WorkingSetSize.DEFAULT_PERCENTILES;
        if (pct != null) {
            String[] parts = pct.split(",");
            percentiles = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                percentiles[i] = parseInt(parts[i].trim(), "--percentiles");
                if (percentiles[i] < 0 || percentiles[i] > 100) {
                    throw new UsageException("--percentiles: " + percentiles[i] + " is not between 0 and 100");
                }
            }
        }
        Recording rec = read(input, err);
        List<AggregationSnapshot> snaps;
        int target;
        if (targetText == null || targetText.equals("all")) {
            snaps = rec.aggregations();
            target = -1;
        } else {
            target = parseInt(targetText, "--target");
            checkTarget(rec, target);
            snaps = rec.aggregations(target);
            target = 0;
        }
        if (snaps.isEmpty()) {
            throw noSnapshots(input);
        }
        WorkingSetSize w = WorkingSetSize.of(snaps, target, percentiles);
        printSensor(rec, out);
        out.print(w.toText(raw));
        return OK;
    }

    private int access(List<String> a, PrintStream out, PrintStream err) throws UsageException, DataException {
        Options o = new Options("access", a);
        Path input = o.input();
        int target = o.intValue("--target", 0);
        int snapshot = o.intValue("--snapshot", -1);
        boolean raw = o.flag("--raw");
        o.finish();
        List<AggregationSnapshot> snaps = snapshots(input, target, err);
        int idx = snapshot < 0 ? snaps.size() + snapshot : snapshot;
        if (idx < 0 || idx >= snaps.size()) {
            throw new UsageException("--snapshot " + snapshot + " is out of range; " + input + " has "
                    + snaps.size() + " snapshots (0 to " + (snaps.size() - 1) + ", or -1 for the last)");
        }
        printSensor(lastRecording, out);
        out.print(AccessReport.toText(snaps.get(idx), 0, "snapshot " + idx + " of " + snaps.size(), raw));
        return OK;
    }

    /** The recording read last by {@link #snapshots}, for the sensor note. */
    private Recording lastRecording;

    /**
     * @return which primitive and sensor recorded the file, e.g.
     *     {@code primitive vaddr (granularity=page, sees=reads,writes, sensor=page-idle)}; empty for damo files
     */
    static String sensorNote(Recording rec) {
        if (rec == null || rec.primitiveName().isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("primitive ").append(rec.primitiveName());
        if (!rec.primitiveProperties().isEmpty()) {
            sb.append(" (");
            boolean first = true;
            for (var e : new java.util.TreeMap<>(rec.primitiveProperties()).entrySet()) {
                sb.append(first ? "" : ", ").append(e.getKey()).append('=').append(e.getValue());
                first = false;
            }
            sb.append(')');
        }
        return sb.toString();
    }

    private static void printSensor(Recording rec, PrintStream out) {
        String note = sensorNote(rec);
        if (!note.isEmpty()) {
            out.println("# recorded by " + note);
        }
    }

    private List<AggregationSnapshot> snapshots(Path input, int target, PrintStream err)
            throws UsageException, DataException {
        Recording rec = read(input, err);
        lastRecording = rec;
        checkTarget(rec, target);
        List<AggregationSnapshot> snaps = rec.aggregations(target);
        if (snaps.isEmpty()) {
            throw noSnapshots(input);
        }
        return snaps;
    }

    private static Recording read(Path input, PrintStream err) throws DataException {
        Recording rec;
        try {
            rec = RecordReader.read(input);
        } catch (RecordFileException e) {
            throw new DataException(e.getMessage());
        }
        if (rec.needsRepair()) {
            String holder = OutputFiles.lockHolder(input.toAbsolutePath());
            if (holder != null) {
                err.println("note: " + input + " is still being recorded by " + holder + "; using its "
                        + rec.snapshotCount() + " complete snapshots");
            } else {
                err.println("note: " + input + " was left unfinished (" + (rec.complete()
                        ? "in the layout a multi-target recording has while it runs" : "cut short")
                        + ", e.g. by a full disk or kill -9); using its " + rec.snapshotCount()
                        + " complete snapshots. damo cannot read it as it is: run 'jdamon report repair -i "
                        + input + "' to fix it in place (the original is kept)");
            }
        }
        for (String w : rec.warnings()) {
            err.println("warning: " + input + ": " + w);
        }
        return rec;
    }

    private static void checkTarget(Recording rec, int target) throws UsageException, DataException {
        if (rec.records().isEmpty()) {
            throw noSnapshots(rec.file());
        }
        if (target < 0 || target >= rec.records().size()) {
            throw new UsageException("--target " + target + " does not exist; " + rec.file() + " has "
                    + rec.records().size() + " target(s), 0 to " + (rec.records().size() - 1));
        }
    }

    private static DataException noSnapshots(Path input) {
        return new DataException(input + ": holds no complete snapshot yet; the recorder writes one per "
                + "aggregation interval, so wait a moment and retry");
    }

    /** The most heatmap rows or columns: {@value}. */
    static final int MAX_RESOL_SIDE = 10_000;
    /** The most heatmap cells (8 bytes each while computing): {@value}. */
    static final long MAX_RESOL_CELLS = 4_000_000;
    /** The widest or tallest PNG: {@value} pixels. */
    static final int MAX_PNG_SIDE = 10_000;
    /** The most PNG pixels (4 bytes each while drawing): {@value}. */
    static final long MAX_PNG_PIXELS = 25_000_000;

    /**
     * Refuses a size that would exhaust the heap (or overflow an image's int
     * size) before anything is allocated for it.
     */
    private static void checkDrawable(int[] wh, String text, String option, int maxSide, long maxArea, String unit)
            throws UsageException {
        if (wh[0] > maxSide || wh[1] > maxSide || (long) wh[0] * wh[1] > maxArea) {
            throw new UsageException(option + " " + text + " is too large; use at most " + maxSide
                    + " on a side and " + maxArea + " " + unit + " in all");
        }
    }

    private static int[] pair(String text, String option, String form) throws UsageException {
        String[] p = text.toLowerCase(Locale.ROOT).split("x");
        if (p.length != 2) {
            throw new UsageException(option + " " + text + " is not " + form);
        }
        int a = parseInt(p[0], option);
        int b = parseInt(p[1], option);
        if (a < 1 || b < 1) {
            throw new UsageException(option + " " + text + " must be positive, " + form);
        }
        return new int[] {a, b};
    }

    private static int parseInt(String s, String option) throws UsageException {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": '" + s + "' is not a whole number");
        }
    }

    /** Parses an address: decimal or 0x hex. */
    static long parseAddress(String s, String option) throws UsageException {
        try {
            String t = s.trim().toLowerCase(Locale.ROOT);
            return t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": '" + s + "' is not an address (decimal or 0x hex)");
        }
    }

    /** Parses a time: nanoseconds, or a number with ns, us, ms, s or m. */
    static long parseTimeNanos(String s, String option) throws UsageException {
        String t = s.trim().toLowerCase(Locale.ROOT);
        String[][] units = {{"ns", "1"}, {"us", "1000"}, {"ms", "1000000"}, {"s", "1000000000"},
                {"m", "60000000000"}};
        double factor = 1;
        for (int i = 0; i < units.length; i++) {
            if (t.endsWith(units[i][0]) && (i != 3 || !t.endsWith("ns") && !t.endsWith("us") && !t.endsWith("ms"))) {
                factor = Double.parseDouble(units[i][1]);
                t = t.substring(0, t.length() - units[i][0].length()).trim();
                break;
            }
        }
        try {
            double v = Double.parseDouble(t);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return Math.round(v * factor);
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": '" + s + "' is not a time; write e.g. 1500ms, 2s or 250000ns");
        }
    }

    /** Options of one report: values are taken as they are asked for; leftovers are errors. */
    private static final class Options {
        private final String report;
        private final List<String> args;

        Options(String report, List<String> args) {
            this.report = report;
            this.args = args;
        }

        Path input() throws UsageException {
            String v = value("-i", "--input");
            try {
                return Path.of(v == null ? DEFAULT_INPUT : v);
            } catch (InvalidPathException e) {
                throw new UsageException("--input " + v + " is not a valid file name (" + e.getReason() + ")");
            }
        }

        String value(String... names) throws UsageException {
            String found = null;
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                for (String n : names) {
                    if (arg.equals(n)) {
                        if (i + 1 >= args.size()) {
                            throw new UsageException(n + " needs a value");
                        }
                        found = args.get(i + 1);
                        args.remove(i + 1);
                        args.remove(i);
                        i--;
                    } else if (n.startsWith("--") && arg.startsWith(n + "=")) {
                        found = arg.substring(n.length() + 1);
                        args.remove(i);
                        i--;
                    }
                }
            }
            return found;
        }

        int intValue(String name, int dflt) throws UsageException {
            String v = value(name);
            return v == null ? dflt : parseInt(v, name);
        }

        boolean flag(String name) {
            return args.removeIf(name::equals);
        }

        Range range(String name, String alias, boolean time) throws UsageException {
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (arg.equals(name) || arg.equals(alias)) {
                    if (i + 2 >= args.size()) {
                        throw new UsageException(name + " needs two values, START and END");
                    }
                    long start = time ? parseTimeNanos(args.get(i + 1), name) : parseAddress(args.get(i + 1), name);
                    long end = time ? parseTimeNanos(args.get(i + 2), name) : parseAddress(args.get(i + 2), name);
                    if (end <= start) {
                        throw new UsageException(name + ": END (" + args.get(i + 2) + ") must be greater than START ("
                                + args.get(i + 1) + ")");
                    }
                    args.subList(i, i + 3).clear();
                    return new Range(start, end);
                }
            }
            return null;
        }

        void finish() throws UsageException {
            if (!args.isEmpty()) {
                String first = args.get(0);
                throw new UsageException((first.startsWith("-") ? "unknown option '" : "unexpected argument '")
                        + first + "' for 'report " + report + "'");
            }
        }
    }
}
