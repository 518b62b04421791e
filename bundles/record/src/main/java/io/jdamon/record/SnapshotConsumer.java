package io.jdamon.record;

/**
 * Receives a record file's snapshots one by one as
 * {@link RecordReader#stream} reads them, so that a report can go through a
 * file of any size holding one snapshot at a time.
 *
 * @since 1.2
 */
@FunctionalInterface
public interface SnapshotConsumer {
    /**
     * @param record the target's record, without snapshots (its
     *     {@link TargetRecord#snapshots()} is empty)
     * @param recordIndex the record's position in {@link Recording#records()}
     *     of the same file read with {@link RecordReader#read}
     * @param snapshot the next complete snapshot of that target, in file order
     */
    void accept(TargetRecord record, int recordIndex, RecordedSnapshot snapshot) throws RecordFileException;
}
