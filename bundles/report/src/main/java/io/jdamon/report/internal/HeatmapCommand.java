package io.jdamon.report.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.record.OutputFiles;
import io.jdamon.record.Recording;
import io.jdamon.report.Heatmap;
import io.jdamon.report.Range;
import io.jdamon.report.internal.Problems.DataException;
import io.jdamon.report.internal.Problems.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code report heatmap}: jdamon's text or PNG heatmap, in jdamon's and
 * damo's spellings; {@code --output raw} prints damo's pixel list
 * ({@link RawHeatmap}). The default address range is jdamon's (the whole
 * monitored span when gaps are small); {@code --draw_range hottest} is
 * damo's default, {@code --draw_range all} one map per monitored range; the
 * footer says which.
 */
@Command(name = "heatmap", description = "time x address access heatmap of one target")
final class HeatmapCommand implements Callable<Integer> {

    /** The most heatmap rows or columns: {@value}. */
    static final int MAX_RESOL_SIDE = 10_000;
    /** The most heatmap cells (8 bytes each while computing): {@value}. */
    static final long MAX_RESOL_CELLS = 4_000_000;
    /** The widest or tallest PNG: {@value} pixels. */
    static final int MAX_PNG_SIDE = 10_000;
    /** The most PNG pixels (4 bytes each while drawing): {@value}. */
    static final long MAX_PNG_PIXELS = 25_000_000;

    @Mixin
    Input input;

    @Option(names = "--target", paramLabel = "N", description = "target index (default 0)")
    String target;

    @Option(names = "--tid", paramLabel = "ID", description = "the target by damo's target_id instead")
    String tid;

    @Option(names = "--resol", arity = "1..2", paramLabel = "ROWSxCOLS", hideParamSyntax = true,
            description = "time rows x address columns, also damo's ROWS COLS (default 40x80; 200x300 for --png; "
                    + "500 500 for --output raw, as damo)")
    List<String> resol;

    @Option(names = "--png", paramLabel = "FILE", description = "write a PNG image with axes and a legend instead of text")
    String png;

    @Option(names = "--png-size", paramLabel = "WxH", description = "image size in pixels (default 1000x600)")
    String pngSize;

    @Option(names = "--force", description = "with --png: replace an existing image (it is kept as FILE.old)")
    boolean force;

    @Option(names = {"--address-range", "--address_range"}, arity = "2", paramLabel = "START END",
            hideParamSyntax = true, description = "addresses to show: 0x hex, decimal (4,294,967,296) or sizes "
                    + "(4GiB); default: the whole monitored span when the gaps are small, else the most accessed "
                    + "range (the footer says which)")
    List<String> addressRange;

    @Option(names = {"--time-range", "--time_range"}, arity = "2", paramLabel = "START END", hideParamSyntax = true,
            description = "times to show, e.g. 0 2s or 500ms 1.5s (plain numbers are ns)")
    List<String> timeRange;

    @Option(names = "--draw_range", paramLabel = "hottest|all", description = "damo's choice of address range: "
            + "the hottest monitored range (damo's default), or each one in turn")
    String drawRange;

    @Option(names = "--output", paramLabel = "stdout|raw|FILE.png", description = "damo's: the text map (default), "
            + "damo's raw pixel list (time address heat), or an image as --png")
    String output;

    @Option(names = "--abs_time", description = "with --output raw: times as recorded, not from the range start")
    boolean absTime;

    @Option(names = "--abs_addr", description = "with --output raw: addresses as they are, not from the range start")
    boolean absAddr;

    // damo options that have no meaning for jdamon's records: refused, naming what to use
    @Option(names = {"--kdamond_idx", "--context_idx"}, paramLabel = "N", hidden = true)
    String kdamondIdx;
    @Option(names = "--scheme_idx", paramLabel = "N", hidden = true)
    String schemeIdx;
    @Option(names = {"--guide", "--guide_human"}, hidden = true)
    boolean guide;
    @Option(names = "--stdout_colorset", paramLabel = "NAME", hidden = true)
    String colorset;
    @Option(names = "--stdout_skip_colorset_example", hidden = true)
    boolean skipColorsetExample;
    @Option(names = "--df_passed", hidden = true)
    boolean dfPassed;
    @Option(names = "--sort_temperature", hidden = true)
    boolean sortTemperature;
    @Option(names = "--temperature_weights", arity = "2", hidden = true)
    List<String> temperatureWeights;
    @Option(names = "--interactive_edit", hidden = true)
    boolean interactiveEdit;

    private final PrintStream out;
    private final PrintStream err;

    HeatmapCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    private void refuseDamoOnly() throws UsageException {
        if (kdamondIdx != null) {
            throw Problems.damoOnly("--kdamond_idx/--context_idx", "a jdamon record holds one context",
                    "choose the target with --target N or --tid ID");
        }
        if (schemeIdx != null) {
            throw Problems.damoOnly("--scheme_idx", "jdamon records monitoring results, not DAMOS tried regions",
                    "drop it");
        }
        if (guide) {
            throw Problems.damoOnly("--guide", "jdamon prints the guidance as a report of its own",
                    "run 'report record_info'");
        }
        if (colorset != null) {
            throw Problems.damoOnly("--stdout_colorset", "jdamon's text heatmap is plain digits 0-9, without colour",
                    "draw a coloured image with --png FILE");
        }
        if (dfPassed || sortTemperature || temperatureWeights != null) {
            throw Problems.damoOnly(dfPassed ? "--df_passed" : sortTemperature ? "--sort_temperature"
                    : "--temperature_weights", "jdamon records neither DAMOS filters nor temperatures",
                    "use 'report access' to see each region's rate and age");
        }
        if (interactiveEdit) {
            throw Problems.damoOnly("--interactive_edit", "jdamon's reports do not prompt",
                    "zoom with --address-range START END and --time-range START END");
        }
    }

    @Override
    public Integer call() throws UsageException, DataException {
        refuseDamoOnly();
        boolean raw = false;
        if (output != null) {
            if (output.equals("raw")) {
                raw = true;
            } else if (!output.equals("stdout")) {
                if (png != null) {
                    throw new UsageException("--output " + output + " and --png " + png + " both name the image; "
                            + "give one");
                }
                if (!output.toLowerCase(Locale.ROOT).endsWith(".png")) {
                    throw Problems.damoOnly("--output " + output, "jdamon draws PNG images only (damo calls gnuplot "
                            + "for pdf, jpeg and svg)", "name a .png file, or use --output raw and plot it");
                }
                png = output;
            }
        }
        if (raw && png != null) {
            throw new UsageException("--output raw prints text; it does not go with --png");
        }
        boolean all = false;
        boolean hottest = false;
        if (drawRange != null) {
            switch (drawRange) {
                case "hottest" -> hottest = true;
                case "all" -> all = true;
                default -> throw new UsageException("--draw_range " + drawRange + " is not hottest or all");
            }
            if (addressRange != null) {
                throw new UsageException("--draw_range and --address-range both choose the addresses; give one");
            }
            if (all && png != null) {
                throw new UsageException("--draw_range all draws one map per range; with --png choose one with "
                        + "--address-range START END (see them with 'report record_info')");
            }
        }
        if (pngSize != null && png == null) {
            throw new UsageException("--png-size needs --png FILE");
        }
        if (force && png == null) {
            throw new UsageException("--force goes with --png FILE (it replaces an existing image)");
        }
        Path inputPath = input.path();
        int[] rc = resol == null ? null : Values.pair("--resol", resol, "ROWSxCOLS, e.g. 40x80 (or ROWS COLS as damo)");
        int[] size = pngSize == null ? new int[] {1000, 600}
                : Values.pair("--png-size", List.of(pngSize), "WxH, e.g. 1000x600");
        if (rc != null) {
            checkDrawable(rc, String.join(resol.size() == 1 ? "" : " ", resol), "--resol", MAX_RESOL_SIDE,
                    MAX_RESOL_CELLS, "cells");
        }
        if (pngSize != null) {
            checkDrawable(size, pngSize, "--png-size", MAX_PNG_SIDE, MAX_PNG_PIXELS, "pixels");
        }
        Range addresses = Values.range("--address-range", addressRange, false);
        Range times = Values.range("--time-range", timeRange, true);
        Path pngPath = png == null ? null : pngPath(png, inputPath, force);
        int t = tid != null || target == null ? 0 : Values.wholeInt("--target", target);
        // streamed once into a compact temporary file, which the several looks below read back
        int[] tidIndex = {-1}; // the first record with the target_id asked for, as Input.byTargetId picks it
        try (SpilledSnapshots spill = input.spill(err, (record, index) -> {
            if (tid != null && tidIndex[0] < 0 && record.targetId().equals(tid.trim())) {
                tidIndex[0] = index;
            }
            return index == (tid != null ? tidIndex[0] : t);
        })) {
            Recording rec = spill.recording();
            Input.checkTarget(rec, tid != null ? Input.byTargetId(rec, tid) : t);
            if (spill.size() == 0) {
                throw Input.noSnapshots(rec.file());
            }
            List<AggregationSnapshot> snaps = spill.aggregations();
            int rows = rc != null ? rc[0] : raw ? 500 : png != null ? Math.min(200, Math.max(1, snaps.size())) : 40;
            int cols = rc != null ? rc[1] : raw ? 500 : png != null ? 300 : 80;

            List<Range> ranges = new ArrayList<>();
            List<String> choices = new ArrayList<>();
            List<Range> covered;
            try {
                covered = Heatmap.coveredRanges(snaps, 0);
            } catch (IllegalArgumentException e) {
                throw new DataException(inputPath + ": " + e.getMessage());
            }
            if (addresses != null) {
                ranges.add(addresses);
                choices.add(null);
            } else if (hottest) {
                Range h = hottest(covered, snaps);
                ranges.add(h);
                choices.add("the hottest of " + covered.size() + " monitored range(s) (damo's default, --draw_range "
                        + "hottest)");
            } else if (all) {
                for (int k = 0; k < covered.size(); k++) {
                    ranges.add(covered.get(k));
                    choices.add("monitored range " + (k + 1) + " of " + covered.size() + " (--draw_range all)");
                }
            } else {
                ranges.add(null);
                choices.add("");
            }
            for (int k = 0; k < ranges.size(); k++) {
                Range a = ranges.get(k);
                if (raw) {
                    Range ar = a != null ? a : Heatmap.defaultAddressRange(covered, snaps, 0);
                    long[] tr = times != null ? new long[] {times.start(), times.end()}
                            : RawHeatmap.guideTimes(spill.record(), spill.recorded());
                    try {
                        out.print(RawHeatmap.text(spill.record(), spill.recorded(), tr[0], tr[1], ar.start(), ar.end(), rows, cols,
                                absTime, absAddr));
                    } catch (IllegalArgumentException e) {
                        throw new UsageException(e.getMessage());
                    }
                    continue;
                }
                Heatmap h;
                try {
                    h = Heatmap.of(snaps, 0, rows, cols, a, times).withNote(Input.sensorNote(rec));
                    if (spill.anyMeasured()) { // as Heatmap.measured, without another look at every snapshot
                        h = h.withNote(Input.measuredLevel(rec) + " heat");
                    }
                } catch (IllegalArgumentException e) {
                    throw new DataException(inputPath + ": " + e.getMessage());
                }
                String choice = choices.get(k);
                if (choice != null) {
                    h = h.withAddressChoice(choice.isEmpty() ? h.addressChoice() + " (jdamon's default; damo's is "
                            + "--draw_range hottest)" : choice);
                }
                if (png == null) {
                    out.print(h.toText());
                    continue;
                }
                return writePng(h, pngPath, size, rows, cols, snaps.size());
            }
            return 0;
        } catch (java.io.IOException e) {
            throw new DataException("cannot remove the report's temporary file: " + e.getMessage());
        }
    }

