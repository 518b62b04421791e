package io.jdamon.record;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

import io.jdamon.record.internal.AsciiBuffer;

/**
 * Converts a record file to another format, as damo's
 * {@code convert_record_format} does: any file {@link RecordReader} reads
 * (plain or compressed JSON, damo's perf-script text) to {@code json} or
 * {@code json_compressed} ({@link RecordFormat}).
 *
 * <p>A complete JSON file is only re-encoded (inflated or compressed), so
 * every byte of its JSON stays as it was, damo's own keys included; a
 * perf-script file, a file cut short by a crash and one in jdamon's running
 * multi-target layout are rewritten from what was read, in the layout
 * {@link RecordWriter} gives a finished file (as {@link RecordRepair} does).
 * The input is read as a stream: memory stays bounded by its largest
 * snapshot, except for the rewrite of a cut or running-layout file, which
 * holds its snapshots.
 *
 * <p>The output is written under a temporary name and renamed into place in
 * one step. An existing output file is moved aside first ({@code FILE.old},
 * as {@link RecordWriter} does), never overwritten, unless it is the input
 * itself: that is converted in place. A link, a FIFO or a device at the
 * output is refused, and so is an input that a recorder still writes.
 *
 * @since 1.2
 */
public final class RecordConvert {

    private RecordConvert() {
    }

    /**
     * What a conversion did.
     *
     * @param input the file read
     * @param output the file written
     * @param format its format
     * @param records the records (targets) in it
     * @param snapshots the snapshots in it, over all targets
     * @param rewritten whether it was rewritten from what was read (else only re-encoded)
     * @param movedAside where a file that was at {@code output} was moved, or null
     */
    public record Result(Path input, Path output, RecordFormat format, int records, long snapshots,
            boolean rewritten, Path movedAside) {
    }

    /**
     * Converts {@code input} to {@code format} at {@code output} (which may be {@code input}).
     *
     * @throws RecordFileException if the input cannot be read (the message says why)
     * @throws IOException if the output cannot be written, is refused, or the
     *     input is still being recorded
     */
    public static Result convert(Path input, Path output, RecordFormat format)
            throws RecordFileException, IOException {
        Path in = input.toAbsolutePath();
        Path out = output.toAbsolutePath();
        String holder = OutputFiles.lockHolder(in);
        if (holder != null) {
            throw new OutputFiles.OutputRefusedException(input + " is being recorded by " + holder
                    + "; convert it when that recording ends");
        }
        long[] snapshots = new long[1];
        Recording seen = RecordReader.stream(input, (record, index, snapshot) -> snapshots[0]++);
        boolean inPlace = Files.exists(out, LinkOption.NOFOLLOW_LINKS) && Files.isSameFile(in, out)
                && !Files.isSymbolicLink(out);
        OutputFiles.checkTarget(out, "-o");
        byte[] head = new byte[8];
        int headLength;
        try (InputStream s = Files.newInputStream(in)) {
            headLength = s.readNBytes(head, 0, head.length);
        }
        boolean compressed = RecordReader.isZlib(java.util.Arrays.copyOf(head, headLength));
        boolean json = compressed || firstNonBlank(in) == '[';
        boolean rewrite = !json || seen.needsRepair();
        if (rewrite && seen.records().isEmpty()) {
            throw new RecordFileException(input, "holds no snapshot to convert (record again)");
        }
        Path aside = inPlace ? null : OutputFiles.moveAside(out);
        if (rewrite) {
            Recording rec = RecordReader.read(input);
            RecordWriter.writeConsolidated(out, RecordWriter.layoutOf(rec), new AsciiBuffer(), false, format);
            return new Result(input, output, format, rec.records().size(), rec.snapshotCount(), true, aside);
        }
        OutputFiles.Temp tmp = OutputFiles.createTemp(out, ".tmp");
        try {
            try (InputStream raw = Files.newInputStream(in);
                    InputStream text = compressed ? new InflaterInputStream(raw) : raw;
                    OutputStream sink = Channels.newOutputStream(tmp.channel());
                    OutputStream encoded = format == RecordFormat.JSON_COMPRESSED
                            ? new DeflaterOutputStream(sink, new Deflater(), 1 << 16) : sink) {
                text.transferTo(encoded);
            }
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp.path(),
                    java.nio.file.StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                ch.force(true);
            }
            if (inPlace) {
                try {
                    Files.setPosixFilePermissions(tmp.path(), Files.getPosixFilePermissions(in, LinkOption.NOFOLLOW_LINKS));
                } catch (UnsupportedOperationException | IOException e) {
                    // keep the umask's permissions
                }
                OutputFiles.replace(tmp.path(), out);
            } else {
                OutputFiles.publish(tmp.path(), out);
            }
        } catch (IOException | RuntimeException e) {
            tmp.discard();
            throw e;
        }
        return new Result(input, output, format, seen.records().size(), snapshots[0], false, aside);
    }

    private static char firstNonBlank(Path file) throws IOException {
        try (InputStream s = new java.io.BufferedInputStream(Files.newInputStream(file))) {
            int c;
            while ((c = s.read()) >= 0) {
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    return (char) c;
                }
            }
        }
        return ' ';
    }
}
