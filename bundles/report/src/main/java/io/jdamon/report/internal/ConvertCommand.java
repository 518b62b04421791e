package io.jdamon.report.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.jdamon.record.RecordConvert;
import io.jdamon.record.RecordFileException;
import io.jdamon.record.RecordFormat;
import io.jdamon.report.internal.Problems.DataException;
import io.jdamon.report.internal.Problems.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code report convert}: a record file in another format ({@link RecordConvert}), as damo's
 * {@code convert_record_format} does; without {@code -o} the file is converted in place.
 */
@Command(name = "convert", description = "write a record file as json or json_compressed (damo's default); "
        + "in place without -o; an existing output is moved aside to FILE.old, never overwritten")
final class ConvertCommand implements Callable<Integer> {

    @Mixin
    Input input;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "where to write (default: the input, "
            + "in place)")
    String output;

    @Option(names = {"-f", "--format"}, paramLabel = "json|json_compressed",
            description = "the format to write (default json_compressed)")
    String format;

    private final PrintStream out;

    ConvertCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws UsageException, DataException {
        Path in = input.path();
        Path to = output == null ? in : Values.path("--output", output);
        RecordFormat f;
        try {
            f = format == null ? RecordFormat.JSON_COMPRESSED : RecordFormat.of(format);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--format: " + e.getMessage());
        }
        RecordConvert.Result r;
        try {
            r = RecordConvert.convert(in, to, f);
        } catch (RecordFileException e) {
            throw new DataException(e.getMessage());
        } catch (IOException e) {
            String reason = e instanceof FileSystemException fse && fse.getReason() != null
                    ? fse.getFile() + ": " + fse.getReason() : e.getMessage();
            throw new DataException("cannot convert " + in + ": " + reason);
        }
        out.println("wrote " + r.output() + " as " + r.format().damoName() + ": " + r.records() + " target(s), "
                + r.snapshots() + " snapshots" + (r.rewritten() ? ", rewritten in the layout damo reads" : "")
                + (r.movedAside() != null ? "; the file that was there is now " + r.movedAside() : ""));
        return 0;
    }
}
