package io.jdamon.vaddr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdamon.api.MonitoringAttributes;
import io.jdamon.vaddr.Sensor;
import io.jdamon.vaddr.SensorProbe;

/**
 * The hot/cold ground-truth check for one page-granular read+write sensor,
 * as a program for the lab VM ({@code ../shared/lab/run}), where the kernel
 * has what this machine's lacks:
 *
 * <pre>
 * java -cp target/classes:target/test-classes:target/lab-lib/* io.jdamon.vaddr.internal.LabCheck [SENSOR]
 * </pre>
 *
 * Exits 0 when the check holds, 1 when it does not, 2 when the sensor is
 * unavailable. SENSOR is {@code page-idle} (the default) or
 * {@code pageout-probe} (needs swap: {@code src/test/lab/pageout-probe.sh}).
 */
public final class LabCheck {

    /**
     * Intervals that also suit the lab's emulated CPU (5-20x slower, and its
     * CPUs shared with the --churn loops): the helper must touch every hot
     * page within one sample interval for the hot mapping to be hot in truth.
     */
    static final MonitoringAttributes ATTRS = new MonitoringAttributes(50_000, 1_000_000, 5_000_000, 10, 1000);

    private LabCheck() {
    }

    static HotColdCheck.Result check(String sensor) throws Exception {
        try (AccessHelper helper = AccessHelper.start(4, 16, "read", -1)) {
            HotColdCheck.Result r = HotColdCheck.run(helper, sensor, ATTRS, 20);
            System.out.println(sensor + ", reads: " + r);
            // pageout-probe evicts the sampled page each time and the helper must fault it back (from zram,
            // emulated) within the interval: it reads lower than page-idle, which only flips a flag
            HotColdCheck.assertHotAndCold(r, sensor.equals(PageoutProbeSensor.NAME) ? 0.5 : 0.8);
            assertThat(r.primitiveProperties()).containsEntry("sensor", sensor)
                    .containsEntry("sees", "reads,writes").containsEntry("granularity", "page");
            return r;
        }
    }

    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : PageIdleSensor.NAME;
        Sensor sensor = new Sensors().named(name);
        if (sensor == null) {
            System.out.println("unknown sensor " + name);
            System.exit(2);
        }
        SensorProbe probe = sensor.probe(0);
        System.out.println("kernel " + Kernel.release() + "; " + name + ": "
                + (probe.available() ? "available" : "unavailable") + " (" + probe.reason() + ")");
        if (!probe.available()) {
            System.exit(2);
        }
        try {
            check(name);
            System.out.println("PASS: " + name + " sees the hot mapping hot and the cold mapping cold");
            ExecCheck.Run run = ExecCheck.monitorThroughExec(name, "read", null, 4, 16, 30, ATTRS);
            System.out.println(name + " after an exec: " + run.result());
            HotColdCheck.assertHotAndCold(run.result(), name.equals(PageoutProbeSensor.NAME) ? 0.5 : 0.8);
            ExecCheck.assertExecDescribed(run);
            System.out.println("PASS: " + name + " follows its process through an exec");
            System.exit(0);
        } catch (AssertionError e) {
            System.out.println("FAIL: " + e.getMessage());
            System.exit(1);
        }
    }
}
