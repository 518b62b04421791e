package io.jdamon.sim.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.jdamon.sim.internal.WorkloadConfig.Access;
import io.jdamon.sim.internal.WorkloadConfig.AccessMode;
import io.jdamon.sim.internal.WorkloadConfig.Phase;
import io.jdamon.sim.internal.WorkloadConfig.Region;

/**
 * Reads masim's config format.
 *
 * <pre>
 * # comments run from '#' to the end of the line
 * a, 10485760            &lt;- first paragraph: one region per line, "name, size"
 * b, 10M
 *
 * both at once           &lt;- every later paragraph is a phase: its name,
 * 5000                   &lt;-   its duration in milliseconds,
 * a, 1, 4096, 1          &lt;-   then "region, random(1)/sequential(0), stride, weight[, ro|wo|rw]"
 * b, 0, 64, 3, ro
 * </pre>
 *
 * Blank lines separate paragraphs; lines holding only a comment do not. The
 * access mode defaults to {@code rw}. Sizes and strides are bytes, optionally
 * with a binary unit ({@code 10M} = 10 * 1024 * 1024).
 */
final class ConfigParser {

    /** The most regions and patterns a config may have; far more than any masim config. */
    static final int MAX_REGIONS = 4096;

    private ConfigParser() {
    }

    private record Line(int number, String text) {
    }

    static WorkloadConfig parse(String source, String text) throws WorkloadConfigException {
        List<List<Line>> paragraphs = paragraphs(text);
        if (paragraphs.isEmpty()) {
            throw new WorkloadConfigException(source + ": the config is empty; it needs a paragraph of regions"
                    + " ('name, size' lines) and at least one phase paragraph after a blank line");
        }
        List<Region> regions = new ArrayList<>();
        Map<String, Integer> regionIndex = new HashMap<>();
        for (Line line : paragraphs.get(0)) {
            String[] f = fields(line);
            if (f.length != 2) {
                throw error(source, line, "a region line needs 2 fields 'name, size' but has " + f.length
                        + "; the first paragraph lists regions, phases follow after a blank line");
            }
            String name = f[0];
            if (name.isEmpty()) {
                throw error(source, line, "the region has no name; write 'name, size'");
            }
            long size = size(source, line, f[1], "region size");
            if (size <= 0) {
                throw error(source, line, "region '" + name + "' has size " + size + "; give it a positive size");
            }
            if (regionIndex.putIfAbsent(name, regions.size()) != null) {
                throw error(source, line, "region '" + name + "' is defined twice; give each region its own name");
            }
            if (regions.size() == MAX_REGIONS) {
                throw error(source, line, "more than " + MAX_REGIONS + " regions");
            }
            regions.add(new Region(name, size));
        }
        if (paragraphs.size() == 1) {
            throw new WorkloadConfigException(source + ": the config defines regions but no phase; add a blank line,"
                    + " then a phase: its name, its duration in ms, and 'region, random, stride, weight' lines");
        }
        List<Phase> phases = new ArrayList<>();
        for (List<Line> paragraph : paragraphs.subList(1, paragraphs.size())) {
            phases.add(phase(source, paragraph, regions, regionIndex));
        }
        return new WorkloadConfig(source, regions, phases);
    }

