package io.jdamon.vaddr.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Objects;

/**
 * Which address space (mm) a process has now, as far as {@code /proc} tells:
 * an {@code execve} gives the process a new one, while files opened on the
 * old one ({@code smaps}, {@code pagemap}, a userfaultfd) keep pointing at
 * the old, now empty one.
 *
 * <p>Two facts, both cheap to read (one small file, one {@code stat}): the
 * address space's layout from {@code /proc/PID/stat} (where the code, data,
 * heap start, stack, arguments and environment lie: fields 26-28 and 45-51;
 * with address space randomisation, the default, every exec moves them), and
 * the identity (device and inode) of the program file {@code /proc/PID/exe}.
 * The process's start time (field 22) does not change on exec; it is kept
 * so that a reused PID is never taken for the same process.
 *
 * @param startTime field 22 of {@code stat}, in clock ticks since boot
 * @param layout fields 26-28 and 45-51 of {@code stat}; all 0 when hidden (no
 *     ptrace read access) or when the process has no address space
 * @param exeKey the program file's {@link BasicFileAttributes#fileKey()}, or null if unreadable
 * @param exe the program's path as {@code /proc/PID/exe} names it, or "?"
 */
record AddressSpaceId(long startTime, long[] layout, Object exeKey, String exe) {

    private static final int[] LAYOUT_FIELDS = {26, 27, 28, 45, 46, 47, 48, 49, 50, 51};

    /**
     * @return the process's address space now, or null if it has none (it
     *     exited, is exiting, or is a kernel thread) or {@code /proc} cannot
     *     say
     */
    static AddressSpaceId read(int pid) {
        String stat;
        try {
            stat = Kernel.read("/proc/" + pid + "/stat");
        } catch (IOException e) {
            return null;
        }
        // "pid (comm) state ...": comm may hold spaces and parentheses, so split after the last ')'
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return null;
        }
        String[] f = stat.substring(close + 1).trim().split(" ");
        long startTime = field(f, 22);
        long[] layout = new long[LAYOUT_FIELDS.length];
        boolean any = false;
        for (int i = 0; i < layout.length; i++) {
            layout[i] = field(f, LAYOUT_FIELDS[i]);
            any |= layout[i] != 0;
        }
        Path exeLink = Path.of("/proc/" + pid + "/exe");
        Object key = null;
        String exe = "?";
        try {
            exe = Files.readSymbolicLink(exeLink).toString();
            key = Files.readAttributes(exeLink, BasicFileAttributes.class).fileKey();
        } catch (IOException | RuntimeException e) {
            // no address space (exiting) or not ours to see
        }
        if (!any && key == null) {
            return null;
        }
        return new AddressSpaceId(startTime, layout, key, exe);
    }

    /** @return field {@code n} of {@code stat} (numbered from 1 as in proc(5)), or 0 if absent */
    private static long field(String[] afterComm, int n) {
        int i = n - 3; // afterComm[0] is field 3, the state
        if (i < 0 || i >= afterComm.length) {
            return 0;
        }
        try {
            return Long.parseUnsignedLong(afterComm[i].trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** @return true if {@code later} is another address space of the same process than this one */
    boolean replacedBy(AddressSpaceId later) {
        if (later == null || later.startTime != startTime) {
            return false; // gone, or another process that reused the PID: not an exec
        }
        return !Arrays.equals(layout, later.layout) || !Objects.equals(exeKey, later.exeKey);
    }
}
