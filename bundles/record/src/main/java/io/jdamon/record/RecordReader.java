package io.jdamon.record;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import io.jdamon.api.RegionSnapshot;
import io.jdamon.record.internal.TolerantJson;

/**
 * Reads record files: those {@link RecordWriter} writes and those damo writes
 * ({@code damo record}'s {@code json} and {@code json_compressed} formats).
 *
 * <p>A file still being written, or cut short by a crash or {@code kill -9},
 * is read up to its last complete snapshot; {@link Recording#complete()} then
 * says false. Anything else that is wrong (a missing, unreadable or empty
 * file, a corrupt byte, JSON that is not a record list, a {@code perf.data}
 * file) is a {@link RecordFileException} whose message names the file and
 * the problem.
 *
 * <p>Numbers may be JSON numbers or numeric strings (damo writes both).
 * Addresses are unsigned 64-bit numbers in damo's files; values above
 * {@link Long#MAX_VALUE} (2^63 - 1, beyond any real address space) are
 * refused as corrupt rather than read as negative numbers.
 * Records that repeat the same kdamond, context, scheme and target are joined
 * into one, snapshots in file order (a jdamon multi-target file cut before it
 * was finished has that layout: {@link Recording#needsRepair()}).
 *
 * <p>Refused as corrupt: a region ending before it starts, a negative access
 * count or age. Read, with a warning naming the snapshot and the region
 * ({@link Recording#warnings()}): regions that overlap, a region accessed in
 * more samples than the aggregation had (a rate above 100%).
 *
 * <p>Only regular files are read (a FIFO would block), up to
 * {@value #MAX_FILE_BYTES} bytes: the reader holds the file in one array.
 */
public final class RecordReader {

    /** The largest file read: {@value} bytes (about 2 GiB, the largest Java array). */
    public static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;
    /** The most warnings kept per file (the count of the rest is said). */
    static final int MAX_WARNINGS = 10;

    private RecordReader() {
    }

    /**
     * Reads a record file.
     *
     * @throws RecordFileException naming the file and what is wrong with it
     */
    public static Recording read(Path file) throws RecordFileException {
        byte[] bytes = readBytes(file);
        for (int attempt = 1;; attempt++) {
            try {
                return parse(file, bytes);
            } catch (RecordFileException e) {
                // A writer rewrites the closing brackets at every aggregation, so a read that
                // overlaps an append can mix old and new bytes; that always fails to parse.
                // Read again: a file that reads the same twice is really broken.
                byte[] again = readBytes(file);
                if (attempt >= 5 || java.util.Arrays.equals(again, bytes)) {
                    throw e;
                }
                bytes = again;
            }
        }
    }

