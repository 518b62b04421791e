package io.jdamon.core.internal;

/** Expected values of DAMON's feedback loop, worked out by hand from its rule. */
final class FeedbackLoopTestValues {

    private FeedbackLoopTestValues() {
    }

    /**
     * A quota goal at half its target (score 5,000) for {@code windows}
     * windows: the effective size in bp starts from 10,000 and grows by half
     * (compensation = input * 5,000 / 10,000) each window.
     *
     * @return the effective size in bytes after those windows
     */
    static long growByHalf(int windows) {
        long bp = 10_000;
        for (int w = 0; w < windows; w++) {
            bp = bp + bp * 5_000 / 10_000;
        }
        return bp / 10_000;
    }
}
