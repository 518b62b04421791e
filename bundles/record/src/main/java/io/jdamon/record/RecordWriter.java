package io.jdamon.record;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.ContextView;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.TargetSnapshot;
import io.jdamon.api.TargetView;
import io.jdamon.record.internal.AsciiBuffer;

/**
 * Writes monitoring results in damo's JSON record format, one file per
 * context, so that nothing completed is lost if the process dies.
 *
 * <h2>The format</h2>
 * A JSON list with one record per target:
 * <pre>
 * [
 * {"kdamond_idx": 0, "context_idx": 0,
 *  "intervals": {"sample_us": 5000, "aggr_us": 100000, "ops_update_us": 60000000},
 *  "scheme_idx": null, "target_id": 0,
 *  "jdamon": {"format": 1, "targets": 1, "context": "ctx", "target": "stairs", "primitive": "sim",
 *             "primitive_properties": {"sensor": "..."}, "started": "2026-01-01T00:00:00Z"},
 *  "snapshots": [
 * {"start_time": 0, "end_time": 100000000, "regions": [
 *   {"start": 4096, "end": 8192, "nr_accesses": {"samples": 3, "percent": 15},
 *    "age": {"usec": 200000, "aggr_intervals": 2}}],
 *  "total_bytes": 4096, "sample_interval_us": 5000, "aggr_interval_us": 100000, "jdamon_aggregation": 0}
 * ]}
 * ]
 * </pre>
 * Times are nanoseconds since the run started; {@code target_id} is the
 * target's index in its context. The {@code jdamon} object and the
 * {@code aggr_interval_us} and {@code jdamon_aggregation} keys are ours (the
 * intervals in force for that snapshot, which may change online, and its
 * number in the run); damo ignores keys it does not know.
 *
 * <h2>Crash safety</h2>
 * The writer appends each aggregation in place: it cuts the file back to the
 * end of the last snapshot, then writes the new snapshot together with the
 * closing brackets in one write (and, if asked, forces it to the device). So
 * at every moment the file is either a complete JSON document or a prefix of
 * one, and {@link RecordReader} returns every complete snapshot of a file cut
 * by {@code kill -9} at any point.
 *
 * <h2>What damo can read</h2>
 * <ul>
 * <li>A single-target file is valid damo JSON after every aggregation, also
 * while it is being written and after the writer was killed between two
 * aggregations. Only a kill in the middle of the write of one aggregation
 * leaves an unterminated tail, which {@link RecordReader} repairs and damo
 * does not.</li>
 * <li>A multi-target file is written, while running, as one record per target
 * per aggregation (the only layout that can grow by appending); {@link #close()}
 * rewrites it (atomically) into one record per target. damo reads the closed
 * file; {@link RecordReader} reads both layouts.</li>
 * <li>A file that is not a regular file (a pipe, {@code /dev/stdout}) is
 * written as a stream and is valid JSON once closed.</li>
 * </ul>
 *
 * <p>Appends and {@link #close()} are synchronized, so an owner may close the
 * writer from another thread while the kdamond appends.
 */
public final class RecordWriter implements Closeable {

    /** The record-level key holding jdamon's own facts (ignored by damo): {@value}. */
    public static final String EXTRA_KEY = "jdamon";
    /** The snapshot-level key holding the aggregation's number in the run: {@value}. */
    public static final String EXTRA_AGGREGATION_KEY = "jdamon_aggregation";
    /** The snapshot-level key holding the aggregation interval in force, in microseconds: {@value}. */
    public static final String EXTRA_AGGREGATION_INTERVAL_KEY = "aggr_interval_us";
    /** The version of our layout, written as {@code jdamon.format}. */
    public static final int FORMAT_VERSION = 1;

