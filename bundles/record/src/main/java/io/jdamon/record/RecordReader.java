package io.jdamon.record;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

import io.jdamon.api.RegionSnapshot;
import io.jdamon.record.internal.ChannelInput;
import io.jdamon.record.internal.JsonRecordParser;
import io.jdamon.record.internal.PerfScriptParser;
import io.jdamon.record.internal.RecordHeader;
import io.jdamon.record.internal.ZeroTailInput;

/**
 * Reads record files: those {@link RecordWriter} writes and every format damo
 * writes: {@code json}, {@code json_compressed} (zlib) and
 * {@code perf_script} (the text of {@code perf script} for the
 * {@code damon:damon_aggregated} tracepoint). The format is told by the
 * content, never the name.
 *
 * <p>The file is read as a stream (Jackson's streaming parser for JSON): each
 * snapshot is built as it is read, so the reader itself holds one snapshot
 * at a time, whatever the file's size; {@link #read} keeps every snapshot in
 * compact form (about 40 bytes a region), {@link #stream} none. There is no
 * size limit.
 *
 * <p>A file still being written, or cut short by a crash or {@code kill -9},
 * is read up to its last complete snapshot; {@link Recording#complete()} then
 * says false. So is a file whose writer (holding its lock, in this process
 * or another) was rewriting its closing brackets as it was read: the read
 * ends at the last complete snapshot before them, with a warning. Anything
 * else that is wrong (a missing, unreadable or empty file, a corrupt byte,
 * JSON that is not a record list, a {@code perf.data} file) is a
 * {@link RecordFileException} whose message names the file and the problem.
 *
 * <p>Numbers may be JSON numbers or the strings damo writes for them: digits
 * with thousands commas ({@code "1,234"}), times with units
 * ({@code "usec": "1 s 200 ms"}), sizes with units, percents; null where damo
 * leaves a value out ({@code kdamond_idx}, {@code percent}, {@code usec}).
 * Addresses are unsigned 64-bit numbers in damo's files; values above
 * {@link Long#MAX_VALUE} (2^63 - 1, beyond any real address space) are
 * refused as corrupt rather than read as negative numbers.
 * Records that repeat the same kdamond, context, scheme and target are joined
 * into one, snapshots in file order (a jdamon multi-target file cut before it
 * was finished has that layout: {@link Recording#needsRepair()}).
 *
 * <p>Refused as corrupt: a region ending before it starts, a negative access
 * count or age, brackets nested deeper than 256 levels. Read, with a warning
 * naming the snapshot and the region ({@link Recording#warnings()}): regions
 * that overlap, a region accessed in more samples than the aggregation had
 * (a rate above 100%).
 *
 * <p>Only regular files are read (a FIFO would block).
 */
public final class RecordReader {

    /**
     * Formerly the largest file read (2 GiB, when the reader held a file in
     * one array); since 1.2 there is no limit and this is {@link Long#MAX_VALUE}.
     *
     * @deprecated the reader streams files of any size
     */
    @Deprecated
    public static final long MAX_FILE_BYTES = Long.MAX_VALUE;
    /** The most warnings kept per file (the count of the rest is said). */
    static final int MAX_WARNINGS = 10;
    /** How much of the start of the content is looked at to tell its format. */
    private static final int PEEK = 4096;

    private RecordReader() {
    }

    /**
     * Reads a record file, keeping every snapshot.
     *
     * @throws RecordFileException naming the file and what is wrong with it
     */
    public static Recording read(Path file) throws RecordFileException {
        Collector c = new Collector(file, null);
        return c.recording(readFile(file, c));
    }

    /**
     * Reads a record file snapshot by snapshot, handing each to
     * {@code consumer} as soon as it is complete and keeping none: memory is
     * bounded by the largest snapshot, not the file. The snapshots of a
     * jdamon file's scheme records ({@link Recording#schemeRecords()}) are not
     * handed over: read the file for them.
     *
     * @return what the file says besides its snapshots: the records (without
     *     snapshots), whether it was complete, its layout and warnings
     * @throws RecordFileException naming the file and what is wrong with it
     *     (the consumer has then seen the snapshots before the problem), or
     *     thrown by the consumer
     * @since 1.2
     */
    public static Recording stream(Path file, SnapshotConsumer consumer) throws RecordFileException {
        Collector c = new Collector(file, consumer);
        return c.recording(readFile(file, c));
    }

    /**
     * Parses the content of a record file.
     *
     * @param file names the source in messages
     * @throws RecordFileException naming the file and what is wrong
     */
    public static Recording parse(Path file, byte[] bytes) throws RecordFileException {
        if (bytes.length == 0) {
            throw empty(file);
        }
        Collector c = new Collector(file, null);
        return c.recording(parse(file, new ByteArrayInputStream(bytes), c, false));
    }

    /** Reads {@code in} (not closed) as a record file's content; for the writer's consolidation. */
    static Recording parse(Path file, InputStream in) throws RecordFileException {
        Collector c = new Collector(file, null);
        return c.recording(parse(file, in, c, false));
    }

