package io.jdamon.report.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.jdamon.record.RecordFileException;
import io.jdamon.record.RecordRepair;
import io.jdamon.report.internal.Problems.DataException;
import io.jdamon.report.internal.Problems.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code report repair}: rewrites a record file left unfinished by a fault, keeping the original. */
@Command(name = "repair", description = "rewrite a record file left unfinished by a fault (full disk, kill -9) so "
        + "that damo reads it; the original is kept as FILE.broken")
final class RepairCommand implements Callable<Integer> {

    @Mixin
    Input input;

    private final PrintStream out;

    RepairCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws UsageException, DataException {
        Path file = input.path();
        RecordRepair.Result r;
        try {
            r = RecordRepair.repair(file);
        } catch (RecordFileException e) {
            throw new DataException(e.getMessage());
        } catch (IOException e) {
            String reason = e instanceof FileSystemException fse && fse.getReason() != null
                    ? fse.getFile() + ": " + fse.getReason() : e.getMessage();
            throw new DataException("cannot repair " + file + ": " + reason);
        }
        if (!r.repaired()) {
            out.println(file + " is complete and damo reads it as it is (" + r.records() + " target(s), "
                    + r.snapshots() + " snapshots); nothing to repair");
        } else {
            out.println("repaired " + file + ": " + r.records() + " target(s), " + r.snapshots()
                    + " complete snapshots kept, in the layout damo reads; the original is kept as " + r.backup());
        }
        return 0;
    }
}
