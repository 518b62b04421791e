package io.jdamon.sim.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import io.jdamon.api.InvalidTargetException;
import io.jdamon.units.UnitParser;

/**
 * A parsed {@code sim} target specification (syntax in the {@code io.jdamon.sim}
 * package documentation) with its workload loaded and checked.
 *
 * @param spec the specification as written
 * @param virtual accesses computed, not touched
 * @param touchNanos for a virtual target, the mean time between two touches of an active page
 *     ({@code touch=}); 0: every active page counts in every sample
 * @param config the workload, already scaled to the requested size
 */
record TargetSpec(String spec, boolean virtual, WorkloadConfig config, long touchNanos) {

    static final String VIRTUAL_PREFIX = "virtual:";
    static final List<String> BUILT_INS = List.of("stairs", "zigzag", "stairs_30secs", "zigzag_30secs");
    /**
     * The largest workload config file read: 4 MiB, far above any real masim
     * config (a few hundred bytes to a few KiB; the parser's limits of 4096
     * regions and access lines per phase fit in well under 1 MiB), so that a
     * wrong file is refused at once instead of being read for a minute.
     */
    static final int MAX_CONFIG_BYTES = 4 << 20;
    /** The largest virtual address space. */
    static final long MAX_VIRTUAL_BYTES = Sizes.TIB;

