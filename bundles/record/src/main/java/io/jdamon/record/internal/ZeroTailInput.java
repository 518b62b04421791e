package io.jdamon.record.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A stream without the zero bytes at its very end: a crash of the whole
 * machine can leave the last blocks of a file that was not synced full of
 * zeros, which are the torn tail, not content. Zeros followed by anything
 * else are passed on. Holds one buffer, whatever the number of zeros.
 */
public final class ZeroTailInput extends InputStream {
    private final InputStream in;
    private final byte[] buf = new byte[1 << 13];
    private int pos;
    private int lim;
    /** zeros to pass on before buf[pos..lim) */
    private long before;
    /** zeros read after buf's data, passed on only if something else follows */
    private long after;
    private boolean eof;

    public ZeroTailInput(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (true) {
            if (before > 0) {
                int n = (int) Math.min(len, before);
                Arrays.fill(b, off, off + n, (byte) 0);
                before -= n;
                return n;
            }
            if (pos < lim) {
                int n = Math.min(len, lim - pos);
                System.arraycopy(buf, pos, b, off, n);
                pos += n;
                return n;
            }
            if (eof) {
                return -1; // the zeros in 'after' were the tail
            }
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                eof = true;
                continue;
            }
            int end = n;
            while (end > 0 && buf[end - 1] == 0) {
                end--;
            }
            if (end == 0) {
                after += n;
                continue;
            }
            before = after;
            after = n - end;
            pos = 0;
            lim = end;
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
