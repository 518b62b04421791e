package io.jdamon.report.internal;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.record.RecordReader;
import io.jdamon.record.Recording;

/**
 * Not a test: the time and peak heap of a {@code jdamon report} on a big record
 * file, beside what reading the whole file first costs (how every report read
 * before they streamed, and how heatmap and access still do). One report per
 * JVM, so that garbage of one does not count against the next:
 *
 * <pre>
 * mvn -o -pl bundles/record,bundles/report test-compile
 * java -Xmx8g -cp bundles/report/target/test-classes:bundles/report/target/classes:$CP \
 *     io.jdamon.report.internal.ReportBenchmark FILE wss|nr_regions|times|heatmap|read-all
 * </pre>
 *
 * Files come from {@code io.jdamon.record.RecordReadBenchmark} (1,000 regions a snapshot). {@code read-all}
 * is {@link RecordReader#read} and the conversion to API snapshots that the reports did. "Peak heap" is
 * the highest heap use the memory pools showed, sampled every 2 ms (garbage not yet collected included).
 */
public final class ReportBenchmark {

    private ReportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String report = args[1];
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        System.gc();
        long[] peak = {heapUsed()};
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak[0] = Math.max(peak[0], heapUsed());
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long t0 = System.nanoTime();
        int status;
        if (report.equals("read-all")) {
            Recording r = RecordReader.read(file);
            long n = 0;
            for (int t = 0; t < r.records().size(); t++) {
                for (AggregationSnapshot s : r.aggregations(t)) {
                    n += s.workingSetBytes() > 0 ? 1 : 0;
                }
            }
            status = n >= 0 ? 0 : 1;
        } else {
            String[] rest = Arrays.copyOfRange(args, 2, args.length);
            String[] reportArgs = new String[rest.length + 3];
            reportArgs[0] = report;
            reportArgs[1] = "-i";
            reportArgs[2] = file.toString();
            System.arraycopy(rest, 0, reportArgs, 3, rest.length);
            status = new ReportCommand().run(reportArgs, sink, System.err);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        sampler.interrupt();
        sampler.join();
        peak[0] = Math.max(peak[0], heapUsed());
        System.out.printf(Locale.ROOT, "%s %,d bytes: report %s (status %d) in %,d ms, peak heap %,d MiB"
                + " (-Xmx %,d MiB)%n", file.getFileName(), Files.size(file), report, status, ms, peak[0] >> 20,
                Runtime.getRuntime().maxMemory() >> 20);
    }

    private static long heapUsed() {
        long used = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                used += p.getUsage().getUsed();
            }
        }
        return used;
    }
}
