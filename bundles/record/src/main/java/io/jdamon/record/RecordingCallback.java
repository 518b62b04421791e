package io.jdamon.record;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.jdamon.api.Callback;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextView;

/**
 * A {@link Callback} that records every aggregation of a context to a file in
 * damo's JSON record format (see {@link RecordWriter} for the layout),
 * writing each one out before the hook returns.
 *
 * <pre>
 * RecordingCallback recorder = new RecordingCallback(Path.of("damon.data"));
 * ctx.addCallback("record", recorder);
 * engine.start(List.of(ctx), StartMode.SHARED);
 * ...
 * Recording r = RecordReader.read(Path.of("damon.data"));
 * </pre>
 *
 * <p>A context with DAMOS schemes gets, besides its targets' records, one
 * record per scheme and target: a snapshot per application of the scheme,
 * with its counters (damo's {@code damos_stats}) and the regions it tried
 * (the recorder asks for them every aggregation,
 * {@link ContextView#collectTriedRegions()}).
 *
 * <p>The file is created in {@code beforeStart} and finished in
 * {@code beforeTerminate}. Nothing recorded is ever overwritten: an existing
 * file at the name (an earlier recording, or this context's previous run when
 * it restarts because its primitive left and returned, its provider changed
 * or its configuration was edited) is first moved aside to the first free
 * name of {@code FILE.old}, {@code FILE.old.1}, ... (so the lowest number is
 * the oldest), and the log says where ({@link #lastMovedAside()}). A symbolic
 * link, a FIFO or device, a file in {@code /proc} and a file another recorder
 * is writing are refused (see {@link OutputFiles}).
 *
 * <p>If the file cannot be created or written (no such directory, permission
 * denied, disk full), the recorder logs one error naming the file, the cause
 * and the fix, keeps it for {@link #lastError()}, and returns
 * {@link CallbackResult#STOP}: the context being recorded stops, nothing else
 * does, and everything written up to then stays readable.
 *
 * <p>One file per context: if one recorder serves several contexts at once,
 * the first gets the file as named and each other one the file name with
 * {@code .<context>} inserted before the extension (or appended when there is
 * none); a file name containing {@code {context}} gets the context's name
 * there instead, for every context.
 *
 * <p>Thread-safe: each context's hooks run on its own kdamond thread.
 */
public class RecordingCallback implements Callback {

    private static final System.Logger LOG = System.getLogger(RecordingCallback.class.getName());
    /** The placeholder for the context's name in a file name: {@value}. */
    public static final String CONTEXT_PLACEHOLDER = "{context}";

    private final Path file;
    private final boolean sync;
    private final RecordFormat format;
    private final Map<String, RecordWriter> writers = new ConcurrentHashMap<>();
    private volatile String lastError;
    private volatile Path lastMovedAside;
    private final AtomicLong snapshotsWritten = new AtomicLong();
    private volatile boolean closed;

    /**
     * Records to {@code file}. Every aggregation is written to the operating
     * system before the hook returns, so a {@code kill -9} loses nothing
     * completed; it is not forced to the device (see
     * {@link #RecordingCallback(Path, boolean)}).
     */
    public RecordingCallback(Path file) {
        this(file, false);
    }

    /**
     * @param file the record file, created when the context starts (an existing one is moved aside)
     * @param sync whether to force every aggregation to the storage device
     *     (a {@code kill -9} loses nothing either way; a power cut may without);
     *     it costs milliseconds per aggregation on a disk
     */
    public RecordingCallback(Path file, boolean sync) {
        this(file, sync, RecordFormat.JSON);
    }

    /**
     * @param format the format each file has once its context ends; while it
     *     runs a file is plain JSON whatever the format (see {@link RecordFormat})
     * @since 1.2
     */
    public RecordingCallback(Path file, boolean sync, RecordFormat format) {
        if (file == null) {
            throw new IllegalArgumentException("the recorder needs a file name, e.g. damon.data");
        }
        if (format == null) {
            throw new IllegalArgumentException("the recorder needs a format: json or json_compressed");
        }
        this.file = file;
        this.sync = sync;
        this.format = format;
    }

    /** @return the format each file has once its context ends */
    public RecordFormat format() {
        return format;
    }

    /** @return the file as configured (see the class comment for several contexts) */
    public Path file() {
        return file;
    }

    /** @return the last write problem, naming the file, the cause and the fix; empty if none */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    /**
     * @return where the last file found at a recording's name was moved
     *     aside to (e.g. {@code damon.data.old}), or empty if none was found
     */
    public Optional<Path> lastMovedAside() {
        return Optional.ofNullable(lastMovedAside);
    }

    /** @return aggregations written over all contexts since this recorder was made */
    public long snapshotsWritten() {
        return snapshotsWritten.get();
    }

    /** @return the file the given context records to */
    public Path fileFor(String contextName) {
        String name = file.getFileName().toString();
        if (name.contains(CONTEXT_PLACEHOLDER)) {
            return file.resolveSibling(name.replace(CONTEXT_PLACEHOLDER, contextName));
        }
        return file;
    }

