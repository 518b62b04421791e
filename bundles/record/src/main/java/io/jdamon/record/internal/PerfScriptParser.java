package io.jdamon.record.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.jdamon.record.RecordFileException;
import io.jdamon.record.RecordedSnapshot;

/**
 * Reads damo's {@code perf_script} record format: the text {@code perf script}
 * prints for the {@code damon:damon_aggregated} tracepoint, one line per
 * region,
 * <pre>
 * kdamond.0  4452 [000] 82877.315633: damon:damon_aggregated: target_id=0 nr_regions=17 4096-8192: 3 12
 * </pre>
 * (command, pid, cpu, the time in seconds, the event, the target, how many
 * regions the snapshot has, the region, its access count in samples and,
 * since Linux 5.16, its age in aggregation intervals). A snapshot ends with
 * its {@code nr_regions}-th line; its start is the previous snapshot's end
 * (the first one's is estimated from the second's length, as damo does).
 * {@code trace-cmd report} lines of the same event ({@code damon_aggregated:})
 * and {@code damon:damon_monitor_intervals_tune} lines (a new sample
 * interval) are read too; other lines are skipped.
 */
public final class PerfScriptParser {

    private static final String AGGREGATED = "damon_aggregated:";
    private static final String TUNE = "damon_monitor_intervals_tune:";

    private final Path file;
    private final JsonRecordParser.Sink sink;
    private final Map<String, Target> targets = new LinkedHashMap<>();
    private long sampleUs;
    private boolean complete = true;

    private final class Target {
        final RecordHeader header = new RecordHeader();
        final int index;
        RawSnapshot building;
        long nrRegions;
        long previousEnd = Long.MIN_VALUE;
        RawSnapshot first;
        int position;

        Target(String id, int index) {
            this.index = index;
            header.targetId = id;
        }

        String where() {
            return "target_id " + header.targetId + " snapshot " + position;
        }

        void finish(RawSnapshot s) throws RecordFileException {
            if (position == 0 && first == null) {
                first = s.copy(); // its start is known only from the next snapshot's length
                return;
            }
            if (first != null) {
                first.startTime = first.endTime - (s.endTime - first.endTime);
                deliver(first);
                first = null;
            }
            deliver(s);
        }

        void flush() throws RecordFileException {
            if (first != null) {
                first.startTime = first.endTime; // a single snapshot: its length is not known
                deliver(first);
                first = null;
            }
        }

        private void deliver(RawSnapshot s) throws RecordFileException {
            if (previousEnd != Long.MIN_VALUE) {
                s.startTime = previousEnd;
            }
            String where = where();
            RecordedSnapshot rs = s.build(file, where, header, position, previousEnd);
            position++;
            if (!RawSnapshot.isDamoFake(rs)) {
                sink.snapshot(header, where, rs);
                previousEnd = rs.endNanos();
            }
        }
    }

    private PerfScriptParser(Path file, JsonRecordParser.Sink sink) {
        this.file = file;
        this.sink = sink;
    }

    /** @return whether the text ended with a complete snapshot of every target */
    public static boolean parse(Path file, InputStream in, JsonRecordParser.Sink sink)
            throws IOException, RecordFileException {
        PerfScriptParser p = new PerfScriptParser(file, sink);
        LastByte last = new LastByte(in);
        p.run(new BufferedReader(new InputStreamReader(last, StandardCharsets.UTF_8), 1 << 16), last);
        return p.complete;
    }

    /** Remembers the last byte read, to tell a last line cut short from a whole one. */
    private static final class LastByte extends java.io.FilterInputStream {
        int last = -1;

