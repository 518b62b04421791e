package io.jdamon.report.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jdamon.api.MeasuredRange;
import io.jdamon.api.MeasuredRound;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.record.RecordedSnapshot;
import io.jdamon.record.Recording;
import io.jdamon.record.TargetRecord;

/** What goes into the heatmap's temporary file comes back the same, and the file is private and removed. */
class SpilledSnapshotsTest {

    @Test
    void snapshotsComeBackAsTheyWentInAndTheFileGoes() throws Exception {
        TargetRecord record = new TargetRecord(0, 0, -1, "0", 5_000, 100_000, 1_000_000, "ctx", "spec", "sim",
                Map.of(), 1, List.of());
        List<RecordedSnapshot> in = new ArrayList<>();
        for (int i = 0; i < 300; i++) { // more than the first write buffer holds
            List<RegionSnapshot> regions = new ArrayList<>();
            for (int r = 0; r < 50 + i % 7; r++) {
                regions.add(new RegionSnapshot(0x1000L * r, 0x1000L * (r + 1), (r * i) % 21, r % 5));
            }
            List<MeasuredRound> rounds = i % 3 == 0 ? List.of()
                    : List.of(new MeasuredRound(i * 10L, i * 10L + 5, List.of(new MeasuredRange(0, 0x1000, i),
                            new MeasuredRange(0x8000, 0x9000, 7))));
            in.add(new RecordedSnapshot(i, i * 100_000_000L, (i + 1) * 100_000_000L, 5_000, 100_000,
                    regions.size() * 0x1000L, regions, 20, rounds));
        }
        // one snapshot larger than the write buffer (64 KiB): 4,000 regions of 24 bytes
        List<RegionSnapshot> big = new ArrayList<>();
        for (int r = 0; r < 4_000; r++) {
            big.add(new RegionSnapshot(0x1000L * r, 0x1000L * (r + 1), r % 20, 1));
        }
        in.add(new RecordedSnapshot(300, 0, 1, 5_000, 100_000, 4_000 * 0x1000L, big, 20, List.of()));

        SpilledSnapshots spill = new SpilledSnapshots();
        try {
            assertThat(Files.getPosixFilePermissions(spill.file())).as("owner-only")
                    .containsOnly(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            for (RecordedSnapshot s : in) {
                spill.add(record, 2, s);
            }
            spill.finish(null);
            assertThat(spill.size()).isEqualTo(in.size());
            assertThat(spill.anyMeasured()).isTrue();
            assertThat(spill.recorded()).isEqualTo(in);
            assertThat(spill.recorded()).as("a second look reads the same").isEqualTo(in);
            assertThat(spill.aggregations().get(5)).isEqualTo(Recording.aggregation(record, 2, in.get(5)));
        } finally {
            spill.close();
        }
        assertThat(spill.file()).doesNotExist();
    }
}
