package io.jdamon.sim.internal;

import java.util.SplittableRandom;

/**
 * Which pages of a virtual workload are resident, for DAMOS actions with
 * ground truth: every page is resident at first (the workload populated its
 * memory); {@code pageout} makes pages non-resident, and a later touch of
 * one is a refault that makes it resident again; {@code willneed} makes
 * pages resident without a fault. Pages are numbered in the workload's
 * gap-free data ({@link AddressLayout#pageOf}). The bitmap of non-resident
 * pages is made at the first pageout, so a workload no scheme acts on pays
 * nothing. Written by the kdamond thread; the counts are read by any.
 */
final class Residency {

    private final long pages;
    /** bit set: the page is not resident; null until the first pageout */
    private long[] nonResident;
    private volatile long nonResidentPages;
    private volatile long refaultedPages;
    private volatile long pagedOutPages;
    /** page touches so far (expected ones, with touch=); the base of a refault rate */
    private double touches;
    private volatile long touchedPages;

    Residency(long pages) {
        this.pages = pages;
    }

    /** @return pages of {@code [first, end)} that were resident and are not any more */
    long pageOut(long first, long end) {
        if (nonResident == null) {
            if (pages > Integer.MAX_VALUE * 64L) {
                throw new IllegalStateException("a virtual workload of " + pages + " pages is too large for the"
                        + " residency model; use at most 512 TiB");
            }
            nonResident = new long[(int) ((pages + 63) >>> 6)];
        }
        long changed = 0;
        for (long p = first; p < end; p++) {
            long bit = 1L << p;
            int w = (int) (p >>> 6);
            if ((nonResident[w] & bit) == 0) {
                nonResident[w] |= bit;
                changed++;
            }
        }
        nonResidentPages += changed;
        pagedOutPages += changed;
        return changed;
    }

    /** @return pages of {@code [first, end)} made resident (read ahead, not faulted) */
    long willNeed(long first, long end) {
        return makeResident(first, end, 1, null, false);
    }

    /**
     * The workload touches {@code [first, end)}: each page with probability
     * {@code seen} (1: all), a non-resident one faulting back in.
     */
    void touch(long first, long end, double seen, SplittableRandom random) {
        touches += (end - first) * seen;
        touchedPages = (long) touches;
        if (nonResidentPages > 0) {
            makeResident(first, end, seen, random, true);
        }
    }

    private long makeResident(long first, long end, double seen, SplittableRandom random, boolean fault) {
        if (nonResident == null) {
            return 0;
        }
        long changed = 0;
        int w = (int) (first >>> 6);
        int last = (int) ((end - 1) >>> 6);
        for (; w <= last; w++) {
            long word = nonResident[w];
            while (word != 0) { // each non-resident page of the word, lowest first
                int b = Long.numberOfTrailingZeros(word);
                word &= word - 1;
                long p = ((long) w << 6) + b;
                if (p < first || p >= end || (seen < 1 && random.nextDouble() >= seen)) {
                    continue;
                }
                nonResident[w] &= ~(1L << b);
                changed++;
            }
        }
        nonResidentPages -= changed;
        if (fault) {
            refaultedPages += changed;
        }
        return changed;
    }

    /** @return the workload's resident bytes now */
    long residentBytes() {
        return (pages - nonResidentPages) << Sizes.PAGE_SHIFT;
    }

    long refaultedPages() {
        return refaultedPages;
    }

    long pagedOutPages() {
        return pagedOutPages;
    }

    long touchedPages() {
        return touchedPages;
    }

    /** @return whether page {@code p} is resident */
    boolean resident(long p) {
        return nonResident == null || (nonResident[(int) (p >>> 6)] & (1L << p)) == 0;
    }
}
