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
