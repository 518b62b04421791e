package io.jdamon.core.internal;

import java.util.Arrays;

/**
 * Which of the due schemes' access patterns admit a region, as bitmasks (64
 * schemes a word), from one lookup per axis: each bound of a pattern is a
 * breakpoint on its axis (size, {@code nr_accesses}, age), and between two
 * breakpoints the schemes that admit a value are the same. Built once per
 * application from the patterns (a handful of distinct breakpoints each way:
 * most bounds are open), it replaces six comparisons per scheme and region,
 * the walk's main cost, with a few per region. A few schemes are compared
 * directly, as the lookups cost more than their comparisons. Reused: building
 * allocates only when it needs more room than before.
 */
final class PatternIndex {

    /** Up to this many schemes, their patterns are compared directly and no index is built. */
    static final int DIRECT_SCHEMES = 4;

    /** One axis: the sorted distinct breakpoints, and per interval between them the schemes admitting it. */
    static final class Axis {
        private long[] points = new long[8];
        private int count;
        /** {@code (count + 1) * words}: interval {@code j} holds the values from {@code points[j - 1]} below {@code points[j]} */
        private long[] masks = new long[8];

        /** @return the interval holding {@code v} (a few breakpoints: a linear scan) */
        int find(long v) {
            int j = 0;
            while (j < count && v >= points[j]) {
                j++;
            }
            return j;
        }

        /**
         * @param bounds per scheme {@code stride} longs, this axis' inclusive
         *     minimum at {@code offset} and maximum after it (values are >= 0)
         */
        void build(long[] bounds, int stride, int offset, int n, int words) {
            if (points.length < 2 * n) {
                points = new long[2 * n];
            }
            count = 0;
            for (int k = 0, at = offset; k < n; k++, at += stride) {
                if (bounds[at] > 0) {
                    points[count++] = bounds[at];
                }
                if (bounds[at + 1] < Long.MAX_VALUE) {
                    points[count++] = bounds[at + 1] + 1;
                }
            }
            Arrays.sort(points, 0, count);
            int distinct = 0;
            for (int i = 0; i < count; i++) {
                if (distinct == 0 || points[i] != points[distinct - 1]) {
                    points[distinct++] = points[i];
                }
            }
            count = distinct;
            if (masks.length < (count + 1) * words) {
                masks = new long[(count + 1) * words];
            }
            for (int j = 0; j <= count; j++) {
                long v = j == 0 ? 0 : points[j - 1]; // every breakpoint is above 0: interval 0 holds 0
                for (int w = 0; w < words; w++) {
                    long m = 0;
                    for (int k = w * 64; k < Math.min(n, w * 64 + 64); k++) {
                        int at = k * stride + offset;
                        if (bounds[at] <= v && v <= bounds[at + 1]) {
                            m |= 1L << (k - w * 64);
                        }
                    }
                    masks[j * words + w] = m;
                }
            }
        }
    }

    final Axis size = new Axis();
    final Axis nrAccesses = new Axis();
    final Axis age = new Axis();
    private int words;
    // the patterns built from, for the direct comparisons
    private long[] bounds;
    private int stride;
    private int n;

    /**
     * @param bounds per scheme {@code stride} longs: minimum and maximum size,
     *     {@code nr_accesses} and age, inclusive, in that order from offset 0
     * @param n the schemes
     */
    void build(long[] bounds, int stride, int n) {
        this.bounds = bounds;
        this.stride = stride;
        this.n = n;
        words = (n + 63) / 64;
        if (n <= DIRECT_SCHEMES) {
            return;
        }
        size.build(bounds, stride, 0, n, words);
        nrAccesses.build(bounds, stride, 2, n, words);
        age.build(bounds, stride, 4, n, words);
    }

    /** @return the words of a mask: schemes {@code 64 w} to {@code 64 w + 63} are word {@code w} */
    int words() {
        return words;
    }

    /** @return word {@code w} of the schemes whose patterns admit a region of this size, count and age */
    long admitted(int w, long regionSize, int regionNr, int regionAge) {
        if (n > DIRECT_SCHEMES) {
            return mask(w, size.find(regionSize), nrAccesses.find(regionNr), age.find(regionAge));
        }
        long m = 0;
        for (int k = 0, at = 0; k < n; k++, at += stride) {
            if (regionSize >= bounds[at] && regionSize <= bounds[at + 1] && regionNr >= bounds[at + 2]
                    && regionNr <= bounds[at + 3] && regionAge >= bounds[at + 4] && regionAge <= bounds[at + 5]) {
                m |= 1L << k;
            }
        }
        return m;
    }

    /** @return word {@code w} of the schemes admitting a region in these intervals of the three axes */
    long mask(int w, int sizeInterval, int nrInterval, int ageInterval) {
        return size.masks[sizeInterval * words + w] & nrAccesses.masks[nrInterval * words + w]
                & age.masks[ageInterval * words + w];
    }
}
