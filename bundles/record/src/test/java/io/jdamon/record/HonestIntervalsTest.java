package io.jdamon.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextView;
import io.jdamon.api.IntervalsGoal;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.TargetView;

/**
 * Issue 12 D11/D12: the recorder writes the sample interval used, the time an
 * aggregation really took, the samples really taken and the run's time zero,
 * not the configured values. A {@link ContextView} stand-in says what the
 * engine did: the configured 5 ms / 100 ms, but a sensor that raised the
 * sample interval to 50 ms (2 samples per aggregation) and an aggregation
 * that took 130 ms.
 */
class HonestIntervalsTest {

    @TempDir
    Path dir;

    /** What the engine says it did; every answer a field the test sets. */
    static final class View implements ContextView, TargetView {
        MonitoringAttributes configured = MonitoringAttributes.DEFAULTS.withSampleIntervalUs(5_000)
                .withAggregationIntervalUs(100_000);
        long sampleUs = 50_000;
        int samples = 2;
        long startNanos = 0;
        long endNanos = 130_000_000;
        long aggregations = 0;
        Instant zero = Instant.parse("2026-12-01T10:00:00.123456Z");
        final int[] nr = {2, 1, 0};

        @Override public String name() { return "honest"; }
        @Override public String primitiveName() { return "stand-in"; }
        @Override public Map<String, String> primitiveProperties() { return Map.of("sensor", "referenced"); }
        @Override public MonitoringAttributes attributes() { return configured; }
        @Override public int targetCount() { return 1; }
        @Override public TargetView target(int i) { return this; }
        @Override public long samplesPassed() { return samples; }
        @Override public long aggregationsPassed() { return aggregations; }
        @Override public long elapsedNanos() { return endNanos; }
        @Override public long aggregationStartNanos() { return startNanos; }
        @Override public long aggregationEndNanos() { return endNanos; }
        @Override public long sampleIntervalUs() { return sampleUs; }
        @Override public int aggregationSamples() { return samples; }
        @Override public Instant startTime() { return zero; }
        @Override public int index() { return 0; }
        @Override public String spec() { return "pid=1"; }
        @Override public int regionCount() { return nr.length; }
        @Override public long regionStart(int i) { return 0x1000L * (i + 1) * 16; }
        @Override public long regionEnd(int i) { return 0x1000L * (i + 2) * 16; }
        @Override public int nrAccesses(int i) { return nr[i]; }
        @Override public int lastNrAccesses(int i) { return nr[i]; }
        @Override public long nrAccessesBp(int i) { return nr[i] * 10_000L; }
        @Override public int age(int i) { return 3; }
        @Override public long totalBytes() { return regionEnd(nr.length - 1) - regionStart(0); }
    }

