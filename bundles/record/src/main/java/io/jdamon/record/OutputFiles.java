package io.jdamon.record;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;

/**
 * How jdamon creates the files it writes (record files, heatmap images,
 * repaired records) so that no existing file is ever overwritten or written
 * through a link another user planted.
 *
 * <ul>
 * <li>A file is first written under an unpredictable name in the target's
 * folder ({@link #createTemp}: {@code O_CREAT|O_EXCL}, so a planted symlink
 * or file at that name makes it fail instead of being followed), then
 * published under its real name with a hard link, which fails if that name
 * exists ({@link #publish}): the real name never points at anything but the
 * new file, and appears only when the file holds its first bytes.</li>
 * <li>An existing regular file at the output path is moved aside first, to
 * the first free name of {@code FILE.old}, {@code FILE.old.1},
 * {@code FILE.old.2}, ... ({@link #moveAside}); the move itself is a hard link
 * (failing if the name is taken) and an unlink, so nothing is overwritten.</li>
 * <li>Refused, with an {@link OutputRefusedException} whose message says why
 * and what to do ({@link #checkTarget}): a symbolic link at the output path
 * (whoever planted it), anything that is not a regular file (a FIFO, a device
 * such as {@code /dev/stdout}, a folder), a file in a kernel file system
 * ({@code /proc}, {@code /sys}), and a record file another recorder holds
 * ({@link #lockHolder} names it).</li>
 * </ul>
 */
public final class OutputFiles {

