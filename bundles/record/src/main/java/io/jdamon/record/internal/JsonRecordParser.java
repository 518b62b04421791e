package io.jdamon.record.internal;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;

import io.jdamon.record.DamosStats;
import io.jdamon.record.RecordFileException;
import io.jdamon.record.RecordWriter;
import io.jdamon.record.RecordedSnapshot;

/**
 * Reads a record file's JSON with Jackson's streaming {@link JsonParser}:
 * each snapshot is built as its tokens arrive and handed to the {@link Sink}
 * when its object closes, so the reader holds one snapshot at a time, never
 * the file or a tree of it. Text that ends early (a file being written, or
 * cut by a crash) ends the parse with every complete snapshot delivered and
 * {@link #complete()} false.
 */
public final class JsonRecordParser {

    /** The deepest nesting read; deeper is corrupt (a record file nests 5 levels). */
    public static final int MAX_DEPTH = 256;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build()).build();

    /** Receives the snapshots as they are read. */
    public interface Sink {
        /**
         * @param header the record's header as read so far (all of it in files
         *     written by jdamon and damo, whose headers precede the snapshots)
         * @param where names the snapshot in messages, e.g. {@code record 0 snapshot 3}
         */
        void snapshot(RecordHeader header, String where, RecordedSnapshot snapshot) throws RecordFileException;

        /** A record's list of snapshots begins (it may have none); called before its snapshots. */
        default void record(RecordHeader header) {
        }
    }

    /** Not JSON: a token that cannot continue the document, with where it is. */
    public static final class Syntax extends Exception {
        private static final long serialVersionUID = 1L;
        /** whether the document began as a list, i.e. looked like a record file */
        public final boolean list;
        public final long line;
        public final long column;
        public final long offset;

        Syntax(String message, boolean list, JsonLocation at) {
            super(message);
            this.list = list;
            this.line = at == null ? -1 : at.getLineNr();
            this.column = at == null ? -1 : at.getColumnNr();
            this.offset = at == null ? -1 : at.getByteOffset();
        }
    }

    private final Path file;
    private final Sink sink;
    private final RawSnapshot raw = new RawSnapshot();
    private JsonParser p;
    private boolean list;
    private boolean complete;
    private boolean empty;

    private JsonRecordParser(Path file, Sink sink) {
        this.file = file;
        this.sink = sink;
    }

    /**
     * Parses {@code in} (UTF-8 JSON) to its end or to where it was cut.
     *
     * @return the parser, for {@link #complete()} and {@link #empty()}
     * @throws Syntax if the text is not (a prefix of) JSON
     * @throws RecordFileException if it is JSON but not a record file, or corrupt
     * @throws IOException if reading fails
     */
    public static JsonRecordParser parse(Path file, InputStream in, Sink sink)
            throws Syntax, RecordFileException, IOException {
        JsonRecordParser r = new JsonRecordParser(file, sink);
        EndWatch watched = new EndWatch(in);
        try (JsonParser p = FACTORY.createParser(watched)) {
            r.p = p;
            r.document();
            r.complete = true;
        } catch (JsonEOFException cut) {
            r.complete = false; // the torn tail of a file being written or cut by a crash
        } catch (StreamConstraintsException deep) {
            throw new Syntax("brackets nest deeper than " + MAX_DEPTH + " levels", r.list, r.p.currentLocation());
        } catch (JsonParseException e) {
            JsonLocation at = e.getLocation();
            if (watched.ended && (at == null || at.getByteOffset() < 0 || at.getByteOffset() >= watched.count)
                    || String.valueOf(e.getOriginalMessage()).startsWith("Unexpected end-of-input")) {
                r.complete = false; // the text ended inside a value: the torn tail
                return r;
            }
            throw new Syntax(e.getOriginalMessage(), r.list, at);
        } catch (JsonProcessingException e) {
            throw new Syntax(e.getOriginalMessage(), r.list, e.getLocation());
        }
        return r;
    }

    /** Counts the bytes read and sees the end of the text. */
    private static final class EndWatch extends java.io.FilterInputStream {
        long count;
        boolean ended;

        EndWatch(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b < 0) {
                ended = true;
            } else {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0) {
                ended = true;
            } else {
                count += n;
            }
            return n;
        }
    }

    /** @return false if the text ended inside the document */
    public boolean complete() {
        return complete;
    }

    /** @return true if the text held no value at all (blank, or cut before its first bracket) */
    public boolean empty() {
        return empty;
    }

    private void document() throws IOException, RecordFileException {
        JsonToken t = p.nextToken();
        if (t == null) {
            empty = true;
            throw new JsonEOFException(p, null, "no value");
        }
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            throw new RecordFileException(file, "is JSON but not a DAMON record file: expected a list of records, "
                    + "found " + kind(t));
        }
        list = true;
        int i = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren(); // a corrupt file of brackets is refused for its depth first
                throw new RecordFileException(file, "is JSON but not a DAMON record file: record " + i + " is "
                        + kind(t) + ", not an object");
            }
            record(i++);
        }
        if (p.nextToken() != null) {
            throw new JsonParseException(p, "content after the end of the record list");
        }
    }

    private void record(int i) throws IOException, RecordFileException {
        String where = "record " + i;
        RecordHeader h = new RecordHeader();
        List<String> keys = new ArrayList<>();
        boolean snapshots = false;
        boolean intervals = false;
        List<RawSnapshot> held = null;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            keys.add(name);
            t = p.nextToken();
            switch (name) {
            case "kdamond_idx" -> h.kdamondIdx = (int) number(where, name, DamoValues.Kind.COUNT, -1);
            case "context_idx" -> h.contextIdx = (int) number(where, name, DamoValues.Kind.COUNT, -1);
            case "scheme_idx" -> h.schemeIdx = (int) number(where, name, DamoValues.Kind.COUNT, -1);
            case "target_id" -> h.targetId = t == JsonToken.VALUE_NULL ? "" : text(t);
            case "intervals" -> {
                intervals = true;
                intervals(where, t, h);
            }
            case RecordWriter.EXTRA_KEY -> extra(where, t, h);
            case "snapshots" -> {
                snapshots = true;
                if (t != JsonToken.START_ARRAY) {
                    p.skipChildren();
                    throw new RecordFileException(file, "is corrupt: " + where + " 'snapshots' is " + kind(t)
                            + ", not a list");
                }
                held = snapshots(where, h, intervals);
            }
            default -> p.skipChildren();
            }
        }
        if (!snapshots) {
            throw new RecordFileException(file, "is JSON but not a DAMON record file: " + where
                    + " has no 'snapshots' (keys: " + keys + ")");
        }
        if (held != null) {
            deliver(where, h, held);
        }
    }

    /**
     * The snapshots of a record, delivered as they are read; or, in a record
     * whose intervals come after its snapshots (never so in the files jdamon
     * and damo write), returned, to be delivered when the record is read.
     */
    private List<RawSnapshot> snapshots(String where, RecordHeader h, boolean headerRead)
            throws IOException, RecordFileException {
        List<RawSnapshot> held = headerRead ? null : new ArrayList<>();
        if (headerRead) {
            sink.record(h);
        }
        long previousEnd = Long.MIN_VALUE;
        int s = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            String sw = where + " snapshot " + s;
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                throw new RecordFileException(file, "is corrupt: " + sw + " is " + kind(t) + ", not an object");
            }
            snapshot(sw);
            if (held != null) {
                held.add(raw.copy());
            } else {
                RecordedSnapshot rs = raw.build(file, sw, h, s, previousEnd);
                if (!RawSnapshot.isDamoFake(rs)) {
                    sink.snapshot(h, sw, rs);
                    previousEnd = rs.endNanos();
                }
            }
            s++;
        }
        return held;
    }

    private void deliver(String where, RecordHeader h, List<RawSnapshot> held) throws RecordFileException {
        sink.record(h);
        long previousEnd = Long.MIN_VALUE;
        for (int s = 0; s < held.size(); s++) {
            String sw = where + " snapshot " + s;
            RecordedSnapshot rs = held.get(s).build(file, sw, h, s, previousEnd);
            if (!RawSnapshot.isDamoFake(rs)) {
                sink.snapshot(h, sw, rs);
                previousEnd = rs.endNanos();
            }
        }
    }

    private void snapshot(String where) throws IOException, RecordFileException {
        raw.clear();
        boolean regions = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
            case "start_time" -> raw.startTime = number(where, name, DamoValues.Kind.TIME_NS, RawSnapshot.ABSENT);
            case "end_time" -> raw.endTime = number(where, name, DamoValues.Kind.TIME_NS, RawSnapshot.ABSENT);
            case "total_bytes" -> raw.totalBytes = number(where, name, DamoValues.Kind.BYTES, RawSnapshot.ABSENT);
            case "sample_interval_us" -> raw.sampleUs = number(where, name, DamoValues.Kind.TIME_US,
                    RawSnapshot.ABSENT);
            case RecordWriter.EXTRA_AGGREGATION_INTERVAL_KEY -> raw.aggrUs = number(where, name,
                    DamoValues.Kind.TIME_US, RawSnapshot.ABSENT);
            case RecordWriter.EXTRA_SAMPLES_KEY -> raw.samples = number(where, name, DamoValues.Kind.COUNT,
                    RawSnapshot.ABSENT);
            case RecordWriter.EXTRA_AGGREGATION_KEY -> raw.aggregation = number(where, name, DamoValues.Kind.COUNT,
                    RawSnapshot.ABSENT);
            case "regions" -> {
                if (t != JsonToken.START_ARRAY) {
                    p.skipChildren();
                    throw new RecordFileException(file, "is corrupt: " + where + " has no 'regions' list");
                }
                regions = true;
                regions(where);
            }
            case RecordWriter.EXTRA_MEASURED_KEY -> measured(where + " " + name, t);
            case "damos_stats" -> damosStats(where + " " + name, t);
            default -> p.skipChildren();
            }
        }
        if (!regions) {
            throw new RecordFileException(file, "is corrupt: " + where + " has no 'regions' list");
        }
    }

    /** damo's {@code damos_stats}: the five counters jdamon keeps, numbers or damo's strings; others are skipped. */
    private void damosStats(String where, JsonToken t) throws IOException, RecordFileException {
        if (t == JsonToken.VALUE_NULL) {
            return; // damo writes null where a snapshot has none
        }
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            throw new RecordFileException(file, "is corrupt: " + where + " is " + kind(t) + ", not an object");
        }
        long[] v = {RawSnapshot.ABSENT, RawSnapshot.ABSENT, RawSnapshot.ABSENT, RawSnapshot.ABSENT,
                RawSnapshot.ABSENT};
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken vt = p.nextToken();
            int k = switch (name) {
            case "nr_tried" -> 0;
            case "sz_tried" -> 1;
            case "nr_applied" -> 2;
            case "sz_applied" -> 3;
            case "qt_exceeds" -> 4;
            default -> -1;
            };
            if (k < 0) {
                p.skipChildren();
            } else {
                v[k] = number(where, name, k == 1 || k == 3 ? DamoValues.Kind.BYTES : DamoValues.Kind.COUNT,
                        RawSnapshot.ABSENT);
            }
        }
        for (long x : v) {
            if (x == RawSnapshot.ABSENT || x < 0) {
                throw new RecordFileException(file, "is corrupt: " + where + " lacks one of nr_tried, sz_tried,"
                        + " nr_applied, sz_applied, qt_exceeds, or has a negative one");
            }
        }
        raw.damosStats = new DamosStats(v[0], v[1], v[2], v[3], v[4]);
    }

    /** jdamon's measured rounds: {@code [{"start_time", "end_time", "ranges": [[start, end, bytes], ...]}, ...]}. */
    private void measured(String where, JsonToken t) throws IOException, RecordFileException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            throw new RecordFileException(file, "is corrupt: " + where + " is not a list");
        }
        int k = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            String rw = where + " round " + k++;
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                throw new RecordFileException(file, "is corrupt: " + rw + " is not an object");
            }
            raw.addRound(RawSnapshot.ABSENT, RawSnapshot.ABSENT);
            long start = RawSnapshot.ABSENT;
            long end = RawSnapshot.ABSENT;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                case "start_time" -> start = number(rw, name, DamoValues.Kind.TIME_NS, RawSnapshot.ABSENT);
                case "end_time" -> end = number(rw, name, DamoValues.Kind.TIME_NS, RawSnapshot.ABSENT);
                case "ranges" -> measuredRanges(rw, v);
                default -> p.skipChildren();
                }
            }
            raw.setLastRoundTimes(start, end);
        }
    }

    private void measuredRanges(String where, JsonToken t) throws IOException, RecordFileException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            throw new RecordFileException(file, "is corrupt: " + where + " 'ranges' is not a list");
        }
        int j = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            String rw = where + " range " + j++;
            long start = RawSnapshot.ABSENT;
            long end = RawSnapshot.ABSENT;
            long bytes = RawSnapshot.ABSENT;
            int n = 0;
            if (t == JsonToken.START_ARRAY) {
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t.isScalarValue() && n < 3) {
                        long v = number(rw, "ranges", DamoValues.Kind.BYTES, RawSnapshot.ABSENT);
                        if (n == 0) {
                            start = v;
                        } else if (n == 1) {
                            end = v;
                        } else {
                            bytes = v;
                        }
                    } else {
                        p.skipChildren();
                    }
                    n++;
                }
            } else {
                p.skipChildren();
            }
            if (n != 3 || start == RawSnapshot.ABSENT || end == RawSnapshot.ABSENT || bytes == RawSnapshot.ABSENT) {
                throw new RecordFileException(file, "is corrupt: " + rw + " is not [start, end, accessed_bytes]");
            }
            raw.addMeasuredRange(start, end, bytes);
        }
    }

    private void regions(String where) throws IOException, RecordFileException {
        int r = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            String rw = where + " region " + r;
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                throw new RecordFileException(file, "is corrupt: " + rw + " is not an object");
            }
            long start = RawSnapshot.ABSENT;
            long end = RawSnapshot.ABSENT;
            long samples = RawSnapshot.ABSENT;
            long percent = RawSnapshot.ABSENT;
            long aggrIntervals = RawSnapshot.ABSENT;
            long usec = RawSnapshot.ABSENT;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                case "start" -> start = number(rw, name, DamoValues.Kind.COUNT, RawSnapshot.ABSENT);
                case "end" -> end = number(rw, name, DamoValues.Kind.COUNT, RawSnapshot.ABSENT);
                case "nr_accesses" -> {
                    if (v == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String k = p.currentName();
                            p.nextToken();
                            switch (k) {
                            case "samples" -> samples = number(rw + " nr_accesses", k, DamoValues.Kind.COUNT,
                                    RawSnapshot.ABSENT);
                            case "percent" -> percent = number(rw + " nr_accesses", k, DamoValues.Kind.PERCENT,
                                    RawSnapshot.ABSENT);
                            default -> p.skipChildren();
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                case "age" -> {
                    if (v == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String k = p.currentName();
                            p.nextToken();
                            switch (k) {
                            case "aggr_intervals" -> aggrIntervals = number(rw + " age", k, DamoValues.Kind.COUNT,
                                    RawSnapshot.ABSENT);
                            case "usec" -> usec = number(rw + " age", k, DamoValues.Kind.TIME_US,
                                    RawSnapshot.ABSENT);
                            default -> p.skipChildren();
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                default -> p.skipChildren();
                }
            }
            raw.addRegion(start, end, samples, percent, aggrIntervals, usec);
            r++;
        }
    }

    private void intervals(String where, JsonToken t, RecordHeader h) throws IOException, RecordFileException {
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            throw new RecordFileException(file, "is corrupt: " + where + " 'intervals' is " + kind(t)
                    + ", not an object");
        }
        String iw = where + " intervals";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
            case "sample_us" -> h.sampleUs = number(iw, name, DamoValues.Kind.TIME_US, 0);
            case "aggr_us" -> h.aggrUs = number(iw, name, DamoValues.Kind.TIME_US, 0);
            case "ops_update_us" -> h.updateUs = number(iw, name, DamoValues.Kind.TIME_US, 0);
            default -> p.skipChildren();
            }
        }
    }

    private void extra(String where, JsonToken t, RecordHeader h) throws IOException, RecordFileException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
            case "context" -> h.contextName = optText(v);
            case "target" -> h.targetSpec = optText(v);
            case "primitive" -> h.primitiveName = optText(v);
            case "scheme_action" -> h.schemeAction = optText(v);
            case "started" -> h.started = optText(v);
            case "targets" -> h.targets = (int) number(where + " " + RecordWriter.EXTRA_KEY, name,
                    DamoValues.Kind.COUNT, 0);
            case "primitive_properties" -> {
                if (v == JsonToken.START_OBJECT) {
                    Map<String, String> m = new LinkedHashMap<>();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String k = p.currentName();
                        m.put(k, optText(p.nextToken()));
                    }
                    h.properties = m;
                } else {
                    p.skipChildren();
                }
            }
            default -> p.skipChildren();
            }
        }
    }

    private String optText(JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return "";
        }
        return text(t);
    }

    private String text(JsonToken t) throws IOException {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            p.skipChildren();
            return "";
        }
        return p.getText();
    }

    /**
     * The current value as a whole number: a JSON number, or a string damo
     * writes for one ({@link DamoValues}); {@code absent} if null.
     */
    private long number(String where, String key, DamoValues.Kind kind, long absent)
            throws IOException, RecordFileException {
        JsonToken t = p.currentToken();
        switch (t) {
        case VALUE_NULL:
            return absent;
        case VALUE_NUMBER_INT:
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                return inRange(where, key, p.getBigIntegerValue());
            }
            return p.getLongValue();
        case VALUE_NUMBER_FLOAT: {
            double d = p.getDoubleValue();
            if (d == Math.rint(d) || kind != DamoValues.Kind.COUNT) {
                return inRange(where, key, java.math.BigDecimal.valueOf(d)
                        .setScale(0, java.math.RoundingMode.HALF_UP).toBigInteger());
            }
            throw new RecordFileException(file, "is corrupt: " + where + " '" + key + "' is a number ("
                    + p.getText() + "), not a whole number");
        }
        case VALUE_STRING: {
            String s = p.getText();
            BigInteger v = DamoValues.parse(s, kind);
            if (v == null) {
                throw new RecordFileException(file, "is corrupt: " + where + " '" + key + "' is a string (" + s
                        + "), not a whole number" + unitHint(kind));
            }
            return inRange(where, key, v);
        }
        default:
            String text = t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY ? "..." : p.getText();
            p.skipChildren();
            throw new RecordFileException(file, "is corrupt: " + where + " '" + key + "' is " + kind(t) + " ("
                    + text + "), not a whole number");
        }
    }

    private static String unitHint(DamoValues.Kind kind) {
        return switch (kind) {
        case TIME_NS, TIME_US -> " nor a time such as '100 ms'";
        case BYTES -> " nor a size such as '4 KiB'";
        case PERCENT -> " nor a percent such as '50 %'";
        default -> "";
        };
    }

    private long inRange(String where, String key, BigInteger big) throws RecordFileException {
        if (big.bitLength() < 64) {
            return big.longValue();
        }
        String range = big.signum() < 0 ? "below " + Long.MIN_VALUE
                : big.bitLength() <= 64 ? "above 2^63-1 (" + Long.MAX_VALUE + "), beyond any address space jdamon "
                        + "can monitor or show" : "above 2^64-1, the largest 64-bit number";
        throw new RecordFileException(file, "is corrupt: " + where + " '" + key + "' is " + big + ", " + range);
    }

    private static String kind(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
        case START_OBJECT -> "an object";
        case START_ARRAY -> "a list";
        case VALUE_STRING -> "a string";
        case VALUE_TRUE, VALUE_FALSE -> "a boolean";
        case VALUE_NULL -> "null";
        default -> "a number";
        };
    }
}
