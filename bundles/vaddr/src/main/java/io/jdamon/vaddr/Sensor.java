package io.jdamon.vaddr;

import java.io.IOException;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One way to tell, from user space, whether a process touched an address:
 * the part of the vaddr primitive that depends on what the kernel allows.
 *
 * <p>A sensor states what it {@linkplain #seesReads sees} and its
 * {@linkplain #granularity granularity}, so that results are never presented
 * as more than they are (write-only or mapping-granular results are not
 * page-level read+write results). Register one as an OSGi service to add it
 * to the built-in ones; its {@link #name} is what users write after
 * {@code sensor=} in a target.
 */
@ConsumerType
public interface Sensor {

    /** @return the name users select it by, e.g. {@code page-idle} */
    String name();

    /** @return true if a read of the sampled memory counts as an access */
    boolean seesReads();

    /** @return true if a write of the sampled memory counts as an access */
    boolean seesWrites();

    /** @return how finely it tells accessed from idle memory */
    Granularity granularity();

    /**
     * @return true if sampling changes the target's behaviour (e.g. evicts
     *     its pages); such a sensor is used only when named, never by
     *     {@code sensor=auto}
     */
    default boolean intrusive() {
        return false;
    }

    /**
     * @return the preference of {@code sensor=auto} among available sensors;
     *     higher wins
     */
    int rank();

    /** @return one sentence on how it works and what it costs */
    String description();

    /**
     * Checks whether the sensor can work here.
     *
     * @param pid the process to monitor, or 0 to check the machine only
     * @return available or not, and why
     */
    SensorProbe probe(int pid);

    /**
     * Starts sensing one process. Called on the kdamond thread.
     *
     * @param pid the process
     * @param sampleIntervalUs the context's sample interval, in microseconds
     * @return a session that samples that process until closed
     * @throws IOException if the process cannot be opened for sensing
     */
    SensorSession open(int pid, long sampleIntervalUs) throws IOException;
}
