package io.jdamon.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A DAMOS scheme: for regions of an {@link AccessPattern}, apply an action,
 * within a {@link SchemeQuota}, while {@link Watermarks} allow, on the memory
 * the {@link SchemeFilter}s let through. The engine applies a context's
 * schemes after each aggregation whose apply interval has come, in order,
 * region by region, as Linux's {@code kdamond_apply_schemes} does; every
 * region a scheme's pattern and quota admit is counted as tried, and the
 * bytes the primitive reports are counted as applied ({@link SchemeStats}).
 *
 * <p>Actions: {@value #STAT} (count only) works with every primitive; the
 * others are applied by the primitive ({@link Primitive#supportedActions}),
 * which is asked before the context starts: a scheme whose action it lacks
 * is refused, naming both. The Linux names are {@value #PAGEOUT},
 * {@value #COLD}, {@value #WILLNEED}, {@value #COLLAPSE}, {@value #HUGEPAGE},
 * {@value #NOHUGEPAGE}, {@value #LRU_PRIO}, {@value #LRU_DEPRIO},
 * {@value #MIGRATE_HOT} and {@value #MIGRATE_COLD}; a primitive may offer
 * others. Applying any action but {@value #STAT} resets the region's age.
 *
 * <p>Made with {@link #builder(String)}; immutable. A class that grows
 * through its builder.
 *
 * @since 2.0
 */
public final class Scheme {

    public static final String STAT = "stat";
    public static final String PAGEOUT = "pageout";
    public static final String COLD = "cold";
    public static final String WILLNEED = "willneed";
    public static final String COLLAPSE = "collapse";
    public static final String HUGEPAGE = "hugepage";
    public static final String NOHUGEPAGE = "nohugepage";
    public static final String LRU_PRIO = "lru_prio";
    public static final String LRU_DEPRIO = "lru_deprio";
    public static final String MIGRATE_HOT = "migrate_hot";
    public static final String MIGRATE_COLD = "migrate_cold";

    /** Which regions go first when a quota cannot take them all. */
    public enum Priority {
        /** the coldest first (reclaiming actions: pageout, lru_deprio, migrate_cold) */
        COLD_FIRST,
        /** the hottest first (lru_prio, migrate_hot) */
        HOT_FIRST,
        /** in address order (every other action, as DAMON gives them no score) */
        NONE
    }

    private final String action;
    private final AccessPattern pattern;
    private final long applyIntervalUs;
    private final SchemeQuota quota;
    private final Watermarks watermarks;
    private final List<SchemeFilter> filters;

    private Scheme(Builder b) {
        this.action = b.action;
        this.pattern = new AccessPattern(b.minSizeBytes, b.maxSizeBytes, b.minNrAccesses, b.maxNrAccesses,
                b.accessUnit, b.minAge, b.maxAge, b.ageUnit);
        this.applyIntervalUs = b.applyIntervalUs;
        this.quota = new SchemeQuota(b.quotaTimeMs, b.quotaSizeBytes, b.quotaResetIntervalMs, b.weightSize,
                b.weightNrAccesses, b.weightAge, b.goals);
        this.watermarks = new Watermarks(b.wmarkMetric, b.wmarkIntervalUs, b.wmarkHigh, b.wmarkMid, b.wmarkLow);
        this.filters = List.copyOf(b.filters);
    }

    /** @return a builder of a scheme applying {@code action} to every region, without quota, watermarks or filters */
    public static Builder builder(String action) {
        return new Builder(action);
    }

    /** @return a builder starting from this scheme */
    public Builder toBuilder() {
        Builder b = new Builder(action);
        b.minSizeBytes = pattern.minSizeBytes();
        b.maxSizeBytes = pattern.maxSizeBytes();
        b.minNrAccesses = pattern.minNrAccesses();
        b.maxNrAccesses = pattern.maxNrAccesses();
        b.accessUnit = pattern.accessUnit();
        b.minAge = pattern.minAge();
        b.maxAge = pattern.maxAge();
        b.ageUnit = pattern.ageUnit();
        b.applyIntervalUs = applyIntervalUs;
        b.quotaTimeMs = quota.timeMs();
        b.quotaSizeBytes = quota.sizeBytes();
        b.quotaResetIntervalMs = quota.resetIntervalMs();
        b.weightSize = quota.weightSize();
        b.weightNrAccesses = quota.weightNrAccesses();
        b.weightAge = quota.weightAge();
        b.goals.addAll(quota.goals());
        b.wmarkMetric = watermarks.metric();
        b.wmarkIntervalUs = watermarks.checkIntervalUs();
        b.wmarkHigh = watermarks.high();
        b.wmarkMid = watermarks.mid();
        b.wmarkLow = watermarks.low();
        b.filters.addAll(filters);
        return b;
    }

    /** @return the priority DAMON gives regions under {@code action}'s quota */
    public static Priority priorityOf(String action) {
        return switch (action) {
            case PAGEOUT, LRU_DEPRIO, MIGRATE_COLD -> Priority.COLD_FIRST;
            case LRU_PRIO, MIGRATE_HOT -> Priority.HOT_FIRST;
            default -> Priority.NONE;
        };
    }

    /** @return whether this scheme's quota takes the coldest regions first */
    public boolean prefersCold() {
        return priorityOf(action) == Priority.COLD_FIRST;
    }

    /** @return what to do with the regions: {@value #STAT}, or an action the primitive supports */
    public String action() {
        return action;
    }

    public AccessPattern pattern() {
        return pattern;
    }

    /** @return how often the scheme is applied, in microseconds; 0 for every aggregation interval */
    public long applyIntervalUs() {
        return applyIntervalUs;
    }

    public SchemeQuota quota() {
        return quota;
    }

    public Watermarks watermarks() {
        return watermarks;
    }

    /** @return the filters, in the order they are asked; unmodifiable */
    public List<SchemeFilter> filters() {
        return filters;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Scheme s && s.action.equals(action) && s.pattern.equals(pattern)
                && s.applyIntervalUs == applyIntervalUs && s.quota.equals(quota) && s.watermarks.equals(watermarks)
                && s.filters.equals(filters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(action, pattern, applyIntervalUs, quota, watermarks, filters);
    }

    @Override
    public String toString() {
        return "Scheme[" + action + ", " + pattern + (applyIntervalUs == 0 ? "" : ", every " + applyIntervalUs
                + " us") + (quota.limits() ? ", " + quota : "") + (watermarks.metric() == Watermarks.Metric.NONE
                        ? "" : ", " + watermarks) + (filters.isEmpty() ? "" : ", " + filters) + "]";
    }

    /** Builds a scheme; {@link #build()} checks it all at once. */
    public static final class Builder {
        private final String action;
        private long minSizeBytes;
        private long maxSizeBytes = Long.MAX_VALUE;
        private long minNrAccesses;
        private long maxNrAccesses = Long.MAX_VALUE;
        private AccessPattern.AccessUnit accessUnit = AccessPattern.AccessUnit.SAMPLES;
        private long minAge;
        private long maxAge = Long.MAX_VALUE;
        private AccessPattern.AgeUnit ageUnit = AccessPattern.AgeUnit.AGGREGATIONS;
        private long applyIntervalUs;
        private long quotaTimeMs;
        private long quotaSizeBytes;
        private long quotaResetIntervalMs = SchemeQuota.DEFAULT_RESET_INTERVAL_MS;
        private int weightSize;
        private int weightNrAccesses;
        private int weightAge;
        private final List<QuotaGoal> goals = new ArrayList<>();
        private Watermarks.Metric wmarkMetric = Watermarks.Metric.NONE;
        private long wmarkIntervalUs;
        private long wmarkHigh;
        private long wmarkMid;
        private long wmarkLow;
        private final List<SchemeFilter> filters = new ArrayList<>();

        private Builder(String action) {
            this.action = action;
        }

        /** Regions of {@code min} to {@code max} bytes, inclusive. */
        public Builder sizeBytes(long min, long max) {
            minSizeBytes = min;
            maxSizeBytes = max;
            return this;
        }

        /** Regions found accessed in {@code min} to {@code max} samples of an aggregation. */
        public Builder nrAccesses(long min, long max) {
            minNrAccesses = min;
            maxNrAccesses = max;
            accessUnit = AccessPattern.AccessUnit.SAMPLES;
            return this;
        }

        /** Regions found accessed in {@code min} to {@code max} percent of an aggregation's samples. */
        public Builder accessPercent(long min, long max) {
            minNrAccesses = min;
            maxNrAccesses = max;
            accessUnit = AccessPattern.AccessUnit.PERCENT;
            return this;
        }

        /** Regions that kept their access frequency for {@code min} to {@code max} aggregation intervals. */
        public Builder ageAggregations(long min, long max) {
            minAge = min;
            maxAge = max;
            ageUnit = AccessPattern.AgeUnit.AGGREGATIONS;
            return this;
        }

        /** Regions that kept their access frequency for {@code min} to {@code max} microseconds. */
        public Builder ageUs(long min, long max) {
            minAge = min;
            maxAge = max;
            ageUnit = AccessPattern.AgeUnit.MICROSECONDS;
            return this;
        }

        /** Applies every {@code us} microseconds (rounded up to whole aggregations); 0 for every aggregation. */
        public Builder applyIntervalUs(long us) {
            applyIntervalUs = us;
            return this;
        }

        /**
         * At most {@code timeMs} of action time and {@code sizeBytes} of regions per
         * {@code resetIntervalMs}; 0 for no limit of that kind.
         */
        public Builder quota(long timeMs, long sizeBytes, long resetIntervalMs) {
            quotaTimeMs = timeMs;
            quotaSizeBytes = sizeBytes;
            quotaResetIntervalMs = resetIntervalMs;
            return this;
        }

        /** The weights of size, access frequency and age in the priority score. */
        public Builder quotaWeights(int size, int nrAccesses, int age) {
            weightSize = size;
            weightNrAccesses = nrAccesses;
            weightAge = age;
            return this;
        }

        /** Adds a goal that tunes the quota's size. */
        public Builder quotaGoal(QuotaGoal goal) {
            goals.add(Objects.requireNonNull(goal, "goal"));
            return this;
        }

        /** Active only while {@code metric} (permil) is within the watermarks, checked every {@code checkIntervalUs}. */
        public Builder watermarks(Watermarks.Metric metric, long checkIntervalUs, long high, long mid, long low) {
            wmarkMetric = Objects.requireNonNull(metric, "metric");
            wmarkIntervalUs = checkIntervalUs;
            wmarkHigh = high;
            wmarkMid = mid;
            wmarkLow = low;
            return this;
        }

        /** Adds a filter, asked after those added before. */
        public Builder filter(SchemeFilter filter) {
            filters.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        /**
         * @return the scheme
         * @throws InvalidAttributesException naming the first invalid setting and the fix
         */
        public Scheme build() {
            if (action == null || !action.matches("[a-z][a-z0-9_]*")) {
                throw new InvalidAttributesException("action", "scheme action '" + action + "' is not valid; use "
                        + STAT + ", " + PAGEOUT + ", " + COLD + ", " + WILLNEED + ", " + COLLAPSE
                        + " or another action the primitive supports");
            }
            range("size", minSizeBytes, maxSizeBytes);
            range("nrAccesses", minNrAccesses, maxNrAccesses);
            if (accessUnit == AccessPattern.AccessUnit.PERCENT && maxNrAccesses != Long.MAX_VALUE
                    && maxNrAccesses > 100) {
                throw new InvalidAttributesException("nrAccesses", "scheme " + action + ": access rate "
                        + maxNrAccesses + "% is above 100%; give percent from 0 to 100");
            }
            range("age", minAge, maxAge);
            if (applyIntervalUs < 0 || applyIntervalUs > MonitoringAttributes.MAX_INTERVAL_US) {
                throw new InvalidAttributesException("applyIntervalUs", "scheme " + action + ": apply interval "
                        + applyIntervalUs + " us is out of range; give 0 (every aggregation) up to "
                        + MonitoringAttributes.MAX_INTERVAL_US + " us");
            }
            if (quotaTimeMs < 0 || quotaSizeBytes < 0 || weightSize < 0 || weightNrAccesses < 0 || weightAge < 0) {
                throw new InvalidAttributesException("quota", "scheme " + action + ": quota time, size and weights"
                        + " may not be negative (0 means no limit)");
            }
            long maxMs = MonitoringAttributes.MAX_INTERVAL_US / 1_000;
            if ((quotaTimeMs > 0 || quotaSizeBytes > 0 || !goals.isEmpty())
                    && (quotaResetIntervalMs <= 0 || quotaResetIntervalMs > maxMs)) {
                throw new InvalidAttributesException("quota", "scheme " + action + ": a quota needs a reset interval"
                        + " of 1 to " + maxMs + " ms (366 days), not " + quotaResetIntervalMs + "; DAMOS's default is "
                        + SchemeQuota.DEFAULT_RESET_INTERVAL_MS);
            }
            if (quotaTimeMs > maxMs) {
                throw new InvalidAttributesException("quota", "scheme " + action + ": a time quota of "
                        + quotaTimeMs + " ms is longer than 366 days; give at most " + maxMs);
            }
            if (wmarkMetric != Watermarks.Metric.NONE) {
                if (wmarkIntervalUs <= 0 || wmarkIntervalUs > MonitoringAttributes.MAX_INTERVAL_US) {
                    throw new InvalidAttributesException("watermarks", "scheme " + action + ": watermarks need a"
                            + " check interval of 1 to " + MonitoringAttributes.MAX_INTERVAL_US + " us, not "
                            + wmarkIntervalUs);
                }
                if (!(wmarkHigh >= wmarkMid && wmarkMid >= wmarkLow) || wmarkLow < 0 || wmarkHigh > 1_000) {
                    throw new InvalidAttributesException("watermarks", "scheme " + action + ": watermarks high "
                            + wmarkHigh + ", mid " + wmarkMid + ", low " + wmarkLow + " must satisfy 1000 >= high"
                            + " >= mid >= low >= 0 (permil)");
                }
            }
            return new Scheme(this);
        }

        private void range(String what, long min, long max) {
            if (min < 0 || max < min) {
                throw new InvalidAttributesException(what, "scheme " + action + ": " + what + " range " + min + ".."
                        + max + " is not valid; give 0 <= min <= max");
            }
        }
    }
}
