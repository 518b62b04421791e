package io.jdamon.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.api.ContextDefinition;
import io.jdamon.api.ContextState;
import io.jdamon.api.ContextStatus;
import io.jdamon.api.IntervalsGoal;
import io.jdamon.api.InvalidAttributesException;
import io.jdamon.api.MonitoringAttributes;
import io.jdamon.api.RegionSnapshot;
import io.jdamon.api.StopReason;
import io.jdamon.api.TargetSnapshot;

/**
 * API 2.0's value types are classes that grow through builders: a builder
 * makes what the constructor makes, checks the same way, and round-trips
 * through {@code toBuilder}; equality stays by value.
 */
class ApiValueTypesTest {

    @Test
    void attributesFromTheBuilderAreTheConstructorsAndAreCheckedTheSameWay() {
        IntervalsGoal goal = new IntervalsGoal(4, 400, 5_000, 10_000_000);
        MonitoringAttributes built = MonitoringAttributes.builder().sampleIntervalUs(10_000)
                .aggregationIntervalUs(200_000).updateIntervalUs(1_000_000).nrRegions(20, 500).intervalsGoal(goal)
                .build();
        MonitoringAttributes made = new MonitoringAttributes(10_000, 200_000, 1_000_000, 20, 500, goal);
        assertThat(built).isEqualTo(made).hasSameHashCodeAs(made);
        assertThat(built.toBuilder().build()).isEqualTo(built);
        assertThat(MonitoringAttributes.builder().build()).isEqualTo(MonitoringAttributes.DEFAULTS);
        assertThat(built.withSampleIntervalUs(5_000)).isNotEqualTo(built);
        assertThat(built.toString()).contains("sampleIntervalUs=10000", "maxNrRegions=500");
        assertThatThrownBy(() -> MonitoringAttributes.builder().nrRegions(50, 20).build())
                .isInstanceOf(InvalidAttributesException.class).hasMessageContaining("maxNrRegions (20)");
    }

    @Test
    void aDefinitionFromTheBuilderIsTheConstructorsAndIsChecked() {
        ContextDefinition built = ContextDefinition.builder("ctx", "sim").target("virtual:stairs_30secs")
                .attributes(MonitoringAttributes.DEFAULTS.withNrRegions(5, 50)).build();
        ContextDefinition made = new ContextDefinition("ctx", "sim", List.of("virtual:stairs_30secs"),
                MonitoringAttributes.DEFAULTS.withNrRegions(5, 50));
        assertThat(built).isEqualTo(made).hasSameHashCodeAs(made);
        assertThat(built.toBuilder().name("other").build().name()).isEqualTo("other");
        assertThat(built.targets()).isUnmodifiable();
        assertThatThrownBy(() -> ContextDefinition.builder("ctx", "sim").build())
                .isInstanceOf(InvalidAttributesException.class).hasMessageContaining("needs at least one");
    }

    @Test
    void aStatusFromTheBuilderIsTheConstructors() {
        ContextStatus built = ContextStatus.builder("ctx", ContextState.STOPPED).detail("done")
                .primitive("sim", Map.of("k", "v")).counts(40, 2, 12).stopReason(StopReason.STOP_REQUESTED)
                .build();
        ContextStatus made = new ContextStatus("ctx", ContextState.STOPPED, "done", "sim", Map.of("k", "v"),
                MonitoringAttributes.DEFAULTS, java.util.Optional.empty(), 40, 2, 12,
                java.util.Optional.of(StopReason.STOP_REQUESTED));
        assertThat(built).isEqualTo(made).hasSameHashCodeAs(made);
        assertThat(built.threadName()).isEmpty();
    }

    @Test
    void snapshotsFromTheBuildersAreTheConstructors() {
        List<RegionSnapshot> regions = List.of(new RegionSnapshot(0, 4096, 3, 1));
        TargetSnapshot target = TargetSnapshot.builder(0, "all").regions(regions).build();
        assertThat(target).isEqualTo(new TargetSnapshot(0, "all", regions, List.of()));
        AggregationSnapshot built = AggregationSnapshot.builder("ctx", 7).times(1_000, 101_000)
                .intervalsUs(5_000, 100).aggregationSamples(20).targets(List.of(target)).build();
        AggregationSnapshot made = new AggregationSnapshot("ctx", 7, 1_000, 101_000, 5_000, 100, 20, List.of(target));
        assertThat(built).isEqualTo(made).hasSameHashCodeAs(made);
        assertThat(built.workingSetBytes()).isEqualTo(4096);
        assertThat(built.targets()).isUnmodifiable();
    }

    @Test
    void aSchemeIsCheckedAtBuildNamingTheSettingAndTheFix() {
        assertThatThrownBy(() -> io.jdamon.api.Scheme.builder("Page Out").build())
                .isInstanceOf(InvalidAttributesException.class).hasMessageContaining("action 'Page Out' is not valid");
        assertThatThrownBy(() -> io.jdamon.api.Scheme.builder("stat").nrAccesses(5, 2).build())
                .hasMessageContaining("nrAccesses range 5..2 is not valid");
        assertThatThrownBy(() -> io.jdamon.api.Scheme.builder("stat").quota(0, 4096, Long.MAX_VALUE).build())
                .as("a reset interval whose nanoseconds overflow").hasMessageContaining("reset interval of 1 to");
        assertThatThrownBy(() -> io.jdamon.api.Scheme.builder("stat")
                .watermarks(io.jdamon.api.Watermarks.Metric.FREE_MEM_RATE, Long.MAX_VALUE, 500, 400, 200).build())
                .hasMessageContaining("check interval of 1 to");
        assertThatThrownBy(() -> io.jdamon.api.Scheme.builder("stat")
                .watermarks(io.jdamon.api.Watermarks.Metric.FREE_MEM_RATE, 1_000, 300, 400, 200).build())
                .hasMessageContaining("1000 >= high >= mid >= low >= 0");
        io.jdamon.api.Scheme s = io.jdamon.api.Scheme.builder("stat").quota(10, 0, 1_000).build();
        assertThat(s.toBuilder().build()).isEqualTo(s).hasSameHashCodeAs(s);
        assertThat(s.quota().limits()).isTrue();
    }
}
