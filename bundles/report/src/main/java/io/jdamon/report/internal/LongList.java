package io.jdamon.report.internal;

import java.util.Arrays;

/** A growable list of longs: what a streamed report keeps of each snapshot. */
final class LongList {

    private long[] values = new long[64];
    private int size;

    void add(long v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, 2 * size);
        }
        values[size++] = v;
    }

    long get(int i) {
        if (i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        return values[i];
    }

    int size() {
        return size;
    }

    /** @return the values from {@code from} on, a copy */
    long[] from(int from) {
        return Arrays.copyOfRange(values, Math.min(from, size), size);
    }
}
