package io.jdamon.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.api.ActionRequest;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.PrimitiveContext;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.Scheme;
import io.jdamon.api.SchemeStats;
import io.jdamon.api.StartMode;
import io.jdamon.core.internal.DamonEngine;

/**
 * A context's DAMOS schemes in its record file, from the real engine: one
 * record per scheme and target whose snapshots are the scheme's applications
 * with damo's {@code damos_stats} and the regions it tried; kept through a
 * repair of the running layout, and read by damo 3.3.0.
 */
class SchemeRecordsTest {

    private static final MonitoringAttributes FAST = new MonitoringAttributes(1_000, 20_000, 1_000_000, 10, 100);

    @TempDir
    Path dir;

    private final DamonEngine engine = new DamonEngine();

    @AfterEach
    void disposeContexts() throws Exception {
        for (MonitoringContext c : engine.contexts()) {
            engine.dispose(c);
        }
    }

    /** The hot-half pattern, and a pageout that applies to every byte asked, counting them. */
    static final class PagingHotHalf extends HotHalfPrimitive {
        final AtomicLong pagedOut = new AtomicLong();

        @Override
        public Set<String> supportedActions() {
            return Set.of(Scheme.PAGEOUT);
        }

        @Override
        public long applyAction(PrimitiveContext ctx, ActionRequest request) {
            long n = request.end() - request.start();
            pagedOut.addAndGet(n);
            return n;
        }
    }

    private MonitoringContext run(String name, Path file, PagingHotHalf primitive) throws Exception {
        MonitoringContext ctx = engine.newContext(ContextDefinition.builder(name, "hot-half").target("t0")
                .attributes(FAST).scheme(Scheme.builder(Scheme.STAT).nrAccesses(0, 0).build())
                .scheme(Scheme.builder(Scheme.PAGEOUT).nrAccesses(0, 0).ageAggregations(3, Integer.MAX_VALUE).build())
                .build(), primitive);
        ctx.addCallback("record", new RecordingCallback(file));
        engine.start(List.of(ctx), StartMode.SHARED);
        return ctx;
    }

    @Test
    void eachSchemeHasARecordWithASnapshotPerApplicationItsCountersAndTheRegionsItTried() throws Exception {
        Path file = dir.resolve("damon.data");
        PagingHotHalf primitive = new PagingHotHalf();
        MonitoringContext ctx = run("schemes", file, primitive);
        RecordingCallbackTest.awaitAggregations(ctx, 20);
        engine.stop(List.of(ctx));
        List<SchemeStats> stats = ctx.schemeStats();

        Recording rec = RecordReader.read(file);
        assertThat(rec.complete()).isTrue();
        assertThat(rec.needsRepair()).as("consolidated on close").isFalse();
        assertThat(rec.records()).as("the target's monitoring results alone").hasSize(1);
        assertThat(rec.records().get(0).schemeIdx()).isEqualTo(-1);
        assertThat(rec.schemeRecords()).extracting(TargetRecord::schemeIdx).containsExactly(0, 1);
        assertThat(rec.schemeRecords()).extracting(TargetRecord::schemeAction).containsExactly("stat", "pageout");
        assertThat(rec.schemeRecords()).extracting(TargetRecord::targetId).containsExactly("0", "0");
        Set<Long> aggregationEnds = rec.records().get(0).snapshots().stream().map(RecordedSnapshot::endNanos)
                .collect(Collectors.toSet());
        for (int s = 0; s < 2; s++) {
            TargetRecord r = rec.schemeRecords().get(s);
            SchemeStats expected = stats.get(s);
            List<RecordedSnapshot> snaps = r.snapshots();
            assertThat(snaps).as("scheme %d: one snapshot per application", s).hasSize((int) expected.applications());
            long nrTried = 0;
            long szTried = 0;
            DamosStats previous = new DamosStats(0, 0, 0, 0, 0);
            for (RecordedSnapshot snap : snaps) {
                DamosStats d = snap.damosStats().orElseThrow();
                assertThat(d.nrTried()).isGreaterThanOrEqualTo(previous.nrTried());
                assertThat(d.szApplied()).isGreaterThanOrEqualTo(previous.szApplied());
                previous = d;
                assertThat(aggregationEnds).as("timed as the aggregation it followed").contains(snap.endNanos());
                for (RegionSnapshot region : snap.regions()) {
                    assertThat(region.start()).as("tried only the cold half").isGreaterThanOrEqualTo(
                            HotHalfPrimitive.BASE + HotHalfPrimitive.SIZE / 2);
                    assertThat(region.nrAccesses()).isZero();
                }
                nrTried += snap.regions().size();
                szTried += snap.totalBytes();
                // each snapshot's regions are that application's: the counters grow by them
                assertThat(d.nrTried()).isEqualTo(nrTried);
                assertThat(d.szTried()).isEqualTo(szTried);
            }
            DamosStats last = snaps.get(snaps.size() - 1).damosStats().orElseThrow();
            assertThat(last).as("scheme %d's last snapshot holds its final counters", s).isEqualTo(new DamosStats(
                    expected.nrTried(), expected.szTried(), expected.nrApplied(), expected.szApplied(),
                    expected.qtExceeds()));
        }
        assertThat(stats.get(0).nrTried()).as("the cold half was tried").isPositive();
        assertThat(stats.get(0).szApplied()).as("stat applies nothing").isZero();
        assertThat(stats.get(1).szApplied()).isPositive().isEqualTo(primitive.pagedOut.get());
        assertThat(Files.readString(file)).contains("\"damos_stats\": {\"nr_tried\": ")
                .contains("\"scheme_action\": \"pageout\"").contains("\"not_counted\": [\"sz_ops_filter_passed\"]");
    }

