package io.jdamon.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.TargetSnapshot;

class HeatmapTest {

    @TempDir
    Path dir;

    @Test
    void stairsAreHotOnTheDiagonalOnly() {
        Heatmap h = Heatmap.of(Stairs.snapshots(), 0, 10, 10, null, null);
        assertThat(h.addresses()).isEqualTo(new Range(Stairs.BASE, Stairs.BASE + 100 * Stairs.MIB));
        assertThat(h.times()).isEqualTo(new Range(0, 10 * Stairs.STEP_NANOS));
        for (int r = 0; r < 10; r++) {
            for (int c = 0; c < 10; c++) {
                if (r == c) {
                    assertThat(h.heat(r, c)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
                    assertThat(h.level(r, c)).isEqualTo(9);
                } else {
                    assertThat(h.heat(r, c)).isZero();
                    assertThat(h.level(r, c)).isZero();
                }
            }
        }
    }

    @Test
    void finerGridSplitsCellsProportionally() {
        // 20 rows x 40 columns: each snapshot spans 2 rows, each region 4 columns
        Heatmap h = Heatmap.of(Stairs.snapshots(), 0, 20, 40, null, null);
        for (int r = 0; r < 20; r++) {
            for (int c = 0; c < 40; c++) {
                assertThat(h.level(r, c)).as("cell %d,%d", r, c).isEqualTo(r / 2 == c / 4 ? 9 : 0);
            }
        }
        // a coarser grid averages: 5 rows x 5 columns, each cell holds 2 snapshots x 2 regions, 2 of 4 hot
        Heatmap coarse = Heatmap.of(Stairs.snapshots(), 0, 5, 5, null, null);
        assertThat(coarse.heat(0, 0)).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(coarse.heat(0, 1)).isZero();
    }

    @Test
    void textHasOneDigitPerCellAndDamoStyleFooter() {
        Heatmap h = Heatmap.of(Stairs.snapshots(), 0, 10, 20, null, null);
        String[] lines = h.toText().split("\n");
        for (int r = 0; r < 10; r++) {
            assertThat(lines[r]).hasSize(20).matches("[0-9]+");
        }
        assertThat(lines[0]).isEqualTo("99000000000000000000");
        assertThat(lines[9]).isEqualTo("00000000000000000099");
        assertThat(lines[10]).startsWith("# access_frequency: 0-9").contains("100.0% of samples");
        assertThat(lines[11]).isEqualTo("# x-axis: space (0x40000000-0x46400000: 100.000 MiB)");
        assertThat(lines[12]).isEqualTo("# y-axis: time (0 ns-1 s: 1 s)");
        assertThat(lines[13]).isEqualTo("# resolution: 20x10 (5.000 MiB and 100 ms for each character)");
    }

    @Test
    void explicitRangesZoomIn() {
        Heatmap h = Heatmap.of(Stairs.snapshots(), 0, 2, 2, new Range(Stairs.BASE, Stairs.BASE + 20 * Stairs.MIB),
                new Range(0, 2 * Stairs.STEP_NANOS));
        assertThat(h.level(0, 0)).isEqualTo(9);
        assertThat(h.level(1, 1)).isEqualTo(9);
        assertThat(h.level(0, 1)).isZero();
        assertThat(h.level(1, 0)).isZero();
    }

    @Test
    void defaultAddressRangeIsTheLargestContiguousSpan() {
        long gib = 1L << 30;
        List<RegionSnapshot> regions = List.of(new RegionSnapshot(0x1000, 0x3000, 5, 0),
                new RegionSnapshot(gib, gib + 64 * Stairs.MIB, 5, 0),
                new RegionSnapshot(gib + 64 * Stairs.MIB, gib + 128 * Stairs.MIB, 0, 0),
                new RegionSnapshot(4 * gib, 4 * gib + Stairs.MIB, 1, 0));
        List<AggregationSnapshot> snaps = List.of(new AggregationSnapshot("p", 0, 0, 100, 5_000, 100_000,
                List.of(new TargetSnapshot(0, "pid=1", regions))));
        assertThat(Heatmap.largestCoveredRange(snaps, 0)).isEqualTo(new Range(gib, gib + 128 * Stairs.MIB));
    }

    /** One snapshot per layout: regions (start, end) of the target, all accessed at every sample. */
    private static List<AggregationSnapshot> layout(long[][] ranges) {
        List<RegionSnapshot> regions = new ArrayList<>();
        for (long[] r : ranges) {
            regions.add(new RegionSnapshot(r[0], r[1], 20, 0));
        }
        return List.of(new AggregationSnapshot("layout", 0, 0, 100_000_000, 5_000, 100_000,
                List.of(new TargetSnapshot(0, "t", regions))));
    }

    @Test
    void defaultAddressRangeIsTheWholeSpanWhenGapsAreSmall() {
        // sim's stairs layout: ten 10 MiB regions with 16 MiB gaps (244 MiB span, 100 MiB monitored)
        long[][] ranges = new long[10][];
        for (int i = 0; i < 10; i++) {
            long start = 0x1_0000_0000L + i * 26 * Stairs.MIB;
            ranges[i] = new long[] {start, start + 10 * Stairs.MIB};
        }
        List<AggregationSnapshot> snaps = layout(ranges);
        assertThat(Heatmap.coveredRanges(snaps, 0)).hasSize(10);
        Heatmap h = Heatmap.of(snaps, 0, 4, 244, null, null);
        assertThat(h.addresses()).isEqualTo(new Range(0x1_0000_0000L, 0x1_0f40_0000L));
        // every region shows: 1 MiB per column, hot columns at each region's place, cold gaps
        assertThat(h.level(0, 0)).isEqualTo(9);
        assertThat(h.level(0, 12)).isZero();
        assertThat(h.level(0, 9 * 26 + 5)).isEqualTo(9);
        String footer = h.toText().lines().filter(l -> l.startsWith("# address range: ")).findFirst().orElseThrow();
        assertThat(footer).isEqualTo("# address range: all 10 monitored ranges (100.000 MiB monitored, gaps included);"
                + " choose another with --address-range START END");
    }

    @Test
    void defaultAddressRangeIsTheLargestRangeWhenGapsDominate() {
        // vaddr's layout: heap, mmap area and stack, terabytes apart
        long heap = 0x5555_5555_0000L;
        long mmap = 0x7f00_0000_0000L;
        long stack = 0x7ffd_0000_0000L;
        List<AggregationSnapshot> snaps = layout(new long[][] {{heap, heap + 132 * 1024},
                {mmap, mmap + 600 * Stairs.MIB}, {stack, stack + 8 * Stairs.MIB}});
        Heatmap h = Heatmap.of(snaps, 0, 4, 60, null, null);
        assertThat(h.addresses()).isEqualTo(new Range(mmap, mmap + 600 * Stairs.MIB));
        assertThat(h.level(0, 0)).isEqualTo(9);
        assertThat(h.level(0, 59)).isEqualTo(9);
        assertThat(h.addressChoice()).startsWith("the most accessed of 3 monitored ranges")
                .contains(String.format(Locale.ROOT, "0x%x 0x%x (8.000 MiB)", stack, stack + 8 * Stairs.MIB))
                .contains("(132.000 KiB)");
        assertThat(h.toText()).contains("# address range: the most accessed of 3 monitored ranges")
                .contains("; choose another with --address-range START END\n");
        // the same layout with the heap grown to 1 TiB next to the mmap area: gaps no longer dominate
        long tib = 1L << 40;
        List<AggregationSnapshot> close = layout(new long[][] {{mmap - 2 * tib, mmap - tib},
                {mmap, mmap + tib}});
        assertThat(Heatmap.of(close, 0, 4, 60, null, null).addresses()).isEqualTo(new Range(mmap - 2 * tib,
                mmap + tib));
    }

    @Test
    void whenGapsDominateTheMostAccessedRangeIsShownNotTheLargest() {
        // a process whose large heap sits idle while a smaller mmap area is written
        long heap = 0x5618_0000_0000L;
        long mmap = 0x7f99_0000_0000L;
        List<RegionSnapshot> regions = List.of(new RegionSnapshot(heap, heap + 770 * Stairs.MIB, 0, 5),
                new RegionSnapshot(mmap, mmap + 64 * Stairs.MIB, 20, 5),
                new RegionSnapshot(mmap + 64 * Stairs.MIB, mmap + 78 * Stairs.MIB, 0, 5));
        List<AggregationSnapshot> snaps = List.of(new AggregationSnapshot("p", 0, 0, 100_000_000, 5_000, 100_000,
                List.of(new TargetSnapshot(0, "pid=1", regions))));
        Heatmap h = Heatmap.of(snaps, 0, 2, 78, null, null);
        assertThat(h.addresses()).isEqualTo(new Range(mmap, mmap + 78 * Stairs.MIB));
        assertThat(h.level(0, 10)).isEqualTo(9);
        assertThat(h.level(0, 70)).isZero();
        assertThat(h.addressChoice()).startsWith("the most accessed of 2 monitored ranges")
                .contains("(770.000 MiB)");

        // nothing accessed anywhere: the largest range, as before
        List<AggregationSnapshot> idle = List.of(new AggregationSnapshot("p", 0, 0, 100_000_000, 5_000, 100_000,
                List.of(new TargetSnapshot(0, "pid=1", List.of(new RegionSnapshot(heap, heap + 770 * Stairs.MIB, 0, 5),
                        new RegionSnapshot(mmap, mmap + 78 * Stairs.MIB, 0, 5))))));
        assertThat(Heatmap.of(idle, 0, 2, 10, null, null).addresses())
                .isEqualTo(new Range(heap, heap + 770 * Stairs.MIB));
    }

    @Test
    void anExplicitAddressRangeIsNamedAsAsked() {
        Heatmap h = Heatmap.of(Stairs.snapshots(), 0, 2, 2, new Range(Stairs.BASE, Stairs.BASE + 20 * Stairs.MIB),
                null);
        assertThat(h.toText()).contains("# address range: as asked\n").doesNotContain("choose another");
    }

    /** Stairs whose snapshots start 0.3 ms before the previous one ended, as files recorded with late end times do. */
    private static List<AggregationSnapshot> overlappingStairs(int nrAccesses) {
        List<AggregationSnapshot> out = new ArrayList<>();
        for (AggregationSnapshot s : Stairs.snapshots()) {
            List<RegionSnapshot> regions = new ArrayList<>();
            for (RegionSnapshot r : s.targets().get(0).regions()) {
                regions.add(new RegionSnapshot(r.start(), r.end(), nrAccesses, r.age()));
            }
            long start = Math.max(0, s.startNanos() - 300_000);
            out.add(new AggregationSnapshot("stairs", s.aggregationIndex(), start, s.endNanos(), 5_000, 100_000,
                    List.of(new TargetSnapshot(0, "stairs", regions))));
        }
        return out;
    }

    @Test
    void overlappingSnapshotsCountTheirSharedTimeOnce() {
        // every region at half the samples: each cell must be exactly 50%, not 50% plus the overlap
        Heatmap half = Heatmap.of(overlappingStairs(10), 0, 7, 13, null, null);
        for (int r = 0; r < half.rows(); r++) {
            for (int c = 0; c < half.columns(); c++) {
                assertThat(half.heat(r, c)).as("cell %d,%d", r, c)
                        .isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
            }
        }
        assertThat(half.toText()).contains("(9 = 50.0% of samples accessed)");
    }

    @Test
    void noCellOrLegendExceedsAHundredPercent() {
        // all accessed at every sample, overlapping times; and counts above the samples per aggregation
        for (int nr : new int[] {20, 21, 40}) {
            Heatmap h = Heatmap.of(overlappingStairs(nr), 0, 7, 13, null, null);
            for (int r = 0; r < h.rows(); r++) {
                for (int c = 0; c < h.columns(); c++) {
                    assertThat(h.heat(r, c)).as("nr %d cell %d,%d", nr, r, c).isLessThanOrEqualTo(1.0)
                            .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
                }
            }
            Matcher m = Pattern.compile("9 = ([0-9.]+)% of samples").matcher(h.toText());
            assertThat(m.find()).isTrue();
            assertThat(Double.parseDouble(m.group(1))).as("legend for nr %d", nr).isEqualTo(100.0);
        }
    }

    @Test
    void pngHasTheRequestedSizeAxesLegendAndHotCells() throws Exception {
        Path png = dir.resolve("heat.png");
        Heatmap.of(Stairs.snapshots(), 0, 10, 10, null, null).writePng(png, 640, 400);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(640);
        assertThat(img.getHeight()).isEqualTo(400);
        int white = 0;
        int yellow = 0;
        int black = 0;
        int other = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                if (rgb == 0xffffff) {
                    white++;
                } else if (rgb == 0xffff00) {
                    yellow++;
                } else if (rgb == 0x000000) {
                    black++;
                } else {
                    other++;
                }
            }
        }
        // hot cells: 10 of 100 cells are yellow, the rest black; so about 1:9 of the plot area
        assertThat(yellow).isGreaterThan(1000);
        assertThat(black).isGreaterThan(yellow * 6);
        assertThat(black).isLessThan(yellow * 12);
        // the legend's gradient and anti-aliased labels give in-between colors
        assertThat(other).isGreaterThan(500);
        assertThat(white).isGreaterThan(img.getWidth() * img.getHeight() / 10);
        // the labels left of the plot are drawn (dark text on the margin)
        int dark = 0;
        for (int y = 40; y < 340; y++) {
            for (int x = 0; x < 80; x++) {
                if ((img.getRGB(x, y) & 0xff) < 128) {
                    dark++;
                }
            }
        }
        assertThat(dark).isGreaterThan(50);
    }

    @Test
    void badArgumentsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> Heatmap.of(List.of(), 0, 10, 10, null, null))
                .hasMessageContaining("no snapshots");
        assertThatThrownBy(() -> Heatmap.of(Stairs.snapshots(), 3, 10, 10, null, null))
                .hasMessageContaining("there is no target 3");
        assertThatThrownBy(() -> Heatmap.of(Stairs.snapshots(), 0, 0, 10, null, null))
                .hasMessageContaining("at least 1x1");
    }
}
