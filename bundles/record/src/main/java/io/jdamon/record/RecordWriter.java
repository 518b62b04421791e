package io.jdamon.record;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.ContextView;
import io.jdamon.api.IntervalsGoal;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MeasuredRange;
import io.jdamon.api.MeasuredRound;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.SchemeView;
import io.jdamon.api.TargetSnapshot;
import io.jdamon.api.TargetView;
import io.jdamon.record.internal.AsciiBuffer;

/**
 * Writes monitoring results in damo's JSON record format, one file per
 * context, so that nothing completed is lost if the process dies.
 *
 * <h2>The format</h2>
 * A JSON list with one record per target:
 * <pre>
 * [
 * {"kdamond_idx": 0, "context_idx": 0,
 *  "intervals": {"sample_us": 5000, "aggr_us": 100000, "ops_update_us": 60000000},
 *      (with intervals auto-tuning also "intervals_goal": {"access_bp": 400, "aggrs": 3,
 *      "min_sample_us": 5000, "max_sample_us": 10000000}, as damo writes it)
 *  "scheme_idx": null, "target_id": 0,
 *  "jdamon": {"format": 1, "targets": 1, "context": "ctx", "target": "stairs", "primitive": "sim",
 *             "primitive_properties": {"sensor": "..."}, "started": "2026-01-01T00:00:00Z"},
 *  "snapshots": [
 * {"start_time": 0, "end_time": 100000000, "regions": [
 *   {"start": 4096, "end": 8192, "nr_accesses": {"samples": 3, "percent": 15},
 *    "age": {"usec": 200000, "aggr_intervals": 2}}],
 *  "total_bytes": 4096, "sample_interval_us": 5000, "aggr_interval_us": 100000, "jdamon_aggregation": 0}
 * ]}
 * ]
 * </pre>
 * A context with DAMOS schemes has, after its targets' records, one record
 * per scheme and target ({@code "scheme_idx": S, "target_id": T}, and in the
 * {@code jdamon} object {@code "scheme_action"} and
 * {@code "not_counted": ["sz_ops_filter_passed"]}): one snapshot per
 * application of the scheme, timed as the aggregation it followed, whose
 * regions are those it tried in that target and which carries its counters
 * since the start as damo writes them, {@code "damos_stats": {"nr_tried": N,
 * "sz_tried": B, "nr_applied": N, "sz_applied": B, "sz_ops_filter_passed": 0,
 * "qt_exceeds": N}} (damo needs {@code sz_ops_filter_passed}; jdamon does not
 * count it, hence 0 and {@code not_counted}). Such a file has the running
 * multi-record layout while it is written (see below). Only the schemes the
 * context had at its start are recorded, while their count and actions stay
 * the same.
 * A target whose primitive measures whole ranges (referenced bytes per
 * mapping) has, after its regions, {@code "jdamon_measured": [{"start_time": 0,
 * "end_time": 5000000, "ranges": [[START, END, ACCESSED_BYTES], ...]}, ...]}:
 * one entry per access check of the aggregation ({@link #EXTRA_MEASURED_KEY}).
 * Times are nanoseconds since the run's time zero, {@code jdamon.started}
 * (when monitoring of the targets began, {@link ContextView#startTime()});
 * {@code target_id} is the target's index in its context. Every number is
 * what happened, not what was configured: {@code intervals.sample_us} is the
 * sample interval in use at the first aggregation ({@code intervals.aggr_us}
 * is the configured aggregation interval, which damo needs as the record's
 * nominal one), each snapshot's
 * {@code sample_interval_us} the mean spacing of the samples really taken in
 * that aggregation (its length over {@link ContextView#aggregationSamples()}:
 * the interval in use, {@link ContextView#sampleIntervalUs()}, unless a slow
 * hook stretched it), {@code aggr_interval_us} the
 * time that aggregation really took ({@code end_time - start_time}, in
 * microseconds) and {@code percent} is {@code samples} out of the samples
 * really taken in it ({@link ContextView#aggregationSamples()}). The
 * {@code jdamon} object and the {@code aggr_interval_us} and
 * {@code jdamon_aggregation} keys are ours; damo ignores keys it does not know.
 *
 * <h2>Crash safety</h2>
 * The writer appends each aggregation in place: it writes the new snapshot
 * together with the closing brackets in one write over the old closing
 * brackets (and, if asked, forces it to the device). So
 * at every moment the file is either a complete JSON document or a prefix of
 * one, and {@link RecordReader} returns every complete snapshot of a file cut
 * by {@code kill -9} at any point.
 *
 * <h2>What damo can read</h2>
 * <ul>
 * <li>A single-target file without schemes is valid damo JSON after every aggregation, also
 * while it is being written and after the writer was killed between two
 * aggregations. Only a kill in the middle of the write of one aggregation
 * leaves an unterminated tail, which {@link RecordReader} repairs and damo
 * does not.</li>
 * <li>A multi-target file, or a file with schemes, is written, while running, as one record per target
 * (and scheme) per aggregation (the only layout that can grow by appending); {@link #close()}
 * rewrites it (atomically) into one record per target. damo reads the closed
 * file; {@link RecordReader} reads both layouts.</li>
 * <li>If a write fails (a full disk), the writer cuts the file back to the
 * last complete aggregation and closes its brackets in the bytes the old
 * brackets occupied, which need no new disk space; a multi-target file is
 * then left in its running layout, which {@link RecordRepair} turns into
 * damo's, as it does any file cut by {@code kill -9}.</li>
 * </ul>
 *
 * <h2>Never overwriting, never following links</h2>
 * The file is created as {@link OutputFiles} describes: written under an
 * unpredictable temporary name with {@code O_EXCL}, locked, and given its real
 * name only then; an existing file at that name is first moved aside to
 * {@code FILE.old} (or {@code FILE.old.1}, ...; {@link #movedAside()} says
 * where). A symbolic link, a FIFO, a device or a file in {@code /proc} at the
 * output path is refused, and so is a file another writer still holds: the
 * writer keeps an exclusive {@code fcntl} lock on its file while it is open,
 * and the refusal names the process holding it.
 *
 * <p>Appends and {@link #close()} are synchronized, so an owner may close the
 * writer from another thread while the kdamond appends.
 */
