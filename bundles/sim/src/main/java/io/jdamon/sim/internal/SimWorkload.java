package io.jdamon.sim.internal;

import io.jdamon.api.MonitoringTarget;

/** One target's workload, as the primitive drives it. Hooks run on the kdamond thread. */
abstract class SimWorkload {

    final TargetSpec spec;
    final AddressLayout layout;
    final GroundTruthRecorder truth;

    SimWorkload(TargetSpec spec, int truthCapacity) {
        this.spec = spec;
        this.layout = new AddressLayout(spec.config());
        this.truth = new GroundTruthRecorder(spec.spec(), spec.virtual(), spec.config(), layout, truthCapacity);
    }

    /** Starts running the phases. */
    abstract void start();

    /** Clears the accessed bit at each region's sampling address. Allocates nothing. */
    abstract void prepareAccessChecks(MonitoringTarget target);

    /** Marks the regions whose sampling address was accessed since prepared. Allocates nothing. */
    abstract void checkAccesses(MonitoringTarget target);

    /** Called at each aggregation boundary, on the kdamond thread. */
    void aggregated() {
    }

    /** @return whether every phase has run (or the workload was stopped); a failed workload is not finished */
    abstract boolean finished();

    /** Stops the workload and releases its memory; waits for its thread, if any. */
    abstract void stop() throws InterruptedException;

    /** @return a one-line description: kind, size, workload source */
    String describe() {
        return (spec.virtual() ? "virtual " : "real ") + Sizes.format(layout.dataBytes()) + " "
                + spec.config().source();
    }
}