    private static Outcome readFile(Path file, Collector c) throws RecordFileException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            attrs = null; // the open below says why
        }
        if (attrs != null && attrs.isDirectory()) {
            throw new RecordFileException(file, "is a directory, not a record file");
        }
        if (attrs != null && !attrs.isRegularFile()) {
            throw new RecordFileException(file, "is not a regular file (" + OutputFiles.kind(file.toAbsolutePath())
                    + "); reading it could wait for ever: copy the record to a file first and read that with -i FILE");
        }
        FileChannel held = OutputFiles.heldChannel(file);
        try {
            if (held != null) {
                if (held.size() == 0) {
                    throw empty(file);
                }
                try (ChannelInput in = new ChannelInput(held, file, attrs == null ? null : attrs.fileKey())) {
                    Outcome o = parse(file, in, c, true);
                    return in.replaced() ? new Outcome(false, "read up to where the file was replaced by its "
                            + "finished version as it was read; read again for all of it") : o;
                }
            }
            if (attrs != null && attrs.size() == 0) {
                throw empty(file);
            }
            try (InputStream in = Files.newInputStream(file)) {
                return parse(file, in, c, true);
            }
        } catch (NoSuchFileException e) {
            throw new RecordFileException(file, "no such file; record one first (jdamon record -o " + file
                    + ") or name another with -i FILE");
        } catch (AccessDeniedException e) {
            throw new RecordFileException(file, "permission denied; check the file's owner and mode");
        } catch (IOException e) {
            if (Files.isDirectory(file)) {
                throw new RecordFileException(file, "is a directory, not a record file");
            }
            throw new RecordFileException(file, "cannot be read: " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new RecordFileException(file, "is too large to keep in this heap (" + Runtime.getRuntime().maxMemory()
                    / (1 << 20) + " MiB; every region takes about 40 bytes); give the JVM more with "
                    + "JAVA_OPTS=-Xmx<size>");
        }
    }

    private static RecordFileException empty(Path file) {
        return new RecordFileException(file, "is empty: no monitoring results were written to it yet");
    }

    /** How a parse ended. */
    private record Outcome(boolean complete, String warning) {
    }

    private static Outcome parse(Path file, InputStream raw, Collector c, boolean fromFile)
            throws RecordFileException {
        try {
            BufferedInputStream in = new BufferedInputStream(raw, 1 << 13);
            byte[] head = peek(in, 8);
            if (startsWith(head, "PERFILE")) {
                throw new RecordFileException(file, "is a perf.data file, which jdamon does not read; convert it "
                        + "with 'perf script -i " + file + " > FILE' (damo's perf_script format) and read that");
            }
            if (isZlib(head)) {
                in = new BufferedInputStream(new CutTolerantInflater(in), 1 << 13);
                try {
                    if (peek(in, 1).length == 0) {
                        throw new ZipException("no data inflated");
                    }
                } catch (ZipException e) {
                    throw new RecordFileException(file, "looks zlib-compressed (damo's json_compressed) but does not "
                            + "inflate: " + e.getMessage());
                }
            } else {
                in = new BufferedInputStream(new ZeroTailInput(in), 1 << 13);
                if (peek(in, 1).length == 0) {
                    return new Outcome(false, null); // nothing but the zeros a machine crash leaves
                }
            }
            byte[] text = peek(in, PEEK);
            if (!looksLikeText(text)) {
                throw new RecordFileException(file, "is not a DAMON record file (binary content, not JSON)");
            }
            char first = firstNonBlank(text);
            if (first != '[' && first != '{' && new String(text, StandardCharsets.UTF_8).contains("damon_aggregated")) {
                return new Outcome(PerfScriptParser.parse(file, in, c), null);
            }
            try {
                JsonRecordParser p = JsonRecordParser.parse(file, in, c);
                return new Outcome(p.complete(), null);
            } catch (JsonRecordParser.Syntax e) {
                String at = " at line " + e.line + ", column " + e.column + " (byte " + e.offset + ")";
                String holder = fromFile ? OutputFiles.lockHolder(file) : null;
                if (holder != null) {
                    // a read that overlaps an append sees old closing brackets next to new bytes
                    return new Outcome(false, "read up to " + at.trim() + ", where " + holder
                            + " was writing as it was read; read again for the snapshots after it");
                }
                throw new RecordFileException(file, (e.list ? "is corrupt" : "is not a DAMON record file") + ": "
                        + e.getMessage() + at);
            }
        } catch (ZipException e) {
            throw new RecordFileException(file, "is corrupt: its zlib-compressed content (damo's json_compressed) "
                    + "does not inflate: " + e.getMessage());
        } catch (IOException e) {
            throw new RecordFileException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** The first up to {@code n} bytes of {@code in}, which is left where it was. */
    private static byte[] peek(BufferedInputStream in, int n) throws IOException {
        in.mark(n);
        byte[] b = in.readNBytes(n);
        in.reset();
        return b;
    }

    /** Inflates; a compressed stream cut short ends where it was cut instead of failing. */
    private static final class CutTolerantInflater extends FilterInputStream {
        CutTolerantInflater(InputStream in) {
            super(new InflaterInputStream(in, new java.util.zip.Inflater(), 1 << 13));
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (EOFException cut) {
                return -1;
            }
        }
    }

    /**
     * Joins a file's records by target as their snapshots arrive, checks
     * each snapshot, and keeps the snapshots or hands them to a consumer.
     */
    private static final class Collector implements JsonRecordParser.Sink {
        private final Path file;
        private final SnapshotConsumer consumer;
        private final Map<String, Target> byKey = new LinkedHashMap<>();
        private int targets;
        private int schemes;
        private final List<String> warnings = new ArrayList<>();
        private int moreWarnings;
        private boolean repeated;

        private static final class Target {
            final int index;
            final RecordHeader first;
            RecordHeader last;
            TargetRecord header;
            final List<RecordedSnapshot> snapshots = new ArrayList<>();

            Target(int index, RecordHeader first) {
                this.index = index;
                this.first = first;
                this.last = first;
            }
        }

        Collector(Path file, SnapshotConsumer consumer) {
            this.file = file;
            this.consumer = consumer;
        }

        @Override
        public void record(RecordHeader h) {
            String key = h.key();
            Target t = byKey.get(key);
            if (t == null) {
                // a jdamon scheme record counts apart, so that the targets keep their indexes
                byKey.put(key, new Target(h.jdamonScheme() ? schemes++ : targets++, h));
            } else if (t.last != h) {
                repeated = true;
                t.last = h;
            }
        }

        @Override
        public void snapshot(RecordHeader h, String where, RecordedSnapshot s) throws RecordFileException {
            Target t = byKey.get(h.key());
            if (t == null) {
                record(h); // a parser that announces no records
                t = byKey.get(h.key());
            }
            check(where, s, h);
            if (consumer == null) {
                t.snapshots.add(s);
            } else if (!h.jdamonScheme()) { // a stream hands over the targets' snapshots
                if (t.header == null) {
                    t.header = h.toRecord(List.of());
                }
                consumer.accept(t.header, t.index, s);
            }
        }

        Recording recording(Outcome o) {
            if (o.warning() != null) {
                warn(o.warning());
            }
            List<TargetRecord> records = new ArrayList<>(targets);
            List<TargetRecord> schemeRecords = new ArrayList<>(schemes);
            for (Target t : byKey.values()) {
                (t.first.jdamonScheme() ? schemeRecords : records).add(t.first.toRecord(t.snapshots));
            }
            List<String> w = warnings;
            if (moreWarnings > 0) {
                w = new ArrayList<>(warnings);
                w.add("and " + moreWarnings + " more such problems");
            }
            return new Recording(file, records, o.complete(), repeated, w, schemeRecords);
        }

        private void warn(String w) {
            if (warnings.size() < MAX_WARNINGS) {
                warnings.add(w);
            } else {
                moreWarnings++;
            }
        }

        /** Warns of overlapping regions and of rates above 100%. */
        private void check(String where, RecordedSnapshot rs, RecordHeader h) {
            int max = rs.samplesTaken() > 0 ? rs.samplesTaken()
                    : rs.sampleIntervalUs() > 0 && rs.aggregationIntervalUs() > 0
                            ? (int) Math.max(1, rs.aggregationIntervalUs() / rs.sampleIntervalUs())
                            : h.samplesPerAggregation();
            List<RegionSnapshot> regions = rs.regions();
            for (int r = 0; r < regions.size(); r++) {
                RegionSnapshot reg = regions.get(r);
                if (r > 0 && reg.start() < regions.get(r - 1).end()) {
                    RegionSnapshot prev = regions.get(r - 1);
                    warn(where + " region " + r + " (" + hex(reg.start()) + "-" + hex(reg.end())
                            + ") overlaps region " + (r - 1) + " (" + hex(prev.start()) + "-" + hex(prev.end())
                            + "); its accesses are counted twice where they overlap");
                }
                if (max > 0 && reg.nrAccesses() > max) {
                    warn(where + " region " + r + " (" + hex(reg.start()) + "-" + hex(reg.end()) + ") has "
                            + reg.nrAccesses() + " accesses in an aggregation of " + max + " samples (a rate of "
                            + (reg.nrAccesses() * 100L / max)
                            + "%, above 100%: the counts or the intervals in the file are wrong)");
                }
            }
        }
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static boolean startsWith(byte[] bytes, String prefix) {
        if (bytes.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (bytes[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** @return whether the bytes begin with a zlib header (RFC 1950), as damo's json_compressed files do */
    static boolean isZlib(byte[] b) {
        if (b.length < 2) {
            return false;
        }
        int cmf = b[0] & 0xff;
        int flg = b[1] & 0xff;
        return (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0;
    }

    private static boolean looksLikeText(byte[] b) {
        for (byte x : b) {
            int c = x & 0xff;
            if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t')) {
                return false;
            }
        }
        return true;
    }

    private static char firstNonBlank(byte[] b) {
        for (byte x : b) {
            if (x != ' ' && x != '\n' && x != '\r' && x != '\t') {
                return (char) (x & 0xff);
            }
        }
        return ' ';
    }
}
