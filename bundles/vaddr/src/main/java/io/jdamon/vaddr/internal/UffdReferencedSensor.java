package io.jdamon.vaddr.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.jdamon.api.MonitoringTarget;
import io.jdamon.vaddr.Granularity;
import io.jdamon.vaddr.SensorProbe;
import io.jdamon.vaddr.SensorSession;
import io.jdamon.vaddr.SensorTraits;

/**
 * {@code uffd-write+referenced}: uffd-write's page-level writes and
 * referenced's mapping-level reads in one sensor, for processes that hold a
 * userfaultfd (those jdamon starts with its preload shim, and
 * {@code pid=self}). A sampled page found written counts as accessed; one
 * that was not counts as accessed with the probability that a page of its
 * mapping not written was referenced: {@code (R - W) / (S - W)} for a mapping
 * of S bytes with R referenced, of which an estimated W were written (the
 * bytes of the regions whose sampled page was written). So written pages are
 * located page by page while reads still count, and a mapping whose
 * referenced bytes are all writes adds nothing beyond them. Records carry the
 * referenced bytes per mapping, as with {@code referenced}. The sample
 * interval is referenced's (raised when its rounds cost more than 5% of a CPU).
 */
final class UffdReferencedSensor extends BuiltInSensor {

    static final String NAME = "uffd-write+referenced";

    /** What it is: reads and writes; mapping-level, its coarser part. Ranked above each part alone. */
    static final SensorTraits TRAITS = SensorTraits.of(NAME, true, true, Granularity.MAPPING, 60,
            "uffd-write (writes, page-level) with referenced (reads and writes, per mapping): written pages are"
                    + " located, the rest of a mapping's referenced bytes count as reads spread over it; for a"
                    + " process started with jdamon's preload shim or pid=self");

    private final UffdWriteSensor writes = new UffdWriteSensor();
    private final ReferencedSensor reads = new ReferencedSensor();

    UffdReferencedSensor() {
        super(TRAITS);
    }

    @Override
    public SensorProbe probe(int pid) {
        SensorProbe w = writes.probe(pid);
        if (!w.available()) {
            return SensorProbe.unavailable("its uffd-write part: " + w.reason());
        }
        SensorProbe r = reads.probe(pid);
        if (!r.available()) {
            return SensorProbe.unavailable("its referenced part: " + r.reason());
        }
        return SensorProbe.available(w.reason() + "; " + r.reason());
    }

    @Override
    public SensorSession open(int pid, long sampleIntervalUs) throws IOException {
        UffdWriteSensor.Session w = (UffdWriteSensor.Session) writes.open(pid, sampleIntervalUs);
        try {
            return new Session(w, new ReferencedSensor.Session(pid, sampleIntervalUs));
        } catch (IOException | RuntimeException e) {
            w.close();
            throw e;
        }
    }

    static final class Session implements SensorSession, FollowsExec {
        /** the write part; null once dropped (the exec'd program never made a userfaultfd) */
        private UffdWriteSensor.Session writes;
        final ReferencedSensor.Session reads;
        private final MarkRecorder written = new MarkRecorder();
        /** since an exec, the write part has no userfaultfd yet: reads only until an update finds one */
        private boolean writesBlind;
        private int writesReopenFailures;
        private String writesDropped;

        Session(UffdWriteSensor.Session writes, ReferencedSensor.Session reads) {
            this.writes = writes;
            this.reads = reads;
        }

        private boolean writing() {
            return writes != null && !writesBlind;
        }

        @Override
        public void prepare(MonitoringTarget target) {
            if (writing()) {
                writes.prepare(target);
            }
            reads.prepare(target);
        }

        @Override
        public void check(MonitoringTarget target) {
            if (!writing()) {
                reads.check(target);
                return;
            }
            writes.check(written.on(target));
            reads.checkBesides(target, written.marked());
        }

        @Override
        public void update() {
            if (writes != null && writesBlind) {
                reopenWrites();
            }
            if (writing()) {
                writes.update();
            }
            reads.update();
        }

        @Override
        public Map<String, String> describe() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("parts", "uffd-write: writes, page-level; referenced: reads+writes, per mapping");
            if (writes != null) {
                for (Map.Entry<String, String> e : writes.describe().entrySet()) {
                    m.put("uffd-write." + e.getKey(), e.getValue());
                }
            }
            if (writesDropped != null) {
                m.put("uffd-write.dropped", writesDropped);
            }
            for (Map.Entry<String, String> e : reads.describe().entrySet()) {
                m.put("referenced." + e.getKey(), e.getValue());
            }
            return m;
        }

        @Override
        public void close() {
            try {
                if (writes != null) {
                    writes.close();
                }
            } finally {
                reads.close();
            }
        }

        @Override
        public boolean sawNoAddressSpace() {
            return (writing() && writes.sawNoAddressSpace()) || reads.sawNoAddressSpace();
        }

        /**
         * The process exec'd: referenced reopens at once; the write part takes
         * the new program's userfaultfd, or, if it has none yet, tries again at
         * the next {@value VaddrPrimitive#REOPEN_ATTEMPTS} updates and is then
         * dropped: the run goes on with referenced alone and says so, instead
         * of ending because one part went blind.
         */
        @Override
        public void reopen() throws IOException {
            reads.reopen();
            if (writes != null) {
                writesReopenFailures = 0;
                reopenWrites();
            }
        }

        private void reopenWrites() {
            try {
                writes.reopen();
                writesBlind = false;
            } catch (IOException e) {
                writesBlind = true;
                if (++writesReopenFailures >= VaddrPrimitive.REOPEN_ATTEMPTS) {
                    writes.close();
                    writes = null;
                    writesDropped = "the exec'd program holds no userfaultfd (" + e.getMessage()
                            + "): writes are no longer located page by page; referenced goes on alone";
                    LOG.log(System.Logger.Level.WARNING, () -> "sensor " + NAME + ": " + writesDropped);
                }
            }
        }
    }

    private static final System.Logger LOG = System.getLogger(UffdReferencedSensor.class.getName());
}
