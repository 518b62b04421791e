package io.jdamon.vaddr.internal;

import io.jdamon.vaddr.Sensor;
import io.jdamon.vaddr.SensorProbe;
import io.jdamon.vaddr.SensorTraits;

/** What the built-in sensors share: traits fixed at construction, and the native-and-kernel check. */
abstract class BuiltInSensor implements Sensor {

    private final SensorTraits traits;

    BuiltInSensor(SensorTraits traits) {
        this.traits = traits;
    }

    @Override
    public final SensorTraits traits() {
        return traits;
    }

    /**
     * @param feature what the kernel must have, e.g. {@code process_madvise}
     * @return why native calls or the kernel version rule the sensor out, or null if neither does
     */
    static SensorProbe nativeCallsAndKernel(int major, int minor, String feature) {
        if (!LibC.available()) {
            return SensorProbe.unavailable("native calls unavailable: " + LibC.unavailableReason());
        }
        if (!Kernel.atLeast(major, minor)) {
            return SensorProbe.unavailable("kernel " + Kernel.release() + " lacks " + feature + " (Linux " + major
                    + "." + minor + "+)");
        }
        return null;
    }
}