    @Test
    void aRepairOfTheRunningLayoutKeepsTheSchemesRecords() throws Exception {
        Path file = dir.resolve("damon.data");
        MonitoringContext ctx = run("cut", file, new PagingHotHalf());
        RecordingCallbackTest.awaitAggregations(ctx, 12);
        Path copy = Files.copy(file, dir.resolve("cut.data")); // as a crash leaves it: the running layout
        engine.stop(List.of(ctx));

        Recording cut = RecordReader.read(copy);
        assertThat(cut.needsRepair()).isTrue();
        assertThat(cut.schemeRecords()).isNotEmpty();
        RecordRepair.repair(copy);
        Recording repaired = RecordReader.read(copy);
        assertThat(repaired.needsRepair()).isFalse();
        assertThat(repaired.records()).hasSize(1);
        assertThat(repaired.schemeRecords()).hasSameSizeAs(cut.schemeRecords());
        for (int i = 0; i < cut.schemeRecords().size(); i++) {
            TargetRecord before = cut.schemeRecords().get(i);
            TargetRecord after = repaired.schemeRecords().get(i);
            assertThat(after.schemeIdx()).isEqualTo(before.schemeIdx());
            assertThat(after.schemeAction()).isEqualTo(before.schemeAction());
            assertThat(after.snapshots()).isEqualTo(before.snapshots());
        }
    }

    @Test
    void damoReadsTheFileWithItsSchemesRecords() throws Exception {
        Damo.assumeAvailable();
        Path file = dir.resolve("damon.data");
        MonitoringContext ctx = run("damo", file, new PagingHotHalf());
        RecordingCallbackTest.awaitAggregations(ctx, 12);
        engine.stop(List.of(ctx));
        Recording rec = RecordReader.read(file);

        Damo.Run records = Damo.exec("report", "access", "-i", file.toString());
        assertThat(records.exit()).as("damo report access: %s", records.output()).isZero();
        assertThat(records.output()).contains("kdamond 0 / context 0 / scheme None / target id 0 /")
                .contains("/ scheme 0 / target id 0 /").contains("/ scheme 1 / target id 0 /");
        Damo.Run stats = Damo.exec("report", "access", "-i", file.toString(), "--format", "set", "snapshot_head",
                "<damos stats>", "--format", "set", "region", "");
        assertThat(stats.exit()).as("damo report access: %s", stats.output()).isZero();
        for (TargetRecord r : rec.schemeRecords()) {
            DamosStats last = r.snapshots().get(r.snapshots().size() - 1).damosStats().orElseThrow();
            assertThat(stats.output()).as("scheme %d's last counters as damo prints them", r.schemeIdx())
                    .contains("tried " + String.format(java.util.Locale.ROOT, "%,d", last.nrTried()) + " times");
        }
    }
}
