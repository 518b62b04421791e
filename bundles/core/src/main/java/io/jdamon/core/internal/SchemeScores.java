package io.jdamon.core.internal;

import io.jdamon.api.Scheme;

/**
 * DAMON's region priority scores for quota-limited schemes
 * ({@code damon_hot_score}, {@code damon_cold_score} of ops-common.c): a
 * frequency subscore (nr_accesses over the most possible, 0-100) and an age
 * subscore (log2 of the age in seconds, negated for regions never accessed,
 * scaled to 0-100), weighted by the quota's weights, scaled to
 * 0-{@link #MAX_SCORE}.
 */
final class SchemeScores {

    /** DAMOS_MAX_SCORE. */
    static final int MAX_SCORE = 99;
    private static final int MAX_SUBSCORE = 100;
    private static final int MAX_AGE_IN_LOG = 32;

    private SchemeScores() {
    }

    /**
     * @param maxNrAccesses samples per aggregation (at least 1)
     * @param aggregationIntervalUs the aggregation interval in force
     * @return how hot the region is, 0 to {@link #MAX_SCORE}
     */
    static int hot(int nrAccesses, int age, int maxNrAccesses, long aggregationIntervalUs, int weightNrAccesses,
            int weightAge) {
        // the subscore is capped, as Linux caps it since counts may briefly exceed a shortened window
        int freqSubscore = (int) Math.min(MAX_SUBSCORE, (long) nrAccesses * MAX_SUBSCORE / Math.max(1, maxNrAccesses));
        long ageInSec = (long) age * aggregationIntervalUs / 1_000_000;
        int ageInLog = 0;
        while (ageInLog < MAX_AGE_IN_LOG && ageInSec != 0) {
            ageInLog++;
            ageInSec >>= 1;
        }
        if (freqSubscore == 0) {
            ageInLog = -ageInLog; // never accessed: the older, the colder
        }
        ageInLog += MAX_AGE_IN_LOG;
        int ageSubscore = ageInLog * MAX_SUBSCORE / MAX_AGE_IN_LOG / 2;
        long hotness = (long) weightNrAccesses * freqSubscore + (long) weightAge * ageSubscore;
        if (weightNrAccesses + weightAge != 0) {
            hotness /= weightNrAccesses + weightAge;
        }
        return (int) (hotness * MAX_SCORE / MAX_SUBSCORE);
    }

    /** @return {@link #MAX_SCORE} minus {@link #hot}: how cold the region is */
    static int cold(int nrAccesses, int age, int maxNrAccesses, long aggregationIntervalUs, int weightNrAccesses,
            int weightAge) {
        return MAX_SCORE - hot(nrAccesses, age, maxNrAccesses, aggregationIntervalUs, weightNrAccesses, weightAge);
    }

    /** @return the score {@code priority} ranks by; {@link #MAX_SCORE} for every region when it ranks none */
    static int of(Scheme.Priority priority, int nrAccesses, int age, int maxNrAccesses, long aggregationIntervalUs,
            int weightNrAccesses, int weightAge) {
        return switch (priority) {
            case COLD_FIRST -> cold(nrAccesses, age, maxNrAccesses, aggregationIntervalUs, weightNrAccesses,
                    weightAge);
            case HOT_FIRST -> hot(nrAccesses, age, maxNrAccesses, aggregationIntervalUs, weightNrAccesses, weightAge);
            case NONE -> MAX_SCORE;
        };
    }
}