    private static Phase phase(String source, List<Line> paragraph, List<Region> regions,
            Map<String, Integer> regionIndex) throws WorkloadConfigException {
        Line nameLine = paragraph.get(0);
        String name = nameLine.text().trim();
        if (paragraph.size() < 3) {
            throw error(source, nameLine, "phase '" + name + "' needs a duration in ms on the next line and at least"
                    + " one 'region, random, stride, weight' line after it");
        }
        Line durationLine = paragraph.get(1);
        long durationMs;
        try {
            durationMs = Long.parseLong(durationLine.text().trim());
        } catch (NumberFormatException e) {
            throw error(source, durationLine, "phase '" + name + "' has duration '" + durationLine.text().trim()
                    + "'; write a whole number of milliseconds (a phase is: name, duration, access lines)");
        }
        if (durationMs <= 0) {
            throw error(source, durationLine, "phase '" + name + "' lasts " + durationMs + " ms; give it a positive duration");
        }
        List<Access> accesses = new ArrayList<>();
        int totalWeight = 0;
        for (Line line : paragraph.subList(2, paragraph.size())) {
            String[] f = fields(line);
            if (f.length != 4 && f.length != 5) {
                throw error(source, line, "an access line needs 'region, random(1)/sequential(0), stride, weight[, ro|wo|rw]'"
                        + " but has " + f.length + " field" + (f.length == 1 ? "" : "s"));
            }
            Integer r = regionIndex.get(f[0]);
            if (r == null) {
                throw error(source, line, "access line names region '" + f[0] + "' but the regions are "
                        + String.join(", ", regionIndex.keySet().stream().sorted().toList())
                        + "; name one of them or define it in the first paragraph");
            }
            boolean random;
            if (f[1].equals("1")) {
                random = true;
            } else if (f[1].equals("0")) {
                random = false;
            } else {
                throw error(source, line, "the second field is '" + f[1] + "'; write 1 for random or 0 for sequential access");
            }
            long stride = size(source, line, f[2], "stride");
            if (stride <= 0) {
                throw error(source, line, "stride " + stride + " is not positive; give the bytes between two accesses");
            }
            long regionSize = regions.get(r).sizeBytes();
            if (stride > regionSize) {
                throw error(source, line, "stride " + stride + " is larger than region '" + f[0] + "' (" + regionSize
                        + " bytes); use a stride no larger than the region");
            }
            int weight;
            try {
                weight = Integer.parseInt(f[3]);
            } catch (NumberFormatException e) {
                throw error(source, line, "weight '" + f[3] + "' is not a whole number");
            }
            if (weight < 0 || weight > 1_000_000) {
                throw error(source, line, "weight " + weight + " is out of range; use 0 to 1000000");
            }
            AccessMode mode = AccessMode.RW;
            if (f.length == 5) {
                mode = switch (f[4].toLowerCase(Locale.ROOT)) {
                    case "ro" -> AccessMode.RO;
                    case "wo" -> AccessMode.WO;
                    case "rw" -> AccessMode.RW;
                    default -> throw error(source, line, "access mode '" + f[4] + "' is unknown; use ro, wo or rw");
                };
            }
            if (accesses.size() == MAX_REGIONS) {
                throw error(source, line, "more than " + MAX_REGIONS + " access lines in one phase");
            }
            totalWeight += weight;
            accesses.add(new Access(r, random, stride, weight, mode));
        }
        if (totalWeight == 0) {
            throw error(source, paragraph.get(2), "every access line of phase '" + name
                    + "' has weight 0; give at least one a positive weight");
        }
        return new Phase(name, durationMs, accesses);
    }

    private static long size(String source, Line line, String field, String what) throws WorkloadConfigException {
        try {
            return Sizes.parse(field);
        } catch (IllegalArgumentException e) {
            throw error(source, line, what + " " + e.getMessage());
        }
    }

    private static String[] fields(Line line) {
        String[] f = line.text().split(",", -1);
        for (int i = 0; i < f.length; i++) {
            f[i] = f[i].trim();
        }
        return f;
    }

    private static WorkloadConfigException error(String source, Line line, String what) {
        return new WorkloadConfigException(source + ":" + line.number() + ": " + what);
    }

    private static List<List<Line>> paragraphs(String text) {
        List<List<Line>> paragraphs = new ArrayList<>();
        List<Line> current = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i];
            int hash = raw.indexOf('#');
            boolean commentOnly = hash >= 0 && raw.substring(0, hash).isBlank();
            String content = hash >= 0 ? raw.substring(0, hash) : raw;
            if (commentOnly) {
                continue;
            }
            if (content.isBlank()) {
                if (!current.isEmpty()) {
                    paragraphs.add(current);
                    current = new ArrayList<>();
                }
                continue;
            }
            current.add(new Line(i + 1, content.strip()));
        }
        if (!current.isEmpty()) {
            paragraphs.add(current);
        }
        return paragraphs;
    }
}
