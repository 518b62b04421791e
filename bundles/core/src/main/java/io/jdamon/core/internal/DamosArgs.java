package io.jdamon.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.jdamon.api.InvalidAttributesException;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.QuotaGoal;
import io.jdamon.api.Scheme;
import io.jdamon.api.SchemeFilter;
import io.jdamon.api.Watermarks;
import io.jdamon.units.UnitParser;

/**
 * DAMOS schemes written as damo writes them on its command line: each
 * {@code --damos_action} makes a scheme, and the n-th {@code --damos_sz_region},
 * {@code --damos_access_rate}, {@code --damos_age}, {@code --damos_apply_interval},
 * {@code --damos_quotas} (or {@code --damos_quota_time/_space/_interval/_weights})
 * and {@code --damos_wmarks} belong to the n-th scheme; quota goals and
 * filters are shared out by {@code --damos_nr_quota_goals} and
 * {@code --damos_nr_filters} (needed with more than one scheme). Values read
 * as damo reads them: sizes in bytes or with units, access rates in percent,
 * ages and intervals in microseconds or with units, quota times in ms, and
 * {@code min}/{@code max} for open bounds. Filters take damo's forms,
 * {@code allow|reject [none] TYPE [ARGS]} and the older
 * {@code TYPE matching|nomatching [ARGS] [allow|reject]}. The one reader of
 * this syntax: {@code jdamon record}'s flags and a context configuration's
 * {@code schemes} key both come here.
 */
public final class DamosArgs {

    /** damo's options, each with the number of words it takes (min, max; -1: any). */
    private static final Map<String, int[]> OPTIONS = new LinkedHashMap<>();

    static {
        OPTIONS.put("--damos_action", new int[] {1, 1});
        OPTIONS.put("--damos_sz_region", new int[] {2, 2});
        OPTIONS.put("--damos_access_rate", new int[] {2, 2});
        OPTIONS.put("--damos_age", new int[] {2, 2});
        OPTIONS.put("--damos_apply_interval", new int[] {1, 1});
        OPTIONS.put("--damos_quotas", new int[] {1, 6});
        OPTIONS.put("--damos_quota_time", new int[] {1, 1});
        OPTIONS.put("--damos_quota_space", new int[] {1, 1});
        OPTIONS.put("--damos_quota_interval", new int[] {1, 1});
        OPTIONS.put("--damos_quota_weights", new int[] {3, 3});
        OPTIONS.put("--damos_quota_goal", new int[] {2, 4});
        OPTIONS.put("--damos_nr_quota_goals", new int[] {1, -1});
        OPTIONS.put("--damos_wmarks", new int[] {5, 5});
        OPTIONS.put("--damos_filter", new int[] {1, -1});
        OPTIONS.put("--damos_nr_filters", new int[] {1, -1});
    }

    /** damo's flags jdamon refuses, with why. */
    private static final Map<String, String> REFUSED = Map.of(
            "--damos_quota_goal_tuner", "jdamon tunes quota goals with DAMON's feedback loop only",
            "--damos_quota_fail_charge_ratio", "jdamon charges what it tried, as Linux before 6.18",
            "--damos_max_nr_snapshots", "jdamon applies schemes for as long as the context runs");

    private static final Set<String> ENGINE_GOALS = Set.of(QuotaGoal.USER_INPUT, QuotaGoal.SOME_MEM_PSI_US,
            QuotaGoal.NODE_MEM_USED_BP, QuotaGoal.NODE_MEM_FREE_BP);

    private DamosArgs() {
    }

    /** @return the names of the options this reader takes, in damo's order */
    public static List<String> options() {
        return List.copyOf(OPTIONS.keySet());
    }

