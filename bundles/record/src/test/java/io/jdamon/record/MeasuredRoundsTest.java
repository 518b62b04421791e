package io.jdamon.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.MeasuredRange;
import io.jdamon.api.MeasuredRound;
import io.jdamon.api.TargetSnapshot;

/**
 * What a primitive measured of whole ranges (referenced bytes per mapping)
 * survives the record file: written per snapshot as {@code jdamon_measured},
 * read back equal, refused with the place when corrupt, and ignored by damo.
 */
class MeasuredRoundsTest {

    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    /** Aggregation a with rounds: round k measures [BASE, BASE + 1 GiB) with (a + k + 1) * 16 MiB accessed. */
    private static AggregationSnapshot measured(long a, int rounds) {
        AggregationSnapshot plain = Snapshots.aggregation(a, 1, 5);
        List<MeasuredRound> rs = new ArrayList<>();
        for (int k = 0; k < rounds; k++) {
            long t0 = plain.startNanos() + k * 5_000_000L;
            rs.add(new MeasuredRound(t0, t0 + 4_000_000L, List.of(
                    new MeasuredRange(Snapshots.BASE, Snapshots.BASE + 1024 * MIB, (a + k + 1) * 16 * MIB),
                    new MeasuredRange(Snapshots.BASE + 2048 * MIB, Snapshots.BASE + 2049 * MIB, 4096))));
        }
        TargetSnapshot t = plain.targets().get(0);
        return new AggregationSnapshot(plain.contextName(), a, plain.startNanos(), plain.endNanos(),
                plain.sampleIntervalUs(), plain.aggregationIntervalUs(), plain.aggregationSamples(),
                List.of(new TargetSnapshot(0, t.spec(), t.regions(), rs)));
    }

    @Test
    void measuredRoundsRoundTripAndGiveTheWorkingSetSize() throws Exception {
        Path file = dir.resolve("measured.data");
        try (RecordWriter w = RecordWriter.create(file, Snapshots.header("ctx", 1))) {
            for (int a = 0; a < 4; a++) {
                w.append(measured(a, a == 3 ? 0 : 3)); // the last: a plain snapshot among measured ones
            }
        }
        TargetRecord r = RecordReader.read(file).records().get(0);
        assertThat(r.snapshots()).hasSize(4);
        for (int a = 0; a < 3; a++) {
            RecordedSnapshot s = r.snapshots().get(a);
            assertThat(s.measuredRounds()).isEqualTo(measured(a, 3).targets().get(0).measuredRounds());
            // per range the most of any round: (a + 3) * 16 MiB of the big mapping, 4 KiB of the small one
            assertThat(s.measuredWorkingSetBytes()).isEqualTo((a + 3) * 16 * MIB + 4096);
            assertThat(s.regions()).isEqualTo(Snapshots.aggregation(a, 1, 5).targets().get(0).regions());
        }
        assertThat(r.snapshots().get(3).measuredRounds()).isEmpty();
        assertThat(r.snapshots().get(3).measuredWorkingSetBytes()).isEqualTo(-1);

        // converted (compressed and back) the rounds stay
        Path z = dir.resolve("measured.zdata");
        RecordConvert.convert(file, z, RecordFormat.JSON_COMPRESSED);
        assertThat(RecordReader.read(z).records().get(0).snapshots().get(1).measuredRounds())
                .isEqualTo(r.snapshots().get(1).measuredRounds());
    }

    @Test
    void aMultiTargetRecordKeepsEachTargetsRoundsWhenItIsConsolidated() throws Exception {
        Path file = dir.resolve("two.data");
        try (RecordWriter w = RecordWriter.create(file, Snapshots.header("ctx", 2))) {
            for (int a = 0; a < 3; a++) {
                AggregationSnapshot plain = Snapshots.aggregation(a, 2, 4);
                List<TargetSnapshot> ts = new ArrayList<>();
                for (TargetSnapshot t : plain.targets()) {
                    ts.add(new TargetSnapshot(t.index(), t.spec(), t.regions(),
                            measured(a + t.index(), 2).targets().get(0).measuredRounds()));
                }
                w.append(new AggregationSnapshot(plain.contextName(), a, plain.startNanos(), plain.endNanos(),
                        plain.sampleIntervalUs(), plain.aggregationIntervalUs(), plain.aggregationSamples(), ts));
            }
        } // closing rewrites the running multi-target layout into damo's: the rounds must survive it
        Recording rec = RecordReader.read(file);
        assertThat(rec.needsRepair()).isFalse();
        for (int t = 0; t < 2; t++) {
            for (int a = 0; a < 3; a++) {
                assertThat(rec.records().get(t).snapshots().get(a).measuredRounds()).as("target %d snapshot %d", t, a)
                        .isEqualTo(measured(a + t, 2).targets().get(0).measuredRounds());
            }
        }
    }

    @Test
    void aCorruptMeasuredRangeIsRefusedWithItsPlace() throws Exception {
        Path file = dir.resolve("bad.data");
        try (RecordWriter w = RecordWriter.create(file, Snapshots.header("ctx", 1))) {
            w.append(measured(0, 2));
        }
        String text = Files.readString(file);
        String bad = text.replace(", " + 16 * MIB + "]", ", " + 2048 * MIB + "]");
        assertThat(bad).isNotEqualTo(text);
        Files.writeString(file, bad);
        assertThatThrownBy(() -> RecordReader.read(file)).isInstanceOf(RecordFileException.class)
                .hasMessageContaining("jdamon_measured round 0 range 0")
                .hasMessageContaining("cannot have " + 2048 * MIB + " bytes accessed");

        Files.writeString(file, text.replace("\"ranges\": [[", "\"ranges\": [[1, "));
        assertThatThrownBy(() -> RecordReader.read(file)).isInstanceOf(RecordFileException.class)
                .hasMessageContaining("is not [start, end, accessed_bytes]");
    }

    @Test
    void damoReadsAFileWithMeasuredRoundsAsAnyOther() throws Exception {
        Damo.assumeAvailable();
        Path file = dir.resolve("measured.data");
        try (RecordWriter w = RecordWriter.create(file, Snapshots.header("ctx", 1))) {
            for (int a = 0; a < 3; a++) {
                w.append(measured(a, 2));
            }
        }
        assertThat(Damo.snapshotsSeen(file)).isEqualTo(3);
    }
}
