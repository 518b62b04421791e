package io.jdamon.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.InvalidAttributesException;
import io.jdamon.api.MonitoringAttributes;

/** Attribute defaults and validation, as the API bundle defines them. */
class MonitoringAttributesTest {

    @Test
    void defaultsAreTheSeeds() {
        MonitoringAttributes d = MonitoringAttributes.DEFAULTS;
        assertThat(d.sampleIntervalUs()).isEqualTo(5_000);
        assertThat(d.aggregationIntervalUs()).isEqualTo(100_000);
        assertThat(d.updateIntervalUs()).isEqualTo(60_000_000);
        assertThat(d.minNrRegions()).isEqualTo(10);
        assertThat(d.maxNrRegions()).isEqualTo(1_000);
        assertThat(d.samplesPerAggregation()).isEqualTo(20);
        assertThat(d.samplesPerUpdate()).isEqualTo(12_000);
    }

    @Test
    void invalidValuesNameTheirField() {
        assertField(() -> MonitoringAttributes.DEFAULTS.withSampleIntervalUs(0), "sampleIntervalUs", "positive");
        assertField(() -> MonitoringAttributes.DEFAULTS.withAggregationIntervalUs(-5), "aggregationIntervalUs",
                "positive");
        assertField(() -> MonitoringAttributes.DEFAULTS.withUpdateIntervalUs(0), "updateIntervalUs", "positive");
        assertField(() -> MonitoringAttributes.DEFAULTS.withSampleIntervalUs(200_000), "sampleIntervalUs",
                "longer than aggregationIntervalUs");
        assertField(() -> MonitoringAttributes.DEFAULTS.withNrRegions(2, 100), "minNrRegions", "at least 3");
        assertField(() -> MonitoringAttributes.DEFAULTS.withNrRegions(50, 20), "maxNrRegions",
                "smaller than minNrRegions");
    }

    @Test
    void ratiosThatDoNotFitAreRejectedWithTheLimitAndTheFix() {
        // record -s 1ms -a 4294967296000: 2^32 samples per aggregation, an int cast to 0 once
        assertField(() -> new MonitoringAttributes(1_000, 4_294_967_296_000L, 60_000_000, 10, 1_000),
                "aggregationIntervalUs", "4294967296 samples per aggregation");
        // 2^31 samples: once a negative int, so every sample aggregated
        assertField(() -> new MonitoringAttributes(1, 1L << 31, 60_000_000, 10, 1_000), "aggregationIntervalUs",
                "more than the 16777216 allowed");
        assertField(() -> new MonitoringAttributes(1, 1L << 31, 60_000_000, 10, 1_000), "aggregationIntervalUs",
                "shorten the aggregation interval to at most 16777216 us or lengthen the sample interval to at least 128 us");
        MonitoringAttributes largest = new MonitoringAttributes(1, MonitoringAttributes.MAX_SAMPLES_PER_AGGREGATION,
                60_000_000, 10, 1_000);
        assertThat(largest.samplesPerAggregation()).isEqualTo(MonitoringAttributes.MAX_SAMPLES_PER_AGGREGATION);
    }

    @Test
    void intervalsBeyondAYearAreRejected() {
        assertField(() -> MonitoringAttributes.DEFAULTS.withUpdateIntervalUs(Long.MAX_VALUE), "updateIntervalUs",
                "at most " + MonitoringAttributes.MAX_INTERVAL_US);
        assertField(() -> new MonitoringAttributes(Long.MAX_VALUE, Long.MAX_VALUE, 1, 10, 20), "sampleIntervalUs",
                "366 days");
        MonitoringAttributes slow = MonitoringAttributes.DEFAULTS.withUpdateIntervalUs(MonitoringAttributes.MAX_INTERVAL_US)
                .withSampleIntervalUs(1).withAggregationIntervalUs(1_000);
        assertThat(slow.samplesPerUpdate()).isEqualTo(MonitoringAttributes.MAX_INTERVAL_US);
    }

    @Test
    void definitionsNeedANameAPrimitiveAndTargets() {
        assertField(() -> ContextDefinition.of("bad name!", "sim", "stairs"), "name", "letters, digits");
        assertField(() -> ContextDefinition.of("ok", " ", "stairs"), "primitive", "names no primitive");
        assertField(() -> new ContextDefinition("ok", "sim", List.of(), MonitoringAttributes.DEFAULTS), "targets",
                "at least one");
        assertField(() -> ContextDefinition.of("ok", "sim", ""), "targets", "non-empty");
    }

    private static void assertField(Runnable invalid, String field, String messagePart) {
        assertThatThrownBy(invalid::run).isInstanceOfSatisfying(InvalidAttributesException.class, e -> {
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).contains(messagePart);
        });
    }
}
