package io.jdamon.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

import javax.imageio.ImageIO;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.units.UnitFormat;
import io.jdamon.api.MeasuredRange;
import io.jdamon.api.MeasuredRound;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.TargetSnapshot;
import io.jdamon.report.internal.CoveredRanges;

/**
 * A time x address access heatmap of one target, like damo's
 * {@code report heatmap}.
 *
 * <p>The grid has {@link #rows()} time slices (the first is the earliest) and
 * {@link #columns()} address slices (the first is the lowest). Each cell's
 * {@link #heat heat} is the average access rate over its time and address
 * span: for every snapshot and region overlapping the cell, the region's
 * {@code nr_accesses / (aggr / sample)} weighted by the overlap's duration x
 * bytes. Cells the monitor did not cover count as not accessed. Time that
 * two snapshots both claim (a later one starting before an earlier one ended,
 * as files recorded with late end times do) counts once, for the earlier
 * snapshot, and a region's rate is at most 1: so no cell's heat exceeds 1
 * (100% of samples accessed).
 *
 * <p>Without an explicit address range the heatmap shows the
 * {@linkplain #defaultAddressRange default range}: the whole monitored span
 * when its gaps are small next to what is monitored (the sim workloads'
 * regions a few MiB apart), otherwise the contiguous monitored range that
 * saw the most accesses (a process's heap, mmap area and stack lie terabytes
 * apart, and the largest of them is often idle).
 *
 * <p>{@link #level} maps heat to a digit 0-9 relative to the hottest cell
 * (9 = at least 90% of the hottest), as damo's text heatmap does.
 */
public final class Heatmap {

    private final String title;
    private final Range addresses;
    private final Range times;
    private final double[][] heat;
    private final double maxHeat;
    private final String addressChoice;

    /**
     * The default address range spans every monitored range when the span is
     * at most this many times the monitored bytes.
     */
    public static final int WHOLE_SPAN_FACTOR = 4;

    private static final String AS_ASKED = "as asked";

    private Heatmap(String title, Range addresses, String addressChoice, Range times, double[][] heat) {
        this.title = title;
        this.addresses = addresses;
        this.addressChoice = addressChoice;
        this.times = times;
        this.heat = heat;
        double max = 0;
        for (double[] row : heat) {
            for (double h : row) {
                max = Math.max(max, h);
            }
        }
        this.maxHeat = max;
    }

    /**
     * Computes a heatmap.
     *
     * @param snapshots the aggregations, in time order
     * @param targetIndex which target of each snapshot (its position in {@code targets()})
     * @param rows time slices, at least 1
     * @param columns address slices, at least 1
     * @param addresses the address range to show, or null for the
     *     {@linkplain #defaultAddressRange default}: the whole monitored span
     *     when gaps are small, else the largest contiguous monitored range
     * @param times the time range to show, or null for the whole recording
     * @throws IllegalArgumentException if there are no snapshots, the target
     *     does not exist, or the sizes are not positive
     */
    public static Heatmap of(List<AggregationSnapshot> snapshots, int targetIndex, int rows, int columns,
            Range addresses, Range times) {
        if (snapshots.isEmpty()) {
            throw new IllegalArgumentException("no snapshots to draw a heatmap from");
        }
        if (rows < 1 || columns < 1) {
            throw new IllegalArgumentException("a heatmap needs at least 1x1 cells, not " + rows + "x" + columns);
        }
        if (targetIndex < 0 || targetIndex >= snapshots.get(0).targets().size()) {
            throw new IllegalArgumentException("there is no target " + targetIndex + "; the snapshots have "
                    + snapshots.get(0).targets().size());
        }
        Range addr;
        String addressChoice;
        if (addresses != null) {
            addr = addresses;
            addressChoice = AS_ASKED;
        } else {
            List<Range> covered = coveredRanges(snapshots, targetIndex);
            addr = defaultAddressRange(covered, snapshots, targetIndex);
            addressChoice = describeChoice(covered, addr);
        }
        Range time = times != null ? times
                : new Range(snapshots.get(0).startNanos(),
                        Math.max(snapshots.get(snapshots.size() - 1).endNanos(), snapshots.get(0).startNanos() + 1));
        boolean measured = measured(snapshots, targetIndex);
        double[][] heat = new double[rows][columns];
        double rowNanos = (double) time.length() / rows;
        double colBytes = (double) addr.length() / columns;
        long claimedUntil = Long.MIN_VALUE; // time already counted for an earlier snapshot
        for (AggregationSnapshot s : snapshots) {
            long t0 = Math.max(Math.max(s.startNanos(), time.start()), claimedUntil);
            long t1 = Math.min(s.endNanos(), time.end());
            claimedUntil = Math.max(claimedUntil, s.endNanos());
            if (t0 >= t1 || s.targets().size() <= targetIndex) {
                continue;
            }
            TargetSnapshot target = s.targets().get(targetIndex);
            if (measured) {
                // mapping-level: each measured range's accessed share, averaged over the interval's rounds
                Map<Range, Double> share = new HashMap<>();
                for (MeasuredRound round : target.measuredRounds()) {
                    for (MeasuredRange m : round.ranges()) {
                        share.merge(new Range(m.start(), m.end()), m.accessedShare(), Double::sum);
                    }
                }
                int rounds = Math.max(1, target.measuredRounds().size());
                for (Map.Entry<Range, Double> e : share.entrySet()) {
                    spread(heat, time, addr, rowNanos, colBytes, t0, t1, e.getKey().start(), e.getKey().end(),
                            Math.min(1.0, e.getValue() / rounds));
                }
                continue;
            }
            double perAggr = s.samplesPerAggregation();
            for (RegionSnapshot region : target.regions()) {
                if (region.nrAccesses() <= 0) {
                    continue;
                }
                // a count above the samples per aggregation (a foreign file) is still at most every sample
                spread(heat, time, addr, rowNanos, colBytes, t0, t1, region.start(), region.end(),
                        Math.min(1.0, region.nrAccesses() / perAggr));
            }
        }
        double cell = rowNanos * colBytes;
        for (double[] row : heat) {
            for (int c = 0; c < row.length; c++) {
                // overlaps sum to the cell's area at most; min() only absorbs floating-point rounding
                row[c] = Math.min(1.0, row[c] / cell);
            }
        }
        AggregationSnapshot first = snapshots.get(0);
        TargetSnapshot t = first.targets().get(targetIndex);
        String name = first.contextName() == null || first.contextName().isEmpty() ? "" : first.contextName() + ", ";
        return new Heatmap(name + "target " + t.index() + " (" + t.spec() + ")" + (measured ? "; " + MEASURED_NOTE
                : ""), addr, addressChoice, time, heat);
    }

