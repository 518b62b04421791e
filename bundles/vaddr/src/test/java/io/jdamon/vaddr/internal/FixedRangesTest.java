package io.jdamon.vaddr.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.Callback;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextView;
import io.jdamon.api.InvalidTargetException;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.MonitoringContext;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.StartMode;
import io.jdamon.api.TargetSnapshot;
import io.jdamon.core.internal.DamonEngine;
import io.jdamon.units.UnitFormat;

/**
 * damo's fixed address ranges ({@code -r}, here {@code range=START-END}): a
 * real process is monitored in those ranges only, through updates, and its
 * working set comes from the regions there.
 */
@Timeout(60)
class FixedRangesTest {

    private final VaddrPrimitive vaddr = new VaddrPrimitive();

    @Test
    void onlyTheFixedRangeIsMonitoredThroughUpdates() throws Exception {
        try (AccessHelper helper = AccessHelper.start(8, 8, "read", -1)) {
            // the hot area, its end not page-aligned: widened to the page (the cold area is left out)
            long end = helper.hotEnd - 100;
            String spec = "pid=" + helper.pid() + ",sensor=referenced,range=" + UnitFormat.address(helper.hotStart)
                    + "-" + UnitFormat.address(end);
            DamonEngine engine = new DamonEngine();
            // a short update interval: the mappings are read, and the ranges must stay as given
            MonitoringContext ctx = engine.newContext(new ContextDefinition("fixed", VaddrPrimitive.NAME,
                    List.of(spec), new MonitoringAttributes(5_000, 100_000, 100_000, 10, 1_000)), vaddr);
            CountDownLatch aggregations = new CountDownLatch(8);
            AtomicReference<String> outside = new AtomicReference<>();
            ctx.addCallback("watch", new Callback() {
                @Override
                public CallbackResult afterAggregation(ContextView view) {
                    var t = view.target(0);
                    long lo = t.regionStart(0);
                    long hi = t.regionEnd(t.regionCount() - 1);
                    if (lo != helper.hotStart || hi != ((end + 4095) & -4096L)) {
                        outside.compareAndSet(null, "regions span " + UnitFormat.address(lo) + "-"
                                + UnitFormat.address(hi) + " at aggregation " + view.aggregationsPassed());
                    }
                    aggregations.countDown();
                    return CallbackResult.CONTINUE;
                }
            });
            engine.start(List.of(ctx), StartMode.SHARED);
            try {
                assertThat(aggregations.await(30, TimeUnit.SECONDS)).as("monitored: " + ctx.status()).isTrue();
                assertThat(outside.get()).as("every aggregation's regions cover exactly the fixed range").isNull();
                AggregationSnapshot last = ctx.lastAggregation().orElseThrow();
                TargetSnapshot t = last.targets().get(0);
                assertThat(t.measuredRounds()).as("no mapping-level measurement: a range may cut a mapping")
                        .isEmpty();
                long hotAccessed = 0;
                for (RegionSnapshot r : t.regions()) {
                    if (r.nrAccesses() > 0 && r.start() < helper.hotEnd) {
                        hotAccessed += Math.min(r.end(), helper.hotEnd) - r.start();
                    }
                }
                assertThat(hotAccessed).as("the hot area is seen accessed").isPositive();
                assertThat(ctx.status().primitiveProperties().get("ranges")).startsWith("fixed "
                        + UnitFormat.address(helper.hotStart) + "-");
            } finally {
                engine.stop(List.of(ctx));
                ctx.awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void badRangesAreRefusedNamingTheSyntax() {
        assertThatThrownBy(() -> TargetSpec.parse("pid=1,range=0x2000")).isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining("is not START-END");
        assertThatThrownBy(() -> TargetSpec.parse("pid=1,range=0x3000-0x2000"))
                .hasMessageContaining("the start is not below the end");
        assertThatThrownBy(() -> TargetSpec.parse("pid=1,range=0x1000-0x3000,range=0x2000-0x4000"))
                .hasMessageContaining("range 0x2000-0x4000 overlaps 0x1000-0x3000");
        assertThatThrownBy(() -> TargetSpec.parse("pid=1,range=soon-later")).hasMessageContaining("not an address");
        assertThat(TargetSpec.parse("pid=1,range=1MiB-2MiB,range=4096-8192").ranges())
                .containsExactly(4096, 8192, 1 << 20, 2 << 20);
        assertThat(VaddrPrimitive.pageAligned(new long[] {0x1001, 0x1800, 0x1800, 0x2001}))
                .as("widened to pages, and joined where they then touch").containsExactly(0x1000, 0x3000);
    }
}
