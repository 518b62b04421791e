package io.jdamon.api;

import java.util.List;
import java.util.Objects;

/**
 * What a monitoring context is: its name, the primitive that samples it, its
 * targets and its attributes.
 *
 * @param name unique in the engine; letters, digits, '.', '_' and '-'
 * @param primitiveName the {@value Primitive#SERVICE_PROPERTY} of the primitive to use
 * @param targets one specification per target, in the primitive's syntax
 *     (e.g. {@code pid=1234}); at least one
 * @param attributes intervals and region limits
 * @throws InvalidAttributesException naming the invalid field
 */
public record ContextDefinition(String name, String primitiveName, List<String> targets,
        MonitoringAttributes attributes) {

    public ContextDefinition {
        Objects.requireNonNull(attributes, "attributes");
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new InvalidAttributesException("name", "context name '" + name
                    + "' is not valid; use letters, digits, '.', '_' and '-'");
        }
        if (primitiveName == null || primitiveName.isBlank()) {
            throw new InvalidAttributesException("primitive",
                    "context '" + name + "' names no primitive; set one, e.g. 'sim' or 'vaddr'");
        }
        if (targets == null || targets.isEmpty() || targets.stream().anyMatch(t -> t == null || t.isBlank())) {
            throw new InvalidAttributesException("targets",
                    "context '" + name + "' needs at least one non-empty target, e.g. 'pid=1234'");
        }
        targets = List.copyOf(targets);
    }

    /** @return a definition with the seed's default attributes */
    public static ContextDefinition of(String name, String primitiveName, String... targets) {
        return new ContextDefinition(name, primitiveName, List.of(targets), MonitoringAttributes.DEFAULTS);
    }

    /** @return a copy with other attributes */
    public ContextDefinition withAttributes(MonitoringAttributes newAttributes) {
        return new ContextDefinition(name, primitiveName, targets, newAttributes);
    }
}