    /**
     * @param words damo's flags and their values, as on a command line (e.g.
     *     {@code --damos_action pageout --damos_access_rate 0 0 --damos_age 5s max})
     * @return the schemes, in {@code --damos_action} order; empty for no words
     * @throws InvalidAttributesException naming the flag, what is wrong and the fix
     */
    public static List<Scheme> parse(List<String> words) {
        Map<String, List<List<String>>> given = split(words);
        List<List<String>> actions = given.getOrDefault("--damos_action", List.of());
        int n = actions.size();
        if (n == 0) {
            if (!given.isEmpty()) {
                throw problem(given.keySet().iterator().next(), "comes without --damos_action; every scheme starts"
                        + " with --damos_action ACTION");
            }
            return List.of();
        }
        for (String option : List.of("--damos_sz_region", "--damos_access_rate", "--damos_age",
                "--damos_apply_interval", "--damos_quotas", "--damos_wmarks", "--damos_quota_time",
                "--damos_quota_space", "--damos_quota_interval", "--damos_quota_weights")) {
            if (given.getOrDefault(option, List.of()).size() > n) {
                throw problem(option, "is given " + given.get(option).size() + " times for " + n
                        + " scheme(s); give it at most once per --damos_action");
            }
        }
        List<List<List<String>>> goals = shareOut(given, "--damos_quota_goal", "--damos_nr_quota_goals", n);
        List<List<String>> filterWords = new ArrayList<>();
        for (List<List<String>> f : shareOut(given, "--damos_filter", "--damos_nr_filters", n)) {
            List<String> all = new ArrayList<>();
            f.forEach(all::addAll);
            filterWords.add(all);
        }
        List<Scheme> schemes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Scheme.Builder b = Scheme.builder(actions.get(i).get(0));
            List<String> sz = nth(given, "--damos_sz_region", i);
            if (sz != null) {
                b.sizeBytes(bound(sz.get(0), 0, "--damos_sz_region", UnitParser::sizeBytes),
                        bound(sz.get(1), Long.MAX_VALUE, "--damos_sz_region", UnitParser::sizeBytes));
            }
            List<String> rate = nth(given, "--damos_access_rate", i);
            if (rate != null) {
                b.accessPercent(percent(rate.get(0), 0), percent(rate.get(1), 100));
            }
            List<String> age = nth(given, "--damos_age", i);
            if (age != null) {
                b.ageUs(bound(age.get(0), 0, "--damos_age", t -> UnitParser.timeMicros(t, "us")),
                        bound(age.get(1), Long.MAX_VALUE, "--damos_age", t -> UnitParser.timeMicros(t, "us")));
            }
            List<String> apply = nth(given, "--damos_apply_interval", i);
            if (apply != null) {
                b.applyIntervalUs(value("--damos_apply_interval", apply.get(0), t -> UnitParser.timeMicros(t, "us")));
            }
            quotas(b, given, i);
            for (List<String> g : goals.get(i)) {
                b.quotaGoal(goal(g));
            }
            List<String> w = nth(given, "--damos_wmarks", i);
            if (w != null) {
                b.watermarks(wmarkMetric(w.get(0)),
                        value("--damos_wmarks", w.get(1), t -> UnitParser.timeMicros(t, "us")),
                        value("--damos_wmarks", w.get(2), UnitParser::wholeNumber),
                        value("--damos_wmarks", w.get(3), UnitParser::wholeNumber),
                        value("--damos_wmarks", w.get(4), UnitParser::wholeNumber));
            }
            filters(b, filterWords.get(i));
            schemes.add(b.build());
        }
        return schemes;
    }

    /** @return each option's occurrences, each with its words, in order */
    private static Map<String, List<List<String>>> split(List<String> words) {
        Map<String, List<List<String>>> out = new LinkedHashMap<>();
        int i = 0;
        while (i < words.size()) {
            String option = words.get(i);
            if (REFUSED.containsKey(option)) {
                throw problem(option, "is not taken: " + REFUSED.get(option) + "; leave it out");
            }
            int[] arity = OPTIONS.get(option);
            if (arity == null) {
                throw new InvalidAttributesException("schemes", "'" + option + "' is not a DAMOS flag jdamon takes; "
                        + "use " + String.join(", ", OPTIONS.keySet()));
            }
            int j = i + 1;
            while (j < words.size() && !OPTIONS.containsKey(words.get(j)) && !REFUSED.containsKey(words.get(j))
                    && !(words.get(j).startsWith("--") && words.get(j).length() > 2)) {
                j++;
            }
            List<String> values = List.copyOf(words.subList(i + 1, j));
            if ("--damos_action".equals(option) && values.size() > 1) {
                throw problem(option, "takes one action here (" + values + "); jdamon's primitives have no NUMA"
                        + " migration targets");
            }
            if (values.size() < arity[0] || (arity[1] >= 0 && values.size() > arity[1])) {
                throw problem(option, "takes " + (arity[0] == arity[1] ? "" + arity[0] : arity[1] < 0 ? "at least "
                        + arity[0] : arity[0] + " to " + arity[1]) + " value(s), not " + values.size() + " " + values);
            }
            out.computeIfAbsent(option, k -> new ArrayList<>()).add(values);
            i = j;
        }
        return out;
    }

    private static List<String> nth(Map<String, List<List<String>>> given, String option, int i) {
        List<List<String>> all = given.get(option);
        return all == null || i >= all.size() ? null : all.get(i);
    }

    /** Goals or filters, shared out among the schemes by their counts (damo's rule). */
    private static List<List<List<String>>> shareOut(Map<String, List<List<String>>> given, String option,
            String countOption, int schemes) {
        List<List<String>> items = given.getOrDefault(option, List.of());
        List<Long> counts = new ArrayList<>();
        for (List<String> c : given.getOrDefault(countOption, List.of())) {
            for (String v : c) {
                counts.add(value(countOption, v, UnitParser::wholeNumber));
            }
        }
        if (counts.isEmpty()) {
            if (!items.isEmpty() && schemes > 1) {
                throw problem(countOption, "is needed: " + items.size() + " " + option + " for " + schemes
                        + " schemes; say how many each scheme has, in order, e.g. " + countOption + " 1 0");
            }
            counts.add((long) items.size());
        }
        long sum = counts.stream().mapToLong(Long::longValue).sum();
        if (sum != items.size() || counts.size() > schemes) {
            throw problem(countOption, counts + " does not share out the " + items.size() + " " + option
                    + " among " + schemes + " scheme(s); give one count per scheme summing to " + items.size());
        }
        List<List<List<String>>> out = new ArrayList<>();
        int at = 0;
        for (int s = 0; s < schemes; s++) {
            int c = s < counts.size() ? counts.get(s).intValue() : 0;
            out.add(items.subList(at, at + c));
            at += c;
        }
        return out;
    }

    private static void quotas(Scheme.Builder b, Map<String, List<List<String>>> given, int i) {
        List<String> q = nth(given, "--damos_quotas", i);
        List<String> time = nth(given, "--damos_quota_time", i);
        List<String> space = nth(given, "--damos_quota_space", i);
        List<String> interval = nth(given, "--damos_quota_interval", i);
        List<String> weights = nth(given, "--damos_quota_weights", i);
        if (q == null && time == null && space == null && interval == null && weights == null) {
            return;
        }
        if (q != null && (time != null || space != null || interval != null || weights != null)) {
            throw problem("--damos_quotas", "and --damos_quota_time/_space/_interval/_weights say the same; use one");
        }
        String t = q != null ? q.get(0) : time != null ? time.get(0) : "0";
        String sz = q != null && q.size() > 1 ? q.get(1) : space != null ? space.get(0) : "0";
        String reset = q != null && q.size() > 2 ? q.get(2) : interval != null ? interval.get(0) : "max";
        List<String> w = q != null ? q.subList(Math.min(3, q.size()), q.size()) : weights != null ? weights
                : List.of();
        String option = q != null ? "--damos_quotas" : "--damos_quota_*";
        long timeMs = "max".equals(t) ? 0 : value(option, t, v -> UnitParser.timeMicros(v, "ms") / 1_000);
        long sizeBytes = "max".equals(sz) ? 0 : value(option, sz, UnitParser::sizeBytes);
        long maxResetMs = MonitoringAttributes.MAX_INTERVAL_US / 1_000;
        long resetMs = "max".equals(reset) ? maxResetMs
                : Math.min(maxResetMs, value(option, reset, v -> UnitParser.timeMicros(v, "ms") / 1_000));
        b.quota(timeMs, sizeBytes, resetMs);
        int[] weight = new int[3];
        for (int k = 0; k < w.size(); k++) {
            String text = w.get(k).replace("%", "").trim();
            long v = value(option, text, UnitParser::wholeNumber);
            if (v > Integer.MAX_VALUE) {
                throw problem(option, "weight " + w.get(k) + " is too large");
            }
            weight[k] = (int) v;
        }
        b.quotaWeights(weight[0], weight[1], weight[2]);
    }

    private static QuotaGoal goal(List<String> g) {
        String metric = g.get(0);
        long target = value("--damos_quota_goal", g.get(1), DamosArgs::goalNumber);
        QuotaGoal goal = QuotaGoal.of(metric, target);
        List<String> optional = g.subList(2, g.size());
        switch (metric) {
            case QuotaGoal.USER_INPUT -> {
                if (optional.size() != 1) {
                    throw problem("--damos_quota_goal", "user_input takes its current value after the target:"
                            + " user_input TARGET CURRENT");
                }
                goal = goal.withCurrentValue(value("--damos_quota_goal", optional.get(0), DamosArgs::goalNumber));
            }
            case QuotaGoal.NODE_MEM_USED_BP, QuotaGoal.NODE_MEM_FREE_BP -> {
                if (optional.size() != 1) {
                    throw problem("--damos_quota_goal", metric + " takes the NUMA node after the target: "
                            + metric + " TARGET NODE");
                }
                long node = value("--damos_quota_goal", optional.get(0), UnitParser::wholeNumber);
                goal = goal.withNodeId((int) Math.min(Integer.MAX_VALUE, node));
            }
            default -> {
                if (!optional.isEmpty()) {
                    throw problem("--damos_quota_goal", metric + " takes only a target, not " + optional
                            + (ENGINE_GOALS.contains(metric) ? "" : " (a metric the primitive provides)"));
                }
            }
        }
        return goal;
    }

    /** A goal's number: bp and microsecond values, with units for times (some_mem_psi_us) and separators. */
    private static long goalNumber(String text) {
        String t = text.trim();
        return Character.isDigit(t.charAt(t.length() - 1)) ? UnitParser.wholeNumber(t) : UnitParser.timeMicros(t,
                "us");
    }

    private static Watermarks.Metric wmarkMetric(String text) {
        return switch (text) {
            case "none" -> Watermarks.Metric.NONE;
            case "free_mem_rate" -> Watermarks.Metric.FREE_MEM_RATE;
            default -> throw problem("--damos_wmarks", "metric '" + text + "' is not known; use none or"
                    + " free_mem_rate");
        };
    }

    /** damo's filter words, the newer form first and the older one if that fails. */
    private static void filters(Scheme.Builder b, List<String> words) {
        List<SchemeFilter> out = new ArrayList<>();
        InvalidAttributesException v2 = filtersV2(words, out);
        if (v2 == null) {
            out.forEach(b::filter);
            return;
        }
        // the older form: TYPE matching|nomatching [ARGS] [allow|reject], one filter per flag is all it can say
        List<String> converted = new ArrayList<>();
        if (words.size() < 2 || !("matching".equals(words.get(1)) || "nomatching".equals(words.get(1)))) {
            throw v2;
        }
        List<String> args = new ArrayList<>(words.subList(2, words.size()));
        String allow = "reject";
        if (!args.isEmpty() && List.of("allow", "pass", "reject", "deny", "block").contains(args.get(args.size() - 1))) {
            allow = List.of("allow", "pass").contains(args.remove(args.size() - 1)) ? "allow" : "reject";
        }
        converted.add(allow);
        if ("nomatching".equals(words.get(1))) {
            converted.add("none");
        }
        converted.add(words.get(0));
        converted.addAll(args);
        out.clear();
        InvalidAttributesException v1 = filtersV2(converted, out);
        if (v1 != null) {
            throw v1;
        }
        out.forEach(b::filter);
    }

    private static InvalidAttributesException filtersV2(List<String> words, List<SchemeFilter> out) {
        int i = 0;
        while (i < words.size()) {
            String first = words.get(i);
            if (!List.of("allow", "reject", "deny", "block").contains(first)) {
                return problem("--damos_filter", "'" + first + "' starts no filter; write allow|reject [none] TYPE"
                        + " [ARGS], e.g. reject none addr 0x1000 0x2000");
            }
            boolean allow = "allow".equals(first);
            i++;
            boolean matching = true;
            if (i < words.size() && "none".equals(words.get(i))) {
                matching = false;
                i++;
            }
            if (i >= words.size()) {
                return problem("--damos_filter", "names no filter type after '" + first + "'");
            }
            String type = words.get(i++);
            switch (type) {
                case SchemeFilter.ADDRESS -> {
                    if (i + 2 > words.size()) {
                        return problem("--damos_filter", "addr takes a START and an END address");
                    }
                    long start = value("--damos_filter", words.get(i), UnitParser::address);
                    long end = value("--damos_filter", words.get(i + 1), UnitParser::address);
                    i += 2;
                    out.add(SchemeFilter.address(start, end, matching, allow));
                }
                case SchemeFilter.TARGET -> {
                    if (i >= words.size()) {
                        return problem("--damos_filter", "target takes the target's index");
                    }
                    long index = value("--damos_filter", words.get(i++), UnitParser::wholeNumber);
                    out.add(SchemeFilter.target((int) Math.min(Integer.MAX_VALUE, index), matching, allow));
                }
                case "memcg", "hugepage_size" -> {
                    return problem("--damos_filter", type + " filters are not taken: no jdamon primitive applies"
                            + " them");
                }
                default -> out.add(SchemeFilter.ofType(type.toLowerCase(Locale.ROOT), matching, allow));
            }
        }
        return null;
    }

    private static long percent(String text, long open) {
        String t = text.trim();
        if ("min".equals(t)) {
            return 0;
        }
        if ("max".equals(t)) {
            return open;
        }
        return value("--damos_access_rate", t.endsWith("%") ? t.substring(0, t.length() - 1).trim() : t,
                UnitParser::wholeNumber);
    }

    private static long bound(String text, long open, String option, java.util.function.ToLongFunction<String> p) {
        String t = text.trim();
        if ("min".equals(t)) {
            return 0;
        }
        if ("max".equals(t)) {
            return Long.MAX_VALUE;
        }
        return value(option, t, p);
    }

    private static long value(String option, String text, java.util.function.ToLongFunction<String> p) {
        try {
            return p.applyAsLong(text);
        } catch (IllegalArgumentException e) {
            throw problem(option, e.getMessage());
        }
    }

    private static InvalidAttributesException problem(String option, String what) {
        return new InvalidAttributesException("schemes", option + " " + what);
    }
}