        LastByte(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                last = b;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                last = b[off + n - 1] & 0xff;
            }
            return n;
        }
    }

    private void run(BufferedReader in, LastByte last) throws IOException, RecordFileException {
        String line;
        long lineNr = 0;
        boolean sawEvent = false;
        while ((line = in.readLine()) != null) {
            lineNr++;
            String[] f = line.trim().split("\\s+");
            int k = event(f);
            if (k < 1) {
                continue;
            }
            if (f[k].endsWith(TUNE)) {
                if (f.length > k + 1 && f[k + 1].startsWith("sample_us=")) {
                    sampleUs = longOf(lineNr, f[k + 1].substring("sample_us=".length()));
                }
                continue;
            }
            sawEvent = true;
            try {
                region(lineNr, f, k);
            } catch (RecordFileException e) {
                if (in.readLine() != null || last.last == '\n') {
                    throw e;
                }
                complete = false; // the last line, cut in the middle
                break;
            }
        }
        if (!sawEvent) {
            throw new RecordFileException(file, "is not a DAMON record file: text without damon:damon_aggregated "
                    + "events (perf script output of that tracepoint, or JSON, is expected)");
        }
        for (Target t : targets.values()) {
            if (t.building != null && t.building.regionCount() > 0) {
                complete = false; // the last snapshot was cut
            }
            t.flush();
        }
    }

    /** @return the index of the event field, or -1 if the line is not a DAMON event */
    private static int event(String[] f) {
        for (int i = 1; i < f.length; i++) {
            if (f[i].equals("damon:" + AGGREGATED) || f[i].equals(AGGREGATED) || f[i].equals("damon:" + TUNE)
                    || f[i].equals(TUNE)) {
                return f[i - 1].endsWith(":") ? i : -1;
            }
        }
        return -1;
    }

    private void region(long lineNr, String[] f, int k) throws IOException, RecordFileException {
        int n = f.length - k - 1;
        if (n != 4 && n != 5 || !f[k + 1].startsWith("target_id=") || !f[k + 2].startsWith("nr_regions=")
                || !f[k + 3].endsWith(":") || f[k + 3].indexOf('-') < 1) {
            throw new RecordFileException(file, "is corrupt: line " + lineNr + " is not a damon_aggregated event "
                    + "(expected 'TIME: damon:damon_aggregated: target_id=N nr_regions=N START-END: ACCESSES [AGE]')");
        }
        String ts = f[k - 1].substring(0, f[k - 1].length() - 1);
        long endNs;
        try {
            endNs = new BigDecimal(ts).movePointRight(9).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new RecordFileException(file, "is corrupt: line " + lineNr + " has the time '" + ts
                    + "', not seconds");
        }
        String id = f[k + 1].substring("target_id=".length());
        long nrRegions = longOf(lineNr, f[k + 2].substring("nr_regions=".length()));
        String range = f[k + 3].substring(0, f[k + 3].length() - 1);
        int dash = range.indexOf('-');
        long start = longOf(lineNr, range.substring(0, dash));
        long end = longOf(lineNr, range.substring(dash + 1));
        long accesses = longOf(lineNr, f[k + 4]);
        long age = n == 5 ? longOf(lineNr, f[k + 5]) : RawSnapshot.ABSENT;
        Target t = targets.get(id);
        if (t == null) {
            t = new Target(id, targets.size());
            targets.put(id, t);
        }
        t.header.sampleUs = sampleUs;
        if (t.building == null) {
            t.building = new RawSnapshot();
        }
        RawSnapshot s = t.building;
        if (s.regionCount() == 0) {
            s.clear();
            s.endTime = endNs;
            s.sampleUs = sampleUs > 0 ? sampleUs : RawSnapshot.ABSENT;
            t.nrRegions = nrRegions;
            if (t.previousEnd != Long.MIN_VALUE && endNs < t.previousEnd) {
                throw new RecordFileException(file, "is corrupt: line " + lineNr + " goes back in time (the trace "
                        + "is not sorted by time; sort it, e.g. perf script | sort -k4,4n)");
            }
        }
        s.addRegion(start, end, accesses, RawSnapshot.ABSENT, age, RawSnapshot.ABSENT);
        if (s.regionCount() >= t.nrRegions) {
            t.finish(s);
            s.clear();
        }
    }

    private long longOf(long lineNr, String s) throws RecordFileException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new RecordFileException(file, "is corrupt: line " + lineNr + " has '" + s
                    + "' where a whole number belongs");
        }
    }
}
