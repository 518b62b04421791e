package io.jdamon.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12 E15, the reader's part: no hang, no wrong number, a message that says the limit and the way out. */
class ReaderRefusalsTest {

    @TempDir
    Path dir;

    private static String damoFile(String regions) {
        return "[{\"kdamond_idx\": 0, \"context_idx\": 0, \"intervals\": {\"sample_us\": 5000, \"aggr_us\": 100000, "
                + "\"ops_update_us\": 1000000}, \"scheme_idx\": null, \"target_id\": 0, \"snapshots\": [\n"
                + "{\"start_time\": 0, \"end_time\": 100000000, \"regions\": [" + regions + "]},\n"
                + "{\"start_time\": 100000000, \"end_time\": 200000000, \"regions\": [" + regions + "]}]}]\n";
    }

    private static String region(String start, String end, int samples) {
        return "{\"start\": " + start + ", \"end\": " + end + ", \"nr_accesses\": {\"samples\": " + samples
                + "}, \"age\": {\"aggr_intervals\": 1}}";
    }

    @Test
    @Timeout(20)
    void aFifoIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        assertThatThrownBy(() -> RecordReader.read(fifo)).isInstanceOf(RecordFileException.class)
                .hasMessageContaining("is not a regular file (a FIFO (named pipe))")
                .hasMessageContaining("-i FILE");
    }

    @Test
    void anAddressAbove2To63IsRefusedNotReadAsNegative() throws Exception {
        Path file = Files.writeString(dir.resolve("top.json"),
                damoFile(region("4096", "18446744073709551615", 1)));
        assertThatThrownBy(() -> RecordReader.read(file)).isInstanceOf(RecordFileException.class)
                .hasMessageContaining("record 0 snapshot 0 region 0 'end' is 18446744073709551615")
                .hasMessageContaining("above 2^63-1");
        Path quoted = Files.writeString(dir.resolve("quoted.json"),
                damoFile(region("\"4096\"", "\"18446744073709551615\"", 1)));
        assertThatThrownBy(() -> RecordReader.read(quoted)).hasMessageContaining("above 2^63-1");
        Path fine = Files.writeString(dir.resolve("fine.json"), damoFile(region("4096", "9223372036854775807", 1)));
        assertThat(RecordReader.read(fine).records().get(0).snapshots().get(0).regions().get(0).end())
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aRecordLongerThan2GiBIsReadToItsEndHoldingOneSnapshotAtATime() throws Exception {
        // 2 GiB + 1 MiB of content (blanks between two snapshots, generated, never on disk): the reader
        // of issue 12 held a file in one array and refused anything above 2 GiB. That size takes 12 s
        // here, so the default build reads 64 MiB of blanks; -Djdamon.hugeRecord=true reads the 2 GiB.
        byte[] head = ("[{\"target_id\": 0, \"intervals\": {\"sample_us\": 5000, \"aggr_us\": 100000}, \"snapshots\": ["
                + snapshot(0) + ",").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = (snapshot(1) + "]}]\n").getBytes(StandardCharsets.US_ASCII);
        long blanks = Boolean.getBoolean("jdamon.hugeRecord") ? (1L << 31) + (1 << 20) : 64L << 20;
        java.io.InputStream in = new java.io.InputStream() {
            long pos;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                long total = head.length + blanks + tail.length;
                if (pos >= total) {
                    return -1;
                }
                int n = (int) Math.min(len, total - pos);
                for (int i = 0; i < n; i++, pos++) {
                    if (pos >= head.length && pos < head.length + blanks) {
                        int run = (int) Math.min(n - i, head.length + blanks - pos);
                        java.util.Arrays.fill(b, off + i, off + i + run, (byte) ' ');
                        i += run - 1;
                        pos += run - 1;
                        continue;
                    }
                    b[off + i] = pos < head.length ? head[(int) pos] : tail[(int) (pos - head.length - blanks)];
                }
                return n;
            }
        };
        Recording r = RecordReader.parse(dir.resolve("huge.json"), in);
        assertThat(r.complete()).isTrue();
        assertThat(r.records().get(0).snapshots()).hasSize(2);
        assertThat(r.records().get(0).snapshots().get(1).regions().get(0).nrAccesses()).isEqualTo(4);
    }

    private static String snapshot(int i) {
        return "{\"start_time\": " + i * 100 + ", \"end_time\": " + (i + 1) * 100 + ", \"regions\": [{\"start\": 4096, "
                + "\"end\": 8192, \"nr_accesses\": {\"samples\": " + (i + 1) * 2 + "}, \"age\": {\"aggr_intervals\": 1}}]}";
    }

    @Test
    void aSyntaxErrorInAFileBeingWrittenEndsTheReadThereWithAWarningInsteadOfARetry() throws Exception {
        Path file = dir.resolve("live.data");
        try (RecordWriter w = RecordWriter.create(file, Snapshots.header("ctx", 1), false)) {
            w.append(Snapshots.aggregation(0, 1, 3));
            w.append(Snapshots.aggregation(1, 1, 3));
            byte[] written = Files.readAllBytes(file);
            // what a read overlapping an append can see: the old closing brackets, then new bytes
            byte[] next = ",\n{\"start_t".getBytes(StandardCharsets.US_ASCII);
            byte[] mixed = java.util.Arrays.copyOf(written, written.length + next.length);
            System.arraycopy(next, 0, mixed, written.length, next.length);
            // (this descriptor's close drops the writer's POSIX lock; the writer is still known in this JVM)
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(next), written.length);
            }
            Recording r = RecordReader.read(file);
            assertThat(r.complete()).isFalse();
            assertThat(r.records().get(0).snapshots()).hasSize(2);
            assertThat(r.warnings()).anySatisfy(m -> assertThat(m).contains("was writing as it was read"));

            Path copy = Files.write(dir.resolve("copy.data"), mixed); // the same bytes, no writer: corrupt
            assertThatThrownBy(() -> RecordReader.read(copy)).hasMessageStartingWith(copy + ": is corrupt: ")
                    .hasMessageContaining("line ");
        }
    }

    @Test
    void overlappingRegionsAndRatesAbove100PercentAreReadWithAWarningNamingThem() throws Exception {
        Path file = Files.writeString(dir.resolve("odd.json"), damoFile(region("4096", "12288", 3) + ", "
                + region("8192", "16384", 25)));
        Recording rec = RecordReader.read(file);
        assertThat(rec.snapshotCount()).isEqualTo(2);
        assertThat(rec.warnings()).anySatisfy(w -> assertThat(w)
                .contains("record 0 snapshot 0 region 1 (0x2000-0x4000) overlaps region 0 (0x1000-0x3000)"));
        assertThat(rec.warnings()).anySatisfy(w -> assertThat(w)
                .contains("record 0 snapshot 1 region 1 (0x2000-0x4000) has 25 accesses in an aggregation of 20 "
                        + "samples").contains("125%"));
        assertThat(rec.warnings()).hasSize(4);
        Path sound = Files.writeString(dir.resolve("sound.json"), damoFile(region("4096", "8192", 20)));
        assertThat(RecordReader.read(sound).warnings()).isEmpty();
    }

    @Test
    void negativeSizesAndCountsAreRefusedAsCorrupt() throws Exception {
        Path negative = Files.writeString(dir.resolve("neg.json"), damoFile(region("8192", "4096", 1)));
        assertThatThrownBy(() -> RecordReader.read(negative))
                .hasMessageContaining("is corrupt: record 0 snapshot 0 region 0 ends (4096) before it starts (8192)");
        Path count = Files.writeString(dir.resolve("count.json"), damoFile(region("4096", "8192", -3)));
        assertThatThrownBy(() -> RecordReader.read(count))
                .hasMessageContaining("is corrupt: record 0 snapshot 0 region 0 has -3 accesses");
    }
}
