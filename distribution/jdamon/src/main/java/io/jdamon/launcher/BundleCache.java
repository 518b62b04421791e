package io.jdamon.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The framework's bundle cache of one {@code jdamon record}: a folder
 * {@code jdamon-felix-PID-RANDOM} in the temporary folder holding the Felix
 * storage ({@code cache/}) and a lock file ({@value #LOCK_FILE}) that the
 * running jdamon holds locked.
 *
 * <p>{@link #close()} deletes the folder; a jdamon ended by {@code kill -9}
 * cannot, so every start first {@linkplain #removeStale removes stale ones}:
 * real folders (never a symbolic link, nothing followed inside), owned by
 * this user, with our prefix, whose PID is no longer alive and whose lock is
 * free.
 */
final class BundleCache implements AutoCloseable {

    /** The name's prefix; the rest is the PID of the jdamon using it and a random part. */
    static final String PREFIX = "jdamon-felix-";
    /** The lock file inside, held by the jdamon using the folder. */
    static final String LOCK_FILE = "in-use.lock";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "([0-9]+)-.+");

    private final Path folder;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private BundleCache(Path folder, FileChannel lockChannel, FileLock lock) {
        this.folder = folder;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates a fresh cache folder in {@code tmp}, locked while this JVM uses it. */
    static BundleCache create(Path tmp) throws IOException {
        Path folder = Files.createTempDirectory(tmp, PREFIX + ProcessHandle.current().pid() + "-");
        FileChannel channel = FileChannel.open(folder.resolve(LOCK_FILE), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        return new BundleCache(folder, channel, channel.lock());
    }

    /** @return the folder Felix keeps its bundle cache in */
    Path storage() {
        return folder.resolve("cache");
    }

    /** @return the folder as a whole */
    Path folder() {
        return folder;
    }

    /** Deletes the folder; a failure leaves it behind for the next start to remove. */
    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // closed with the JVM anyway
        }
        deleteTree(folder);
    }

    /**
     * Removes the cache folders in {@code tmp} left by a jdamon that ended without
     * cleaning up (kill -9, a crash). Never fails: a folder that cannot be checked stays.
     *
     * @return how many were removed
     */
    static int removeStale(Path tmp) {
        int removed = 0;
        UserPrincipal me = ownerOfNewFile(tmp);
        if (me == null) {
            return 0;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path p : entries) {
                if (isStale(p, me)) {
                    deleteTree(p);
                    removed += Files.exists(p, LinkOption.NOFOLLOW_LINKS) ? 0 : 1;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the temporary folder cannot be listed: nothing to clean
        }
        return removed;
    }

    /** @return this user as the file system sees it (the owner of a file created now), or null if unknown */
    private static UserPrincipal ownerOfNewFile(Path tmp) {
        try {
            Path probe = Files.createTempFile(tmp, PREFIX + "owner-", ".probe");
            try {
                return Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS);
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    static boolean isStale(Path p, UserPrincipal me) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (!m.matches()) {
            return false; // not our naming: another program's, or an older jdamon's without a lock
        }
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isDirectory() || a.isSymbolicLink() || !me.equals(Files.getOwner(p, LinkOption.NOFOLLOW_LINKS))) {
                return false;
            }
            long pid = Long.parseLong(m.group(1));
            if (ProcessHandle.of(pid).isPresent()) {
                return false; // its jdamon (or a process that took its PID since) runs
            }
            Path lockFile = p.resolve(LOCK_FILE);
            if (!Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)) {
                return true; // created, then ended before it could lock
            }
            if (!Files.isRegularFile(lockFile, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            try (FileChannel c = FileChannel.open(lockFile, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                FileLock l = c.tryLock();
                if (l == null) {
                    return false; // held: in use
                }
                l.release();
                return true;
            }
        } catch (NumberFormatException | OverlappingFileLockException e) {
            return false;
        } catch (NoSuchFileException e) {
            return false; // removed meanwhile
        } catch (IOException e) {
            return false;
        }
    }

    /** Deletes a folder and what it holds, without following symbolic links (a link is removed, not its target). */
    static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) { // walk does not follow links
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left behind
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // left behind; the next start tries again
        }
    }
}
