package io.jdamon.api;

import java.util.Objects;

/**
 * A goal that tunes a {@link SchemeQuota}'s size (DAMOS's quota goal): the
 * engine compares the metric's current value with the target, and its
 * feedback loop lowers the effective quota while the metric exceeds the
 * target and raises it while it falls short. With several goals, the one
 * furthest over its target decides (the least aggressive choice). Made with
 * {@link #of}; immutable.
 *
 * <p>Metrics ({@link #metric()}):
 * <ul>
 * <li>{@value #USER_INPUT}: the value the user last gave ({@link #currentValue()},
 *     changed online with {@link MonitoringContext#updateSchemes});
 * <li>{@value #SOME_MEM_PSI_US}: microseconds of memory pressure stall
 *     ({@code some}, {@code /proc/pressure/memory}) since the last quota reset;
 * <li>{@value #NODE_MEM_USED_BP} and {@value #NODE_MEM_FREE_BP}: used or free
 *     memory of NUMA node {@link #nodeId()}, in basis points of its total
 *     ({@code /sys/devices/system/node/nodeN/meminfo}; {@code /proc/meminfo}
 *     where there is no node directory);
 * <li>any other name: a metric the context's primitive provides
 *     ({@link Primitive#quotaGoalValue}).
 * </ul>
 *
 * @since 2.0
 */
public final class QuotaGoal {

    /** A value the user gives: {@value}. */
    public static final String USER_INPUT = "user_input";
    /** Memory pressure stall time since the last reset, in microseconds: {@value}. */
    public static final String SOME_MEM_PSI_US = "some_mem_psi_us";
    /** Used memory of a node, in basis points: {@value}. */
    public static final String NODE_MEM_USED_BP = "node_mem_used_bp";
    /** Free memory of a node, in basis points: {@value}. */
    public static final String NODE_MEM_FREE_BP = "node_mem_free_bp";

    private final String metric;
    private final long targetValue;
    private final long currentValue;
    private final int nodeId;

    private QuotaGoal(String metric, long targetValue, long currentValue, int nodeId) {
        if (metric == null || metric.isBlank()) {
            throw new InvalidAttributesException("quotaGoal", "a quota goal names no metric; use one of "
                    + USER_INPUT + ", " + SOME_MEM_PSI_US + ", " + NODE_MEM_USED_BP + ", " + NODE_MEM_FREE_BP
                    + " or one the primitive provides");
        }
        if (targetValue <= 0) {
            throw new InvalidAttributesException("quotaGoal", "quota goal " + metric + " has target value "
                    + targetValue + "; give a positive target");
        }
        if (currentValue < 0 || nodeId < 0) {
            throw new InvalidAttributesException("quotaGoal", "quota goal " + metric + " has a negative "
                    + (currentValue < 0 ? "current value" : "node id"));
        }
        this.metric = metric;
        this.targetValue = targetValue;
        this.currentValue = currentValue;
        this.nodeId = nodeId;
    }

    /** @return a goal of {@code metric} reaching {@code targetValue}, its current value 0, on node 0 */
    public static QuotaGoal of(String metric, long targetValue) {
        return new QuotaGoal(metric, targetValue, 0, 0);
    }

    /** @return this goal with the current value a {@value #USER_INPUT} goal reports */
    public QuotaGoal withCurrentValue(long value) {
        return new QuotaGoal(metric, targetValue, value, nodeId);
    }

    /** @return this goal on another NUMA node (for the node metrics) */
    public QuotaGoal withNodeId(int node) {
        return new QuotaGoal(metric, targetValue, currentValue, node);
    }

    public String metric() {
        return metric;
    }

    /** @return the value to reach, in the metric's unit */
    public long targetValue() {
        return targetValue;
    }

    /** @return the current value of a {@value #USER_INPUT} goal; others are read by the engine */
    public long currentValue() {
        return currentValue;
    }

    /** @return the NUMA node of the node metrics */
    public int nodeId() {
        return nodeId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuotaGoal g && g.metric.equals(metric) && g.targetValue == targetValue
                && g.currentValue == currentValue && g.nodeId == nodeId;
    }

    @Override
    public int hashCode() {
        return Objects.hash(metric, targetValue, currentValue, nodeId);
    }

    @Override
    public String toString() {
        return "QuotaGoal[" + metric + " target=" + targetValue + (USER_INPUT.equals(metric) ? " current="
                + currentValue : "") + (metric.startsWith("node_") ? " node=" + nodeId : "") + "]";
    }
}
