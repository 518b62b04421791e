package io.jdamon.core.internal;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.jdamon.api.InvalidAttributesException;
import io.jdamon.api.Primitive;
import io.jdamon.api.Scheme;
import io.jdamon.api.SchemeFilter;

/**
 * Before a context runs its schemes with a primitive: every action and
 * filter type must be one the primitive applies (or the engine's own), else
 * the schemes are refused, naming the scheme, the action or type, the
 * primitive and what it does support.
 */
final class SchemeCheck {

    private SchemeCheck() {
    }

    /** @throws InvalidAttributesException naming the first scheme the primitive cannot apply */
    static void check(List<Scheme> schemes, Primitive primitive, String primitiveName) {
        if (schemes.isEmpty()) {
            return;
        }
        Set<String> actions = asked(() -> primitive.supportedActions(), primitiveName, "supportedActions");
        Set<String> filterTypes = asked(() -> primitive.supportedFilterTypes(), primitiveName,
                "supportedFilterTypes");
        for (int i = 0; i < schemes.size(); i++) {
            Scheme s = schemes.get(i);
            if (!Scheme.STAT.equals(s.action()) && !actions.contains(s.action())) {
                Set<String> offered = new TreeSet<>(actions);
                offered.add(Scheme.STAT);
                throw new InvalidAttributesException("schemes", "scheme " + i + ": primitive '" + primitiveName
                        + "' does not apply action '" + s.action() + "'; it applies " + String.join(", ", offered));
            }
            for (SchemeFilter f : s.filters()) {
                if (!f.isEngines() && !filterTypes.contains(f.type())) {
                    Set<String> offered = new TreeSet<>(filterTypes);
                    offered.add(SchemeFilter.ADDRESS);
                    offered.add(SchemeFilter.TARGET);
                    throw new InvalidAttributesException("schemes", "scheme " + i + ": primitive '" + primitiveName
                            + "' does not apply filters of type '" + f.type() + "'; filter types here: "
                            + String.join(", ", offered));
                }
            }
        }
    }

    private static Set<String> asked(java.util.function.Supplier<Set<String>> hook, String primitiveName,
            String name) {
        Set<String> answer;
        try {
            answer = hook.get();
        } catch (RuntimeException e) {
            throw new InvalidAttributesException("schemes", "primitive '" + primitiveName + "' threw in " + name
                    + ": " + e);
        }
        return answer == null ? Set.of() : Set.copyOf(answer);
    }
}
