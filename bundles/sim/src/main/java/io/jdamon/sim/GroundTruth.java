package io.jdamon.sim;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What one simulated workload really did, recorded next to the monitoring so
 * that results can be scored. Safe to read from any thread, during and after
 * the run.
 */
@ProviderType
public interface GroundTruth {

    /** @return the target specification the workload was started from */
    String spec();

    /**
     * @return true if the accesses were computed ({@code virtual:} targets), false if
     *     a thread really touched the memory
     */
    boolean virtual();

    /** @return the workload's region names, in config order */
    List<String> regionNames();

    /** @return the workload's region sizes in bytes (page-rounded), in config order */
    List<Long> regionSizes();

    /** @return the start address of each workload region in the simulated address space */
    List<Long> regionStarts();

    /** @return the phases, in order, with what was touched in each so far */
    List<PhaseTruth> phases();

    /**
     * @return the most recent windows, oldest first; at most a bounded number
     *     are kept (see {@link #droppedWindows()})
     */
    List<GroundTruthWindow> windows();

    /** @return how many old windows were dropped to keep memory bounded */
    long droppedWindows();

    /** @return whether the workload ran all its phases */
    boolean finished();

    /**
     * @return the workload's memory that is resident now, in bytes: all of it at first; DAMOS
     *     {@code pageout} lowers it, a refault or {@code willneed} raises it again (virtual targets;
     *     a real one says its size)
     * @since 1.1
     */
    long residentBytes();

    /**
     * @return pages the workload touched while they were paged out, so that they faulted back in
     * @since 1.1
     */
    long refaultedPages();

    /**
     * @return pages DAMOS {@code pageout} made non-resident so far (each time counted)
     * @since 1.1
     */
    long pagedOutPages();

    /**
     * @return page touches so far (every page of the active regions each sample interval, or the
     *     expected touches with {@code touch=}): the base of a refault rate
     * @since 1.1
     */
    long touchedPages();

    /**
     * @return the median of {@link GroundTruthWindow#workingSetBytes()} over the kept
     *     windows, or 0 if there are none
     */
    default long medianWorkingSetBytes() {
        List<GroundTruthWindow> w = windows();
        if (w.isEmpty()) {
            return 0;
        }
        long[] sizes = new long[w.size()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = w.get(i).workingSetBytes();
        }
        java.util.Arrays.sort(sizes);
        return sizes[sizes.length / 2];
    }
}