public final class RecordWriter implements Closeable {

    /** The record-level key holding jdamon's own facts (ignored by damo): {@value}. */
    public static final String EXTRA_KEY = "jdamon";
    /** The snapshot-level key holding the aggregation's number in the run: {@value}. */
    public static final String EXTRA_AGGREGATION_KEY = "jdamon_aggregation";
    /** The snapshot-level key holding the time the aggregation really took, in microseconds: {@value}. */
    public static final String EXTRA_AGGREGATION_INTERVAL_KEY = "aggr_interval_us";
    /** The snapshot-level key holding the samples really taken in the aggregation: {@value}. */
    public static final String EXTRA_SAMPLES_KEY = "jdamon_samples";
    /**
     * The snapshot-level key holding what the primitive measured of whole
     * ranges (e.g. referenced bytes per mapping), one entry per access check:
     * {@code {"start_time": NS, "end_time": NS, "ranges": [[START, END, ACCESSED_BYTES], ...]}};
     * present only for targets whose primitive measures that way: {@value}.
     * @since 1.3
     */
    public static final String EXTRA_MEASURED_KEY = "jdamon_measured";
    /** The version of our layout, written as {@code jdamon.format}. */
    public static final int FORMAT_VERSION = 1;

    /**
     * What a record file says about its context, written once at the top.
     *
     * @param contextName the context's name
     * @param kdamondIdx damo's {@code kdamond_idx}; jdamon uses N of the thread name {@code kdamond.N}
     * @param contextIdx damo's {@code context_idx}, 0 for a file per context
     * @param attributes the intervals at the start of the run
     * @param primitiveName the primitive that samples the context
     * @param primitiveProperties what it said about how it samples (see {@code Primitive.describe})
     * @param targetSpecs one per target, as specified
     * @param sampleIntervalUs the sample interval in use at the start, in microseconds
     *     (written as {@code intervals.sample_us}; the attributes' one unless the primitive chose a longer one)
     * @param started the run's time zero, written as {@code jdamon.started}
     * @param schemeActions the action of each of the context's DAMOS schemes
     *     (none: no scheme records), in the schemes' order
     * @since 1.0 (schemeActions: 1.5)
     */
    public record Header(String contextName, int kdamondIdx, int contextIdx, MonitoringAttributes attributes,
            String primitiveName, Map<String, String> primitiveProperties, List<String> targetSpecs,
            long sampleIntervalUs, Instant started, List<String> schemeActions) {

        public Header {
            primitiveProperties = Map.copyOf(primitiveProperties);
            targetSpecs = List.copyOf(targetSpecs);
            schemeActions = schemeActions == null ? List.of() : List.copyOf(schemeActions);
            if (targetSpecs.isEmpty()) {
                throw new IllegalArgumentException("a record needs at least one target");
            }
            if (sampleIntervalUs <= 0) {
                sampleIntervalUs = attributes.sampleIntervalUs();
            }
            if (started == null) {
                started = Instant.now();
            }
        }

        /** A header without schemes (the form of 1.4). */
        public Header(String contextName, int kdamondIdx, int contextIdx, MonitoringAttributes attributes,
                String primitiveName, Map<String, String> primitiveProperties, List<String> targetSpecs,
                long sampleIntervalUs, Instant started) {
            this(contextName, kdamondIdx, contextIdx, attributes, primitiveName, primitiveProperties, targetSpecs,
                    sampleIntervalUs, started, List.of());
        }

        /**
         * A header whose sample interval is the attributes' and whose time
         * zero is now (the form of format 1.0).
         */
        public Header(String contextName, int kdamondIdx, int contextIdx, MonitoringAttributes attributes,
                String primitiveName, Map<String, String> primitiveProperties, List<String> targetSpecs) {
            this(contextName, kdamondIdx, contextIdx, attributes, primitiveName, primitiveProperties, targetSpecs,
                    attributes.sampleIntervalUs(), Instant.now());
        }

        /**
         * Reads the header of a running context, with the sample interval in
         * use and the run's time zero. Call it on the kdamond thread in
         * {@code afterAggregation} (time zero is set after {@code beforeStart}).
         */
        public static Header of(ContextView ctx) {
            return of(ctx, ctx.sampleIntervalUs(), ctx.startTime());
        }

        /**
         * The header of a context that is about to start ({@code beforeStart}):
         * the configured sample interval and now as its time zero, until
         * {@link #of(ContextView)} can say what was used.
         */
        public static Header provisional(ContextView ctx) {
            return of(ctx, ctx.attributes().sampleIntervalUs(), Instant.now());
        }

        private static Header of(ContextView ctx, long sampleIntervalUs, Instant started) {
            List<String> specs = new ArrayList<>(ctx.targetCount());
            for (int i = 0; i < ctx.targetCount(); i++) {
                specs.add(ctx.target(i).spec());
            }
            List<String> actions = new ArrayList<>(ctx.schemeCount());
            for (int s = 0; s < ctx.schemeCount(); s++) {
                actions.add(ctx.scheme(s).action());
            }
            return new Header(ctx.name(), kdamondIndexOf(Thread.currentThread().getName()), 0, ctx.attributes(),
                    ctx.primitiveName(), ctx.primitiveProperties(), specs, sampleIntervalUs, started, actions);
        }

        static int kdamondIndexOf(String threadName) {
            if (threadName != null && threadName.startsWith("kdamond.")) {
                try {
                    return Integer.parseInt(threadName.substring("kdamond.".length()));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
            return 0;
        }
    }

    private final Path file;
    private Header header;
    /** Whether the header is in the file; a file for a context gets it at the first aggregation. */
    private boolean headerWritten;
    private final boolean sync;
    private final RecordFormat format;
    private final FileChannel channel;
    private final Path movedAside;
    /** The key under which {@link OutputFiles} knows this writer holds its file. */
    private Object heldKey;
    /** One per target, then one per scheme and target (scheme-major): {@link #recordCount(Header)}. */
    private final byte[][] recordPrefixes;
    private final int targetCount;
    private final byte[] tail;
    /** Per scheme, the applications its records have a snapshot of. */
    private final long[] schemeApplicationsWritten;
    // the last aggregation appended, which the schemes' next applications follow
    private long lastStartNanos;
    private long lastEndNanos;
    private long lastSampleUs;
    private long lastElapsedUs;
    private int lastSamples;
    private long lastAggregation;
    private final AsciiBuffer buf = new AsciiBuffer();
    private long bodyEnd;
    private boolean firstElement = true;
    private long snapshotsWritten;
    private boolean closed;

    private RecordWriter(Path file, Header header, boolean sync, RecordFormat format, FileChannel channel,
            Path movedAside) {
        this.file = file;
        this.header = header;
        this.sync = sync;
        this.format = format;
        this.channel = channel;
        this.movedAside = movedAside;
        int n = recordCount(header);
        this.targetCount = header.targetSpecs().size();
        this.schemeApplicationsWritten = new long[header.schemeActions().size()];
        this.recordPrefixes = new byte[n][];
        prefixes(header);
        this.tail = (n == 1 ? "\n]}\n]\n" : "\n]\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Creates a record file and writes its header, moving an existing file
     * at that name aside first (see the class comment). Each aggregation is
     * handed to the operating system as it is appended (so it survives
     * {@code kill -9}) but not forced to the device; see
     * {@link #create(Path, Header, boolean)}.
     *
     * @throws OutputFiles.OutputRefusedException if the path is a link, not a
     *     regular file, or held by another writer; the message says why
     * @throws IOException if the file cannot be created or written
     */
    public static RecordWriter create(Path file, Header header) throws IOException {
        return create(file, header, false);
    }

    /**
     * Creates a record file and writes its header, moving an existing file
     * at that name aside first (see the class comment).
     *
     * @param sync whether to force every aggregation to the storage device
     *     ({@code fdatasync}); without it a {@code kill -9} still loses nothing
     *     written, but a power cut or kernel crash may. It costs: measured
     *     here (2 busy shared cores, a virtio disk), appending a 1,000-region
     *     aggregation took 0.2 to 1 ms without and 0.9 to 5 ms with it, time
     *     the kdamond does not sample
     * @throws OutputFiles.OutputRefusedException if the path is a link, not a
     *     regular file, or held by another writer; the message says why
     * @throws IOException if the file cannot be created or written
     */
    public static RecordWriter create(Path file, Header header, boolean sync) throws IOException {
        return create(file, header, sync, RecordFormat.JSON, true);
    }

    /**
     * Creates a record file in the given format and writes its header, as
     * {@link #create(Path, Header, boolean)} does. The file is plain JSON while
     * it is written, whatever the format; {@link RecordFormat#JSON_COMPRESSED}
     * compresses it when it is closed (see {@link #close()}).
     *
     * @since 1.2
     */
    public static RecordWriter create(Path file, Header header, boolean sync, RecordFormat format)
            throws IOException {
        return create(file, header, sync, format, true);
    }

    /**
     * Creates the record file of a context that is about to start (call it
     * in {@code beforeStart}): the file is created, locked and given its name
     * now, so that refusals come at once, and its header is written with the
     * first aggregation ({@link #append(ContextView)}), when the sample
     * interval in use and the run's time zero are known.
     *
     * @param provisional the header used if the context ends before its first
     *     aggregation, e.g. {@link Header#provisional(ContextView)}
     */
    public static RecordWriter createForContext(Path file, Header provisional, boolean sync) throws IOException {
        return create(file, provisional, sync, RecordFormat.JSON, false);
    }

    /**
     * {@link #createForContext(Path, Header, boolean)} in the given format.
     *
     * @since 1.2
     */
    public static RecordWriter createForContext(Path file, Header provisional, boolean sync, RecordFormat format)
            throws IOException {
        return create(file, provisional, sync, format, false);
    }

    private static RecordWriter create(Path file, Header header, boolean sync, RecordFormat format,
            boolean headerNow) throws IOException {
        java.util.Objects.requireNonNull(format, "format");
        Path target = file.toAbsolutePath();
        Path movedAside = null;
        for (int attempt = 0;; attempt++) {
            OutputFiles.checkTarget(target, "-o");
            String holder = OutputFiles.lockHolder(target);
            if (holder != null) {
                throw new OutputFiles.OutputRefusedException(target + " is being recorded by " + holder
                        + "; wait until that recording ends or choose another -o FILE");
            }
            Path aside = OutputFiles.moveAside(target);
            if (aside != null) {
                movedAside = aside;
            }
            OutputFiles.Temp tmp = OutputFiles.createTemp(target, ".tmp");
            try {
                Object key = OutputFiles.hold(tmp.path(), tmp.channel());
                RecordWriter w = new RecordWriter(file, header, sync, format, tmp.channel(), movedAside);
                w.heldKey = key;
                if (headerNow) {
                    w.start();
                }
                OutputFiles.publish(tmp.path(), target);
                return w;
            } catch (FileAlreadyExistsException raced) {
                OutputFiles.release(OutputFiles.attributes(tmp.path()) == null ? null
                        : OutputFiles.attributes(tmp.path()).fileKey(), tmp.channel());
                tmp.discard(); // another writer published meanwhile: look again
                if (attempt >= 3) {
                    throw new OutputFiles.OutputRefusedException(target + " keeps being created by someone else "
                            + "while jdamon moves it aside; choose another -o FILE");
                }
            } catch (IOException | RuntimeException e) {
                BasicFileAttributes a = OutputFiles.attributes(tmp.path());
                OutputFiles.release(a == null ? null : a.fileKey(), tmp.channel());
                tmp.discard();
                throw e;
            }
        }
    }

    /**
     * @return where an existing file at this writer's path was moved before
     *     it was created ({@code FILE.old}, ...), or empty if there was none
     */
    public java.util.Optional<Path> movedAside() {
        return java.util.Optional.ofNullable(movedAside);
    }

    /** @return the records of a file with this header: one per target, and one per scheme and target */
    static int recordCount(Header h) {
        int targets = h.targetSpecs().size();
        return targets + h.schemeActions().size() * targets;
    }

    private void prefixes(Header h) {
        if (header != null && recordCount(h) != recordPrefixes.length) { // the schemes changed since the file was made
            h = new Header(h.contextName(), h.kdamondIdx(), h.contextIdx(), h.attributes(), h.primitiveName(),
                    h.primitiveProperties(), h.targetSpecs(), h.sampleIntervalUs(), h.started(),
                    header.schemeActions());
        }
        this.header = h;
        int targets = h.targetSpecs().size();
        for (int r = 0; r < recordPrefixes.length; r++) {
            recordPrefixes[r] = r < targets ? recordPrefix(h, r)
                    : schemePrefix(h, (r - targets) / targets, h.schemeActions().get((r - targets) / targets),
                            (r - targets) % targets);
        }
    }

    private void start() throws IOException {
        headerWritten = true;
        buf.clear();
        buf.append("[\n");
        if (recordPrefixes.length == 1) {
            buf.append(recordPrefixes[0]);
        }
        commit();
    }

    /** @return the file written */
    public Path path() {
        return file;
    }

    /** @return the header written (for a context's file, the provisional one until its first aggregation) */
    public synchronized Header header() {
        return header;
    }

    /** @return the number of aggregations appended */
    public synchronized long snapshotsWritten() {
        return snapshotsWritten;
    }

    /**
     * Appends one aggregation, taken from an API snapshot, with the sample
     * and aggregation intervals it states.
     *
     * @throws IOException if it cannot be written (the file is then as before
     *     the call, or cut inside this aggregation)
     * @throws IllegalArgumentException if its number of targets differs from the header's
     */
    public synchronized void append(AggregationSnapshot s) throws IOException {
        ensureOpen();
        if (!headerWritten) {
            start();
        }
        if (s.targets().size() != targetCount) {
            throw new IllegalArgumentException("snapshot has " + s.targets().size() + " targets, the record "
                    + targetCount);
        }
        buf.clear();
        for (int t = 0; t < targetCount; t++) {
            TargetSnapshot target = s.targets().get(t);
            beginSnapshot(t, s.startNanos(), s.endNanos());
            List<RegionSnapshot> regions = target.regions();
            long total = 0;
            for (int i = 0; i < regions.size(); i++) {
                RegionSnapshot r = regions.get(i);
                region(i, r.start(), r.end(), r.nrAccesses(), r.age(), s.samplesPerAggregation(),
                        s.aggregationIntervalUs());
                total += r.size();
            }
            measured(buf, target.measuredRounds());
            endSnapshot(total, s.sampleIntervalUs(), s.aggregationIntervalUs(), s.samplesPerAggregation(),
                    s.aggregationIndex());
        }
        commit();
        snapshotsWritten++;
        last(s.startNanos(), s.endNanos(), s.sampleIntervalUs(), s.aggregationIntervalUs(), s.samplesPerAggregation(),
                s.aggregationIndex());
    }

    private void last(long startNanos, long endNanos, long sampleUs, long elapsedUs, int samples, long aggregation) {
        lastStartNanos = startNanos;
        lastEndNanos = endNanos;
        lastSampleUs = sampleUs;
        lastElapsedUs = elapsedUs;
        lastSamples = samples;
        lastAggregation = aggregation;
    }

    /**
     * Appends the aggregation just finished, read straight from the context's
     * regions. Call it from {@code afterAggregation}, on the kdamond thread.
     * Allocates nothing once the buffer has grown to size.
     *
     * @throws IOException if it cannot be written
     */
    public synchronized void append(ContextView ctx) throws IOException {
        ensureOpen();
        if (ctx.targetCount() != targetCount) {
            throw new IllegalArgumentException("context '" + ctx.name() + "' has " + ctx.targetCount()
                    + " targets, the record " + targetCount);
        }
        if (!headerWritten) {
            prefixes(Header.of(ctx));
            start();
        }
        int samples = Math.max(1, ctx.aggregationSamples());
        long start = ctx.aggregationStartNanos();
        long end = ctx.aggregationEndNanos();
        long elapsedUs = Math.max(1, (end - start) / 1000);
        // the mean spacing of the samples really taken, so that damo's rate, nr_accesses /
        // (aggr_interval_us / sample_interval_us), is out of those samples even when a hook stretched
        // the aggregation
        long sampleUs = Math.max(1, elapsedUs / samples);
        buf.clear();
        schemeSnapshots(ctx); // the applications after the last aggregation appended
        for (int t = 0; t < targetCount; t++) {
            TargetView target = ctx.target(t);
            beginSnapshot(t, start, end);
            long total = 0;
            int n = target.regionCount();
            for (int i = 0; i < n; i++) {
                long rs = target.regionStart(i);
                long re = target.regionEnd(i);
                region(i, rs, re, target.nrAccesses(i), target.age(i), samples, elapsedUs);
                total += re - rs;
            }
            int rounds = target.measuredRoundCount();
            for (int k = 0; k < rounds; k++) {
                measuredRoundHead(buf, k, target.measuredRoundStartNanos(k), target.measuredRoundEndNanos(k));
                int to = k + 1 < rounds ? target.measuredRoundFirstRange(k + 1) : target.measuredRangeCount();
                for (int j = target.measuredRoundFirstRange(k); j < to; j++) {
                    measuredRange(buf, j - target.measuredRoundFirstRange(k), target.measuredRangeStart(j),
                            target.measuredRangeEnd(j), target.measuredRangeAccessedBytes(j));
                }
            }
            if (rounds > 0) {
                measuredEnd(buf);
            }
            endSnapshot(total, sampleUs, elapsedUs, samples, ctx.aggregationsPassed());
        }
        commit();
        snapshotsWritten++;
        last(start, end, sampleUs, elapsedUs, samples, ctx.aggregationsPassed());
    }

    /**
     * Appends what the context's schemes did since the last aggregation
     * appended: their applications after it, with their counters and tried
     * regions (see {@link #schemeSnapshots}). Call it from
     * {@code beforeTerminate}, on the kdamond thread, before {@link #close()}:
     * the schemes apply after the last aggregation's callbacks.
     *
     * @throws IOException if it cannot be written
     * @since 1.5
     */
    public synchronized void appendSchemes(ContextView ctx) throws IOException {
        ensureOpen();
        if (!headerWritten || schemeApplicationsWritten.length == 0) {
            return;
        }
        buf.clear();
        if (schemeSnapshots(ctx)) {
            commit();
        }
    }

    /**
     * Into the buffer: one snapshot per target in each scheme's records whose
     * scheme was applied since its last one, timed as the last aggregation
     * appended (the one it was applied after), with the scheme's counters
     * ({@code damos_stats}) and the regions it tried in that target at its
     * last application (none if they were not collected then: a recorder asks
     * for them every aggregation, {@link ContextView#collectTriedRegions()}). Schemes that
     * differ from the header's (changed online: another count or action at an
     * index) are not written.
     *
     * @return whether anything was written
     */
    private boolean schemeSnapshots(ContextView ctx) {
        int schemes = schemeApplicationsWritten.length;
        if (schemes == 0 || lastEndNanos == 0 || ctx.schemeCount() != schemes) {
            return false;
        }
        boolean any = false;
        for (int s = 0; s < schemes; s++) {
            SchemeView v = ctx.scheme(s);
            long applications = v.applications();
            if (applications == schemeApplicationsWritten[s] || !v.action().equals(header.schemeActions().get(s))) {
                continue;
            }
            schemeApplicationsWritten[s] = applications;
            boolean tried = v.triedRegionsApplication() == applications;
            for (int t = 0; t < targetCount; t++) {
                beginSnapshot(targetCount + s * targetCount + t, lastStartNanos, lastEndNanos);
                long total = 0;
                int k = 0;
                int n = tried ? v.triedRegionCount() : 0;
                for (int i = 0; i < n; i++) {
                    if (v.triedRegionTarget(i) == t) {
                        long rs = v.triedRegionStart(i);
                        long re = v.triedRegionEnd(i);
                        region(k++, rs, re, v.triedRegionNrAccesses(i), v.triedRegionAge(i), lastSamples,
                                lastElapsedUs);
                        total += re - rs;
                    }
                }
                snapshotTail(buf, total, lastSampleUs, lastElapsedUs, lastSamples, lastAggregation);
                damosStats(buf, v.nrTried(), v.szTried(), v.nrApplied(), v.szApplied(), v.qtExceeds());
                buf.append("}\n]}");
                any = true;
            }
        }
        return any;
    }

    /**
     * A snapshot's {@code , "damos_stats": {...}}; damo needs
     * {@code sz_ops_filter_passed}, which jdamon does not count: 0, and the
     * record says so ({@code jdamon.not_counted}).
     */
    private static void damosStats(AsciiBuffer buf, long nrTried, long szTried, long nrApplied, long szApplied,
            long qtExceeds) {
        buf.append(", \"damos_stats\": {\"nr_tried\": ").append(nrTried).append(", \"sz_tried\": ").append(szTried)
                .append(", \"nr_applied\": ").append(nrApplied).append(", \"sz_applied\": ").append(szApplied)
                .append(", \"sz_ops_filter_passed\": 0, \"qt_exceeds\": ").append(qtExceeds).append('}');
    }

    private void beginSnapshot(int target, long startNanos, long endNanos) {
        boolean multi = recordPrefixes.length > 1;
        buf.append(firstElement ? "\n" : ",\n");
        firstElement = false;
        if (multi) {
            buf.append(recordPrefixes[target]).append('\n');
        }
        snapshotHead(buf, startNanos, endNanos);
    }

    private static void snapshotHead(AsciiBuffer buf, long startNanos, long endNanos) {
        buf.append("{\"start_time\": ").append(startNanos).append(", \"end_time\": ").append(endNanos)
                .append(", \"regions\": [");
    }

    private void region(int i, long start, long end, int nrAccesses, int age, int perAggr, long aggrUs) {
        region(buf, i, start, end, nrAccesses, age, perAggr, aggrUs);
    }

    private static void region(AsciiBuffer buf, int i, long start, long end, int nrAccesses, int age, int perAggr,
            long aggrUs) {
        buf.append(i == 0 ? "\n" : ",\n");
        buf.append("  {\"start\": ").append(start).append(", \"end\": ").append(end)
                .append(", \"nr_accesses\": {\"samples\": ").append(nrAccesses).append(", \"percent\": ")
                .append((long) nrAccesses * 100 / perAggr).append("}, \"age\": {\"usec\": ")
                .append((long) age * aggrUs).append(", \"aggr_intervals\": ").append(age).append("}}");
    }

    /**
     * Writes a snapshot's measured rounds after its regions (nothing without
     * rounds): {@code ], "jdamon_measured": [{..., "ranges": [[s, e, b], ...]}, ...}; the
     * snapshot's tail then closes the rounds' list, as it would the regions'.
     */
    private static void measured(AsciiBuffer buf, List<MeasuredRound> rounds) {
        for (int k = 0; k < rounds.size(); k++) {
            MeasuredRound round = rounds.get(k);
            measuredRoundHead(buf, k, round.startNanos(), round.endNanos());
            for (int j = 0; j < round.ranges().size(); j++) {
                MeasuredRange m = round.ranges().get(j);
                measuredRange(buf, j, m.start(), m.end(), m.accessedBytes());
            }
        }
        if (!rounds.isEmpty()) {
            measuredEnd(buf);
        }
    }

    /** Closes the regions (round 0) or the previous round, and opens measured round {@code k}. */
    private static void measuredRoundHead(AsciiBuffer buf, int k, long startNanos, long endNanos) {
        buf.append(k == 0 ? "],\n \"" + EXTRA_MEASURED_KEY + "\": [\n  " : "]},\n  ");
        buf.append("{\"start_time\": ").append(startNanos).append(", \"end_time\": ").append(endNanos)
                .append(", \"ranges\": [");
    }

    private static void measuredRange(AsciiBuffer buf, int j, long start, long end, long accessedBytes) {
        buf.append(j == 0 ? "[" : ", [").append(start).append(", ").append(end).append(", ")
                .append(accessedBytes).append(']');
    }

    /** Closes the last round; the snapshot's tail closes the list of rounds. */
    private static void measuredEnd(AsciiBuffer buf) {
        buf.append("]}\n ");
    }

    private void endSnapshot(long totalBytes, long sampleUs, long aggrUs, int samples, long aggregationIndex) {
        snapshotTail(buf, totalBytes, sampleUs, aggrUs, samples, aggregationIndex);
        buf.append('}');
        if (recordPrefixes.length > 1) {
            buf.append("\n]}");
        }
    }

    /** Closes the regions (or measured rounds) and writes the snapshot's keys after them, leaving it open. */
    private static void snapshotTail(AsciiBuffer buf, long totalBytes, long sampleUs, long aggrUs, int samples,
            long aggregationIndex) {
        buf.append("],\n \"total_bytes\": ").append(totalBytes).append(", \"sample_interval_us\": ").append(sampleUs)
                .append(", \"").append(EXTRA_AGGREGATION_INTERVAL_KEY).append("\": ").append(aggrUs)
                .append(", \"").append(EXTRA_SAMPLES_KEY).append("\": ").append(samples)
                .append(", \"").append(EXTRA_AGGREGATION_KEY).append("\": ").append(aggregationIndex);
    }

    /**
     * Writes the buffer and the tail in one write over the old tail, forces
     * it. The old tail is overwritten, not cut first, so its bytes stay
     * allocated: if the write fails (a full disk), the file is cut back to
     * the last complete aggregation and the tail written again into exactly
     * those bytes, which needs no new space.
     */
    private void commit() throws IOException {
        int body = buf.length();
        buf.append(tail);
        try {
            ByteBuffer bb = buf.view();
            long pos = bodyEnd;
            while (bb.hasRemaining()) {
                pos += channel.write(bb, pos);
            }
            if (sync) {
                channel.force(false);
            }
        } catch (IOException e) {
            if (bodyEnd > 0) {
                restoreTail(e);
            }
            throw e;
        }
        bodyEnd += body;
    }

    /** After a failed write: the file as it was before, the last complete aggregation and the tail. */
    private void restoreTail(IOException failure) {
        try {
            channel.truncate(bodyEnd + tail.length);
            ByteBuffer t = ByteBuffer.wrap(tail);
            long pos = bodyEnd;
            while (t.hasRemaining()) {
                pos += channel.write(t, pos);
            }
        } catch (IOException again) {
            failure.addSuppressed(again); // the file keeps a torn tail; RecordRepair fixes it
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("record file " + file + " is already closed");
        }
    }

    /** @return the format the file has once closed */
    public RecordFormat format() {
        return format;
    }

    /**
     * Finishes the file: a stream gets its closing brackets, a multi-target
     * file is rewritten into one record per target, and a
     * {@link RecordFormat#JSON_COMPRESSED} file is compressed: written anew
     * under a temporary name and renamed over the plain one in one step, so
     * that the file is at every moment either the complete plain JSON or
     * the complete compressed one. If compressing fails (a full disk), the
     * plain file stays, complete, and the exception says so. Idempotent.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!headerWritten) {
                start(); // ended before its first aggregation: a valid record with no snapshots
            }
            boolean consolidated = recordPrefixes.length > 1 && snapshotsWritten > 0;
            if (consolidated) {
                consolidate(); // still holding the lock, so no other writer moves the file meanwhile
            } else if (format == RecordFormat.JSON_COMPRESSED) {
                compressInPlace();
            }
        } finally {
            OutputFiles.release(heldKey, channel);
            channel.close();
        }
    }

    /** Rewrites a multi-target file as one record per target, atomically. */
    private void consolidate() throws IOException {
        Recording rec;
        try {
            // through the writer's own channel: opening and closing another descriptor would drop the lock
            rec = RecordReader.parse(file, new io.jdamon.record.internal.ChannelInput(channel, null, null));
        } catch (RecordFileException e) {
            throw new IOException("cannot consolidate " + file + ": " + e.getMessage(), e);
        }
        List<TargetRecord> records = new ArrayList<>(recordPrefixes.length);
        for (int r = 0; r < recordPrefixes.length; r++) {
            records.add(r < targetCount ? (r < rec.records().size() ? rec.records().get(r) : null)
                    : schemeRecord(rec, (r - targetCount) / targetCount, (r - targetCount) % targetCount));
        }
        writeConsolidated(file.toAbsolutePath(), new Layout(recordPrefixes, records), buf, false, format);
    }

    /** @return the record of scheme {@code s} and target {@code t} read, or null if it has no snapshot */
    private static TargetRecord schemeRecord(Recording rec, int s, int t) {
        for (TargetRecord r : rec.schemeRecords()) {
            if (r.schemeIdx() == s && r.targetId().equals(Integer.toString(t))) {
                return r;
            }
        }
        return null;
    }

    /**
     * What a rewritten file holds: each record's opening, up to
     * {@code "snapshots": [}, and the record whose snapshots follow it (null:
     * none).
     */
    record Layout(byte[][] prefixes, List<TargetRecord> records) {
    }

    /**
     * The layout of a file rewritten from what was read of it (a repair, a
     * conversion): the targets' records, then the schemes' (a jdamon file's
     * {@link Recording#schemeRecords()}), each opened as the writer opened it.
     */
    static Layout layoutOf(Recording rec) {
        Header h = RecordRepair.header(rec.records());
        List<TargetRecord> all = new ArrayList<>(rec.records());
        all.addAll(rec.schemeRecords());
        byte[][] prefixes = new byte[all.size()][];
        int targets = rec.records().size();
        for (int i = 0; i < prefixes.length; i++) {
            TargetRecord r = all.get(i);
            if (i < targets) {
                prefixes[i] = recordPrefix(h, i);
            } else {
                int t;
                try {
                    t = Math.min(Math.max(0, Integer.parseInt(r.targetId())), targets - 1);
                } catch (NumberFormatException e) {
                    t = 0;
                }
                prefixes[i] = schemePrefix(h, r.schemeIdx(), r.schemeAction(), t);
            }
        }
        return new Layout(prefixes, all);
    }

    /** Replaces the (closed, complete) plain file by its compressed form, reading it through our channel. */
    private void compressInPlace() throws IOException {
        Path target = file.toAbsolutePath();
        OutputFiles.Temp tmp = OutputFiles.createTemp(target, ".tmp");
        try {
            try (java.io.OutputStream out = new java.util.zip.DeflaterOutputStream(
                    java.nio.channels.Channels.newOutputStream(tmp.channel()), new java.util.zip.Deflater(), 1 << 16);
                    java.io.InputStream in = new io.jdamon.record.internal.ChannelInput(channel, null, null)) {
                in.transferTo(out);
            }
            finish(tmp.path(), target, null);
        } catch (IOException | RuntimeException e) {
            tmp.discard();
            throw new IOException("cannot compress " + target + " (" + e.getMessage() + "); it is left complete "
                    + "as plain JSON, which jdamon reads: compress it later with 'jdamon report convert'", e);
        }
    }

    /** Syncs a written temporary file, gives it the permissions of {@code file} and renames it over it. */
    private static void finish(Path tmp, Path file, String backupSuffix) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            ch.force(true);
        }
        try {
            Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(file,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS));
        } catch (UnsupportedOperationException | IOException e) {
            // keep the umask's permissions
        }
        OutputFiles.replace(tmp, file);
    }

    /**
     * Writes the records of {@code layout}, each once with all its snapshots,
     * to a new temporary file next to {@code file} in the given format and
     * renames it over {@code file} in one step (keeping {@code file}'s
     * permissions).
     *
     * @param backup whether to keep the file replaced, moved aside to a free
     *     name (see {@link OutputFiles#moveAside}), instead of replacing it
     * @return where the old file was kept, or null
     */
    static Path writeConsolidated(Path file, Layout layout, AsciiBuffer buf, boolean backup, RecordFormat format)
            throws IOException {
        byte[][] prefixes = layout.prefixes();
        OutputFiles.Temp tmp = OutputFiles.createTemp(file, ".tmp");
        Path kept = null;
        try (java.nio.channels.WritableByteChannel ch = format == RecordFormat.JSON_COMPRESSED
                ? java.nio.channels.Channels.newChannel(new java.util.zip.DeflaterOutputStream(
                        java.nio.channels.Channels.newOutputStream(tmp.channel()), new java.util.zip.Deflater(),
                        1 << 16))
                : tmp.channel()) {
            for (int t = 0; t < prefixes.length; t++) {
                buf.clear();
                buf.append(t == 0 ? "[\n" : ",\n").append(prefixes[t]);
                if (layout.records().get(t) != null) {
                    List<RecordedSnapshot> snaps = layout.records().get(t).snapshots();
                    for (int s = 0; s < snaps.size(); s++) {
                        RecordedSnapshot rs = snaps.get(s);
                        buf.append(s == 0 ? "\n" : ",\n");
                        snapshotHead(buf, rs.startNanos(), rs.endNanos());
                        long aggrUs = rs.aggregationIntervalUs();
                        int perAggr = rs.samplesTaken() > 0 ? rs.samplesTaken()
                                : (int) Math.max(1, aggrUs / Math.max(1, rs.sampleIntervalUs()));
                        for (int i = 0; i < rs.regions().size(); i++) {
                            RegionSnapshot r = rs.regions().get(i);
                            region(buf, i, r.start(), r.end(), r.nrAccesses(), r.age(), perAggr, aggrUs);
                        }
                        measured(buf, rs.measuredRounds());
                        snapshotTail(buf, rs.totalBytes(), rs.sampleIntervalUs(), rs.aggregationIntervalUs(), perAggr,
                                rs.aggregationIndex());
                        if (rs.damosStats().isPresent()) {
                            DamosStats d = rs.damosStats().get();
                            damosStats(buf, d.nrTried(), d.szTried(), d.nrApplied(), d.szApplied(), d.qtExceeds());
                        }
                        buf.append('}');
                    }
                }
                buf.append("\n]}");
                ByteBuffer bb = buf.view();
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
            }
            ch.write(ByteBuffer.wrap("\n]\n".getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException | RuntimeException e) {
            tmp.discard();
            throw e;
        }
        try {
            if (backup) {
                kept = OutputFiles.keepBackup(file, RecordRepair.BACKUP_SUFFIX);
            }
            finish(tmp.path(), file, null);
        } catch (IOException | RuntimeException e) {
            tmp.discard();
            throw e;
        }
        return kept;
    }

    /** @return the opening of target {@code target}'s record, up to {@code "snapshots": [} */
    static byte[] recordPrefix(Header h, int target) {
        return prefix(h, "null", target, null);
    }

    /**
     * @return the opening of the record of scheme {@code scheme} (whose action
     *     is {@code action}) in target {@code target}, up to {@code "snapshots": [}
     */
    static byte[] schemePrefix(Header h, int scheme, String action, int target) {
        return prefix(h, Integer.toString(scheme), target, action);
    }

    private static byte[] prefix(Header h, String schemeIdx, int target, String schemeAction) {
        StringBuilder sb = new StringBuilder(256);
        MonitoringAttributes a = h.attributes();
        sb.append("{\"kdamond_idx\": ").append(h.kdamondIdx()).append(", \"context_idx\": ").append(h.contextIdx())
                .append(",\n \"intervals\": {\"sample_us\": ").append(h.sampleIntervalUs())
                .append(", \"aggr_us\": ").append(a.aggregationIntervalUs()).append(", \"ops_update_us\": ")
                .append(a.updateIntervalUs());
        IntervalsGoal goal = a.intervalsGoal();
        if (goal.enabled()) { // as damo writes it; the tuned intervals are each snapshot's
            sb.append(", \"intervals_goal\": {\"access_bp\": ").append(goal.accessBp()).append(", \"aggrs\": ")
                    .append(goal.aggrs()).append(", \"min_sample_us\": ").append(goal.minSampleUs())
                    .append(", \"max_sample_us\": ").append(goal.maxSampleUs()).append('}');
        }
        sb.append("},\n \"scheme_idx\": ").append(schemeIdx).append(", \"target_id\": ").append(target)
                .append(",\n \"").append(EXTRA_KEY).append("\": {\"format\": ").append(FORMAT_VERSION)
                .append(", \"targets\": ").append(h.targetSpecs().size()).append(", \"context\": ");
        quote(sb, h.contextName());
        sb.append(", \"target\": ");
        quote(sb, h.targetSpecs().get(target));
        sb.append(", \"primitive\": ");
        quote(sb, h.primitiveName());
        sb.append(", \"primitive_properties\": {");
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(h.primitiveProperties()).entrySet()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            quote(sb, e.getKey());
            sb.append(": ");
            quote(sb, e.getValue());
        }
        sb.append("}, \"started\": ");
        quote(sb, h.started().toString());
        if (schemeAction != null) {
            sb.append(", \"scheme_action\": ");
            quote(sb, schemeAction);
            sb.append(", \"not_counted\": [\"sz_ops_filter_passed\"]");
        }
        sb.append("},\n \"snapshots\": [");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Appends a JSON string with everything outside printable ASCII escaped. */
    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
