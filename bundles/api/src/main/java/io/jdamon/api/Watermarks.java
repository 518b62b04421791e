package io.jdamon.api;

import java.util.Objects;

/**
 * When a {@link Scheme} is active (DAMOS's watermarks): every
 * {@link #checkIntervalUs()} the engine reads {@link #metric()}; above
 * {@link #high()} or below {@link #low()} the scheme is deactivated, and an
 * inactive scheme is activated again once the metric is between low and
 * {@link #mid()}. With {@link Metric#NONE} the scheme is always active.
 * Values are in permil (0-1,000). Made by {@link Scheme.Builder}; immutable.
 *
 * @since 2.0
 */
public final class Watermarks {

    /** What the watermarks watch. */
    public enum Metric {
        /** nothing: the scheme is always active */
        NONE,
        /** free memory over total memory, in permil ({@code MemFree} of {@code /proc/meminfo}) */
        FREE_MEM_RATE
    }

    static final Watermarks NONE = new Watermarks(Metric.NONE, 0, 0, 0, 0);

    private final Metric metric;
    private final long checkIntervalUs;
    private final long high;
    private final long mid;
    private final long low;

    Watermarks(Metric metric, long checkIntervalUs, long high, long mid, long low) {
        this.metric = Objects.requireNonNull(metric, "metric");
        this.checkIntervalUs = checkIntervalUs;
        this.high = high;
        this.mid = mid;
        this.low = low;
    }

    public Metric metric() {
        return metric;
    }

    /** @return how often the metric is read, in microseconds */
    public long checkIntervalUs() {
        return checkIntervalUs;
    }

    /** @return above this (permil) the scheme is deactivated */
    public long high() {
        return high;
    }

    /** @return at or below this (permil) and not below low, an inactive scheme is activated */
    public long mid() {
        return mid;
    }

    /** @return below this (permil) the scheme is deactivated */
    public long low() {
        return low;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Watermarks w && w.metric == metric && w.checkIntervalUs == checkIntervalUs
                && w.high == high && w.mid == mid && w.low == low;
    }

    @Override
    public int hashCode() {
        return Objects.hash(metric, checkIntervalUs, high, mid, low);
    }

    @Override
    public String toString() {
        return metric == Metric.NONE ? "Watermarks[none]"
                : "Watermarks[" + metric + " every " + checkIntervalUs + " us, high " + high + ", mid " + mid
                        + ", low " + low + "]";
    }
}
