package io.jdamon.api;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A consistent look at a context from any thread, taken at one moment.
 * Immutable. A class rather than a record since 2.0, so that it can take
 * new fields in a minor version: the engine makes it with
 * {@link #builder(String, ContextState)}; readers use the accessors.
 *
 * @since 2.0 (a class; the accessors are those of 1.x)
 */
public final class ContextStatus {

    private final String name;
    private final ContextState state;
    private final String detail;
    private final String primitiveName;
    private final Map<String, String> primitiveProperties;
    private final MonitoringAttributes attributes;
    private final Optional<String> threadName;
    private final long samples;
    private final long aggregations;
    private final int regions;
    private final Optional<StopReason> stopReason;

    /** The fields of 1.x, as its record had them; fields added later are set through the builder. */
    public ContextStatus(String name, ContextState state, String detail, String primitiveName,
            Map<String, String> primitiveProperties, MonitoringAttributes attributes, Optional<String> threadName,
            long samples, long aggregations, int regions, Optional<StopReason> stopReason) {
        this.name = Objects.requireNonNull(name, "name");
        this.state = Objects.requireNonNull(state, "state");
        this.detail = detail == null ? "" : detail;
        this.primitiveName = primitiveName;
        this.primitiveProperties = Map.copyOf(primitiveProperties);
        this.attributes = attributes;
        this.threadName = threadName == null ? Optional.empty() : threadName;
        this.samples = samples;
        this.aggregations = aggregations;
        this.regions = regions;
        this.stopReason = stopReason == null ? Optional.empty() : stopReason;
    }

    private ContextStatus(Builder b) {
        this(b.name, b.state, b.detail, b.primitiveName, b.primitiveProperties, b.attributes, b.threadName,
                b.samples, b.aggregations, b.regions, b.stopReason);
    }

    /** @return a builder of the status of context {@code name}, in {@code state}; the rest empty or 0 */
    public static Builder builder(String name, ContextState state) {
        return new Builder(name, state);
    }

    /** Builds a status; every field but the name and state is optional. */
    public static final class Builder {
        private final String name;
        private final ContextState state;
        private String detail = "";
        private String primitiveName;
        private Map<String, String> primitiveProperties = Map.of();
        private MonitoringAttributes attributes = MonitoringAttributes.DEFAULTS;
        private Optional<String> threadName = Optional.empty();
        private long samples;
        private long aggregations;
        private int regions;
        private Optional<StopReason> stopReason = Optional.empty();

        private Builder(String name, ContextState state) {
            this.name = name;
            this.state = state;
        }

        public Builder detail(String text) {
            detail = text;
            return this;
        }

        public Builder primitive(String primitive, Map<String, String> properties) {
            primitiveName = primitive;
            primitiveProperties = properties;
            return this;
        }

        public Builder attributes(MonitoringAttributes inForce) {
            attributes = inForce;
            return this;
        }

        /** @param kdamond the kdamond's thread name while running; null for none */
        public Builder threadName(String kdamond) {
            threadName = Optional.ofNullable(kdamond);
            return this;
        }

        public Builder counts(long samplesTaken, long aggregationsDone, int regionsAtLastAggregation) {
            samples = samplesTaken;
            aggregations = aggregationsDone;
            regions = regionsAtLastAggregation;
            return this;
        }

        /** @param why why the last run ended; null while running or never run */
        public Builder stopReason(StopReason why) {
            stopReason = Optional.ofNullable(why);
            return this;
        }

        public ContextStatus build() {
            return new ContextStatus(this);
        }
    }

    /** @return the context's name */
    public String name() {
        return name;
    }

    /** @return where the context is in its life */
    public ContextState state() {
        return state;
    }

    /**
     * @return what it waits for ({@link ContextState#WAITING}), what is wrong
     *     ({@link ContextState#INVALID}), or why it stopped; empty otherwise
     */
    public String detail() {
        return detail;
    }

    /** @return the primitive it uses */
    public String primitiveName() {
        return primitiveName;
    }

    /**
     * @return what the primitive said about this run (see {@link Primitive#describe}), with who
     *     provides it ({@code provider}, see {@link ContextView#primitiveProperties}); unmodifiable
     */
    public Map<String, String> primitiveProperties() {
        return primitiveProperties;
    }

    /** @return the attributes in force */
    public MonitoringAttributes attributes() {
        return attributes;
    }

    /** @return the kdamond's thread name, e.g. {@code kdamond.0}, while running */
    public Optional<String> threadName() {
        return threadName;
    }

    /** @return samples taken in the current or last run */
    public long samples() {
        return samples;
    }

    /** @return aggregation intervals completed in the current or last run */
    public long aggregations() {
        return aggregations;
    }

    /** @return regions over all targets at the last aggregation */
    public int regions() {
        return regions;
    }

    /** @return why the last run ended; absent while running or never run */
    public Optional<StopReason> stopReason() {
        return stopReason;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContextStatus s && s.name.equals(name) && s.state == state && s.detail.equals(detail)
                && Objects.equals(s.primitiveName, primitiveName) && s.primitiveProperties.equals(primitiveProperties)
                && Objects.equals(s.attributes, attributes) && s.threadName.equals(threadName)
                && s.samples == samples && s.aggregations == aggregations && s.regions == regions
                && s.stopReason.equals(stopReason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, state, detail, primitiveName, primitiveProperties, attributes, threadName, samples,
                aggregations, regions, stopReason);
    }

    @Override
    public String toString() {
        return "ContextStatus[name=" + name + ", state=" + state + ", detail=" + detail + ", primitiveName="
                + primitiveName + ", primitiveProperties=" + primitiveProperties + ", attributes=" + attributes
                + ", threadName=" + threadName + ", samples=" + samples + ", aggregations=" + aggregations
                + ", regions=" + regions + ", stopReason=" + stopReason + "]";
    }
}