    /** What a heatmap of measured rounds shows, in its title. */
    public static final String MEASURED_NOTE = "heat is each measured range's accessed fraction (the primitive "
            + "measures whole ranges, not pages: where in a range the accesses were is not known)";

    /**
     * @return true if the target's snapshots carry the primitive's measured
     *     rounds, which a heatmap then shows instead of region access rates
     * @since 2.1
     */
    public static boolean measured(List<AggregationSnapshot> snapshots, int targetIndex) {
        for (AggregationSnapshot s : snapshots) {
            if (s.targets().size() > targetIndex && !s.targets().get(targetIndex).measuredRounds().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Adds {@code rate} over {@code [a0, a1)} x {@code [t0, t1)} to the cells, weighted by overlap. */
    private static void spread(double[][] heat, Range time, Range addr, double rowNanos, double colBytes, long t0,
            long t1, long start, long end, double rate) {
        long a0 = Math.max(start, addr.start());
        long a1 = Math.min(end, addr.end());
        if (a0 >= a1 || rate <= 0) {
            return;
        }
        int rows = heat.length;
        int columns = heat[0].length;
        int r0 = (int) Math.min(rows - 1, (t0 - time.start()) / rowNanos);
        int r1 = (int) Math.min(rows - 1, (t1 - 1 - time.start()) / rowNanos);
        int c0 = (int) Math.min(columns - 1, (a0 - addr.start()) / colBytes);
        int c1 = (int) Math.min(columns - 1, (a1 - 1 - addr.start()) / colBytes);
        for (int r = r0; r <= r1; r++) {
            double rs = time.start() + r * rowNanos;
            double dt = Math.min(t1, rs + rowNanos) - Math.max(t0, rs);
            if (dt <= 0) {
                continue;
            }
            for (int c = c0; c <= c1; c++) {
                double cs = addr.start() + c * colBytes;
                double db = Math.min(a1, cs + colBytes) - Math.max(a0, cs);
                if (db > 0) {
                    heat[r][c] += rate * dt * db;
                }
            }
        }
    }

    /**
     * @return the address ranges the target's regions covered over all
     *     snapshots, merged where they touch or overlap, lowest first
     * @throws IllegalArgumentException if the target has no region in any snapshot
     */
    public static List<Range> coveredRanges(List<AggregationSnapshot> snapshots, int targetIndex) {
        CoveredRanges covered = new CoveredRanges();
        for (AggregationSnapshot s : snapshots) {
            if (s.targets().size() > targetIndex) {
                covered.add(s.targets().get(targetIndex).regions());
            }
        }
        if (covered.isEmpty()) {
            throw new IllegalArgumentException("target " + targetIndex + " has no regions in any snapshot");
        }
        return covered.ranges();
    }

    /**
     * The address range a heatmap shows by default: from the lowest to the
     * highest monitored address when that span is at most
     * {@value #WHOLE_SPAN_FACTOR} times the monitored bytes (the gaps are
     * small, as between the sim workloads' regions), otherwise the largest
     * contiguous monitored range (the gaps dominate, as between a process's
     * heap, mmap area and stack; the whole span would show nothing but gaps).
     *
     * @param covered the monitored ranges, as {@link #coveredRanges} gives them
     * @return the range to show
     */
    public static Range defaultAddressRange(List<Range> covered) {
        if (covered.isEmpty()) {
            throw new IllegalArgumentException("no monitored ranges to choose from");
        }
        Range whole = new Range(covered.get(0).start(), covered.get(covered.size() - 1).end());
        double monitored = 0;
        for (Range r : covered) {
            monitored += r.length();
        }
        // doubles: a 64-bit span (a process's stack near the top) overflows a long product
        return (double) whole.length() <= WHOLE_SPAN_FACTOR * monitored ? whole : largest(covered);
    }

    /** @return the longest range, the lowest of equals */
    private static Range largest(List<Range> ranges) {
        Range best = ranges.get(0);
        for (Range r : ranges) {
            if (r.length() > best.length()) {
                best = r;
            }
        }
        return best;
    }

    /**
     * The address range a heatmap of these snapshots shows by default: the
     * whole span when gaps are small (as {@link #defaultAddressRange(List)}),
     * otherwise the monitored range that saw the most accesses (the sum of
     * region size times access count over all snapshots), so that a process's
     * busy mmap area is shown rather than a larger idle heap; the largest
     * range when nothing was accessed.
     *
     * @param covered the monitored ranges, as {@link #coveredRanges} gives them
     * @return the range to show
     */
    public static Range defaultAddressRange(List<Range> covered, List<AggregationSnapshot> snapshots,
            int targetIndex) {
        Range byShape = defaultAddressRange(covered);
        if (covered.size() < 2 || byShape.start() == covered.get(0).start()
                && byShape.end() == covered.get(covered.size() - 1).end()) {
            return byShape;
        }
        double[] accessed = new double[covered.size()];
        for (AggregationSnapshot s : snapshots) {
            if (s.targets().size() <= targetIndex) {
                continue;
            }
            for (RegionSnapshot r : s.targets().get(targetIndex).regions()) {
                int k = indexOfRangeHolding(covered, r.start());
                if (k >= 0) {
                    accessed[k] += (double) r.size() * r.nrAccesses();
                }
            }
        }
        int busiest = -1;
        for (int k = 0; k < accessed.length; k++) {
            if (accessed[k] > 0 && (busiest < 0 || accessed[k] > accessed[busiest])) {
                busiest = k;
            }
        }
        return busiest < 0 ? byShape : covered.get(busiest);
    }

    private static int indexOfRangeHolding(List<Range> ranges, long address) {
        int lo = 0;
        int hi = ranges.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Range r = ranges.get(mid);
            if (address < r.start()) {
                hi = mid - 1;
            } else if (address >= r.end()) {
                lo = mid + 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** @return for the footer: how {@code chosen} relates to the monitored ranges */
    private static String describeChoice(List<Range> covered, Range chosen) {
        if (covered.size() == 1) {
            return "the monitored range";
        }
        long monitored = 0;
        for (Range r : covered) {
            monitored += r.length();
        }
        Range first = covered.get(0);
        Range last = covered.get(covered.size() - 1);
        if (chosen.start() == first.start() && chosen.end() == last.end()) {
            return "all " + covered.size() + " monitored ranges (" + UnitFormat.bytes(monitored) + " monitored, gaps "
                    + "included)";
        }
        List<Range> others = new ArrayList<>(covered);
        others.remove(chosen);
        others.sort((x, y) -> Long.compare(y.length(), x.length()));
        StringBuilder sb = new StringBuilder("the most accessed of ").append(covered.size())
                .append(" monitored ranges (the gaps between them dominate); others: ");
        int shown = Math.min(3, others.size());
        for (int i = 0; i < shown; i++) {
            Range r = others.get(i);
            sb.append(i == 0 ? "" : ", ").append(UnitFormat.address(r.start())).append(' ')
                    .append(UnitFormat.address(r.end())).append(" (").append(UnitFormat.bytes(r.length())).append(')');
        }
        if (others.size() > shown) {
            sb.append(" and ").append(others.size() - shown).append(" smaller");
        }
        return sb.toString();
    }

    /**
     * @return the largest address range that the target's regions covered
     *     without a gap, over all snapshots
     */
    public static Range largestCoveredRange(List<AggregationSnapshot> snapshots, int targetIndex) {
        return largest(coveredRanges(snapshots, targetIndex));
    }

    /**
     * @param note appended to the title, e.g. which primitive and sensor produced the data
     * @return a copy whose title (text footer and image title) carries the note
     */
    public Heatmap withNote(String note) {
        if (note == null || note.isBlank()) {
            return this;
        }
        return new Heatmap(title + "; " + note, addresses, addressChoice, times, heat);
    }

    /**
     * @param choice how the addresses shown were chosen, for the footer, e.g.
     *     {@code the hottest of 3 monitored ranges}
     * @return a copy whose footer says so
     * @since 2.0
     */
    public Heatmap withAddressChoice(String choice) {
        return new Heatmap(title, addresses, choice, times, heat);
    }

    /** @return the number of time slices */
    public int rows() {
        return heat.length;
    }

    /** @return the number of address slices */
    public int columns() {
        return heat[0].length;
    }

    /** @return the addresses shown */
    public Range addresses() {
        return addresses;
    }

    /**
     * @return how the addresses shown were chosen, e.g. {@code as asked} or
     *     {@code the largest of 3 monitored ranges ...}
     */
    public String addressChoice() {
        return addressChoice;
    }

    /** @return the times shown, in the snapshots' nanoseconds */
    public Range times() {
        return times;
    }

    /** @return the average access rate (0 to 1) of a cell */
    public double heat(int row, int column) {
        return heat[row][column];
    }

    /** @return the hottest cell's heat */
    public double maxHeat() {
        return maxHeat;
    }

    /** @return a digit 0-9: the cell's heat relative to the hottest cell, in tenths (capped at 9) */
    public int level(int row, int column) {
        if (maxHeat <= 0) {
            return 0;
        }
        return (int) Math.min(9, Math.floor(heat[row][column] / maxHeat * 10));
    }

    /**
     * @return the text heatmap: one line of digits per time slice, earliest
     *     first, lowest address left, then damo-style comment lines naming
     *     the axes, the scale and the resolution
     */
    public String toText() {
        StringBuilder sb = new StringBuilder((columns() + 1) * rows() + 512);
        for (int r = 0; r < rows(); r++) {
            for (int c = 0; c < columns(); c++) {
                sb.append((char) ('0' + level(r, c)));
            }
            sb.append('\n');
        }
        sb.append(String.format(Locale.ROOT,
                "# access_frequency: 0-9, tenths of the hottest cell (9 = %.1f%% of samples accessed)%n",
                maxHeat * 100));
        sb.append("# x-axis: space (").append(UnitFormat.address(addresses.start())).append('-')
                .append(UnitFormat.address(addresses.end())).append(": ").append(UnitFormat.bytes(addresses.length()))
                .append(")\n");
        sb.append("# y-axis: time (").append(UnitFormat.nanos(times.start())).append('-')
                .append(UnitFormat.nanos(times.end())).append(": ").append(UnitFormat.nanos(times.length())).append(")\n");
        sb.append("# resolution: ").append(columns()).append('x').append(rows()).append(" (")
                .append(UnitFormat.bytes((double) addresses.length() / columns())).append(" and ")
                .append(UnitFormat.nanos((double) times.length() / rows())).append(" for each character)\n");
        sb.append("# address range: ").append(addressChoice);
        if (!addressChoice.equals(AS_ASKED)) {
            sb.append("; choose another with --address-range START END");
        }
        sb.append('\n');
        sb.append("# ").append(title).append('\n');
        return sb.toString();
    }

    /**
     * Draws the heatmap: time on the x axis (left to right), address on the y
     * axis (low at the bottom), with tick labels, axis titles, a title and a
     * color legend of the access rate.
     *
     * @param width image width in pixels, at least 300
     * @param height image height in pixels, at least 200
     */
    public BufferedImage toImage(int width, int height) {
        if (width < 300 || height < 200) {
            throw new IllegalArgumentException("a heatmap image needs at least 300x200 pixels, not " + width + "x"
                    + height);
        }
        ensureHeadless();
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
            g.setFont(font);
            FontMetrics fm = g.getFontMetrics();
            int labelWidth = 0;
            for (int i = 0; i <= 5; i++) {
                labelWidth = Math.max(labelWidth,
                        fm.stringWidth(UnitFormat.address(addresses.start() + addresses.length() / 5 * i)));
            }
            int left = 26 + labelWidth + 10;
            int right = 110;
            int top = 34;
            int bottom = 54;
            int pw = width - left - right;
            int ph = height - top - bottom;

            // cells
            for (int r = 0; r < rows(); r++) {
                int x0 = left + (int) ((long) r * pw / rows());
                int x1 = left + (int) ((long) (r + 1) * pw / rows());
                for (int c = 0; c < columns(); c++) {
                    int y1 = top + ph - (int) ((long) c * ph / columns());
                    int y0 = top + ph - (int) ((long) (c + 1) * ph / columns());
                    g.setColor(color(maxHeat <= 0 ? 0 : heat[r][c] / maxHeat));
                    g.fillRect(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
                }
            }
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1));
            g.drawRect(left, top, pw, ph);

            // x axis: time
            for (int i = 0; i <= 5; i++) {
                int x = left + i * pw / 5;
                g.drawLine(x, top + ph, x, top + ph + 5);
                String label = UnitFormat.nanos((double) times.length() * i / 5);
                g.drawString(label, Math.min(width - fm.stringWidth(label) - 2, Math.max(2, x - fm.stringWidth(label) / 2)),
                        top + ph + 8 + fm.getAscent());
            }
            String xTitle = times.start() == 0 ? "time since the run started"
                    : "time since " + UnitFormat.nanos(times.start());
            g.drawString(xTitle, left + (pw - fm.stringWidth(xTitle)) / 2, height - 10);

            // y axis: address
            for (int i = 0; i <= 5; i++) {
                int y = top + ph - i * ph / 5;
                g.drawLine(left - 5, y, left, y);
                String label = UnitFormat.address(addresses.start() + addresses.length() / 5 * i);
                g.drawString(label, left - 8 - fm.stringWidth(label), y + fm.getAscent() / 2);
            }
            Graphics2D gy = (Graphics2D) g.create();
            gy.rotate(-Math.PI / 2);
            String yTitle = "address (" + UnitFormat.bytes(addresses.length()) + ")";
            gy.drawString(yTitle, -(top + (ph + fm.stringWidth(yTitle)) / 2), 16);
            gy.dispose();

            // title
            Font bold = font.deriveFont(Font.BOLD, 14f);
            g.setFont(bold);
            g.drawString("access heatmap: " + title, left, 22);
            g.setFont(font);

            // legend: access rate scale
            int lx = left + pw + 24;
            int lw = 18;
            for (int y = 0; y < ph; y++) {
                g.setColor(color(1.0 - (double) y / ph));
                g.drawLine(lx, top + y, lx + lw, top + y);
            }
            g.setColor(Color.BLACK);
            g.drawRect(lx, top, lw, ph);
            g.drawString(String.format(Locale.ROOT, "%.1f%%", maxHeat * 100), lx + lw + 4, top + fm.getAscent());
            g.drawString("0%", lx + lw + 4, top + ph);
            g.drawString("access", lx - 4, top + ph + 8 + fm.getAscent());
            g.drawString("rate", lx - 4, top + ph + 8 + 2 * fm.getAscent());
        } finally {
            g.dispose();
        }
        return img;
    }

    /**
     * Writes {@link #toImage} as a new PNG file, the way
     * {@link io.jdamon.record.OutputFiles} creates files: under an
     * unpredictable temporary name next to {@code file} first, then given its
     * name, which fails if anything (a file, a planted link) is there by then.
     *
     * @throws java.nio.file.FileAlreadyExistsException if {@code file} exists;
     *     move it aside first ({@link io.jdamon.record.OutputFiles#moveAside})
     */
    public void writePng(Path file, int width, int height) throws IOException {
        BufferedImage img = toImage(width, height);
        io.jdamon.record.OutputFiles.Temp tmp = io.jdamon.record.OutputFiles.createTemp(file, ".png.tmp");
        try {
            try (OutputStream out = java.nio.channels.Channels.newOutputStream(tmp.channel())) {
                if (!ImageIO.write(img, "png", out)) {
                    throw new IOException("this Java runtime has no PNG writer");
                }
            }
            io.jdamon.record.OutputFiles.publish(tmp.path(), file.toAbsolutePath());
        } catch (IOException | RuntimeException e) {
            tmp.discard();
            throw e;
        }
    }

    /** Black (not accessed) through red to yellow (the hottest cell); never the white background. */
    static Color color(double fraction) {
        double f = Math.max(0, Math.min(1, fraction));
        int r = (int) Math.round(255 * Math.min(1, f * 2));
        int g = (int) Math.round(255 * Math.max(0, f * 2 - 1));
        return new Color(r, g, 0);
    }

    private static void ensureHeadless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