    @Override
    public CallbackResult beforeStart(ContextView ctx) {
        String contextName = ctx.name();
        Path target = fileFor(contextName);
        // opening a file and close() exclude each other, so no writer opens after close() and stays open
        synchronized (writers) {
            if (closed) {
                return CallbackResult.CONTINUE;
            }
            closeQuietly(contextName, writers.remove(contextName));
            for (RecordWriter w : writers.values()) {
                if (w.path().equals(target)) {
                    target = withContextSuffix(target, ctx.name());
                    break;
                }
            }
            try {
                if (ctx.schemeCount() > 0) {
                    ctx.collectTriedRegions(); // for the schemes' records, from their first application
                }
                RecordWriter w = RecordWriter.createForContext(target, RecordWriter.Header.provisional(ctx), sync,
                        format);
                writers.put(contextName, w);
                if (w.movedAside().isPresent()) {
                    lastMovedAside = w.movedAside().get();
                    LOG.log(Level.WARNING, "{0} existed; moved it aside to {1} (jdamon never overwrites a "
                            + "recording)", target.toAbsolutePath(), lastMovedAside);
                }
            } catch (IOException e) {
                return fail(contextName, target, e, 0);
            }
        }
        LOG.log(Level.INFO, "recording context ''{0}'' to {1}", contextName, target.toAbsolutePath());
        return CallbackResult.CONTINUE;
    }

    @Override
    public CallbackResult afterAggregation(ContextView ctx) {
        RecordWriter w = writers.get(ctx.name());
        if (w == null) {
            // closed by its owner (removed from the platform), or failed before
            return closed ? CallbackResult.CONTINUE : CallbackResult.STOP;
        }
        try {
            if (ctx.schemeCount() > 0) {
                ctx.collectTriedRegions(); // renewed every aggregation: the next application notes its regions
            }
            w.append(ctx);
            snapshotsWritten.incrementAndGet();
            return CallbackResult.CONTINUE;
        } catch (IOException e) {
            if (closed) {
                return CallbackResult.CONTINUE; // retired by its owner meanwhile; not a write failure
            }
            writers.remove(ctx.name(), w);
            closeQuietly(ctx.name(), w);
            return fail(ctx.name(), w.path(), e, w.snapshotsWritten());
        }
    }

    @Override
    public CallbackResult beforeTerminate(ContextView ctx) {
        RecordWriter w = writers.remove(ctx.name());
        if (w != null) {
            try {
                try {
                    w.appendSchemes(ctx); // the schemes apply after the last aggregation's callbacks
                } finally {
                    w.close();
                }
                LOG.log(Level.INFO, "recorded {0} aggregations of context ''{1}'' to {2}", w.snapshotsWritten(),
                        ctx.name(), w.path());
            } catch (IOException e) {
                fail(ctx.name(), w.path(), e, w.snapshotsWritten());
            }
        }
        return CallbackResult.CONTINUE;
    }

    /**
     * Closes every open file; later aggregations are not recorded (and do not
     * stop their contexts). For owners that retire the recorder while
     * contexts may still run, such as the Declarative Services component.
     */
    public void close() {
        synchronized (writers) {
            closed = true;
            for (String name : writers.keySet()) {
                closeQuietly(name, writers.remove(name));
            }
        }
    }

    private CallbackResult fail(String contextName, Path path, IOException e, long saved) {
        String message = "cannot write record file " + path.toAbsolutePath() + " for context '" + contextName
                + "': " + explain(path, e) + "; recording of this context stops"
                + (saved > 0 ? " (" + saved + " aggregations were saved and remain readable)" : "");
        lastError = message;
        LOG.log(Level.ERROR, message);
        return CallbackResult.STOP;
    }

    private void closeQuietly(String contextName, RecordWriter w) {
        if (w == null) {
            return;
        }
        try {
            w.close();
        } catch (IOException e) {
            fail(contextName, w.path(), e, w.snapshotsWritten());
        }
    }

    /** Turns an I/O failure into the cause and the fix, in words. */
    static String explain(Path path, IOException e) {
        if (e instanceof OutputFiles.OutputRefusedException) {
            return e.getMessage();
        }
        String reason = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason()
                : String.valueOf(e.getMessage());
        Path parent = path.toAbsolutePath().getParent();
        if (reason.contains("No space left")) {
            return "the disk is full (" + reason + "); free some space or record to another file system with -o FILE"
                    + " (if 'jdamon report' says the file is unfinished: jdamon report repair -i " + path + ")";
        }
        if (reason.contains("Disk quota exceeded")) {
            return "the disk quota is exceeded; free some space or record elsewhere with -o FILE";
        }
        if (reason.contains("Read-only file system")) {
            return "the file system is read-only; record to a writable place with -o FILE";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied; record to a writable place with -o FILE or fix the permissions of " + parent;
        }
        if (e instanceof NoSuchFileException) {
            return "the directory " + parent + " does not exist; create it or record elsewhere with -o FILE";
        }
        if (reason.contains("Not a directory")) {
            return "a part of the path is a file, not a directory; choose another output file with -o FILE";
        }
        if (Files.isDirectory(path)) {
            return "it is a directory; name a file, e.g. " + path.resolve("damon.data");
        }
        return reason + "; check the path or record elsewhere with -o FILE";
    }

    private static Path withContextSuffix(Path p, String contextName) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String renamed = dot > 0 ? name.substring(0, dot) + "." + contextName + name.substring(dot)
                : name + "." + contextName;
        return p.resolveSibling(renamed);
    }
}
