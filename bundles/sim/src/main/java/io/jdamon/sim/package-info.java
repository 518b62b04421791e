/**
 * The {@code sim} primitive: a synthetic address space whose access pattern is
 * known, for tests, demos and accuracy and overhead benchmarks.
 *
 * <p>A {@code sim} target runs a workload in masim's config format (see the
 * damon-tests accuracy method): a paragraph of regions {@code name, size},
 * then phases, each a name, a duration in milliseconds and lines
 * {@code region, random(1)/sequential(0), stride, weight[, ro|wo|rw]}.
 * The workload's regions are laid out in one simulated address space, in
 * config order, with a 16 MiB gap between neighbours (like separate mmap
 * areas). Each workload page (4 KiB) has an accessed bit that every touch
 * sets and the primitive clears and reads at the sampling addresses, as the
 * kernel's page table accessed bit. The monitoring context ends when the
 * workload has run all its phases.
 *
 * <h2>Target syntax</h2>
 * <pre>
 * target   = [ "virtual:" ] workload { "," option }
 * workload = "stairs" | "zigzag" | "stairs_30secs" | "zigzag_30secs"   (built in)
 *          | "file=" path                                               (a masim config file; no ',' in the path)
 * option   = "size=" size     scale every region so the total is this size
 * size     = digits [ "K" | "M" | "G" | "T" | "KiB" | "MiB" | "GiB" | "TiB" ]   (binary units)
 * </pre>
 * Examples: {@code stairs}, {@code file=/tmp/my.cfg}, {@code zigzag,size=1GiB},
 * {@code virtual:stairs_30secs,size=1TiB}.
 *
 * <ul>
 * <li>Without {@code virtual:} the workload is <em>real</em>: a thread of its own
 * touches off-heap memory of the configured size (direct buffers), so its cost
 * is real; the size is limited by the JVM's direct memory limit.</li>
 * <li>With {@code virtual:} nothing is allocated or touched: a page counts as
 * accessed in a sample interval when the phase running then accesses its
 * region. Sizes up to 1 TiB; this is how monitoring cost is measured against
 * target size.</li>
 * </ul>
 *
 * <p>The ground truth (bytes of distinct pages touched per window of one
 * aggregation interval, as set when the run started, per region, and a summary
 * per phase) is available from the {@link io.jdamon.sim.SimulatedWorkloads}
 * service. Real workloads count it on their own thread; virtual ones at each
 * aggregation boundary.
 */
@Export
@Version("1.1.0")
package io.jdamon.sim;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
