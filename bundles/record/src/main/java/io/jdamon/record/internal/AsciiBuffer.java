package io.jdamon.record.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable byte buffer for ASCII JSON text, reused from one aggregation to
 * the next so that writing a snapshot allocates nothing once it has grown to
 * size.
 */
public final class AsciiBuffer {
    private byte[] bytes = new byte[8192];
    /** Handed to the channel: a direct buffer needs no temporary copy, which the JDK would allocate. */
    private ByteBuffer direct = ByteBuffer.allocateDirect(8192);
    private int length;
    private final byte[] digits = new byte[20];

    public void clear() {
        length = 0;
    }

    public int length() {
        return length;
    }

    /** Appends ASCII text (callers escape anything else first). */
    public AsciiBuffer append(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            bytes[length++] = (byte) s.charAt(i);
        }
        return this;
    }

    public AsciiBuffer append(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, length, b.length);
        length += b.length;
        return this;
    }

    public AsciiBuffer append(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /** Appends a decimal number without allocating. */
    public AsciiBuffer append(long v) {
        if (v == Long.MIN_VALUE) {
            return append("-9223372036854775808");
        }
        ensure(20);
        if (v < 0) {
            bytes[length++] = '-';
            v = -v;
        }
        int n = 0;
        do {
            digits[n++] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v != 0);
        while (n > 0) {
            bytes[length++] = digits[--n];
        }
        return this;
    }

    /** @return the content in a reused direct buffer, valid until the next call */
    public ByteBuffer view() {
        if (direct.capacity() < length) {
            direct = ByteBuffer.allocateDirect(Math.max(direct.capacity() * 2, length));
        }
        direct.clear();
        direct.put(bytes, 0, length);
        direct.flip();
        return direct;
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
