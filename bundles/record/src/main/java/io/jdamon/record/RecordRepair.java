package io.jdamon.record;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import io.jdamon.api.MonitoringAttributes;
import io.jdamon.record.internal.AsciiBuffer;

/**
 * Repairs a record file that damo cannot read after a fault: one cut short
 * (a full disk, {@code kill -9} in the middle of a write) or left in the
 * running multi-target layout (one record per target per aggregation). The
 * file is rewritten in place as one record per target with every complete
 * snapshot, in the layout {@link RecordWriter} gives a finished file:
 * written to a new temporary file next to it, the original kept under the
 * first free name of {@code FILE.broken}, {@code FILE.broken.1}, ..., then
 * renamed over it in one atomic step. A file that another recorder still
 * writes (it holds its lock) is refused.
 *
 * <pre>
 * RecordRepair.Result r = RecordRepair.repair(Path.of("damon.data"));
 * // r.backup() is damon.data.broken, r.snapshots() the snapshots kept
 * </pre>
 *
 * @since 1.1
 */
public final class RecordRepair {

    /** The suffix of the original kept by a repair: {@value}. */
    public static final String BACKUP_SUFFIX = ".broken";

    private RecordRepair() {
    }

    /**
     * What a repair did.
     *
     * @param file the file repaired
     * @param backup where the original was kept, or null if nothing needed doing
     * @param records the records (targets) written
     * @param snapshots the snapshots kept, over all targets
     */
    public record Result(Path file, Path backup, int records, int snapshots) {
        /** @return whether the file was rewritten */
        public boolean repaired() {
            return backup != null;
        }
    }

    /**
     * Repairs {@code file} in place if it needs it
     * ({@link Recording#needsRepair()}); a file that needs nothing is left
     * as it is.
     *
     * @throws RecordFileException if it cannot be read at all (the message says why)
     * @throws IOException if it cannot be rewritten, or another recorder writes it
     */
    public static Result repair(Path file) throws RecordFileException, IOException {
        Path abs = file.toAbsolutePath();
        String holder = OutputFiles.lockHolder(abs);
        if (holder != null) {
            throw new OutputFiles.OutputRefusedException(file + " is being recorded by " + holder
                    + "; it is finished when that recording ends: repair it only after a crash");
        }
        if (java.nio.file.Files.isSymbolicLink(abs)) { // refused before reading: whatever it points to
            throw new OutputFiles.OutputRefusedException(abs + " is a symbolic link; a repair rewrites only the "
                    + "file itself, never through a link: repair " + abs.toRealPath() + " if it is yours");
        }
        Recording rec = RecordReader.read(file);
        if (!rec.needsRepair()) {
            return new Result(file, null, rec.records().size(), rec.snapshotCount());
        }
        OutputFiles.checkTarget(abs, "-i");
        if (rec.records().isEmpty()) {
            throw new RecordFileException(file, "holds no snapshot to keep; nothing to repair (record again)");
        }
        Path backup = RecordWriter.writeConsolidated(abs, RecordWriter.layoutOf(rec), new AsciiBuffer(), true,
                RecordFormat.JSON);
        return new Result(file, backup, rec.records().size(), rec.snapshotCount());
    }

    /** The header of the file as it was written, from its first record and the targets of all. */
    static RecordWriter.Header header(List<TargetRecord> records) {
        TargetRecord r = records.get(0);
        List<String> specs = new ArrayList<>(records.size());
        for (TargetRecord t : records) {
            specs.add(t.label());
        }
        MonitoringAttributes d = MonitoringAttributes.DEFAULTS;
        MonitoringAttributes a;
        try {
            a = new MonitoringAttributes(r.sampleIntervalUs() > 0 ? r.sampleIntervalUs() : d.sampleIntervalUs(),
                    r.aggregationIntervalUs() > 0 ? r.aggregationIntervalUs() : d.aggregationIntervalUs(),
                    r.updateIntervalUs() > 0 ? r.updateIntervalUs() : d.updateIntervalUs(), d.minNrRegions(),
                    d.maxNrRegions());
        } catch (IllegalArgumentException e) {
            a = d;
        }
        Instant started = null;
        try {
            started = r.started().isEmpty() ? null : Instant.parse(r.started());
        } catch (DateTimeParseException e) {
            // unknown: the header says the repair's time
        }
        return new RecordWriter.Header(r.contextName(), Math.max(0, r.kdamondIdx()), Math.max(0, r.contextIdx()), a,
                r.primitiveName(), r.primitiveProperties(), specs, a.sampleIntervalUs(), started);
    }
}
