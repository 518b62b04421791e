package io.jdamon.api;

import java.util.List;
import java.util.Objects;

/**
 * What a monitoring context is: its name, the primitive that samples it, its
 * targets and its attributes. Immutable and valid; made with
 * {@link #builder(String, String)}, {@link #of} or the constructor. A class
 * rather than a record since 2.0, so that it can take new fields in a minor
 * version (through the builder, never as constructor parameters).
 *
 * <p>Fields, each with its accessor of the same name:
 *
 * @param name unique in the engine; letters, digits, '.', '_' and '-'
 * @param primitiveName the {@value Primitive#SERVICE_PROPERTY} of the primitive to use
 * @param targets one specification per target, in the primitive's syntax
 *     (e.g. {@code pid=1234}); at least one
 * @param attributes intervals and region limits
 * @throws InvalidAttributesException naming the invalid field
 */
public final class ContextDefinition {

    private final String name;
    private final String primitiveName;
    private final List<String> targets;
    private final MonitoringAttributes attributes;
    private final List<Scheme> schemes;

    /** A definition without schemes; schemes and fields added later are set through {@link #toBuilder()}. */
    public ContextDefinition(String name, String primitiveName, List<String> targets,
            MonitoringAttributes attributes) {
        this(name, primitiveName, targets, attributes, List.of());
    }

    private ContextDefinition(String name, String primitiveName, List<String> targets,
            MonitoringAttributes attributes, List<Scheme> schemes) {
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
        this.name = name;
        this.primitiveName = primitiveName;
        this.targets = List.copyOf(targets);
        this.attributes = attributes;
        this.schemes = List.copyOf(schemes);
    }

    /**
     * @return a builder of a definition with this name and primitive, the
     *     seed's default attributes and no target yet
     * @since 2.0
     */
    public static Builder builder(String name, String primitiveName) {
        return new Builder(name, primitiveName, List.of(), MonitoringAttributes.DEFAULTS, List.of());
    }

    /**
     * @return a builder starting from this definition
     * @since 2.0
     */
    public Builder toBuilder() {
        return new Builder(name, primitiveName, targets, attributes, schemes);
    }

    /**
     * Builds a definition; {@link #build()} checks it.
     *
     * @since 2.0
     */
    public static final class Builder {
        private String name;
        private String primitiveName;
        private final List<String> targets;
        private MonitoringAttributes attributes;
        private final List<Scheme> schemes;

        private Builder(String name, String primitiveName, List<String> targets, MonitoringAttributes attributes,
                List<Scheme> schemes) {
            this.name = name;
            this.primitiveName = primitiveName;
            this.targets = new java.util.ArrayList<>(targets);
            this.attributes = attributes;
            this.schemes = new java.util.ArrayList<>(schemes);
        }

        public Builder name(String contextName) {
            name = contextName;
            return this;
        }

        public Builder primitiveName(String primitive) {
            primitiveName = primitive;
            return this;
        }

        /** Adds a target, in the primitive's syntax. */
        public Builder target(String spec) {
            targets.add(spec);
            return this;
        }

        /** Replaces the targets. */
        public Builder targets(List<String> specs) {
            targets.clear();
            targets.addAll(specs);
            return this;
        }

        public Builder attributes(MonitoringAttributes newAttributes) {
            attributes = newAttributes;
            return this;
        }

        /** Adds a DAMOS scheme, applied after those added before. */
        public Builder scheme(Scheme scheme) {
            schemes.add(Objects.requireNonNull(scheme, "scheme"));
            return this;
        }

        /** Replaces the schemes. */
        public Builder schemes(List<Scheme> newSchemes) {
            schemes.clear();
            schemes.addAll(newSchemes);
            return this;
        }

        /**
         * @return the definition
         * @throws InvalidAttributesException naming the invalid field
         */
        public ContextDefinition build() {
            return new ContextDefinition(name, primitiveName, targets, attributes, schemes);
        }
    }

    /** @return unique in the engine; letters, digits, '.', '_' and '-' */
    public String name() {
        return name;
    }

    /** @return the {@value Primitive#SERVICE_PROPERTY} of the primitive to use */
    public String primitiveName() {
        return primitiveName;
    }

    /** @return one specification per target, in the primitive's syntax; at least one, unmodifiable */
    public List<String> targets() {
        return targets;
    }

    /** @return intervals and region limits */
    public MonitoringAttributes attributes() {
        return attributes;
    }

    /**
     * @return the DAMOS schemes, applied in this order; unmodifiable, empty for none
     * @since 2.0
     */
    public List<Scheme> schemes() {
        return schemes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContextDefinition d && d.name.equals(name) && d.primitiveName.equals(primitiveName)
                && d.targets.equals(targets) && d.attributes.equals(attributes) && d.schemes.equals(schemes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, primitiveName, targets, attributes, schemes);
    }

    @Override
    public String toString() {
        return "ContextDefinition[name=" + name + ", primitiveName=" + primitiveName + ", targets=" + targets
                + ", attributes=" + attributes + (schemes.isEmpty() ? "" : ", schemes=" + schemes) + "]";
    }

    /** @return a definition with the seed's default attributes */
    public static ContextDefinition of(String name, String primitiveName, String... targets) {
        return new ContextDefinition(name, primitiveName, List.of(targets), MonitoringAttributes.DEFAULTS);
    }

    /** @return a copy with other attributes */
    public ContextDefinition withAttributes(MonitoringAttributes newAttributes) {
        return toBuilder().attributes(newAttributes).build();
    }
}
