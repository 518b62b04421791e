package io.jdamon.core.internal.osgi;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.jdamon.api.Configurations;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.IntervalsGoal;
import io.jdamon.api.InvalidAttributesException;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.Scheme;
import io.jdamon.core.internal.DamosArgs;

/**
 * A monitoring context's factory configuration, checked. Parsing never
 * throws: it yields either a definition or the list of problems, each naming
 * the configuration PID, the key and the fix.
 *
 * <p>Values may come typed (Config Admin, {@code .config} files) or as
 * strings ({@code .cfg} files); numbers in strings are accepted, anything
 * else of the wrong type is reported, never coerced silently.
 *
 * @param pid the configuration's PID
 * @param name the context's name (also when invalid: the name it would have had)
 * @param definition the context, or null if there are problems
 * @param callbackNames the callbacks it names, in order
 * @param problems what is wrong, one message per problem; empty if valid
 */
record ContextConfiguration(String pid, String name, ContextDefinition definition, List<String> callbackNames,
        List<String> problems) {

    static final String NAME = Configurations.Context.NAME;
    static final String PRIMITIVE = Configurations.Context.PRIMITIVE;
    static final String TARGETS = Configurations.Context.TARGETS;
    static final String SAMPLE_INTERVAL_US = Configurations.Context.SAMPLE_INTERVAL_US;
    static final String AGGREGATION_INTERVAL_US = Configurations.Context.AGGREGATION_INTERVAL_US;
    static final String UPDATE_INTERVAL_US = Configurations.Context.UPDATE_INTERVAL_US;
    static final String MIN_NR_REGIONS = Configurations.Context.MIN_NR_REGIONS;
    static final String MAX_NR_REGIONS = Configurations.Context.MAX_NR_REGIONS;
    static final String CALLBACKS = Configurations.Context.CALLBACKS;
    static final String INTERVALS_GOAL_AGGRS = Configurations.Context.INTERVALS_GOAL_AGGRS;
    static final String INTERVALS_GOAL_ACCESS_BP = Configurations.Context.INTERVALS_GOAL_ACCESS_BP;
    static final String INTERVALS_GOAL_MIN_SAMPLE_US = Configurations.Context.INTERVALS_GOAL_MIN_SAMPLE_US;
    static final String INTERVALS_GOAL_MAX_SAMPLE_US = Configurations.Context.INTERVALS_GOAL_MAX_SAMPLE_US;
    static final String SCHEMES = Configurations.Context.SCHEMES;

    /** The keys a context configuration may hold, in the order the metatype lists them. */
    static final List<String> KEYS = List.of(NAME, PRIMITIVE, TARGETS, SAMPLE_INTERVAL_US, AGGREGATION_INTERVAL_US,
            UPDATE_INTERVAL_US, MIN_NR_REGIONS, MAX_NR_REGIONS, CALLBACKS, INTERVALS_GOAL_AGGRS,
            INTERVALS_GOAL_ACCESS_BP, INTERVALS_GOAL_MIN_SAMPLE_US, INTERVALS_GOAL_MAX_SAMPLE_US, SCHEMES);

    /** The property FileInstall and Karaf's {@code config:edit} give a configuration that has a file. */
    static final String FILEINSTALL_FILENAME = "felix.fileinstall.filename";

    /** Prefixes of keys that Config Admin, DS, FileInstall and others add; not ours to judge. */
    private static final List<String> FOREIGN_PREFIXES = List.of("service.", "component.", "felix.", "osgi.",
            "org.apache.", ".");

    ContextConfiguration {
        callbackNames = List.copyOf(callbackNames);
        problems = List.copyOf(problems);
    }

    /** @return whether the configuration can be used */
    boolean isValid() {
        return definition != null;
    }

    /** @return every problem in one line, or empty */
    String problemText() {
        return String.join("; ", problems);
    }

    /** @return whether only the attributes or the callbacks differ, so the change can apply online */
    boolean sameRun(ContextConfiguration other) {
        return isValid() && other.isValid() && definition.name().equals(other.definition.name())
                && definition.primitiveName().equals(other.definition.primitiveName())
                && definition.targets().equals(other.definition.targets());
    }

    /**
     * Checks a configuration.
     *
     * @param pid the configuration's PID, e.g. {@code io.jdamon.context~foo}
     * @param properties its properties, as Config Admin hands them
     */
    static ContextConfiguration parse(String pid, Map<String, ?> properties) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> props = new TreeMap<>();
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            String key = e.getKey();
            if (KEYS.contains(key)) {
                props.put(key, e.getValue());
            } else if (!isForeign(key)) {
                problems.add(problem(pid, key, "unknown key" + suggestion(key) + "; known keys are "
                        + String.join(", ", KEYS) + ". Remove it or correct its spelling"));
            }
        }

        String name = defaultName(pid, properties.get(FILEINSTALL_FILENAME));
        Object rawName = props.get(NAME);
        if (rawName != null) {
            if (!(rawName instanceof String s)) {
                problems.add(wrongType(pid, NAME, rawName, "a string such as 'heap-watch'"));
            } else if (!s.trim().matches("[A-Za-z0-9._-]+")) {
                problems.add(problem(pid, NAME, "'" + s + "' is not a valid context name; use letters, digits, "
                        + "'.', '_' and '-', or leave it out to use '" + name + "'"));
            } else {
                name = s.trim();
            }
        }

        String primitive = null;
        Object rawPrimitive = props.get(PRIMITIVE);
        if (rawPrimitive == null || rawPrimitive instanceof String s && s.isBlank()) {
            problems.add(problem(pid, PRIMITIVE, "missing; set it to the jdamon.primitive name of the primitive "
                    + "that samples the targets, e.g. primitive=sim or primitive=vaddr"));
        } else if (!(rawPrimitive instanceof String s)) {
            problems.add(wrongType(pid, PRIMITIVE, rawPrimitive, "a string such as 'sim'"));
        } else {
            primitive = s.trim();
        }

        List<String> targets = strings(pid, TARGETS, props.get(TARGETS), problems);
        if (targets != null && targets.isEmpty()) {
            problems.add(problem(pid, TARGETS, "no target given; set at least one in the primitive's syntax, "
                    + "e.g. targets=pid=1234 or targets=stairs"));
        } else if (targets == null && props.get(TARGETS) == null) {
            problems.add(problem(pid, TARGETS, "missing; set at least one target in the primitive's syntax, "
                    + "e.g. targets=pid=1234 or targets=stairs"));
        }

        Long sampleUs = number(pid, SAMPLE_INTERVAL_US, props, MonitoringAttributes.DEFAULT_SAMPLE_INTERVAL_US,
                problems);
        Long aggregationUs = number(pid, AGGREGATION_INTERVAL_US, props,
                MonitoringAttributes.DEFAULT_AGGREGATION_INTERVAL_US, problems);
        Long updateUs = number(pid, UPDATE_INTERVAL_US, props, MonitoringAttributes.DEFAULT_UPDATE_INTERVAL_US,
                problems);
        Long minRegions = number(pid, MIN_NR_REGIONS, props, MonitoringAttributes.DEFAULT_MIN_NR_REGIONS, problems);
        Long maxRegions = number(pid, MAX_NR_REGIONS, props, MonitoringAttributes.DEFAULT_MAX_NR_REGIONS, problems);
        IntervalsGoal goal = intervalsGoal(pid, props, problems);
        MonitoringAttributes attributes = null;
        if (sampleUs != null && aggregationUs != null && updateUs != null && minRegions != null
                && maxRegions != null && goal != null) {
            // a long outside the int range would wrap in intValue() (-4294967286 becomes 10) and pass
            String outOfRange = !fitsInt(minRegions) ? MIN_NR_REGIONS : !fitsInt(maxRegions) ? MAX_NR_REGIONS : null;
            if (outOfRange != null) {
                problems.add(problem(pid, outOfRange, (MIN_NR_REGIONS.equals(outOfRange) ? minRegions : maxRegions)
                        + " is out of range; set a whole number from " + MonitoringAttributes.LOWEST_MIN_NR_REGIONS
                        + " to " + Integer.MAX_VALUE));
            } else {
                try {
                    attributes = new MonitoringAttributes(sampleUs, aggregationUs, updateUs,
                            minRegions.intValue(), maxRegions.intValue(), goal);
                } catch (InvalidAttributesException e) {
                    problems.add(problem(pid, e.field(), e.getMessage()));
                }
            }
        }

        List<String> callbacks = strings(pid, CALLBACKS, props.get(CALLBACKS), problems);
        if (callbacks == null) {
            callbacks = List.of();
        }

        List<Scheme> schemes = List.of();
        List<String> schemeWords = strings(pid, SCHEMES, props.get(SCHEMES), problems);
        if (schemeWords != null) {
            List<String> words = new ArrayList<>();
            for (String w : schemeWords) {
                for (String word : w.trim().split("\\s+")) {
                    if (!word.isEmpty()) {
                        words.add(word);
                    }
                }
            }
            try {
                schemes = DamosArgs.parse(words);
            } catch (InvalidAttributesException e) {
                problems.add(problem(pid, SCHEMES, e.getMessage()));
            }
        }

        ContextDefinition definition = null;
        if (problems.isEmpty()) {
            try {
                definition = ContextDefinition.builder(name, primitive).targets(targets).attributes(attributes)
                        .schemes(schemes).build();
            } catch (InvalidAttributesException e) {
                problems.add(problem(pid, e.field(), e.getMessage()));
            }
        }
        return new ContextConfiguration(pid, name, definition, callbacks, problems);
    }

    /** @return the intervals goal of the four keys (none when tuning is off), or null after adding its problem */
    private static IntervalsGoal intervalsGoal(String pid, Map<String, Object> props, List<String> problems) {
        Long aggrs = number(pid, INTERVALS_GOAL_AGGRS, props, 0, problems);
        Long accessBp = number(pid, INTERVALS_GOAL_ACCESS_BP, props, IntervalsGoal.RECOMMENDED_ACCESS_BP, problems);
        Long minUs = number(pid, INTERVALS_GOAL_MIN_SAMPLE_US, props, IntervalsGoal.RECOMMENDED_MIN_SAMPLE_US,
                problems);
        Long maxUs = number(pid, INTERVALS_GOAL_MAX_SAMPLE_US, props, IntervalsGoal.RECOMMENDED_MAX_SAMPLE_US,
                problems);
        if (aggrs == null || accessBp == null || minUs == null || maxUs == null) {
            return null;
        }
        if (!fitsInt(aggrs) || !fitsInt(accessBp)) {
            problems.add(problem(pid, fitsInt(aggrs) ? INTERVALS_GOAL_ACCESS_BP : INTERVALS_GOAL_AGGRS,
                    "is out of range; see the key's description for the values it takes"));
            return null;
        }
        try {
            return new IntervalsGoal(accessBp.intValue(), aggrs.intValue(), minUs, maxUs);
        } catch (InvalidAttributesException e) {
            problems.add(problem(pid, INTERVALS_GOAL_AGGRS, e.getMessage()));
            return null;
        }
    }

    private static boolean fitsInt(long value) {
        return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE;
    }

    /** @return the message for one problem: the PID, the key, what is wrong and the fix */
    static String problem(String pid, String key, String what) {
        return "configuration " + pid + ": key '" + key + "': " + what;
    }

    /**
     * @param pid the configuration's PID
     * @param fileName the configuration's {@value #FILEINSTALL_FILENAME} property (a URL or path), or null
     * @return the name a context gets when its configuration names none: the
     *     configuration name of a named factory configuration ({@code factory~name});
     *     else the alias of a file {@code io.jdamon.context-ALIAS.cfg} it came from (Karaf's
     *     {@code config:edit --factory --alias ALIAS} makes a generated PID with such a file);
     *     otherwise the part after the factory PID; made a valid name
     */
    static String defaultName(String pid, Object fileName) {
        String tail = pid;
        int tilde = pid.indexOf('~');
        String alias = tilde >= 0 ? null : fileAlias(fileName);
        if (tilde >= 0) {
            tail = pid.substring(tilde + 1);
        } else if (alias != null) {
            tail = alias;
        } else if (pid.startsWith(ConfiguredContextComponent.FACTORY_PID + ".")) {
            tail = pid.substring(ConfiguredContextComponent.FACTORY_PID.length() + 1);
        }
        String cleaned = tail.replaceAll("[^A-Za-z0-9._-]", "_");
        return cleaned.isEmpty() ? "context" : cleaned;
    }

    /** @return ALIAS of a file name ending in {@code /io.jdamon.context-ALIAS.cfg} or {@code .config}, or null */
    private static String fileAlias(Object fileName) {
        if (fileName == null) {
            return null;
        }
        String s = fileName.toString();
        String file = s.substring(s.lastIndexOf('/') + 1);
        String prefix = ConfiguredContextComponent.FACTORY_PID + "-";
        for (String suffix : List.of(".cfg", ".config")) {
            if (file.startsWith(prefix) && file.endsWith(suffix) && file.length() > prefix.length() + suffix.length()) {
                return file.substring(prefix.length(), file.length() - suffix.length());
            }
        }
        return null;
    }

    private static boolean isForeign(String key) {
        for (String prefix : FOREIGN_PREFIXES) {
            if (key.startsWith(prefix)) {
                return true;
            }
        }
        return key.endsWith(".target"); // DS reference targets may be configured
    }

    private static String suggestion(String key) {
        String k = simplify(key);
        for (String known : KEYS) {
            String s = simplify(known);
            if (s.equals(k) || s.startsWith(k) || k.startsWith(s) || distance(s, k) <= 2) {
                return " (did you mean '" + known + "'?)";
            }
        }
        return "";
    }

    private static String simplify(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private static String wrongType(String pid, String key, Object value, String expected) {
        return problem(pid, key, "has the wrong type (" + typeName(value) + " " + shown(value) + "); set "
                + expected);
    }

    private static String typeName(Object value) {
        return value.getClass().isArray() ? value.getClass().getComponentType().getSimpleName() + "[]"
                : value.getClass().getSimpleName();
    }

    private static String shown(Object value) {
        if (value.getClass().isArray()) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                items.add(Array.get(value, i));
            }
            return items.toString();
        }
        return "'" + value + "'";
    }

    /**
     * @return the strings of a String, String[] or Collection of Strings
     *     (a single string is split at commas; targets as {@link TargetList}
     *     says), or null if absent or of the
     *     wrong type (then a problem is added)
     */
    private static List<String> strings(String pid, String key, Object raw, List<String> problems) {
        if (raw == null) {
            return null;
        }
        List<Object> items = new ArrayList<>();
        if (raw instanceof String s) {
            // schemes' damo flags are words (their numbers may hold thousands separators), not a comma list
            items.addAll(TARGETS.equals(key) ? TargetList.split(s) : SCHEMES.equals(key) ? List.of(s)
                    : List.of(s.split(",")));
        } else if (raw instanceof String[] array) {
            items.addAll(List.of((Object[]) array));
        } else if (raw instanceof Collection<?> c) {
            items.addAll(c);
        } else {
            problems.add(wrongType(pid, key, raw, "a string, a comma-separated string or a list of strings"));
            return null;
        }
        List<String> out = new ArrayList<>();
        for (Object item : items) {
            if (!(item instanceof String s)) {
                problems.add(wrongType(pid, key, raw, "strings only"));
                return null;
            }
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        if (Set.copyOf(out).size() != out.size() && CALLBACKS.equals(key)) {
            problems.add(problem(pid, key, "names a callback twice (" + out + "); list each once"));
            return null;
        }
        return out;
    }

    /**
     * @return the whole number under {@code key}, the default if absent, or
     *     null if it is not a whole number (then a problem is added)
     */
    private static Long number(String pid, String key, Map<String, Object> props, long defaultValue,
            List<String> problems) {
        Object raw = props.get(key);
        if (raw == null) {
            return defaultValue;
        }
        String unit = key.endsWith("Us") ? " of microseconds, e.g. " + defaultValue : ", e.g. " + defaultValue;
        if (raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).longValue();
        }
        if (raw instanceof String s) {
            String t = s.trim().replace("_", "");
            try {
                return Long.parseLong(t);
            } catch (NumberFormatException e) {
                problems.add(problem(pid, key, "'" + s + "' is not a whole number; set a whole number" + unit));
                return null;
            }
        }
        problems.add(wrongType(pid, key, raw, "a whole number" + unit + " (Long or Integer)"));
        return null;
    }
}
