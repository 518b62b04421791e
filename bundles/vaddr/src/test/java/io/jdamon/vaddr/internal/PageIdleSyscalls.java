package io.jdamon.vaddr.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

import io.jdamon.vaddr.Sensor;
import io.jdamon.vaddr.SensorSession;

/**
 * Drives a page-idle session directly (no engine) on the access helper (4 MiB
 * hot, 28 MiB cold, all resident) cut into each given number of regions, for
 * counting the system calls a sample costs: run under {@code strace} in the
 * lab by {@code src/test/lab/page-idle-syscalls.sh}, which counts the preads
 * and pwrites on the pagemap and the idle bitmap between the markers this
 * prints into the trace (a pread of {@code MARKS/start-N} and {@code MARKS/end-N},
 * named by strace -y). Not a test: it needs idle page tracking, and it prints
 * counts, never times.
 *
 * <pre>
 * java -cp target/classes:target/test-classes:target/lab-lib/* io.jdamon.vaddr.internal.PageIdleSyscalls MARKS SAMPLES REGIONS...
 * </pre>
 */
public final class PageIdleSyscalls {

    static final int HOT_MIB = 4;
    static final int COLD_MIB = 28;
    static final long SAMPLE_INTERVAL_MS = 50;

    private PageIdleSyscalls() {
    }

    public static void main(String[] args) throws Exception {
        Path marks = Path.of(args[0]);
        int samples = Integer.parseInt(args[1]);
        Files.createDirectories(marks);
        Sensor sensor = new Sensors().named(PageIdleSensor.NAME);
        for (int a = 2; a < args.length; a++) {
            int regions = Integer.parseInt(args[a]);
            try (AccessHelper helper = AccessHelper.start(HOT_MIB, COLD_MIB, "read", -1)) {
                if (!sensor.probe(helper.pid()).available()) {
                    System.out.println("page-idle unavailable: " + sensor.probe(helper.pid()).reason());
                    System.exit(2);
                }
                System.out.println(run(sensor, helper, regions, samples, marks));
            }
        }
    }

    private static String run(Sensor sensor, AccessHelper helper, int regions, int samples, Path marks)
            throws Exception {
        FixedTarget target = FixedTarget.split(regions, helper.hotStart, helper.hotEnd, helper.coldStart,
                helper.coldEnd);
        int hotRegions = 0;
        for (int i = 0; i < target.regionCount(); i++) {
            hotRegions += hot(helper, target, i) ? 1 : 0;
        }
        Random random = new Random(42);
        long hotMarks = 0;
        long coldMarks = 0;
        try (SensorSession session = sensor.open(helper.pid(), SAMPLE_INTERVAL_MS * 1000)) {
            mark(marks.resolve("start-" + regions));
            for (int s = 0; s < samples; s++) {
                target.pick(random);
                session.prepare(target);
                Thread.sleep(SAMPLE_INTERVAL_MS);
                session.check(target);
                for (int i = 0; i < target.regionCount(); i++) {
                    if (target.marked[i]) {
                        boolean hot = hot(helper, target, i);
                        hotMarks += hot ? 1 : 0;
                        coldMarks += hot ? 0 : 1;
                    }
                }
            }
            mark(marks.resolve("end-" + regions));
            return String.format("regions=%d (hot %d) samples=%d hotRate=%.3f coldRate=%.3f%s", target.regionCount(),
                    hotRegions, samples, (double) hotMarks / Math.max(1, (long) hotRegions * samples),
                    (double) coldMarks / Math.max(1, (long) (target.regionCount() - hotRegions) * samples),
                    SensorCounters.describe(session, samples));
        }
    }

    private static boolean hot(AccessHelper helper, FixedTarget target, int i) {
        return target.regionStart(i) < helper.hotEnd && target.regionEnd(i) > helper.hotStart;
    }

    /** One pread of a file named for the moment, which strace -y shows by name. */
    private static void mark(Path file) throws IOException {
        Files.write(file, new byte[1]);
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
            c.read(ByteBuffer.allocate(1), 0);
        }
    }
}