    @Test
    void theFileSaysTheIntervalsAndSamplesThatHappened() throws Exception {
        Path file = dir.resolve("honest.data");
        RecordingCallback recorder = new RecordingCallback(file);
        View v = new View();
        assertThat(recorder.beforeStart(v)).isEqualTo(CallbackResult.CONTINUE);
        v.zero = Instant.parse("2026-12-01T10:00:01.5Z"); // time zero is set after beforeStart
        assertThat(recorder.afterAggregation(v)).isEqualTo(CallbackResult.CONTINUE);
        v.aggregations = 1;
        v.startNanos = 130_000_000;
        v.endNanos = 230_000_000;
        assertThat(recorder.afterAggregation(v)).isEqualTo(CallbackResult.CONTINUE);
        recorder.beforeTerminate(v);

        String json = Files.readString(file);
        assertThat(json).contains("\"intervals\": {\"sample_us\": 50000,");
        assertThat(json).contains("\"started\": \"2026-12-01T10:00:01.500Z\"");
        // first snapshot: 130 ms really elapsed for 2 samples: 65 ms apart on average, not the 50 ms aimed at
        assertThat(json).contains("\"sample_interval_us\": 65000, \"aggr_interval_us\": 130000, \"jdamon_samples\": 2");
        assertThat(json).contains("\"sample_interval_us\": 50000, \"aggr_interval_us\": 100000, \"jdamon_samples\": 2");
        // percent is out of the 2 samples taken, not the configured 20
        assertThat(json).contains("\"nr_accesses\": {\"samples\": 2, \"percent\": 100}");
        assertThat(json).contains("\"nr_accesses\": {\"samples\": 1, \"percent\": 50}");
        // age in microseconds: 3 aggregations of what they really took
        assertThat(json).contains("\"age\": {\"usec\": 390000, \"aggr_intervals\": 3}");
        // damo's rate, nr_accesses / (aggr_us / sample_us), agrees with percent in every snapshot,
        // the stretched first one included
        Matcher snap = Pattern.compile("(?s)\"regions\": \\[(.*?)\\],\\s*\"total_bytes\": \\d+, "
                + "\"sample_interval_us\": (\\d+), \"aggr_interval_us\": (\\d+)").matcher(json);
        int checked = 0;
        while (snap.find()) {
            long perAggr = Long.parseLong(snap.group(3)) / Long.parseLong(snap.group(2));
            Matcher m = Pattern.compile("\"samples\": (\\d+), \"percent\": (\\d+)").matcher(snap.group(1));
            while (m.find()) {
                assertThat(Long.parseLong(m.group(1)) * 100 / perAggr).isEqualTo(Long.parseLong(m.group(2)));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(6);

        Recording rec = RecordReader.read(file);
        assertThat(rec.records().get(0).sampleIntervalUs()).isEqualTo(50_000);
        assertThat(rec.records().get(0).started()).isEqualTo("2026-12-01T10:00:01.500Z");
        RecordedSnapshot first = rec.records().get(0).snapshots().get(0);
        assertThat(first.samplesTaken()).isEqualTo(2);
        assertThat(first.aggregationIntervalUs()).isEqualTo(130_000);
        assertThat(rec.aggregations().get(0).samplesPerAggregation()).isEqualTo(2);
        assertThat(rec.warnings()).isEmpty();
    }

    @Test
    void aTunedRunSaysItsGoalAsDamoWritesItAndEachSnapshotItsOwnIntervals() throws Exception {
        Path file = dir.resolve("tuned.data");
        RecordingCallback recorder = new RecordingCallback(file);
        View v = new View();
        v.configured = v.configured.withIntervalsGoal(IntervalsGoal.RECOMMENDED);
        v.sampleUs = 5_000;
        v.samples = 20;
        v.endNanos = 100_000_000;
        recorder.beforeStart(v);
        recorder.afterAggregation(v);
        // the kdamond tuned its intervals to 10 ms and 200 ms: 20 samples still
        v.aggregations = 1;
        v.sampleUs = 10_000;
        v.startNanos = 100_000_000;
        v.endNanos = 300_000_000;
        recorder.afterAggregation(v);
        recorder.beforeTerminate(v);

        String json = Files.readString(file);
        assertThat(json).contains("\"intervals\": {\"sample_us\": 5000, \"aggr_us\": 100000, \"ops_update_us\": "
                + "60000000, \"intervals_goal\": {\"access_bp\": 400, \"aggrs\": 3, \"min_sample_us\": 5000, "
                + "\"max_sample_us\": 10000000}}");
        assertThat(json).contains("\"sample_interval_us\": 5000, \"aggr_interval_us\": 100000, \"jdamon_samples\": 20");
        assertThat(json).contains("\"sample_interval_us\": 10000, \"aggr_interval_us\": 200000, \"jdamon_samples\": 20");
        Recording rec = RecordReader.read(file);
        assertThat(rec.snapshotCount()).isEqualTo(2);
        assertThat(rec.aggregations().get(1).sampleIntervalUs()).isEqualTo(10_000);
        assertThat(rec.warnings()).isEmpty();

        // damo reads the goal and both snapshots
        Damo.assumeAvailable();
        assertThat(Damo.snapshotsSeen(file)).isEqualTo(2);
    }

    @Test
    void aContextEndingBeforeItsFirstAggregationLeavesAValidEmptyRecord() throws Exception {
        Path file = dir.resolve("short.data");
        RecordingCallback recorder = new RecordingCallback(file);
        View v = new View();
        recorder.beforeStart(v);
        assertThat(Files.size(file)).as("the file exists (and is locked) from the start").isZero();
        recorder.beforeTerminate(v);
        Recording rec = RecordReader.read(file);
        assertThat(rec.complete()).isTrue();
        assertThat(rec.snapshotCount()).isZero();
        assertThat(rec.records().get(0).sampleIntervalUs()).isEqualTo(5_000); // nothing ran: the configured one
    }
}
