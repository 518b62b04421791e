package io.jdamon.vaddr.internal;

import java.util.Random;

import io.jdamon.vaddr.Sensor;
import io.jdamon.vaddr.SensorSession;

/**
 * Drives a page-idle session directly (no engine) on the access helper (4 MiB
 * hot, 28 MiB cold, all resident) cut into a given number of regions, for
 * counting the system calls a sample costs: run under {@code strace} in the
 * lab by {@code src/test/lab/page-idle-syscalls.sh}. Not a test: it needs idle
 * page tracking, and it prints counts, never times.
 *
 * <pre>
 * java -cp target/classes:target/test-classes:target/lab-lib/* io.jdamon.vaddr.internal.PageIdleSyscalls REGIONS SAMPLES
 * </pre>
 */
public final class PageIdleSyscalls {

    static final int HOT_MIB = 4;
    static final int COLD_MIB = 28;
    static final long SAMPLE_INTERVAL_MS = 50;

    private PageIdleSyscalls() {
    }

    public static void main(String[] args) throws Exception {
        int regions = Integer.parseInt(args[0]);
        int samples = Integer.parseInt(args[1]);
        Sensor sensor = new Sensors().named(PageIdleSensor.NAME);
        try (AccessHelper helper = AccessHelper.start(HOT_MIB, COLD_MIB, "read", -1)) {
            if (!sensor.probe(helper.pid()).available()) {
                System.out.println("page-idle unavailable: " + sensor.probe(helper.pid()).reason());
                System.exit(2);
            }
            FixedTarget target = FixedTarget.split(regions, helper.hotStart, helper.hotEnd, helper.coldStart,
                    helper.coldEnd);
            int hotRegions = 0;
            for (int i = 0; i < target.regionCount(); i++) {
                hotRegions += target.regionStart(i) < helper.hotEnd && target.regionEnd(i) > helper.hotStart ? 1 : 0;
            }
            Random random = new Random(42);
            long hotMarks = 0;
            long coldMarks = 0;
            try (SensorSession session = sensor.open(helper.pid(), SAMPLE_INTERVAL_MS * 1000)) {
                for (int s = 0; s < samples; s++) {
                    target.pick(random);
                    session.prepare(target);
                    Thread.sleep(SAMPLE_INTERVAL_MS);
                    session.check(target);
                    for (int i = 0; i < target.regionCount(); i++) {
                        if (target.marked[i]) {
                            boolean hot = target.regionStart(i) < helper.hotEnd && target.regionEnd(i) > helper.hotStart;
                            hotMarks += hot ? 1 : 0;
                            coldMarks += hot ? 0 : 1;
                        }
                    }
                }
                System.out.printf("regions=%d (hot %d) samples=%d hotRate=%.3f coldRate=%.3f%s%n", target.regionCount(),
                        hotRegions, samples, (double) hotMarks / Math.max(1, (long) hotRegions * samples),
                        (double) coldMarks / Math.max(1, (long) (target.regionCount() - hotRegions) * samples),
                        SensorCounters.describe(session, samples));
            }
        }
    }
}
