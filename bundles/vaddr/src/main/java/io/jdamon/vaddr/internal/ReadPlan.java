package io.jdamon.vaddr.internal;

/**
 * Groups the units a sample needs (page numbers of {@code /proc/PID/pagemap}
 * entries, word indices of the idle page bitmap) into as few range reads as
 * possible: the keys are sorted, and a read takes the next key while the read
 * stays within {@code maxSpan} units and the key follows the previous one by
 * at most {@code maxStep} (equal keys always share). Greedy from the smallest
 * key, which gives the fewest reads under those two limits. A pure function of
 * its input, kept in preallocated arrays that grow only with the number of
 * keys: planning allocates nothing once warm.
 */
final class ReadPlan {

    private final int maxSpan;
    private final long maxStep;
    private long[] keys = new long[0];
    private int[] order = new int[64];
    private long[] start = new long[64];
    private int[] length = new int[64];
    private int[] end = new int[64];
    private int reads;

    /**
     * @param maxSpan the most units one read covers (its buffer's size in units), at least 1
     * @param maxStep the largest difference between two consecutive distinct keys of one read, at least 1:
     *     1 reads only units that some key needs, {@code maxSpan} allows any gap within the span
     */
    ReadPlan(int maxSpan, long maxStep) {
        if (maxSpan < 1 || maxStep < 1) {
            throw new IllegalArgumentException("maxSpan and maxStep must be at least 1, not " + maxSpan + " and "
                    + maxStep);
        }
        this.maxSpan = maxSpan;
        this.maxStep = maxStep;
    }

    /**
     * Plans the reads for {@code keys[0..n)} (not negative); the keys array is
     * read, never changed, and must not change while the plan is used.
     */
    void plan(long[] keys, int n) {
        this.keys = keys;
        if (order.length < n) {
            int size = Math.max(n, order.length * 2);
            order = new int[size];
            start = new long[size];
            length = new int[size];
            end = new int[size];
        }
        boolean sorted = true;
        for (int i = 0; i < n; i++) {
            order[i] = i;
            sorted &= i == 0 || keys[i - 1] <= keys[i];
        }
        if (!sorted) {
            heapSort(n);
        }
        reads = 0;
        long first = 0;
        long last = 0;
        for (int p = 0; p < n; p++) {
            long k = keys[order[p]];
            if (p > 0 && k - first < maxSpan && k - last <= maxStep) {
                last = k;
                continue;
            }
            if (p > 0) {
                close(first, last, p);
            }
            first = k;
            last = k;
        }
        if (n > 0) {
            close(first, last, n);
        }
    }

    private void close(long first, long last, int p) {
        start[reads] = first;
        length[reads] = (int) (last - first + 1);
        end[reads] = p;
        reads++;
    }

    /** @return how many reads the last {@link #plan} needs */
    int reads() {
        return reads;
    }

    /** @return the first unit read {@code r} covers */
    long start(int r) {
        return start[r];
    }

    /** @return how many units read {@code r} covers, from 1 to {@code maxSpan} */
    int length(int r) {
        return length[r];
    }

    /** @return the first position in {@link #member} served by read {@code r} */
    int from(int r) {
        return r == 0 ? 0 : end[r - 1];
    }

    /** @return the position after the last one served by read {@code r} */
    int to(int r) {
        return end[r];
    }

    /** @return the index into the planned keys at position {@code p} (positions run in key order) */
    int member(int p) {
        return order[p];
    }

    private void heapSort(int n) {
        for (int i = n / 2 - 1; i >= 0; i--) {
            siftDown(i, n);
        }
        for (int last = n - 1; last > 0; last--) {
            int t = order[0];
            order[0] = order[last];
            order[last] = t;
            siftDown(0, last);
        }
    }

    private void siftDown(int i, int n) {
        int item = order[i];
        long key = keys[item];
        while (true) {
            int child = 2 * i + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && keys[order[child + 1]] > keys[order[child]]) {
                child++;
            }
            if (keys[order[child]] <= key) {
                break;
            }
            order[i] = order[child];
            i = child;
        }
        order[i] = item;
    }
}
