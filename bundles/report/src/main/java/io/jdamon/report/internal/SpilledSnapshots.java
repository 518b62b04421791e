package io.jdamon.report.internal;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.MeasuredRange;
import io.jdamon.api.MeasuredRound;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.record.RecordedSnapshot;
import io.jdamon.record.Recording;
import io.jdamon.record.TargetRecord;

/**
 * One target's snapshots, kept in a private temporary file in a compact binary
 * form while the record streams, and read back one snapshot at a time: for the
 * reports that look at the snapshots several times (heatmap: the covered
 * ranges, the default range, then the cells), so that their memory is bounded
 * by a snapshot, not by the file, and each later look costs a read of about a
 * sixth of the JSON's bytes rather than a second parse. The file is owner-only
 * ({@link Files#createTempFile}) and deleted on {@link #close()}.
 *
 * <p>Lists handed out are valid until {@link #close()}; every {@code get}
 * decodes the snapshot afresh.
 */
final class SpilledSnapshots implements Closeable {

    private final Path file;
    private final FileChannel channel;
    /** what {@link #add} writes goes here first, in big writes to the file */
    private ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    /** where each snapshot starts in the file */
    private final LongList offsets = new LongList();
    private long written;
    private TargetRecord record;
    private boolean anyMeasured;
    private int recordIndex = -1;

    SpilledSnapshots() throws IOException {
        file = Files.createTempFile("jdamon-report-", ".spill");
        file.toFile().deleteOnExit();
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** Keeps a snapshot of {@code r}, the record at {@code index}; all must be of one record. */
    void add(TargetRecord r, int index, RecordedSnapshot s) throws IOException {
        if (record == null) {
            record = r;
            recordIndex = index;
        }
        offsets.add(written);
        anyMeasured |= !s.measuredRounds().isEmpty();
        long bytes = bytes(s);
        if (buffer.remaining() < bytes) {
            flush();
            if (buffer.capacity() < bytes) {
                buffer = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, bytes));
            }
        }
        ByteBuffer b = buffer;
        b.putLong(s.aggregationIndex()).putLong(s.startNanos()).putLong(s.endNanos()).putLong(s.sampleIntervalUs())
                .putLong(s.aggregationIntervalUs()).putLong(s.totalBytes()).putInt(s.samplesTaken())
                .putInt(s.regions().size());
        for (RegionSnapshot g : s.regions()) {
            b.putLong(g.start()).putLong(g.end()).putInt(g.nrAccesses()).putInt(g.age());
        }
        b.putInt(s.measuredRounds().size());
        for (MeasuredRound round : s.measuredRounds()) {
            b.putLong(round.startNanos()).putLong(round.endNanos()).putInt(round.ranges().size());
            for (MeasuredRange m : round.ranges()) {
                b.putLong(m.start()).putLong(m.end()).putLong(m.accessedBytes());
            }
        }
        written += bytes;
    }

    private void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    /** @return what {@link #add} writes of {@code s}, in bytes */
    private static long bytes(RecordedSnapshot s) {
        long n = 6 * 8 + 4 + 4 + 24L * s.regions().size() + 4;
        for (MeasuredRound round : s.measuredRounds()) {
            n += 8 + 8 + 4 + 24L * round.ranges().size();
        }
        return n;
    }

    private Recording recording;

    /** The record streamed to its end: from now on the snapshots are read back. */
    void finish(Recording streamed) throws IOException {
        recording = streamed;
        flush();
        buffer = null;
    }

    /** @return what the file says besides its snapshots (its records without snapshots) */
    Recording recording() {
        return recording;
    }

    /** @return the record the snapshots belong to (without snapshots), or null if none was added */
    TargetRecord record() {
        return record;
    }

    int size() {
        return offsets.size();
    }

    /** @return the temporary file (for tests: it must be gone after {@link #close()}) */
    Path file() {
        return file;
    }

    /** @return whether a snapshot has measured rounds (what {@link io.jdamon.report.Heatmap#measured} asks) */
    boolean anyMeasured() {
        return anyMeasured;
    }

    /** @return the snapshots as the file has them */
    List<RecordedSnapshot> recorded() {
        return new Snapshots<>(this::read);
    }

    /** @return the snapshots as API snapshots with one target, as {@link Recording#aggregations(int)} */
    List<AggregationSnapshot> aggregations() {
        return new Snapshots<>(i -> Recording.aggregation(record, recordIndex, read(i)));
    }

    private interface Reader<T> {
        T get(int i);
    }

    private final class Snapshots<T> extends AbstractList<T> implements RandomAccess {
        private final Reader<T> reader;

        Snapshots(Reader<T> reader) {
            this.reader = reader;
        }

        @Override
        public T get(int i) {
            if (i < 0 || i >= offsets.size()) {
                throw new IndexOutOfBoundsException(i);
            }
            return reader.get(i);
        }

        @Override
        public int size() {
            return offsets.size();
        }
    }

    private RecordedSnapshot read(int i) {
        long from = offsets.get(i);
        long to = i + 1 < offsets.size() ? offsets.get(i + 1) : written;
        ByteBuffer b = ByteBuffer.allocate((int) (to - from));
        try {
            while (b.hasRemaining()) {
                if (channel.read(b, from + b.position()) < 0) {
                    throw new IOException("the report's temporary file " + file + " ended early");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        b.flip();
        long index = b.getLong();
        long start = b.getLong();
        long end = b.getLong();
        long sampleUs = b.getLong();
        long aggrUs = b.getLong();
        long totalBytes = b.getLong();
        int samples = b.getInt();
        int regionCount = b.getInt();
        List<RegionSnapshot> regions = new ArrayList<>(regionCount);
        for (int k = 0; k < regionCount; k++) {
            regions.add(new RegionSnapshot(b.getLong(), b.getLong(), b.getInt(), b.getInt()));
        }
        int roundCount = b.getInt();
        List<MeasuredRound> rounds = new ArrayList<>(roundCount);
        for (int r = 0; r < roundCount; r++) {
            long rs = b.getLong();
            long re = b.getLong();
            int n = b.getInt();
            List<MeasuredRange> ranges = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                ranges.add(new MeasuredRange(b.getLong(), b.getLong(), b.getLong()));
            }
            rounds.add(new MeasuredRound(rs, re, ranges));
        }
        return new RecordedSnapshot(index, start, end, sampleUs, aggrUs, totalBytes, regions, samples, rounds);
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
