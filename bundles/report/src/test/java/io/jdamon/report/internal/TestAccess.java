package io.jdamon.report.internal;

import java.util.List;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.report.Range;

/** The internal choices tests compare with damo's. */
public final class TestAccess {

    private TestAccess() {
    }

    public static Range hottest(List<Range> covered, List<AggregationSnapshot> snaps) {
        return HeatmapCommand.hottest(covered, snaps);
    }
}
