package io.jdamon.itests.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Headless Chromium opens the live page of a running {@code virtual:stairs_30secs}
 * context, waits until the heatmap has drawn the first two one-region phases,
 * and reads the canvas' pixels: hot where the workload is, cold elsewhere.
 * The page's screenshot is kept as {@code target/web-page.png}.
 */
class LivePageTest {

    private static final long MIB = 1024 * 1024;
    // the sim's layout (bundles/sim/README.md): regions in config order from 4 GiB, 16 MiB apart
    private static final long BASE = 4L << 30;
    private static final long REGION = 10 * MIB;
    private static final long GAP = 16 * MIB;
    private static final int REGIONS = 10;
    // stairs_30secs: all regions for 5 s, then each alone for 2.5 s
    private static final double ALL_SECONDS = 5.0;
    private static final double STEP_SECONDS = 2.5;
    /** Columns this close to a phase change are not judged (the phase clock and the run's differ a little). */
    private static final double MARGIN_SECONDS = 0.6;

    @Test
    @Timeout(110)
    void heatmapShowsStairsHotWhereTheWorkloadIs(@TempDir Path dir) throws Exception {
        Path chromium = Tools.require("chromium", "chromium");
        int port = Tools.freePort();
        try (WebContainer c = new WebContainer(dir, port, "io.jdamon.context-stairs.cfg",
                "primitive = sim\ntargets = virtual:stairs_30secs\n");
                Chromium browser = new Chromium(chromium, dir)) {
            c.awaitGet("/jdamon/api/statuses", b -> b.contains("\"RUNNING\""), Duration.ofSeconds(60));
            browser.navigate("http://127.0.0.1:" + port + "/jdamon/context?name=stairs");

            // wait until the page has drawn columns past the end of region 1's phase
            double wantSeconds = ALL_SECONDS + 2 * STEP_SECONDS + 0.3;
            JsonObject hook = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(70).toNanos();
            while (System.nanoTime() < deadline) {
                String h = browser.evaluate("window.jdamonHook ? JSON.stringify({hook: window.jdamonHook,"
                        + " png: document.getElementById('heatmap').toDataURL('image/png')}) : ''");
                if (!h.isEmpty()) {
                    JsonObject o = JsonParser.parseString(h).getAsJsonObject();
                    JsonArray times = o.getAsJsonObject("hook").getAsJsonArray("times");
                    if (times.size() > 0 && times.get(times.size() - 1).getAsDouble() >= wantSeconds
                            && o.getAsJsonObject("hook").getAsJsonArray("latenciesMs").size() > 0) {
                        hook = o;
                        break;
                    }
                }
                Thread.sleep(200); // polling the browser: the interval between looks
            }
            assertThat(hook).as("the page drew the heatmap up to " + wantSeconds + " s within 70 s; container log:\n"
                    + c.log() + "\nchromium log:\n" + browser.log()).isNotNull();
            Path shot = Tools.artifacts().resolve("web-page.png");
            Files.write(shot, browser.screenshot());

            JsonObject h = hook.getAsJsonObject("hook");
            String png = hook.get("png").getAsString();
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(
                    Base64.getDecoder().decode(png.substring(png.indexOf(',') + 1))));
            Files.write(Tools.artifacts().resolve("web-heatmap.png"),
                    Base64.getDecoder().decode(png.substring(png.indexOf(',') + 1)));
            double lo = h.get("lo").getAsDouble(), hi = h.get("hi").getAsDouble();
            int rows = h.get("rows").getAsInt();
            double cw = h.get("colWidth").getAsDouble();
            assertThat(lo).as("the heatmap's lowest address: the first region's start").isEqualTo((double) BASE);
            assertThat(hi).as("its highest: the last region's end")
                    .isEqualTo((double) (BASE + (REGIONS - 1) * (REGION + GAP) + REGION));

            JsonArray starts = h.getAsJsonArray("starts"), ends = h.getAsJsonArray("times");
            List<String> wrong = new ArrayList<>();
            int[] judged = new int[3]; // columns judged in phase all, region 0 alone, region 1 alone
            for (int i = 0; i < ends.size(); i++) {
                double t0 = starts.get(i).getAsDouble(), t1 = ends.get(i).getAsDouble();
                int hotRegion; // -1: all
                if (t1 < ALL_SECONDS - MARGIN_SECONDS && t0 > 0) {
                    hotRegion = -1;
                } else {
                    double k = Math.floor((t0 - ALL_SECONDS - MARGIN_SECONDS) / STEP_SECONDS);
                    double phaseEnd = ALL_SECONDS + (k + 1) * STEP_SECONDS;
                    if (k < 0 || k > 1 || t1 > phaseEnd - MARGIN_SECONDS) {
                        continue;
                    }
                    hotRegion = (int) k;
                }
                judged[hotRegion + 1]++;
                int x = (int) Math.floor((i + 0.5) * cw);
                for (int r = 0; r < REGIONS; r++) {
                    long start = BASE + r * (REGION + GAP);
                    int yTop = (int) Math.ceil((hi - (start + REGION)) / (hi - lo) * rows) + 2;
                    int yBottom = (int) Math.floor((hi - start) / (hi - lo) * rows) - 2;
                    boolean hot = hotRegion == -1 || hotRegion == r;
                    for (int y = yTop; y <= yBottom; y++) {
                        int red = (img.getRGB(x, y) >> 16) & 0xff;
                        if (hot ? red < 200 : red > 60) {
                            wrong.add(String.format("t=%.2f-%.2f s region %d row %d: red %d, expected %s", t0, t1, r, y,
                                    red, hot ? "hot (>= 200)" : "cold (<= 60)"));
                        }
                    }
                }
            }
            assertThat(Arrays.stream(judged).min().getAsInt()).as("columns judged in the phases 'all', 'region 0',"
                    + " 'region 1': " + Arrays.toString(judged)).isGreaterThanOrEqualTo(2);
            assertThat(wrong).as("heatmap pixels that disagree with stairs_30secs (screenshot " + shot + ")").isEmpty();

            JsonArray lat = h.getAsJsonArray("latenciesMs");
            long[] ms = new long[lat.size()];
            for (int i = 0; i < ms.length; i++) {
                ms[i] = lat.get(i).getAsLong();
            }
            Arrays.sort(ms);
            String figures = String.format("update latency, server saw the aggregation -> page drew it (ms): n=%d"
                    + " median=%d p95=%d max=%d (+ up to 20 ms poll)%n", ms.length, ms[ms.length / 2],
                    ms[(int) (ms.length * 0.95)], ms[ms.length - 1]);
            Files.writeString(Tools.artifacts().resolve("web-latency.txt"), figures);
            System.out.print(figures);

            // the index lists the context with its state, pushed as well
            browser.navigate("http://127.0.0.1:" + port + "/jdamon/");
            String row = "";
            long indexDeadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < indexDeadline && !(row.contains("stairs") && row.contains("RUNNING"))) {
                Thread.sleep(100); // polling the browser
                row = browser.evaluate("document.getElementById('contexts') ? document.getElementById('contexts')"
                        + ".textContent : ''");
            }
            assertThat(row).as("the index's contexts").contains("stairs", "RUNNING", "sim", "simulated-accessed-bit");
        }
    }
}
