package io.jdamon.itests.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * What a running container serves besides the live page: {@code /metrics},
 * whose text passes {@code promtool check metrics} and which a real
 * Prometheus (config written here, scraping on loopback) stores; and record
 * files of its {@code records/} folder, and nothing outside it.
 */
class MetricsTest {

    private static final String CONTEXT = "io.jdamon.context-stairs.cfg";
    /** The context has a recorder, so that a callback's hook time is served. */
    private static final String STAIRS = "primitive = sim\ntargets = virtual:stairs_30secs\ncallbacks = rec\n";
    private static final double STAIRS_BYTES = 100.0 * 1024 * 1024;

    @TempDir
    static Path shared;
    /** One container for both tests: starting one is most of their time. */
    private static WebContainer c;

    @BeforeAll
    static void startContainer() throws Exception {
        c = new WebContainer(shared, Tools.freePort(), CONTEXT, STAIRS, "io.jdamon.record-rec.cfg",
                "name = rec\nfile = " + shared.resolve("stairs.data") + "\n");
    }

    @AfterAll
    static void stopContainer() throws Exception {
        c.close();
    }

    @Test
    @Timeout(100)
    void prometheusScrapesTheWorkingSetSize(@TempDir Path dir) throws Exception {
        Path prometheus = Tools.require("prometheus", "prometheus");
        int port = c.port;
        int promPort = Tools.freePort();
        {
            c.awaitGet("/metrics", b -> b.contains("jdamon_wss_bytes{"), Duration.ofSeconds(60));
            // --web listens on loopback only: 127.0.0.1 as /proc/net/tcp{,6} write it
            assertThat(OffByDefaultTest.listeningSockets(c.pid()).values()).as("the container's listening sockets")
                    .isNotEmpty().allSatisfy(a -> assertThat(a).matches("(0100007F|0{16}FFFF0{4}0100007F):[0-9A-F]{4}"));
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                    + "scrape_configs:\n  - job_name: jdamon\n    static_configs:\n"
                    + "      - targets: ['127.0.0.1:" + port + "']\n");
            Path log = dir.resolve("prometheus.log");
            Process p = new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + promPort)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                HttpClient http = HttpClient.newHttpClient();
                String query = URLEncoder.encode("jdamon_wss_bytes{context=\"stairs\"}", StandardCharsets.UTF_8);
                URI uri = URI.create("http://127.0.0.1:" + promPort + "/api/v1/query?query=" + query);
                JsonArray result = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline && (result == null || result.isEmpty())) {
                    assertThat(p.isAlive()).as("prometheus runs; its log:\n" + Files.readString(log)).isTrue();
                    try {
                        String body = http.send(HttpRequest.newBuilder(uri).build(),
                                HttpResponse.BodyHandlers.ofString()).body();
                        result = JsonParser.parseString(body).getAsJsonObject().getAsJsonObject("data")
                                .getAsJsonArray("result");
                    } catch (java.io.IOException | RuntimeException notYet) {
                        // prometheus is still starting
                    }
                    Thread.sleep(200); // polling an outside process: the interval between tries
                }
                assertThat(result).as("Prometheus has the series jdamon_wss_bytes{context=\"stairs\"} within 60 s;"
                        + " its log:\n" + Files.readString(log)).isNotNull().isNotEmpty();
                JsonObject series = result.get(0).getAsJsonObject();
                JsonObject labels = series.getAsJsonObject("metric");
                assertThat(labels.get("primitive").getAsString()).isEqualTo("sim");
                assertThat(labels.get("target").getAsString()).isEqualTo("virtual:stairs_30secs");
                assertThat(labels.get("sensor").getAsString()).isNotEmpty();
                double wss = Double.parseDouble(series.getAsJsonArray("value").get(1).getAsString());
                assertThat(wss).as("the WSS Prometheus stored: within the workload's 100 MiB")
                        .isGreaterThan(0).isLessThanOrEqualTo(STAIRS_BYTES);
            } finally {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    @Test
    @Timeout(90)
    void metricsTextPassesPromtool(@TempDir Path dir) throws Exception {
        Path promtool = Tools.require("promtool", "prometheus");
        {
            String text = c.awaitGet("/metrics", b -> b.contains("jdamon_wss_bytes{"), Duration.ofSeconds(60));
            Path file = dir.resolve("metrics.txt");
            Files.writeString(file, text);
            Files.writeString(Tools.artifacts().resolve("metrics.txt"), text);
            Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(file.toFile())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("promtool check metrics: " + out + "\non:\n" + text).isZero();
            for (String family : new String[] {"jdamon_context_state", "jdamon_samples_total",
                    "jdamon_aggregations_total", "jdamon_regions", "jdamon_wss_bytes", "jdamon_monitored_bytes",
                    "jdamon_access_rate_bucket_bytes", "jdamon_aggregation_interval_seconds",
                    "jdamon_sample_interval_seconds"}) {
                assertThat(text).as("family " + family).contains("\n" + family + "{context=\"stairs\"");
            }
            assertThat(text).contains("jdamon_context_state{context=\"stairs\",primitive=\"sim\"");
            // what the run costs: the sensor's and the recorder's time so far, late aggregations (maybe 0)
            assertThat(counter(text, "jdamon_sensor_seconds_total{context=\"stairs\"")).as("sensor seconds")
                    .isPositive();
            assertThat(counter(text, "jdamon_callback_hook_seconds_total{callback=\"rec\",context=\"stairs\""))
                    .as("the recorder's hook seconds").isPositive();
            assertThat(counter(text, "jdamon_callback_hooks_total{callback=\"rec\",context=\"stairs\""))
                    .as("the recorder's hook calls").isGreaterThanOrEqualTo(
                            counter(text, "jdamon_samples_total{context=\"stairs\""));
            assertThat(counter(text, "jdamon_primitive_hook_seconds_total{context=\"stairs\"")).isPositive();
            assertThat(counter(text, "jdamon_late_aggregations_total{context=\"stairs\"")).isNotNegative();
            // the Grafana dashboard the distribution ships asks only for series the endpoint serves
            String dashboard = Files.readString(c.home.resolve("grafana/jdamon-dashboard.json"));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("jdamon_[a-z_]+").matcher(dashboard);
            int names = 0;
            while (m.find()) {
                names++;
                assertThat(text).as("the dashboard's " + m.group()).contains("\n" + m.group() + "{");
            }
            assertThat(names).as("series the dashboard shows").isGreaterThanOrEqualTo(5);
        }
    }

    /** @return the value of the one series whose line starts with {@code series} (name and first labels) */
    private static double counter(String text, String series) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\n" + java.util.regex.Pattern.quote(series)
                + "[^}]*\\} (\\S+)").matcher(text);
        assertThat(m.find()).as("a series " + series + "...} in:\n" + text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    @Timeout(90)
    void recordFilesOpenFromTheRecordsFolderOnly() throws Exception {
        Path records = c.home.resolve("records");
        ProcessBuilder b = new ProcessBuilder("bash", c.home.resolve("bin/jdamon").toString(), "record", "--sim",
                "stairs_30secs", "--duration", "3s", "-o", records.resolve("run.data").toString())
                .redirectErrorStream(true);
        b.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        Files.writeString(shared.resolve("secret.data"), "{}");
        Files.createSymbolicLink(records.resolve("link.data"), shared.resolve("secret.data"));

        assertThat(c.get("/jdamon/api/records")).contains("\"name\":\"run.data\"").doesNotContain("link.data");
        String rec = c.get("/jdamon/api/record?file=run.data");
        assertThat(rec).as("the record as heatmap columns").contains("\"context\":\"record\"", "\"columns\":[");
        int snapshots = rec.split("\"seq\":", -1).length - 1;
        java.util.regex.Matcher recorded = java.util.regex.Pattern.compile("(\\d+) snapshots recorded").matcher(out);
        assertThat(recorded.find()).as("record says how many snapshots it wrote: " + out).isTrue();
        assertThat(snapshots).as("columns, one per snapshot recorded").isEqualTo(Integer.parseInt(recorded.group(1)))
                .isPositive();

        HttpClient http = HttpClient.newHttpClient();
        for (String bad : new String[] {"..%2Fsecret.data", "%2Fetc%2Fpasswd", "link.data", "..", "nothere.data"}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(c.uri("/jdamon/api/record?file=" + bad)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("file=" + bad + ": " + r.body()).isIn(403, 404);
            assertThat(r.body()).doesNotContain("{}");
        }
    }
}