    /** The suffix of a moved-aside file: {@value}. */
    public static final String ASIDE_SUFFIX = ".old";
    /** File systems whose files are the kernel's, not storage. */
    private static final Set<String> KERNEL_FILE_SYSTEMS = Set.of("proc", "sysfs", "devtmpfs", "devpts", "debugfs",
            "tracefs", "securityfs", "cgroup", "cgroup2", "configfs", "bpf", "pstore", "efivarfs", "fusectl");
    private static final int MAX_ASIDE = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * The files this JVM's writers hold locked, by file key (device and
     * inode), with the channel holding the lock. POSIX locks belong to the
     * process and closing any descriptor of the file drops them all, so a
     * look at a held file from this JVM must not open and close one: it asks
     * here, and reads through the holder's channel ({@link #heldChannel}).
     */
    private static final Map<Object, FileChannel> HELD = new ConcurrentHashMap<>();

    private OutputFiles() {
    }

    /**
     * A refused output path; the message names the path, the reason and the
     * fix, meant to be shown as it is.
     */
    public static final class OutputRefusedException extends IOException {
        private static final long serialVersionUID = 1L;

        public OutputRefusedException(String message) {
            super(message);
        }
    }

    /**
     * Checks that {@code file} may be written by jdamon: absent, or an
     * existing regular file that is not a symbolic link, in a folder that
     * exists and is not in a kernel file system.
     *
     * @param flag the option that named the path, for messages, e.g. {@code -o}
     * @throws OutputRefusedException if not; the message says why
     */
    public static void checkTarget(Path file, String flag) throws OutputRefusedException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        BasicFileAttributes attrs = attributes(abs);
        if (attrs != null && attrs.isSymbolicLink()) {
            BasicFileAttributes linked = followed(abs);
            boolean kernelLink = abs.startsWith("/dev") || abs.startsWith("/proc");
            if (linked != null && (kernelLink || !linked.isRegularFile() && !linked.isDirectory())) {
                throw new OutputRefusedException(abs + " is not a regular file (a link to "
                        + (linked.isRegularFile() ? realPathOrSelf(abs) : kind(realPathOrSelf(abs)))
                        + "); jdamon writes only regular files, not a terminal, pipe, device or /dev or /proc link: "
                        + "choose a file with " + flag + " FILE");
            }
            throw new OutputRefusedException(abs + " is a symbolic link; jdamon does not write through links "
                    + "(someone else may have planted it): remove it or choose another " + flag + " FILE");
        }
        if (attrs != null && attrs.isDirectory()) {
            throw new OutputRefusedException(abs + " is a folder; give a file name with " + flag
                    + ", e.g. " + flag + " " + abs.resolve("damon.data"));
        }
        if (attrs != null && !attrs.isRegularFile()) {
            throw new OutputRefusedException(abs + " is not a regular file (" + kind(abs)
                    + "); jdamon writes only regular files it can move aside and replace: choose a file with "
                    + flag + " FILE");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            Path existing = dir;
            while (existing != null && attributes(existing) == null) {
                existing = existing.getParent();
            }
            if (existing != null && !Files.isDirectory(existing)) {
                throw new OutputRefusedException("cannot write " + abs + ": " + existing
                        + " is a file, not a directory; choose another place with " + flag + " FILE");
            }
            throw new OutputRefusedException("cannot write " + abs + ": the folder " + dir
                    + " does not exist; create it or write elsewhere with " + flag + " FILE");
        }
        String fsType = fileSystemType(dir);
        if (KERNEL_FILE_SYSTEMS.contains(fsType)) {
            throw new OutputRefusedException(abs + " is not a regular writable file: " + dir + " is in the kernel's "
                    + fsType + " file system; choose a file on a disk with " + flag + " FILE");
        }
    }

    /**
     * Moves an existing file at {@code file} aside to the first free name of
     * {@code FILE.old}, {@code FILE.old.1}, ...; never overwrites anything.
     *
     * @return where it now is, or null if there was nothing at {@code file}
     * @throws IOException if it cannot be moved; the message says why
     */
    public static Path moveAside(Path file) throws IOException {
        return aside(file, ASIDE_SUFFIX, true);
    }

    /**
     * Keeps the file at {@code file} also under the first free name of
     * {@code FILE<suffix>}, {@code FILE<suffix>.1}, ... (a hard link, else a
     * copy), so that {@code file} can then be replaced atomically.
     *
     * @return the backup's name, or null if there was nothing at {@code file}
     */
    public static Path keepBackup(Path file, String suffix) throws IOException {
        return aside(file, suffix, false);
    }

    private static Path aside(Path file, String suffix, boolean move) throws IOException {
        if (attributes(file) == null) {
            return null;
        }
        for (int i = 0; i < MAX_ASIDE; i++) {
            Path aside = file.resolveSibling(file.getFileName() + suffix + (i == 0 ? "" : "." + i));
            if (attributes(aside) != null) {
                continue;
            }
            try {
                if (move) {
                    linkOrMove(file, aside);
                } else {
                    linkOrCopy(file, aside);
                }
                return aside;
            } catch (FileAlreadyExistsException raced) {
                // taken meanwhile: try the next name
            } catch (NoSuchFileException gone) {
                if (attributes(file) == null) {
                    return null; // moved or removed by someone else meanwhile
                }
                throw gone;
            }
        }
        throw new OutputRefusedException("cannot keep " + file.toAbsolutePath() + " aside: " + file.getFileName()
                + suffix + " to " + file.getFileName() + suffix + "." + (MAX_ASIDE - 1)
                + " all exist; clean up old recordings");
    }

    /** Renames {@code from} to {@code to} without ever replacing {@code to}. */
    private static void linkOrMove(Path from, Path to) throws IOException {
        if (!link(from, to)) {
            Files.move(from, to); // a file system without hard links: move, which refuses an existing target
            return;
        }
        Files.delete(from);
    }

    private static void linkOrCopy(Path from, Path to) throws IOException {
        if (!link(from, to)) {
            Files.copy(from, to, LinkOption.NOFOLLOW_LINKS); // refuses an existing target
        }
    }

    /** @return false if the file system has no hard links; throws if {@code to} exists */
    private static boolean link(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from); // link(2): fails with EEXIST, never replaces
            return true;
        } catch (FileAlreadyExistsException | NoSuchFileException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
            return false;
        }
    }

    /**
     * A new empty file with an unpredictable name in {@code file}'s folder,
     * opened for reading and writing; created with {@code O_EXCL} (a planted
     * link makes it fail, never followed) and the process's umask.
     *
     * @param suffix the new file's name ends with it, e.g. {@code .tmp}
     */
    public static Temp createTemp(Path file, String suffix) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        for (int attempt = 0;; attempt++) {
            byte[] r = new byte[8];
            RANDOM.nextBytes(r);
            Path tmp = dir.resolve("." + file.getFileName() + "." + HexFormat.of().formatHex(r) + suffix);
            try {
                FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                return new Temp(tmp, ch);
            } catch (FileAlreadyExistsException e) {
                if (attempt > 5) {
                    throw e;
                }
            }
        }
    }

    /** A temporary file and its open channel. */
    public record Temp(Path path, FileChannel channel) {
        /** Closes the channel and removes the file, ignoring failures. */
        public void discard() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // left behind under its unpredictable name
            }
        }
    }

    /**
     * Gives the temporary file {@code tmp} its real name {@code file}, failing
     * if that name exists (a hard link, then the temporary name is removed).
     *
     * @throws FileAlreadyExistsException if something is at {@code file}
     */
    public static void publish(Path tmp, Path file) throws IOException {
        linkOrMove(tmp, file);
    }

    /**
     * Replaces {@code file} by {@code tmp} in one atomic rename (for a file
     * jdamon itself just wrote, such as a record being finished); the rename
     * replaces whatever is at {@code file}, a link included, and never follows it.
     */
    public static void replace(Path tmp, Path file) throws IOException {
        try {
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Who holds the write lock of a record file being written, if anyone.
     *
     * @return e.g. {@code "process 1234 (java ... jdamon record ...)"},
     *     {@code "this process"}, or null if the file is not locked (or absent)
     */
    public static String lockHolder(Path file) {
        BasicFileAttributes attrs = attributes(file);
        if (attrs == null || !attrs.isRegularFile()) {
            return null;
        }
        if (attrs.fileKey() != null && HELD.containsKey(attrs.fileKey())) {
            return "this process (pid " + ProcessHandle.current().pid() + ")";
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            FileLock probe;
            try {
                probe = ch.tryLock(0, Long.MAX_VALUE, true);
            } catch (OverlappingFileLockException e) {
                return "this process (pid " + ProcessHandle.current().pid() + ")";
            }
            if (probe != null) {
                probe.release();
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        return describeHolder(file);
    }

    /**
     * Takes the exclusive lock of a file this JVM writes and remembers it
     * (see {@link #lockHolder}); {@link #release} forgets it.
     *
     * @param file the file's current name (the temporary one is fine: the same inode)
     * @return the key to release it with
     * @throws IOException if the file cannot be locked
     */
    static Object hold(Path file, FileChannel channel) throws IOException {
        if (channel.tryLock() == null) {
            throw new IOException("cannot lock " + file + ": another process locked it first");
        }
        BasicFileAttributes attrs = attributes(file);
        Object key = attrs == null || attrs.fileKey() == null ? file.toAbsolutePath() : attrs.fileKey();
        HELD.put(key, channel);
        return key;
    }

    /** Forgets a file {@link #hold} remembered; its lock goes with its channel's closing. */
    static void release(Object key, FileChannel channel) {
        if (key != null) {
            HELD.remove(key, channel);
        }
    }

    /**
     * @return the channel of the writer in this JVM that holds {@code file},
     *     to read it through (never to close), or null if none does
     */
    static FileChannel heldChannel(Path file) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class); // a link to a held file is that file
        } catch (IOException e) {
            return null;
        }
        return attrs == null || attrs.fileKey() == null ? null : HELD.get(attrs.fileKey());
    }

    /** Names the process holding a lock on {@code file}, from {@code /proc/locks}. */
    private static String describeHolder(Path file) {
        try {
            Object ino = Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS);
            String suffix = ":" + ino;
            for (String line : Files.readAllLines(Path.of("/proc/locks"))) {
                // 1: POSIX  ADVISORY  WRITE 1234 08:01:5678 0 EOF
                String[] f = line.trim().split("\\s+");
                for (int i = 0; i + 1 < f.length; i++) {
                    if (f[i + 1].endsWith(suffix) && f[i].matches("\\d+")) {
                        long pid = Long.parseLong(f[i]);
                        String cmd = ProcessHandle.of(pid).map(p -> commandLine(p.info())).orElse("");
                        return "process " + pid + (cmd.isEmpty() ? "" : " (" + cmd + ")");
                    }
                }
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // no /proc/locks or no inode numbers: say what we know
        }
        return "another process";
    }

    /** JVM options followed by a value. */
    private static final Set<String> JVM_OPTIONS_WITH_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p",
            "--module-path", "--add-opens", "--add-exports", "--add-modules", "--add-reads");

    /**
     * A process's command line, short: for a JVM without its options (the
     * main class or jar and its arguments), at most about 160 characters.
     */
    private static String commandLine(ProcessHandle.Info info) {
        String command = info.command().map(c -> Path.of(c).getFileName().toString()).orElse("");
        StringBuilder sb = new StringBuilder(command);
        String[] args = info.arguments().orElse(new String[0]);
        int i = 0;
        if (command.equals("java")) {
            while (i < args.length && args[i].startsWith("-")) {
                if (args[i].equals("-jar")) {
                    i++;
                    break;
                }
                i += JVM_OPTIONS_WITH_VALUE.contains(args[i]) ? 2 : 1;
            }
        }
        for (; i < args.length; i++) {
            sb.append(' ').append(args[i]);
        }
        return sb.length() > 160 ? sb.substring(0, 157) + "..." : sb.toString();
    }

    private static BasicFileAttributes followed(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
    }

    private static Path realPathOrSelf(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p;
        }
    }

    /** @return the attributes of {@code p} itself (a link is not followed), or null if nothing is there */
    static BasicFileAttributes attributes(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
    }

    /** @return what a non-regular file is, in words */
    static String kind(Path p) {
        try {
            Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            int type = ((Integer) mode) & 0170000;
            return switch (type) {
                case 0010000 -> "a FIFO (named pipe)";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "not a plain file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "not a plain file";
        }
    }

    private static String fileSystemType(Path dir) {
        try {
            FileStore store = Files.getFileStore(dir);
            return store.type();
        } catch (IOException e) {
            return "";
        }
    }
}
