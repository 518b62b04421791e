/**
 * The vaddr primitive's extension point: access sensors.
 *
 * <p>The vaddr primitive monitors a Linux process's virtual address space.
 * How it learns whether a sampled address was accessed depends on what the
 * running kernel allows, so that part is a {@link io.jdamon.vaddr.Sensor}:
 * each declares what it sees (reads, writes), at which granularity (page or
 * whole mapping), and probes whether it can work here. Register a
 * {@code Sensor} as an OSGi service to add one; the built-in sensors are
 * {@code page-idle}, {@code referenced}, {@code uffd-write} and
 * {@code pageout-probe}. {@link io.jdamon.vaddr.UffdShim} builds the preload
 * shim that lets {@code uffd-write} monitor a process jdamon starts.
 */
@Export
@Version("1.0.0")
package io.jdamon.vaddr;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
