package io.jdamon.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.jdamon.api.AccessPattern;
import io.jdamon.api.InvalidAttributesException;
import io.jdamon.api.QuotaGoal;
import io.jdamon.api.Scheme;
import io.jdamon.api.SchemeFilter;
import io.jdamon.api.Watermarks;

/** Schemes in damo's flags, read as damo reads them. */
class DamosArgsTest {

    private static List<Scheme> parse(String line) {
        return DamosArgs.parse(List.of(line.trim().split("\\s+")));
    }

    @Test
    void aReclaimSchemeReadsAsDamoWritesIt() {
        Scheme s = parse("--damos_action pageout --damos_access_rate 0% 0% --damos_age 5s max"
                + " --damos_sz_region 4K max --damos_quotas 10ms 128M 1s 0 0 1"
                + " --damos_wmarks free_mem_rate 5s 500 400 200 --damos_apply_interval 1s").get(0);
        assertThat(s.action()).isEqualTo(Scheme.PAGEOUT);
        AccessPattern p = s.pattern();
        assertThat(p.accessUnit()).isEqualTo(AccessPattern.AccessUnit.PERCENT);
        assertThat(p.minNrAccesses()).isZero();
        assertThat(p.maxNrAccesses()).isZero();
        assertThat(p.ageUnit()).isEqualTo(AccessPattern.AgeUnit.MICROSECONDS);
        assertThat(p.minAge()).isEqualTo(5_000_000);
        assertThat(p.maxAge()).isEqualTo(Long.MAX_VALUE);
        assertThat(p.minSizeBytes()).isEqualTo(4096);
        assertThat(p.maxSizeBytes()).isEqualTo(Long.MAX_VALUE);
        assertThat(s.quota().timeMs()).isEqualTo(10);
        assertThat(s.quota().sizeBytes()).isEqualTo(128L << 20);
        assertThat(s.quota().resetIntervalMs()).isEqualTo(1_000);
        assertThat(s.quota().weightAge()).isEqualTo(1);
        assertThat(s.watermarks().metric()).isEqualTo(Watermarks.Metric.FREE_MEM_RATE);
        assertThat(s.watermarks().checkIntervalUs()).isEqualTo(5_000_000);
        assertThat(s.watermarks().high()).isEqualTo(500);
        assertThat(s.watermarks().low()).isEqualTo(200);
        assertThat(s.applyIntervalUs()).isEqualTo(1_000_000);
    }

    @Test
    void bareNumbersAreDamosUnitsAndOpenBoundsAreMinAndMax() {
        Scheme s = parse("--damos_action stat --damos_access_rate min max --damos_age 100 200"
                + " --damos_sz_region 4,096 8192 --damos_quotas 5 0").get(0);
        assertThat(s.pattern().minNrAccesses()).isZero();
        assertThat(s.pattern().maxNrAccesses()).isEqualTo(100);
        assertThat(s.pattern().minAge()).as("microseconds").isEqualTo(100);
        assertThat(s.pattern().minSizeBytes()).isEqualTo(4096);
        assertThat(s.quota().timeMs()).as("milliseconds").isEqualTo(5);
        assertThat(s.quota().resetIntervalMs()).as("damo's default: max").isPositive();
    }

    @Test
    void theNthValueOfEachFlagBelongsToTheNthScheme() {
        List<Scheme> schemes = parse("--damos_action stat --damos_action pageout --damos_access_rate 1 2"
                + " --damos_access_rate 0 0 --damos_quota_goal user_input 100 50 --damos_nr_quota_goals 0 1"
                + " --damos_filter reject none target 1 --damos_filter allow anon --damos_nr_filters 1 1");
        assertThat(schemes).extracting(Scheme::action).containsExactly(Scheme.STAT, Scheme.PAGEOUT);
        assertThat(schemes.get(0).pattern().maxNrAccesses()).isEqualTo(2);
        assertThat(schemes.get(1).pattern().maxNrAccesses()).isZero();
        assertThat(schemes.get(0).quota().goals()).isEmpty();
        assertThat(schemes.get(1).quota().goals()).containsExactly(QuotaGoal.of(QuotaGoal.USER_INPUT, 100)
                .withCurrentValue(50));
        assertThat(schemes.get(0).filters()).containsExactly(SchemeFilter.target(1, false, false));
        assertThat(schemes.get(1).filters()).containsExactly(SchemeFilter.ofType("anon", true, true));
    }

    @Test
    void filtersTakeDamosNewerAndOlderForms() {
        assertThat(parse("--damos_action stat --damos_filter reject none addr 0x1000 0x2000").get(0).filters())
                .containsExactly(SchemeFilter.address(0x1000, 0x2000, false, false));
        assertThat(parse("--damos_action stat --damos_filter addr matching 4K 8K allow").get(0).filters())
                .containsExactly(SchemeFilter.address(4096, 8192, true, true));
        assertThat(parse("--damos_action stat --damos_filter anon nomatching").get(0).filters())
                .containsExactly(SchemeFilter.ofType("anon", false, false));
    }

    @Test
    void aWrongFlagIsNamedWithTheFix() {
        assertThatThrownBy(() -> parse("--damos_access_rate 0 0")).isInstanceOf(InvalidAttributesException.class)
                .hasMessageContaining("--damos_access_rate comes without --damos_action");
        assertThatThrownBy(() -> parse("--damos_action stat --damos_age soon max"))
                .hasMessageContaining("--damos_age 'soon' is not a time");
        assertThatThrownBy(() -> parse("--damos_action stat --damos_sz_region 4K"))
                .hasMessageContaining("--damos_sz_region takes 2 value(s), not 1");
        assertThatThrownBy(() -> parse("--damos_action stat --damos_action stat --damos_filter allow anon"))
                .hasMessageContaining("--damos_nr_filters is needed");
        assertThatThrownBy(() -> parse("--damos_action stat --damos_quota_goal_tuner temporal"))
                .hasMessageContaining("is not taken");
        assertThatThrownBy(() -> parse("--damos_action stat --damos_frobnicate 1"))
                .hasMessageContaining("is not a DAMOS flag jdamon takes");
        assertThatThrownBy(() -> parse("--damos_action stat --damos_access_rate 0 150"))
                .hasMessageContaining("above 100%");
        assertThatThrownBy(() -> parse("--damos_action stat --damos_wmarks free 1s 500 400 200"))
                .hasMessageContaining("metric 'free' is not known");
        assertThat(DamosArgs.parse(List.of())).isEmpty();
    }
}
