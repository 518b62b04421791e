package io.jdamon.sim;

/**
 * A summary of what a workload touched during one phase, over the
 * ground-truth windows that began in it. Kept for every phase however long
 * the run, unlike the windows themselves.
 *
 * @param name the phase's name from the config
 * @param durationMs its configured duration
 * @param windows how many windows began in the phase
 * @param meanWorkingSetBytes the mean of those windows' working set sizes
 * @param maxWorkingSetBytes the largest of them
 */
public record PhaseTruth(String name, long durationMs, long windows, long meanWorkingSetBytes,
        long maxWorkingSetBytes) {
}
