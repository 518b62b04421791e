package io.jdamon.report;

/**
 * A half-open range {@code [start, end)} of addresses (bytes) or times (nanoseconds).
 *
 * @throws IllegalArgumentException if {@code end <= start}
 */
public record Range(long start, long end) {

    public Range {
        if (end <= start) {
            throw new IllegalArgumentException("range end (" + end + ") must be greater than its start (" + start + ")");
        }
    }

    /** @return {@code end - start} */
    public long length() {
        return end - start;
    }
}