    private static byte[] readBytes(Path file) throws RecordFileException {
        byte[] bytes;
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            attrs = null; // the read below says why
        }
        if (attrs != null && attrs.isDirectory()) {
            throw new RecordFileException(file, "is a directory, not a record file");
        }
        if (attrs != null && !attrs.isRegularFile()) {
            throw new RecordFileException(file, "is not a regular file (" + OutputFiles.kind(file.toAbsolutePath())
                    + "); reading it could wait for ever: copy the record to a file first and read that with -i FILE");
        }
        if (attrs != null && attrs.size() > MAX_FILE_BYTES) {
            throw new RecordFileException(file, "is " + (attrs.size() >> 20) + " MiB, more than the "
                    + (MAX_FILE_BYTES >> 20) + " MiB (2 GiB) jdamon's reader holds in one array, whatever the heap; "
                    + "record shorter runs (-d TIME) or with a longer aggregation interval (-a TIME), or split the "
                    + "file's records with another tool first");
        }
        try {
            byte[] held = OutputFiles.readHeld(file);
            bytes = held != null ? held : Files.readAllBytes(file);
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
            throw new RecordFileException(file, "is too large to read with this heap (" + Runtime.getRuntime().maxMemory()
                    / (1 << 20) + " MiB); give the JVM more with JAVA_OPTS=-Xmx<size> (about 3 times the file)");
        }
        return bytes;
    }

    /**
     * Parses the content of a record file.
     *
     * @param file names the source in messages
     * @throws RecordFileException naming the file and what is wrong
     */
    public static Recording parse(Path file, byte[] bytes) throws RecordFileException {
        try {
            return parseContent(file, bytes);
        } catch (OutOfMemoryError e) {
            throw new RecordFileException(file, "is too large to read with this heap (" + (bytes.length >> 20)
                    + " MiB of JSON needs about " + Math.max(1, 3L * bytes.length >> 20) + " MiB); raise -Xmx");
        }
    }

    private static Recording parseContent(Path file, byte[] bytes) throws RecordFileException {
        if (bytes.length == 0) {
            throw new RecordFileException(file, "is empty: no monitoring results were written to it yet");
        }
        if (startsWith(bytes, "PERFILE")) {
            throw new RecordFileException(file, "is a perf.data file, which jdamon does not read; convert it with "
                    + "'damo convert_record_format json " + file + "' first");
        }
        if (isZlib(bytes)) {
            bytes = inflate(file, bytes);
        }
        bytes = withoutTrailingZeros(bytes);
        if (!looksLikeText(bytes)) {
            throw new RecordFileException(file, "is not a DAMON record file (binary content, not JSON)");
        }
        TolerantJson.Result parsed;
        try {
            parsed = TolerantJson.parse(bytes, bytes.length);
        } catch (TolerantJson.Syntax e) {
            String what = firstNonBlank(bytes) == '[' ? "is corrupt" : "is not a DAMON record file";
            throw new RecordFileException(file, what + ": " + e.getMessage() + " at line " + e.line + ", column "
                    + e.column + " (byte " + e.offset + ")");
        }
        if (parsed.root == null) {
            return new Recording(file, List.of(), false);
        }
        if (!(parsed.root instanceof TolerantJson.Arr list)) {
            throw new RecordFileException(file, "is JSON but not a DAMON record file: expected a list of records, "
                    + "found " + kind(parsed.root));
        }
        Map<String, Builder> byKey = new LinkedHashMap<>();
        Warnings warnings = new Warnings();
        boolean repeated = false;
        for (int i = 0; i < list.size(); i++) {
            Object o = list.get(i);
            if (!(o instanceof TolerantJson.Obj rec)) {
                throw new RecordFileException(file, "is JSON but not a DAMON record file: record " + i
                        + " is " + kind(o) + ", not an object");
            }
            Builder b = record(file, i, rec, list.complete || i < list.size() - 1, warnings);
            if (b == null) {
                continue; // cut before its snapshots began
            }
            Builder prior = byKey.get(b.key);
            if (prior == null) {
                byKey.put(b.key, b);
            } else {
                prior.snapshots.addAll(b.snapshots);
                repeated = true;
            }
        }
        List<TargetRecord> records = new ArrayList<>(byKey.size());
        for (Builder b : byKey.values()) {
            records.add(b.build());
        }
        return new Recording(file, records, parsed.complete, repeated, warnings.list());
    }

    /** The first warnings of a file and the count of the rest. */
    private static final class Warnings {
        private final List<String> list = new ArrayList<>();
        private int more;

        void add(String w) {
            if (list.size() < MAX_WARNINGS) {
                list.add(w);
            } else {
                more++;
            }
        }

        List<String> list() {
            if (more > 0) {
                List<String> l = new ArrayList<>(list);
                l.add("and " + more + " more such problems");
                return l;
            }
            return list;
        }
    }

    private static final class Builder {
        String key;
        int kdamondIdx;
        int contextIdx;
        int schemeIdx;
        String targetId;
        long sampleUs;
        long aggrUs;
        long updateUs;
        String contextName = "";
        String targetSpec = "";
        String primitiveName = "";
        String started = "";
        int targets;
        Map<String, String> properties = Map.of();
        final List<RecordedSnapshot> snapshots = new ArrayList<>();

        TargetRecord build() {
            return new TargetRecord(kdamondIdx, contextIdx, schemeIdx, targetId, sampleUs, aggrUs, updateUs,
                    contextName, targetSpec, primitiveName, properties, targets, snapshots, started);
        }
    }

    private static Builder record(Path file, int i, TolerantJson.Obj rec, boolean mustBeWhole, Warnings warnings)
            throws RecordFileException {
        String where = "record " + i;
        if (!rec.containsKey("snapshots")) {
            if (!rec.complete && !mustBeWhole) {
                return null;
            }
            throw new RecordFileException(file, "is JSON but not a DAMON record file: " + where
                    + " has no 'snapshots' (keys: " + rec.keySet() + ")");
        }
        Builder b = new Builder();
        b.kdamondIdx = (int) optLong(file, where, rec, "kdamond_idx", -1);
        b.contextIdx = (int) optLong(file, where, rec, "context_idx", -1);
        b.schemeIdx = (int) optLong(file, where, rec, "scheme_idx", -1);
        Object tid = rec.get("target_id");
        b.targetId = tid == null ? "" : String.valueOf(tid);
        Object iv = rec.get("intervals");
        if (iv instanceof TolerantJson.Obj intervals) {
            b.sampleUs = optLong(file, where + " intervals", intervals, "sample_us", 0);
            b.aggrUs = optLong(file, where + " intervals", intervals, "aggr_us", 0);
            b.updateUs = optLong(file, where + " intervals", intervals, "ops_update_us", 0);
        } else if (iv != null) {
            throw new RecordFileException(file, "is corrupt: " + where + " 'intervals' is " + kind(iv)
                    + ", not an object");
        }
        if (rec.get(RecordWriter.EXTRA_KEY) instanceof TolerantJson.Obj extra) {
            b.contextName = optString(extra, "context");
            b.targetSpec = optString(extra, "target");
            b.primitiveName = optString(extra, "primitive");
            b.started = optString(extra, "started");
            b.targets = (int) optLong(file, where + " " + RecordWriter.EXTRA_KEY, extra, "targets", 0);
            if (extra.get("primitive_properties") instanceof TolerantJson.Obj props) {
                Map<String, String> m = new LinkedHashMap<>();
                props.forEach((k, v) -> m.put(k, String.valueOf(v)));
                b.properties = m;
            }
        }
        b.key = b.kdamondIdx + "/" + b.contextIdx + "/" + b.schemeIdx + "/" + b.targetId;
        Object snaps = rec.get("snapshots");
        if (!(snaps instanceof TolerantJson.Arr list)) {
            throw new RecordFileException(file, "is corrupt: " + where + " 'snapshots' is " + kind(snaps)
                    + ", not a list");
        }
        int perAggr = b.sampleUs > 0 && b.aggrUs > 0 ? (int) Math.max(1, b.aggrUs / b.sampleUs) : 0;
        long previousEnd = Long.MIN_VALUE;
        for (int s = 0; s < list.size(); s++) {
            Object o = list.get(s);
            if (!(o instanceof TolerantJson.Obj snap)) {
                throw new RecordFileException(file, "is corrupt: " + where + " snapshot " + s + " is " + kind(o)
                        + ", not an object");
            }
            if (!snap.complete) {
                break; // the torn tail of a file being written or cut by a crash
            }
            RecordedSnapshot rs = snapshot(file, where + " snapshot " + s, snap, s, b, perAggr, previousEnd);
            if (isDamoFakeSnapshot(rs)) {
                continue;
            }
            check(where + " snapshot " + s, rs, b, warnings);
            b.snapshots.add(rs);
            previousEnd = rs.endNanos();
        }
        return b;
    }

    /** Warns of overlapping regions and of rates above 100%. */
    private static void check(String where, RecordedSnapshot rs, Builder b, Warnings warnings) {
        int max = rs.samplesTaken() > 0 ? rs.samplesTaken()
                : rs.sampleIntervalUs() > 0 && rs.aggregationIntervalUs() > 0
                        ? (int) Math.max(1, rs.aggregationIntervalUs() / rs.sampleIntervalUs())
                        : b.sampleUs > 0 && b.aggrUs > 0 ? (int) Math.max(1, b.aggrUs / b.sampleUs) : 0;
        List<RegionSnapshot> regions = rs.regions();
        for (int r = 0; r < regions.size(); r++) {
            RegionSnapshot reg = regions.get(r);
            if (r > 0 && reg.start() < regions.get(r - 1).end()) {
                RegionSnapshot prev = regions.get(r - 1);
                warnings.add(where + " region " + r + " (" + hex(reg.start()) + "-" + hex(reg.end())
                        + ") overlaps region " + (r - 1) + " (" + hex(prev.start()) + "-" + hex(prev.end())
                        + "); its accesses are counted twice where they overlap");
            }
            if (max > 0 && reg.nrAccesses() > max) {
                warnings.add(where + " region " + r + " (" + hex(reg.start()) + "-" + hex(reg.end()) + ") has "
                        + reg.nrAccesses() + " accesses in an aggregation of " + max + " samples (a rate of "
                        + (reg.nrAccesses() * 100L / max) + "%, above 100%: the counts or the intervals in the file are wrong)");
            }
        }
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static RecordedSnapshot snapshot(Path file, String where, TolerantJson.Obj snap, int position,
            Builder b, int perAggr, long previousEnd) throws RecordFileException {
        long end = reqLong(file, where, snap, "end_time");
        long start;
        if (snap.get("start_time") != null) {
            start = reqLong(file, where, snap, "start_time");
        } else if (previousEnd != Long.MIN_VALUE) {
            start = previousEnd;
        } else {
            start = end - optLong(file, where, snap, RecordWriter.EXTRA_AGGREGATION_INTERVAL_KEY, b.aggrUs) * 1000;
        }
        long sampleUs = optLong(file, where, snap, "sample_interval_us", b.sampleUs);
        long aggrUs = optLong(file, where, snap, RecordWriter.EXTRA_AGGREGATION_INTERVAL_KEY, b.aggrUs);
        long samplesTaken = optLong(file, where, snap, RecordWriter.EXTRA_SAMPLES_KEY, 0);
        if (samplesTaken < 0 || samplesTaken > Integer.MAX_VALUE) {
            throw new RecordFileException(file, "is corrupt: " + where + " '" + RecordWriter.EXTRA_SAMPLES_KEY
                    + "' is " + samplesTaken);
        }
        int snapPerAggr = samplesTaken > 0 ? (int) samplesTaken
                : sampleUs > 0 && aggrUs > 0 ? (int) Math.max(1, aggrUs / sampleUs) : perAggr;
        long index = optLong(file, where, snap, RecordWriter.EXTRA_AGGREGATION_KEY, position);
        Object regs = snap.get("regions");
        if (!(regs instanceof TolerantJson.Arr list)) {
            throw new RecordFileException(file, "is corrupt: " + where + " has no 'regions' list");
        }
        List<RegionSnapshot> regions = new ArrayList<>(list.size());
        long total = 0;
        long absent = TolerantJson.Region.ABSENT;
        for (int r = 0; r < list.size(); r++) {
            String rw = where + " region " + r;
            RegionSnapshot region;
            if (list.get(r) instanceof TolerantJson.Region c) {
                region = region(file, rw, c.start, c.end, c.samples, c.percent, c.aggrIntervals, c.usec,
                        snapPerAggr, aggrUs);
            } else if (list.get(r) instanceof TolerantJson.Obj reg) {
                // a region the parser could not keep compact (numbers as strings, as damo may write them)
                long samples = absent;
                long percent = absent;
                long aggrIntervals = absent;
                long usec = absent;
                if (reg.get("nr_accesses") instanceof TolerantJson.Obj na) {
                    samples = optLong(file, rw + " nr_accesses", na, "samples", absent);
                    percent = optLong(file, rw + " nr_accesses", na, "percent", absent);
                }
                if (reg.get("age") instanceof TolerantJson.Obj ag) {
                    aggrIntervals = optLong(file, rw + " age", ag, "aggr_intervals", absent);
                    usec = optLong(file, rw + " age", ag, "usec", absent);
                }
                region = region(file, rw, reqLong(file, rw, reg, "start"), reqLong(file, rw, reg, "end"), samples,
                        percent, aggrIntervals, usec, snapPerAggr, aggrUs);
            } else {
                throw new RecordFileException(file, "is corrupt: " + rw + " is not an object");
            }
            regions.add(region);
            total += region.size();
        }
        long totalBytes = optLong(file, where, snap, "total_bytes", total);
        return new RecordedSnapshot(index, start, end, sampleUs, aggrUs, totalBytes, regions, (int) samplesTaken);
    }

    /**
     * One region from its fields as written ({@link TolerantJson.Region#ABSENT} where not given):
     * the access count from {@code samples}, else from {@code percent} of the samples per
     * aggregation; the age from {@code aggr_intervals}, else from {@code usec}.
     */
    private static RegionSnapshot region(Path file, String where, long start, long end, long samples, long percent,
            long aggrIntervals, long usec, int perAggr, long aggrUs) throws RecordFileException {
        long absent = TolerantJson.Region.ABSENT;
        if (end < start) {
            throw new RecordFileException(file, "is corrupt: " + where + " ends (" + end + ") before it starts ("
                    + start + ")");
        }
        long nr = 0;
        if (samples != absent) {
            nr = samples;
        } else if (percent != absent) {
            nr = percent * Math.max(1, perAggr) / 100;
        }
        long age = 0;
        if (aggrIntervals != absent) {
            age = aggrIntervals;
        } else if (usec != absent && aggrUs > 0) {
            age = usec / aggrUs;
        }
        boolean damoFake = start == 0 && end == 0 && nr == -1;
        if (!damoFake && (nr < 0 || nr > Integer.MAX_VALUE)) {
            throw new RecordFileException(file, "is corrupt: " + where + " has " + nr + " accesses");
        }
        if (!damoFake && (age < 0 || age > Integer.MAX_VALUE)) {
            throw new RecordFileException(file, "is corrupt: " + where + " has an age of " + age
                    + " aggregation intervals");
        }
        return new RegionSnapshot(start, end, (int) nr, (int) age);
    }

    /** damo adds a fake snapshot (one region 0-0 with -1 counts) to single-snapshot records. */
    private static boolean isDamoFakeSnapshot(RecordedSnapshot s) {
        if (s.regions().size() != 1) {
            return false;
        }
        RegionSnapshot r = s.regions().get(0);
        return r.start() == 0 && r.end() == 0 && r.nrAccesses() == -1;
    }

    private static long reqLong(Path file, String where, Map<String, Object> obj, String key)
            throws RecordFileException {
        Object v = obj.get(key);
        if (v == null) {
            throw new RecordFileException(file, "is corrupt: " + where + " has no '" + key + "'");
        }
        return toLong(file, where, key, v);
    }

    private static long optLong(Path file, String where, Map<String, Object> obj, String key, long dflt)
            throws RecordFileException {
        Object v = obj.get(key);
        return v == null ? dflt : toLong(file, where, key, v);
    }

    private static long toLong(Path file, String where, String key, Object v) throws RecordFileException {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof BigInteger big) {
            String range = big.signum() < 0 ? "below " + Long.MIN_VALUE
                    : big.bitLength() <= 64 ? "above 2^63-1 (" + Long.MAX_VALUE + "), beyond any address space jdamon "
                            + "can monitor or show" : "above 2^64-1, the largest 64-bit number";
            throw new RecordFileException(file, "is corrupt: " + where + " '" + key + "' is " + big + ", " + range);
        }
        if (v instanceof Double d && d == Math.rint(d)) {
            return d.longValue();
        }
        if (v instanceof String s) {
            String digits = s.replace(",", "").trim();
            try {
                return Long.parseLong(digits);
            } catch (NumberFormatException e) {
                if (digits.matches("-?\\d+")) {
                    return toLong(file, where, key, new BigInteger(digits));
                }
            }
        }
        throw new RecordFileException(file, "is corrupt: " + where + " '" + key + "' is " + kind(v)
                + " (" + v + "), not a whole number");
    }

    private static String optString(Map<String, Object> obj, String key) {
        Object v = obj.get(key);
        return v == null ? "" : String.valueOf(v);
    }

    private static String kind(Object o) {
        if (o == null) {
            return "null";
        }
        if (o instanceof Map) {
            return "an object";
        }
        if (o instanceof List) {
            return "a list";
        }
        if (o instanceof String) {
            return "a string";
        }
        if (o instanceof Boolean) {
            return "a boolean";
        }
        return "a number";
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

    private static boolean isZlib(byte[] b) {
        if (b.length < 2) {
            return false;
        }
        int cmf = b[0] & 0xff;
        int flg = b[1] & 0xff;
        return (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0;
    }

    private static byte[] inflate(Path file, byte[] compressed) throws RecordFileException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 4);
            byte[] buf = new byte[64 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break; // truncated compressed file: keep what was inflated
                }
                out.write(buf, 0, n);
            }
            if (out.size() == 0) {
                throw new DataFormatException("no data inflated");
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new RecordFileException(file, "looks zlib-compressed (damo's json_compressed) but does not "
                    + "inflate: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }

    /**
     * A crash of the whole machine can leave the last blocks of a file that
     * was not synced full of zero bytes; they are the torn tail, not content.
     */
    private static byte[] withoutTrailingZeros(byte[] b) {
        int n = b.length;
        while (n > 0 && b[n - 1] == 0) {
            n--;
        }
        return n == b.length ? b : java.util.Arrays.copyOf(b, n);
    }

    private static boolean looksLikeText(byte[] b) {
        int n = Math.min(b.length, 4096);
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
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
