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
 * Run with a small open-file limit and arguments SENSOR FREE: fills the file
 * table, frees FREE slots and opens a session of the built-in sensor SENSOR
 * on itself, so the session's first FREE files open and the next fails.
 * Prints how many of its files (under /proc/PID, or userfaultfds) were open
 * before and after.
 */
public final class FdExhaustionChild {

    private FdExhaustionChild() {
    }

    public static void main(String[] args) throws Exception {
        int pid = (int) ProcessHandle.current().pid();
        BuiltInSensor sensor = args[0].equals(UffdWriteSensor.NAME) ? new UffdWriteSensor() : new ReferencedSensor();
        int free = Integer.parseInt(args[1]);
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
        for (int i = 0; i < free; i++) {
            fillers.remove(fillers.size() - 1).close();
        }
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

    /** @return how many of this process's descriptors name a file under /proc/PID or a userfaultfd */
    private static int openProcFiles(int pid) throws IOException {
        int n = 0;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("/proc/" + pid + "/") || target.equals("anon_inode:[userfaultfd]")) {
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
