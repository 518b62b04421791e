package io.jdamon.record;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.TargetSnapshot;

/**
 * Not a test: prints the time and peak heap {@link RecordReader} needs for
 * record files of a given size (written first with {@link RecordWriter} if
 * missing). Run one size per JVM, so that one size's garbage does not count
 * against the next:
 *
 * <pre>
 * mvn -o -pl bundles/record test-compile
 * java -Xmx6g -cp bundles/record/target/test-classes:bundles/record/target/classes:$API:$JACKSON \
 *     io.jdamon.record.RecordReadBenchmark DIR 100 [read|stream]
 * </pre>
 *
 * The size is in MB (10^6 bytes) of JSON; each snapshot has 1,000 regions.
 * {@code read} keeps every snapshot ({@link RecordReader#read}), {@code stream}
 * none ({@link RecordReader#stream}). To compare with another reader, put
 * its classes first on the class path ({@code read} only).
 * "Peak heap" is the highest heap use the JVM's memory pools saw during the
 * read, sampled every 2 ms (garbage not yet collected included); "retained" is what is still in
 * use after a full GC with the result held.
 */
public final class RecordReadBenchmark {

    private RecordReadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long mb = Long.parseLong(args[1]);
        String mode = args.length > 2 ? args[2] : "read";
        Path file = dir.resolve("bench-" + mb + "MB.data");
        if (!Files.exists(file)) {
            write(file, mb * 1_000_000L);
        }
        long size = Files.size(file);
        System.gc();
        long before = heapUsed();
        long[] peakSeen = {0};
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakSeen[0] = Math.max(peakSeen[0], heapUsed());
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
        Object result;
        long snapshots;
        if (mode.equals("stream")) {
            long[] n = new long[1];
            RecordReader.stream(file, (record, index, snapshot) -> n[0]++);
            snapshots = n[0];
            result = n;
        } else {
            Recording r = RecordReader.read(file);
            snapshots = r.snapshotCount();
            result = r;
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        sampler.interrupt();
        sampler.join();
        long peak = Math.max(peakSeen[0], heapUsed());
        System.gc();
        long retained = heapUsed() - before;
        System.out.printf("%s %,d bytes, %,d snapshots: %s in %,d ms, peak heap %,d MiB, retained %,d MiB (-Xmx %,d MiB, %d cores)%n",
                file.getFileName(), size, snapshots, mode, ms, peak >> 20, retained >> 20,
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        if (result == null) {
            throw new AssertionError();
        }
    }

    static void write(Path file, long bytes) throws Exception {
        try (RecordWriter w = RecordWriter.create(file, Snapshots.header("bench", 1), false)) {
            for (long a = 0; Files.size(file) < bytes; a++) {
                w.append(aggregation(a, 1000));
            }
        }
    }

    private static AggregationSnapshot aggregation(long a, int regions) {
        List<RegionSnapshot> rs = new ArrayList<>(regions);
        for (int i = 0; i < regions; i++) {
            long start = Snapshots.BASE + i * Snapshots.REGION;
            rs.add(new RegionSnapshot(start, start + Snapshots.REGION, Snapshots.nrAccesses(a, 0, i),
                    Snapshots.age(a, 0, i)));
        }
        return new AggregationSnapshot("bench", a, a * 100_000_000L, (a + 1) * 100_000_000L, 5_000, 100_000,
                List.of(new TargetSnapshot(0, "spec-0", rs)));
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
