package io.jdamon.record;

/**
 * A DAMOS scheme's counters as a record file gives them at one snapshot
 * (damo's {@code damos_stats}): cumulative since the run started, as Linux's
 * sysfs {@code stats} files count them.
 *
 * @param nrTried regions the scheme's pattern and quota admitted
 * @param szTried bytes of those regions
 * @param nrApplied regions the action was applied to (some bytes of)
 * @param szApplied bytes the action was applied to
 * @param qtExceeds quota reset intervals in which the quota ran out
 * @since 1.5
 */
public record DamosStats(long nrTried, long szTried, long nrApplied, long szApplied, long qtExceeds) {
}
