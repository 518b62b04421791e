package io.jdamon.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

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