    /**
     * What a record file says about its context, written once at the top.
     *
     * @param contextName the context's name
     * @param kdamondIdx damo's {@code kdamond_idx}; jdamon uses N of the thread name {@code kdamond.N}
     * @param contextIdx damo's {@code context_idx}, 0 for a file per context
     * @param attributes the intervals at the start of the run
     * @param primitiveName the primitive that samples the context
     * @param primitiveProperties what it said about how it samples (see {@code Primitive.describe})
     * @param targetSpecs one per target, as specified
     */
    public record Header(String contextName, int kdamondIdx, int contextIdx, MonitoringAttributes attributes,
            String primitiveName, Map<String, String> primitiveProperties, List<String> targetSpecs) {

        public Header {
            primitiveProperties = Map.copyOf(primitiveProperties);
            targetSpecs = List.copyOf(targetSpecs);
            if (targetSpecs.isEmpty()) {
                throw new IllegalArgumentException("a record needs at least one target");
            }
        }

        /**
         * Reads the header of a running context. Call it on the kdamond thread
         * (in a callback hook).
         */
        public static Header of(ContextView ctx) {
            List<String> specs = new ArrayList<>(ctx.targetCount());
            for (int i = 0; i < ctx.targetCount(); i++) {
                specs.add(ctx.target(i).spec());
            }
            return new Header(ctx.name(), kdamondIndexOf(Thread.currentThread().getName()), 0, ctx.attributes(),
                    ctx.primitiveName(), ctx.primitiveProperties(), specs);
        }

        static int kdamondIndexOf(String threadName) {
            if (threadName != null && threadName.startsWith("kdamond.")) {
                try {
                    return Integer.parseInt(threadName.substring("kdamond.".length()));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
            return 0;
        }
    }

    private final Path file;
    private final Header header;
    private final boolean sync;
    private final FileChannel channel;
    private final boolean seekable;
    private final byte[][] recordPrefixes;
    private final byte[] tail;
    private final AsciiBuffer buf = new AsciiBuffer();
    private long bodyEnd;
    private boolean firstElement = true;
    private long snapshotsWritten;
    private boolean closed;

    private RecordWriter(Path file, Header header, boolean sync, FileChannel channel) throws IOException {
        this.file = file;
        this.header = header;
        this.sync = sync;
        this.channel = channel;
        this.seekable = Files.isRegularFile(file);
        int n = header.targetSpecs().size();
        this.recordPrefixes = new byte[n][];
        for (int t = 0; t < n; t++) {
            recordPrefixes[t] = recordPrefix(header, t);
        }
        this.tail = (n == 1 ? "\n]}\n]\n" : "\n]\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Creates (or replaces) a record file and writes its header. Each
     * aggregation is handed to the operating system as it is appended (so it
     * survives {@code kill -9}) but not forced to the device; see
     * {@link #create(Path, Header, boolean)}.
     *
     * @throws IOException if the file cannot be created or written
     */
    public static RecordWriter create(Path file, Header header) throws IOException {
        return create(file, header, false);
    }

    /**
     * Creates (or replaces) a record file and writes its header.
     *
     * @param sync whether to force every aggregation to the storage device
     *     ({@code fdatasync}); without it a {@code kill -9} still loses nothing
     *     written, but a power cut or kernel crash may. It costs: measured
     *     here (2 busy shared cores, a virtio disk), appending a 1,000-region
     *     aggregation took 0.2 to 1 ms without and 0.9 to 5 ms with it, time
     *     the kdamond does not sample
     * @throws IOException if the file cannot be created or written
     */
    public static RecordWriter create(Path file, Header header, boolean sync) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            RecordWriter w = new RecordWriter(file, header, sync, ch);
            w.start();
            return w;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private void start() throws IOException {
        buf.clear();
        buf.append("[\n");
        if (recordPrefixes.length == 1) {
            buf.append(recordPrefixes[0]);
        }
        commit();
    }

    /** @return the file written */
    public Path path() {
        return file;
    }

    /** @return the header written */
    public Header header() {
        return header;
    }

    /** @return the number of aggregations appended */
    public synchronized long snapshotsWritten() {
        return snapshotsWritten;
    }

    /**
     * Appends one aggregation, taken from an API snapshot.
     *
     * @throws IOException if it cannot be written (the file is then as before
     *     the call, or cut inside this aggregation)
     * @throws IllegalArgumentException if its number of targets differs from the header's
     */
    public synchronized void append(AggregationSnapshot s) throws IOException {
        ensureOpen();
        if (s.targets().size() != recordPrefixes.length) {
            throw new IllegalArgumentException("snapshot has " + s.targets().size() + " targets, the record "
                    + recordPrefixes.length);
        }
        buf.clear();
        for (int t = 0; t < recordPrefixes.length; t++) {
            TargetSnapshot target = s.targets().get(t);
            beginSnapshot(t, s.startNanos(), s.endNanos());
            List<RegionSnapshot> regions = target.regions();
            long total = 0;
            for (int i = 0; i < regions.size(); i++) {
                RegionSnapshot r = regions.get(i);
                region(i, r.start(), r.end(), r.nrAccesses(), r.age(), s.samplesPerAggregation(),
                        s.aggregationIntervalUs());
                total += r.size();
            }
            endSnapshot(total, s.sampleIntervalUs(), s.aggregationIntervalUs(), s.aggregationIndex());
        }
        commit();
        snapshotsWritten++;
    }

    /**
     * Appends the aggregation just finished, read straight from the context's
     * regions. Call it from {@code afterAggregation}, on the kdamond thread.
     * Allocates nothing once the buffer has grown to size.
     *
     * @throws IOException if it cannot be written
     */
    public synchronized void append(ContextView ctx) throws IOException {
        ensureOpen();
        if (ctx.targetCount() != recordPrefixes.length) {
            throw new IllegalArgumentException("context '" + ctx.name() + "' has " + ctx.targetCount()
                    + " targets, the record " + recordPrefixes.length);
        }
        MonitoringAttributes attrs = ctx.attributes();
        int perAggr = attrs.samplesPerAggregation();
        long start = ctx.aggregationStartNanos();
        long end = ctx.aggregationEndNanos();
        buf.clear();
        for (int t = 0; t < recordPrefixes.length; t++) {
            TargetView target = ctx.target(t);
            beginSnapshot(t, start, end);
            long total = 0;
            int n = target.regionCount();
            for (int i = 0; i < n; i++) {
                long rs = target.regionStart(i);
                long re = target.regionEnd(i);
                region(i, rs, re, target.nrAccesses(i), target.age(i), perAggr, attrs.aggregationIntervalUs());
                total += re - rs;
            }
            endSnapshot(total, attrs.sampleIntervalUs(), attrs.aggregationIntervalUs(), ctx.aggregationsPassed());
        }
        commit();
        snapshotsWritten++;
    }

    private void beginSnapshot(int target, long startNanos, long endNanos) {
        boolean multi = recordPrefixes.length > 1;
        buf.append(firstElement ? "\n" : ",\n");
        firstElement = false;
        if (multi) {
            buf.append(recordPrefixes[target]).append('\n');
        }
        snapshotHead(startNanos, endNanos);
    }

    private void snapshotHead(long startNanos, long endNanos) {
        buf.append("{\"start_time\": ").append(startNanos).append(", \"end_time\": ").append(endNanos)
                .append(", \"regions\": [");
    }

    private void region(int i, long start, long end, int nrAccesses, int age, int perAggr, long aggrUs) {
        buf.append(i == 0 ? "\n" : ",\n");
        buf.append("  {\"start\": ").append(start).append(", \"end\": ").append(end)
                .append(", \"nr_accesses\": {\"samples\": ").append(nrAccesses).append(", \"percent\": ")
                .append((long) nrAccesses * 100 / perAggr).append("}, \"age\": {\"usec\": ")
                .append((long) age * aggrUs).append(", \"aggr_intervals\": ").append(age).append("}}");
    }

    private void endSnapshot(long totalBytes, long sampleUs, long aggrUs, long aggregationIndex) {
        snapshotTail(totalBytes, sampleUs, aggrUs, aggregationIndex);
        if (recordPrefixes.length > 1) {
            buf.append("\n]}");
        }
    }

    private void snapshotTail(long totalBytes, long sampleUs, long aggrUs, long aggregationIndex) {
        buf.append("],\n \"total_bytes\": ").append(totalBytes).append(", \"sample_interval_us\": ").append(sampleUs)
                .append(", \"").append(EXTRA_AGGREGATION_INTERVAL_KEY).append("\": ").append(aggrUs)
                .append(", \"").append(EXTRA_AGGREGATION_KEY).append("\": ").append(aggregationIndex).append('}');
    }

    /** Cuts the old tail, writes the buffer and the tail in one write, forces it. */
    private void commit() throws IOException {
        int body = buf.length();
        if (seekable) {
            buf.append(tail);
            channel.truncate(bodyEnd);
            ByteBuffer bb = buf.view();
            long pos = bodyEnd;
            while (bb.hasRemaining()) {
                pos += channel.write(bb, pos);
            }
            if (sync) {
                channel.force(false);
            }
        } else {
            ByteBuffer bb = buf.view();
            while (bb.hasRemaining()) {
                channel.write(bb);
            }
        }
        bodyEnd += body;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("record file " + file + " is already closed");
        }
    }

    /**
     * Finishes the file: a stream gets its closing brackets, a multi-target
     * file is rewritten into one record per target. Idempotent.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!seekable) {
                channel.write(ByteBuffer.wrap(tail));
            }
        } finally {
            channel.close();
        }
        if (seekable && recordPrefixes.length > 1 && snapshotsWritten > 0) {
            consolidate();
        }
    }

    /** Rewrites a multi-target file as one record per target, atomically. */
    private void consolidate() throws IOException {
        Recording rec;
        try {
            rec = RecordReader.read(file);
        } catch (RecordFileException e) {
            throw new IOException("cannot consolidate " + file + ": " + e.getMessage(), e);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int t = 0; t < recordPrefixes.length; t++) {
                buf.clear();
                buf.append(t == 0 ? "[\n" : ",\n").append(recordPrefixes[t]);
                if (t < rec.records().size()) {
                    List<RecordedSnapshot> snaps = rec.records().get(t).snapshots();
                    for (int s = 0; s < snaps.size(); s++) {
                        RecordedSnapshot rs = snaps.get(s);
                        buf.append(s == 0 ? "\n" : ",\n");
                        snapshotHead(rs.startNanos(), rs.endNanos());
                        long aggrUs = rs.aggregationIntervalUs();
                        int perAggr = (int) Math.max(1, aggrUs / Math.max(1, rs.sampleIntervalUs()));
                        for (int i = 0; i < rs.regions().size(); i++) {
                            RegionSnapshot r = rs.regions().get(i);
                            region(i, r.start(), r.end(), r.nrAccesses(), r.age(), perAggr, aggrUs);
                        }
                        snapshotTail(rs.totalBytes(), rs.sampleIntervalUs(), rs.aggregationIntervalUs(),
                                rs.aggregationIndex());
                    }
                }
                buf.append("\n]}");
                ByteBuffer bb = buf.view();
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
            }
            ch.write(ByteBuffer.wrap("\n]\n".getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static byte[] recordPrefix(Header h, int target) {
        StringBuilder sb = new StringBuilder(256);
        MonitoringAttributes a = h.attributes();
        sb.append("{\"kdamond_idx\": ").append(h.kdamondIdx()).append(", \"context_idx\": ").append(h.contextIdx())
                .append(",\n \"intervals\": {\"sample_us\": ").append(a.sampleIntervalUs())
                .append(", \"aggr_us\": ").append(a.aggregationIntervalUs()).append(", \"ops_update_us\": ")
                .append(a.updateIntervalUs()).append("},\n \"scheme_idx\": null, \"target_id\": ").append(target)
                .append(",\n \"").append(EXTRA_KEY).append("\": {\"format\": ").append(FORMAT_VERSION)
                .append(", \"targets\": ").append(h.targetSpecs().size()).append(", \"context\": ");
        quote(sb, h.contextName());
        sb.append(", \"target\": ");
        quote(sb, h.targetSpecs().get(target));
        sb.append(", \"primitive\": ");
        quote(sb, h.primitiveName());
        sb.append(", \"primitive_properties\": {");
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(h.primitiveProperties()).entrySet()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            quote(sb, e.getKey());
            sb.append(": ");
            quote(sb, e.getValue());
        }
        sb.append("}, \"started\": ");
        quote(sb, Instant.now().toString());
        sb.append("},\n \"snapshots\": [");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Appends a JSON string with everything outside printable ASCII escaped. */
    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
