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
     * @return the ground truth of the workload of the context's current or last
     *     run, or empty if that context never ran a {@code sim} target there
     */
    Optional<GroundTruth> groundTruth(String contextName, int targetIndex);
}