    /**
     * Parses and checks a target, loading its workload.
     *
     * @throws InvalidTargetException naming what is wrong and how to fix it
     */
    static TargetSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new InvalidTargetException(String.valueOf(spec), "the sim target is empty: it names no workload; "
                    + usage());
        }
        String rest = spec.trim();
        boolean virtual = false;
        if (rest.toLowerCase(Locale.ROOT).startsWith(VIRTUAL_PREFIX)) {
            virtual = true;
            rest = rest.substring(VIRTUAL_PREFIX.length()).trim();
        }
        String[] parts = rest.split(",");
        String workload = parts[0].trim();
        if (workload.isEmpty()) {
            throw new InvalidTargetException(spec, "sim target '" + spec + "' names no workload"
                    + (virtual ? " after '" + VIRTUAL_PREFIX + "'" : "") + "; " + usage());
        }
        Long size = null;
        long touchNanos = 0;
        for (int i = 1; i < parts.length; i++) {
            String option = parts[i].trim();
            int eq = option.indexOf('=');
            String key = eq < 0 ? option : option.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            if (key.equals("touch") && eq >= 0) {
                touchNanos = touch(spec, virtual, option.substring(eq + 1));
                continue;
            }
            if (!key.equals("size") || eq < 0) {
                throw new InvalidTargetException(spec, "sim target '" + spec + "' has unknown option '" + option
                        + "'; the options are size=<bytes>, e.g. size=1GiB, and (virtual targets) touch=<time>,"
                        + " e.g. touch=50ms");
            }
            try {
                size = Sizes.parse(option.substring(eq + 1));
            } catch (IllegalArgumentException e) {
                throw new InvalidTargetException(spec, "sim target '" + spec + "': size " + e.getMessage());
            }
            if (size < Sizes.PAGE) {
                throw new InvalidTargetException(spec, "sim target '" + spec + "': size " + size
                        + " is smaller than one page (4096 bytes)");
            }
        }
        WorkloadConfig config = load(spec, workload);
        if (size != null) {
            if (size < config.regions().size() * Sizes.PAGE) {
                throw new InvalidTargetException(spec, "sim target '" + spec + "': size " + Sizes.format(size)
                        + " leaves less than a page for each of the workload's " + config.regions().size()
                        + " regions; ask for at least " + Sizes.format(config.regions().size() * Sizes.PAGE));
            }
            config = config.scaledTo(size);
        }
        long total = AddressLayout.dataBytes(config);
        if (virtual) {
            if (total > MAX_VIRTUAL_BYTES) {
                throw new InvalidTargetException(spec, "sim target '" + spec + "' is " + Sizes.format(total)
                        + "; virtual targets go up to " + Sizes.format(MAX_VIRTUAL_BYTES) + ", ask for a smaller size=");
            }
        } else {
            long limit = RealWorkload.maxRealBytes();
            if (total > limit) {
                throw new InvalidTargetException(spec, "sim target '" + spec + "' needs " + Sizes.format(total)
                        + " of real memory but this JVM may allocate at most " + Sizes.format(limit)
                        + " off-heap; use '" + VIRTUAL_PREFIX + spec.trim() + "' to compute accesses instead of"
                        + " touching memory, ask for a smaller size=, or raise -XX:MaxDirectMemorySize");
            }
        }
        return new TargetSpec(spec, virtual, config, touchNanos);
    }

    /** A target of the ideal workload: every page of an active region accessed in every sample. */
    TargetSpec(String spec, boolean virtual, WorkloadConfig config) {
        this(spec, virtual, config, 0);
    }

    /**
     * {@code touch=TIME}: each page of an active region is touched on average once per TIME, at random
     * (a Poisson process), so a sample of interval dt sees it with probability {@code 1 - exp(-dt / TIME)},
     * as real memory under steady use does; without it, every active page counts in every sample.
     */
    private static long touch(String spec, boolean virtual, String value) {
        if (!virtual) {
            throw new InvalidTargetException(spec, "sim target '" + spec + "': touch= is for virtual targets (a real"
                    + " workload touches its memory itself); write '" + VIRTUAL_PREFIX + spec.trim() + "'");
        }
        long nanos;
        try {
            nanos = UnitParser.timeNanos(value, "ms");
        } catch (IllegalArgumentException e) {
            throw new InvalidTargetException(spec, "sim target '" + spec + "': touch " + e.getMessage());
        }
        if (nanos <= 0) {
            throw new InvalidTargetException(spec, "sim target '" + spec + "': touch must be a positive time, e.g."
                    + " touch=50ms");
        }
        return nanos;
    }

    private static WorkloadConfig load(String spec, String workload) {
        String source;
        String text;
        if (workload.startsWith("file=")) {
            String file = workload.substring("file=".length()).trim();
            if (file.isEmpty()) {
                throw new InvalidTargetException(spec, "sim target '" + spec + "' names no file; write file=/path/to/config");
            }
            Path path = Path.of(file);
            source = path.toString();
            if (!Files.isRegularFile(path)) {
                throw new InvalidTargetException(spec, "sim target '" + spec + "': workload config " + path
                        + " does not exist or is not a file; give the path of a masim config");
            }
            text = readConfig(spec, path);
        } else {
            if (!BUILT_INS.contains(workload)) {
                throw new InvalidTargetException(spec, "sim target '" + spec + "' names no known workload '" + workload
                        + "'; " + usage());
            }
            source = workload;
            text = builtIn(workload);
        }
        try {
            return ConfigParser.parse(source, text);
        } catch (WorkloadConfigException e) {
            throw new InvalidTargetException(spec, "sim target '" + spec + "': " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // a parser bug must still read as this target's problem, not as a missing primitive
            throw new InvalidTargetException(spec, "sim target '" + spec + "': cannot parse workload config " + source
                    + ": " + e, e);
        }
    }

    /**
     * Reads a config file of at most {@link #MAX_CONFIG_BYTES}, refusing a
     * larger one before reading it (and one that grows past the limit while
     * read), and one that is not UTF-8 text.
     */
    private static String readConfig(String spec, Path path) {
        String refused = "sim target '" + spec + "': workload config " + path;
        try {
            long size = Files.size(path);
            if (size > MAX_CONFIG_BYTES) {
                throw new InvalidTargetException(spec, tooLarge(refused, Sizes.format(size) + " (" + size + " bytes)"));
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(path)) {
                bytes = in.readNBytes(MAX_CONFIG_BYTES + 1);
            }
            if (bytes.length > MAX_CONFIG_BYTES) {
                throw new InvalidTargetException(spec, tooLarge(refused, "more than " + MAX_CONFIG_BYTES + " bytes"));
            }
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidTargetException(spec, refused + " is not UTF-8 text; give the path of a masim"
                    + " config, a text file", e);
        } catch (IOException e) {
            throw new InvalidTargetException(spec, refused + " cannot be read: " + e.getMessage()
                    + "; check the file's permissions", e);
        }
    }

    private static String tooLarge(String refused, String size) {
        return refused + " is " + size + ", more than the " + Sizes.format(MAX_CONFIG_BYTES)
                + " a workload config may have (masim configs are a few KiB: regions, then phases);"
                + " is it the right file?";
    }

    static String builtIn(String name) {
        String resource = "workloads/" + name + ".cfg";
        try (InputStream in = TargetSpec.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("built-in workload " + resource + " is missing from the sim bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read built-in workload " + resource, e);
        }
    }

    static String usage() {
        return "write a built-in workload (" + String.join(", ", BUILT_INS) + ") or file=/path/to/masim.cfg,"
                + " optionally prefixed with 'virtual:' and followed by ',size=<bytes>' and (virtual) ',touch=<time>',"
                + " e.g. virtual:stairs,size=64GiB";
    }
}
