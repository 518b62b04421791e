package io.jdamon.sim;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The {@code sim} primitive's second face, registered as a service next to
 * it: the ground truth of the workloads it ran, to score monitoring results.
 */
@ProviderType
public interface SimulatedWorkloads {

    /**
     * @param contextName the monitoring context
     * @param targetIndex the target's index in that context
     * @return the ground truth of the workload of the context's current run,
     *     or of its last run once that ended; empty if that context never ran a
     *     {@code sim} target there. An ended run's truth stays readable until
     *     the next run of that name, or until 16 later runs (of any names)
     *     have ended: nothing else of an ended context is kept, so contexts
     *     with ever new names do not pile up memory. Keep the returned object
     *     to read it for longer.
     */
    Optional<GroundTruth> groundTruth(String contextName, int targetIndex);
}
