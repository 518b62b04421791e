package io.jdamon.vaddr;

import java.io.IOException;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One way to tell, from user space, whether a process touched an address:
 * the part of the vaddr primitive that depends on what the kernel allows.
 *
 * <p>A sensor states in its {@linkplain #traits traits} what it sees and at
 * which granularity, so that results are never presented as more than they
 * are (write-only or mapping-granular results are not page-level read+write
 * results). Register one as an OSGi service to add it to the built-in ones;
 * its {@linkplain SensorTraits#name name} is what users write after
 * {@code sensor=} in a target.
 */
@ConsumerType
public interface Sensor {

    /**
     * @return what it is: name, what it sees, granularity, whether it is
     *     intrusive, rank and description; the same object every call
     */
    SensorTraits traits();

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
