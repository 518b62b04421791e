package io.jdamon.report.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.function.BiPredicate;

import io.jdamon.record.OutputFiles;
import io.jdamon.record.RecordFileException;
import io.jdamon.record.RecordReader;
import io.jdamon.record.Recording;
import io.jdamon.record.SnapshotConsumer;
import io.jdamon.record.TargetRecord;
import io.jdamon.report.internal.Problems.DataException;
import io.jdamon.report.internal.Problems.UsageException;
import picocli.CommandLine.Option;

/**
 * The record file a report reads ({@code -i/--input}, shared by every report),
 * read with notes on the error stream: a file still being written or left
 * unfinished, odd content.
 */
final class Input {

    /** The default input file: {@value}. */
    static final String DEFAULT_INPUT = "damon.data";

    @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "record file (default " + DEFAULT_INPUT
            + ")")
    String input;

    Path path() throws UsageException {
        return Values.path("--input", input == null ? DEFAULT_INPUT : input);
    }

    /**
     * Reads the file snapshot by snapshot, keeping none ({@link RecordReader#stream}): memory is
     * bounded by the largest snapshot, whatever the file's size. What is odd about the file is
     * said on {@code err}.
     *
     * @return the records without their snapshots
     */
    Recording stream(PrintStream err, SnapshotConsumer consumer) throws UsageException, DataException {
        Path file = path();
        long[] snapshots = {0};
        Recording rec;
        try {
            rec = RecordReader.stream(file, (record, index, snapshot) -> {
                snapshots[0]++;
                consumer.accept(record, index, snapshot);
            });
        } catch (RecordFileException e) {
            throw new DataException(e.getMessage());
        }
        notes(rec, snapshots[0], err);
        return rec;
    }

    /**
     * Streams the file, keeping the snapshots of the one record {@code chosen} picks in a private
     * temporary file ({@link SpilledSnapshots}), for reports that look at them several times.
     * The caller closes it.
     */
    SpilledSnapshots spill(PrintStream err, BiPredicate<TargetRecord, Integer> chosen)
            throws UsageException, DataException {
        SpilledSnapshots spill;
        try {
            spill = new SpilledSnapshots();
        } catch (IOException e) {
            throw new DataException("cannot create the report's temporary file (" + e.getMessage() + ")" + TMPDIR_FIX);
        }
        try {
            Recording rec = stream(err, (record, index, snapshot) -> {
                if (chosen.test(record, index)) {
                    try {
                        spill.add(record, index, snapshot);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
            spill.finish(rec);
            return spill;
        } catch (UncheckedIOException | IOException e) {
            closeQuietly(spill);
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            throw new DataException("cannot write the report's temporary file (" + cause.getMessage() + ")" + TMPDIR_FIX);
        } catch (UsageException | DataException | RuntimeException e) {
            closeQuietly(spill);
            throw e;
        }
    }

    private static final String TMPDIR_FIX = "; give java.io.tmpdir a writable folder with room for about a"
            + " sixth of the record's size";

    private static void closeQuietly(SpilledSnapshots spill) {
        try {
            spill.close();
        } catch (IOException ignored) {
            // the temporary file is also deleted on exit
        }
    }

    /** Says on the error stream what is odd about the file; refuses one without a snapshot. */
    private static void notes(Recording rec, long snapshots, PrintStream err) throws DataException {
        Path file = rec.file();
        if (rec.needsRepair()) {
            String holder = OutputFiles.lockHolder(file.toAbsolutePath());
            if (holder != null) {
                err.println("note: " + file + " is still being recorded by " + holder + "; using its "
                        + snapshots + " complete snapshots");
            } else {
                err.println("note: " + file + " was left unfinished (" + (rec.complete()
                        ? "in the layout a multi-target recording has while it runs" : "cut short")
                        + ", e.g. by a full disk or kill -9); using its " + snapshots
                        + " complete snapshots. damo cannot read it as it is: run 'jdamon report repair -i "
                        + file + "' to fix it in place (the original is kept)");
            }
        }
        for (String w : rec.warnings()) {
            err.println("warning: " + file + ": " + w);
        }
        if (rec.records().isEmpty()) {
            throw noSnapshots(file);
        }
    }

    static void checkTarget(Recording rec, int target) throws UsageException {
        if (target < 0 || target >= rec.records().size()) {
            throw new UsageException("--target " + target + " does not exist; " + rec.file() + " has "
                    + rec.records().size() + " target(s), 0 to " + (rec.records().size() - 1));
        }
    }

    /** @return the index of the record whose damo {@code target_id} is {@code tid} */
    static int byTargetId(Recording rec, String tid) throws UsageException {
        for (int i = 0; i < rec.records().size(); i++) {
            if (rec.records().get(i).targetId().equals(tid.trim())) {
                return i;
            }
        }
        throw new UsageException("--tid " + tid + ": " + rec.file() + " has no target_id " + tid
                + "; see them with 'report record_info', or choose by position with --target N");
    }

    static DataException noSnapshots(Path input) {
        return new DataException(input + ": holds no complete snapshot yet; the recorder writes one per "
                + "aggregation interval, so wait a moment and retry");
    }

    /**
     * @return which primitive and sensor recorded the file, e.g.
     *     {@code primitive vaddr (granularity=page, sees=reads,writes, sensor=page-idle)}; empty for damo files
     */
    static String sensorNote(Recording rec) {
        if (rec == null || rec.primitiveName().isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("primitive ").append(rec.primitiveName());
        if (!rec.primitiveProperties().isEmpty()) {
            sb.append(" (");
            boolean first = true;
            for (var e : new TreeMap<>(rec.primitiveProperties()).entrySet()) {
                sb.append(first ? "" : ", ").append(e.getKey()).append('=').append(e.getValue());
                first = false;
            }
            sb.append(')');
        }
        return sb.toString();
    }

    /**
     * @return how finely the record's primitive measured whole ranges, e.g.
     *     {@code mapping-level} (its {@code measuredUnit} property), else {@code range-level}
     */
    static String measuredLevel(Recording rec) {
        String unit = rec.primitiveProperties().get(io.jdamon.api.MonitoringTarget.MEASURED_UNIT_PROPERTY);
        return (unit == null || unit.isBlank() ? "range" : unit) + "-level";
    }

    static void printSensor(Recording rec, PrintStream out) {
        String note = sensorNote(rec);
        if (!note.isEmpty()) {
            out.println("# recorded by " + note);
        }
    }
}
