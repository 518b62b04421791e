package io.jdamon.core.internal;

/**
 * DAMON's feedback loop ({@code damon_feed_loop_next_input}), shared by the
 * intervals auto-tuning and the DAMOS quota goals: given the last input and
 * the score it gave, the next input expected to move the score to
 * {@link #GOAL}, assuming input and score grow together.
 */
final class FeedbackLoop {

    /** The loop's goal score: 10,000 (callers scale their scores to it). */
    static final long GOAL = 10_000;
    /** The least input, so that a compensation never reaches zero. */
    static final long MIN_INPUT = 10_000;

    private FeedbackLoop() {
    }

    /**
     * @return {@code max(lastInput * ((GOAL - score) / GOAL + 1), MIN_INPUT)}
     *     in integers, as Linux computes it; at least {@link #MIN_INPUT};
     *     saturates instead of overflowing
     */
    static long nextInput(long lastInput, long score) {
        if (score == GOAL) {
            return lastInput;
        }
        // above twice the goal the compensation is the whole input: the minimum follows
        long diff = score < GOAL ? GOAL - score : Math.min(score - GOAL, GOAL);
        long compensation = Math.multiplyHigh(lastInput, diff) == 0 && lastInput * diff >= 0
                ? lastInput * diff / GOAL : lastInput / GOAL * diff;
        if (score < GOAL) {
            return lastInput > Long.MAX_VALUE - compensation ? Long.MAX_VALUE : lastInput + compensation;
        }
        return lastInput > compensation + MIN_INPUT ? lastInput - compensation : MIN_INPUT;
    }
}
