/**
 * The one place jdamon reads and writes times, sizes and addresses as
 * people type them: {@link io.jdamon.units.UnitParser} parses ({@code 5ms},
 * {@code 1.5 s}, {@code 4GiB}, {@code 4,294,967,296}, {@code 0x7f00}) and
 * {@link io.jdamon.units.UnitFormat} formats ({@code 10.000 MiB},
 * {@code 1.500 s}). Pure functions, no state; usable with or without a
 * framework.
 */
@Export
@Version("1.1.0")
package io.jdamon.units;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
