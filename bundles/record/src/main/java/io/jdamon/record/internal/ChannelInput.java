package io.jdamon.record.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Reads a file through a channel its writer in this JVM keeps open
 * (positional reads, from the start), and leaves that channel open on
 * {@link #close()}: closing any descriptor of a file would drop the POSIX
 * lock its writer holds. If the writer closes its channel during the read
 * (its lock then gone), the read goes on through a descriptor of its own on
 * the same file; if the file was replaced meanwhile (a multi-target file is
 * rewritten when it is finished), the read ends where it was, as if cut.
 */
public final class ChannelInput extends InputStream {
    private final Path file;
    private final Object fileKey;
    private FileChannel channel;
    private FileChannel own;
    private long position;
    private boolean replaced;

    /**
     * @param file the file's path, to go on reading if the writer closes its channel
     * @param fileKey the file's {@link BasicFileAttributes#fileKey()}, to tell if it was replaced
     */
    public ChannelInput(FileChannel channel, Path file, Object fileKey) {
        this.channel = channel;
        this.file = file;
        this.fileKey = fileKey;
    }

    /** @return whether the read ended early because the file was replaced while it was read */
    public boolean replaced() {
        return replaced;
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
        if (replaced) {
            return -1;
        }
        int n;
        try {
            n = channel.read(ByteBuffer.wrap(b, off, len), position);
        } catch (ClosedChannelException writerClosed) {
            if (own != null || file == null) {
                throw writerClosed;
            }
            own = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (fileKey == null || !Objects.equals(fileKey, a.fileKey())) {
                replaced = true;
                return -1;
            }
            channel = own;
            n = channel.read(ByteBuffer.wrap(b, off, len), position);
        }
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        if (own != null) {
            own.close(); // ours, opened after the writer had closed its own (and its lock with it)
        }
    }
}
