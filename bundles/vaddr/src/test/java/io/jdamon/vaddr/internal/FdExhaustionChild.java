package io.jdamon.vaddr.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import io.jdamon.vaddr.SensorSession;

/**
 * Run with a small open-file limit: fills the file table, frees one slot and
 * opens a referenced session on itself, so the session's first file opens and
 * its second fails. Prints how many files it left open on the way out.
 */
public final class FdExhaustionChild {

    private FdExhaustionChild() {
    }

    public static void main(String[] args) throws Exception {
        int pid = (int) ProcessHandle.current().pid();
        ReferencedSensor sensor = new ReferencedSensor();
        sensor.open(pid, 100_000).close(); // loads every class the failing open needs
        System.out.println("before: " + openProcFiles(pid));
        List<FileChannel> fillers = new ArrayList<>();
        try {
            while (true) {
                fillers.add(FileChannel.open(Path.of("/dev/null"), StandardOpenOption.READ));
            }
        } catch (IOException full) {
            // the table is full
        }
        fillers.remove(fillers.size() - 1).close();
        String outcome;
        try {
            SensorSession s = sensor.open(pid, 100_000);
            s.close();
            outcome = "opened";
        } catch (IOException expected) {
            outcome = "failed: " + expected.getMessage();
        }
        for (FileChannel f : fillers) {
            f.close();
        }
        System.out.println("open: " + outcome);
        System.out.println("after: " + openProcFiles(pid));
    }

    /** @return how many of this process's descriptors name a file under /proc/PID */
    private static int openProcFiles(int pid) throws IOException {
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().startsWith("/proc/" + pid + "/")) {
                        n++;
                    }
                } catch (IOException gone) {
                    // the directory stream's own descriptor
                }
            }
        }
        return n;
    }
}