    /** damo's hottest range: the most accesses (size x count of accessed regions) per byte. */
    static Range hottest(List<Range> covered, List<AggregationSnapshot> snaps) {
        double[] heats = new double[covered.size()];
        for (AggregationSnapshot s : snaps) {
            for (RegionSnapshot r : s.targets().get(0).regions()) {
                if (r.nrAccesses() == 0) {
                    continue;
                }
                for (int k = 0; k < covered.size(); k++) {
                    Range c = covered.get(k);
                    if (r.end() < c.start() || c.end() < r.start()) {
                        continue;
                    }
                    heats[k] += (double) r.size() * r.nrAccesses();
                }
            }
        }
        int best = 0;
        for (int k = 1; k < covered.size(); k++) {
            if (heats[k] / covered.get(k).length() > heats[best] / covered.get(best).length()) {
                best = k;
            }
        }
        return covered.get(best);
    }

    private int writePng(Heatmap h, Path pngPath, int[] size, int rows, int cols, int snapshots)
            throws UsageException, DataException {
        if (size[0] < 300 || size[1] < 200) {
            throw new UsageException("--png-size " + pngSize + " is too small; use at least 300x200");
        }
        Path aside = null;
        try {
            if (force) {
                aside = OutputFiles.moveAside(pngPath);
            }
            h.writePng(pngPath, size[0], size[1]);
        } catch (FileAlreadyExistsException e) {
            throw new DataException(pngPath + " appeared while the heatmap was drawn; nothing was overwritten; "
                    + "run again, with --force to move it aside");
        } catch (IOException e) {
            String reason = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason()
                    : e.getMessage();
            throw new DataException("cannot write the PNG to " + pngPath + ": " + reason
                    + "; choose a writable place with --png FILE");
        } catch (java.awt.AWTError | UnsatisfiedLinkError e) {
            throw new DataException("cannot draw images in this Java runtime (" + e.getMessage()
                    + "); use the text heatmap (drop --png) or a JDK with java.desktop");
        }
        if (aside != null) {
            out.println("the existing " + pngPath + " was moved aside to " + aside);
        }
        out.println("heatmap of " + snapshots + " snapshots written to " + pngPath + " (" + size[0] + "x" + size[1]
                + " pixels, " + rows + "x" + cols + " cells)");
        return 0;
    }

    /**
     * The image file, checked before anything is read or drawn: a writable
     * place, not a link or special file, never the input, and no existing
     * file unless {@code --force}.
     */
    private static Path pngPath(String png, Path input, boolean force) throws UsageException, DataException {
        Path p = Values.path("--png", png);
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

    /** Refuses a size that would exhaust the heap (or overflow an image's int size) before anything is allocated. */
    private static void checkDrawable(int[] wh, String text, String option, int maxSide, long maxArea, String unit)
            throws UsageException {
        if (wh[0] > maxSide || wh[1] > maxSide || (long) wh[0] * wh[1] > maxArea) {
            throw new UsageException(option + " " + text + " is too large; use at most " + maxSide
                    + " on a side and " + maxArea + " " + unit + " in all");
        }
    }

}
