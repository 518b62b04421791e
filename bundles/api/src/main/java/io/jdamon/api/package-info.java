/**
 * The contract between the kdamond engine and the plugins around it.
 *
 * <p>jdamon follows the first DAMON core's vocabulary. A <em>monitoring
 * context</em> ({@link io.jdamon.api.MonitoringContext}) watches one or more
 * <em>targets</em> of one kind of address space. How that space is sampled is
 * the job of a {@link io.jdamon.api.Primitive}; what is done with the results
 * is the job of {@link io.jdamon.api.Callback}s. The engine
 * ({@link io.jdamon.api.MonitoringEngine}) runs one monitoring thread, a
 * <em>kdamond</em>, per running context.
 *
 * <p>Units: every interval is in microseconds (names end in {@code Us}),
 * every address and size in bytes, every timestamp in nanoseconds of a
 * monotonic clock (names end in {@code Nanos}).
 *
 * <p>Threading: every primitive and callback hook of a context runs on that
 * context's kdamond thread, one at a time, so a hook may read and write the
 * context's regions without locking. Only the methods of
 * {@link io.jdamon.api.MonitoringEngine} and {@link io.jdamon.api.MonitoringContext}
 * are safe to call from other threads.
 */
@Export
@Version("2.0.0")
package io.jdamon.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
