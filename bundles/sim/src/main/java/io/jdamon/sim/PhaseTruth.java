package io.jdamon.sim;

/**
 * A summary of what a workload touched during one phase, over the
 * ground-truth windows that lay wholly inside it (windows that span a phase
 * change are left out). Kept for every phase however long the run, unlike the
 * windows themselves.
 *
 * @param name the phase's name from the config
 * @param durationMs its configured duration
 * @param windows how many windows lay inside the phase
 * @param meanWorkingSetBytes the mean of those windows' working set sizes
 * @param maxWorkingSetBytes the largest of them
 */
public record PhaseTruth(String name, long durationMs, long windows, long meanWorkingSetBytes,
        long maxWorkingSetBytes) {
}
