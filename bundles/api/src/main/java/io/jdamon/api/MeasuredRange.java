package io.jdamon.api;

/**
 * What a primitive measured of one whole address range in one sample
 * interval, when it cannot tell accessed from idle memory more finely than
 * that range (e.g. Linux's {@code smaps Referenced} bytes of a mapping): of
 * the range's {@code end - start} bytes, {@code accessedBytes} were accessed,
 * but which ones is not known. Reports use it for the working set size
 * instead of region sizes, which would count all of such a range as soon as
 * one sample in it is accessed.
 *
 * @param start first address, in bytes
 * @param end address just past the range, in bytes
 * @param accessedBytes bytes of the range accessed in the round, 0 to {@code end - start}
 * @since 1.2
 */
public record MeasuredRange(long start, long end, long accessedBytes) {

    /** @throws IllegalArgumentException if the range is empty or the bytes are out of it */
    public MeasuredRange {
        check(start, end, accessedBytes);
    }

    /** @return {@code end - start}, in bytes */
    public long size() {
        return end - start;
    }

    /** @return the accessed share of the range, 0 to 1 */
    public double accessedShare() {
        return (double) accessedBytes / size();
    }

    /**
     * The rule every measured range obeys, in one place.
     *
     * @throws IllegalArgumentException naming the range and what is wrong with it
     */
    public static void check(long start, long end, long accessedBytes) {
        if (Long.compareUnsigned(end, start) <= 0) {
            throw new IllegalArgumentException("measured range [0x" + Long.toHexString(start) + ", 0x"
                    + Long.toHexString(end) + ") is empty or reversed: its end must be above its start");
        }
        if (accessedBytes < 0 || Long.compareUnsigned(accessedBytes, end - start) > 0) {
            throw new IllegalArgumentException("measured range [0x" + Long.toHexString(start) + ", 0x"
                    + Long.toHexString(end) + ") of " + (end - start) + " bytes cannot have " + accessedBytes
                    + " bytes accessed: the accessed bytes must be between 0 and the range's size");
        }
    }
}
