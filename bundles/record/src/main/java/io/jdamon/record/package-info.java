/**
 * Recording DAMON monitoring results to files in damo's JSON record format,
 * and reading them back.
 *
 * <ul>
 * <li>{@link io.jdamon.record.RecordingCallback} is a
 * {@link io.jdamon.api.Callback} that writes one record file per context and
 * flushes it after every aggregation. Use it as a plain object
 * ({@code ctx.addCallback("record", new RecordingCallback(Path.of("damon.data")))})
 * or through Config Admin: a factory configuration with PID
 * {@code io.jdamon.record} and properties {@code name} (registered as the
 * callback's {@code jdamon.callback}), {@code file} (default
 * {@code damon.data}; {@code {context}} in it becomes the context's name)
 * and {@code sync} (default false: force each aggregation to the device).</li>
 * <li>{@link io.jdamon.record.RecordWriter} writes the format;
 * {@link io.jdamon.record.RecordReader} reads it, from jdamon or from damo,
 * including files still being written or cut short by {@code kill -9}.</li>
 *
 * <li>{@link io.jdamon.record.RecordRepair} rewrites a file damo cannot
 * read after a fault (cut short, or in the running multi-target layout) in
 * place, keeping the original as {@code FILE.broken}.</li>
 * <li>{@link io.jdamon.record.OutputFiles} is how every jdamon output file is
 * created: never over an existing file (that is moved aside to
 * {@code FILE.old}), never through a symbolic link, never as anything but a
 * regular file.</li>
 * </ul>
 *
 * <p>The file layout and what damo can read are described on
 * {@link io.jdamon.record.RecordWriter}.
 */
@Export
@Version("1.5.0")
package io.jdamon.record;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
