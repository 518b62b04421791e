package io.jdamon.vaddr.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads entries of {@code /proc/PID/pagemap} (8 bytes per virtual page): single
 * entries, or a range of them into a caller's buffer, with one positional
 * read each and no allocation.
 */
final class PagemapReader implements AutoCloseable {

    static final long PRESENT = 1L << 63;
    static final long SWAPPED = 1L << 62;
    static final long PFN_MASK = (1L << 55) - 1;

    private final Path path;
    private FileChannel channel;
    private final ByteBuffer entry = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
    private boolean sawNoAddressSpace;

    PagemapReader(int pid) throws IOException {
        this(Path.of("/proc/" + pid + "/pagemap"));
    }

    /** Reads a pagemap at another path: a test's file laid out as the kernel's. */
    PagemapReader(Path path) throws IOException {
        this.path = path;
        this.channel = open(path);
    }

    private static FileChannel open(Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.READ);
    }

    /** @return the pagemap entry of the page holding {@code address}; 0 if the read came up short */
    long entry(long address) throws IOException {
        entry.clear();
        long pos = (address >>> 12) * 8;
        while (entry.hasRemaining()) {
            if (channel.read(entry, pos + entry.position()) < 0) {
                // a user address always has an entry while the address space the file was opened on exists
                sawNoAddressSpace = true;
                return 0;
            }
        }
        return entry.getLong(0);
    }

    /**
     * Reads the entries of {@code count} consecutive pages from {@code firstPage}
     * (a virtual address shifted right by 12) into {@code into}, from its
     * position 0, entry {@code k} at byte {@code 8 k}; entries past the end of
     * the address space read as 0 (not present).
     *
     * @return how many preads it took (1 unless the kernel returned less)
     */
    int entries(long firstPage, int count, ByteBuffer into) throws IOException {
        into.clear().limit(count * 8);
        long pos = firstPage * 8;
        int preads = 0;
        while (into.hasRemaining()) {
            preads++;
            if (channel.read(into, pos + into.position()) < 0) {
                sawNoAddressSpace = true;
                while (into.hasRemaining()) {
                    into.put((byte) 0);
                }
            }
        }
        return preads;
    }

    /** @return true if a read since the last {@link #reopen} found no address space (the process exec'd or is exiting) */
    boolean sawNoAddressSpace() {
        return sawNoAddressSpace;
    }

    /** Opens the process's pagemap again, on its current address space (after an exec). */
    void reopen() throws IOException {
        close();
        sawNoAddressSpace = false;
        channel = open(path);
    }

    /** @return the page frame number if the page is present (0 without root), else -1 */
    long pfn(long address) throws IOException {
        long e = entry(address);
        return (e & PRESENT) != 0 ? e & PFN_MASK : -1;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
