package io.jdamon.api;

import java.util.List;
import java.util.Objects;

/**
 * What a context's scheme has done in the current or last run (DAMOS's
 * {@code stat} and {@code tried_regions}): the regions tried (admitted by
 * pattern and quota), the regions the action was applied to, the bytes of
 * each, how often the quota ran out, and the regions tried at the last
 * application. A class that grows through its builder; immutable.
 *
 * @since 2.0
 */
public final class SchemeStats {

    private final int index;
    private final String action;
    private final boolean active;
    private final long effectiveQuotaBytes;
    private final long nrTried;
    private final long szTried;
    private final long nrApplied;
    private final long szApplied;
    private final long qtExceeds;
    private final long applications;
    private final List<TriedRegion> lastTriedRegions;
    private final long triedRegionsApplication;

    private SchemeStats(Builder b) {
        this.index = b.index;
        this.action = b.action;
        this.active = b.active;
        this.effectiveQuotaBytes = b.effectiveQuotaBytes;
        this.nrTried = b.nrTried;
        this.szTried = b.szTried;
        this.nrApplied = b.nrApplied;
        this.szApplied = b.szApplied;
        this.qtExceeds = b.qtExceeds;
        this.applications = b.applications;
        this.lastTriedRegions = List.copyOf(b.lastTriedRegions);
        this.triedRegionsApplication = b.triedRegionsApplication;
    }

    /** @return a builder of scheme {@code index}'s stats (its action named), every count 0 */
    public static Builder builder(int index, String action) {
        return new Builder(index, action);
    }

    /** @return the scheme's position in its context's schemes, from 0 */
    public int index() {
        return index;
    }

    public String action() {
        return action;
    }

    /** @return whether its watermarks let it act now (always, without watermarks) */
    public boolean active() {
        return active;
    }

    /** @return the size quota in force in the current reset interval, in bytes; 0 when the quota limits nothing */
    public long effectiveQuotaBytes() {
        return effectiveQuotaBytes;
    }

    /** @return regions the pattern and quota admitted */
    public long nrTried() {
        return nrTried;
    }

    /** @return bytes of those regions */
    public long szTried() {
        return szTried;
    }

    /** @return regions the action was applied to (some bytes of) */
    public long nrApplied() {
        return nrApplied;
    }

    /** @return bytes the primitive reported the action applied to */
    public long szApplied() {
        return szApplied;
    }

    /** @return reset intervals in which the quota ran out */
    public long qtExceeds() {
        return qtExceeds;
    }

    /** @return times the scheme was applied (its apply interval came while it was active) */
    public long applications() {
        return applications;
    }

    /**
     * @return the regions tried at the last application that collected them
     *     ({@link #triedRegionsApplication()}), in target and address order; unmodifiable
     */
    public List<TriedRegion> lastTriedRegions() {
        return lastTriedRegions;
    }

    /**
     * @return the application (counted from 1, as {@link #applications()}) whose
     *     tried regions {@link #lastTriedRegions()} lists, 0 if none were collected
     *     (they are collected on request: {@link MonitoringContext#schemeStats()})
     */
    public long triedRegionsApplication() {
        return triedRegionsApplication;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SchemeStats s && s.index == index && s.action.equals(action) && s.active == active
                && s.effectiveQuotaBytes == effectiveQuotaBytes && s.nrTried == nrTried && s.szTried == szTried
                && s.nrApplied == nrApplied && s.szApplied == szApplied && s.qtExceeds == qtExceeds
                && s.applications == applications && s.lastTriedRegions.equals(lastTriedRegions)
                && s.triedRegionsApplication == triedRegionsApplication;
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, action, active, effectiveQuotaBytes, nrTried, szTried, nrApplied, szApplied,
                qtExceeds, applications, lastTriedRegions, triedRegionsApplication);
    }

    @Override
    public String toString() {
        return "SchemeStats[" + index + " " + action + (active ? "" : " (inactive)") + ": tried " + nrTried + " ("
                + szTried + " B), applied " + nrApplied + " (" + szApplied + " B), quota exceeded " + qtExceeds
                + ", applications " + applications + "]";
    }

    /** Builds stats. */
    public static final class Builder {
        private final int index;
        private final String action;
        private boolean active = true;
        private long effectiveQuotaBytes;
        private long nrTried;
        private long szTried;
        private long nrApplied;
        private long szApplied;
        private long qtExceeds;
        private long applications;
        private List<TriedRegion> lastTriedRegions = List.of();
        private long triedRegionsApplication;

        private Builder(int index, String action) {
            this.index = index;
            this.action = Objects.requireNonNull(action, "action");
        }

        public Builder active(boolean on) {
            active = on;
            return this;
        }

        public Builder effectiveQuotaBytes(long bytes) {
            effectiveQuotaBytes = bytes;
            return this;
        }

        /** DAMOS's five counters: {@code nr_tried, sz_tried, nr_applied, sz_applied, qt_exceeds}. */
        public Builder counts(long tried, long triedBytes, long applied, long appliedBytes, long quotaExceeds) {
            nrTried = tried;
            szTried = triedBytes;
            nrApplied = applied;
            szApplied = appliedBytes;
            qtExceeds = quotaExceeds;
            return this;
        }

        public Builder applications(long n) {
            applications = n;
            return this;
        }

        public Builder lastTriedRegions(List<TriedRegion> regions) {
            lastTriedRegions = regions;
            return this;
        }

        /** @param application the application whose tried regions these are (from 1), 0 for none */
        public Builder lastTriedRegions(List<TriedRegion> regions, long application) {
            lastTriedRegions = regions;
            triedRegionsApplication = application;
            return this;
        }

        public SchemeStats build() {
            return new SchemeStats(this);
        }
    }
}
