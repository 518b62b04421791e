package io.jdamon.core.internal.osgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jdamon.api.IntervalsGoal;
import io.jdamon.api.MonitoringAttributes;

/** Checking a context's factory configuration, without OSGi. */
class ContextConfigurationTest {

    private static final String PID = "io.jdamon.context~heap";

    private static Map<String, Object> minimal() {
        Map<String, Object> p = new HashMap<>();
        p.put("service.pid", PID);
        p.put("service.factoryPid", "io.jdamon.context");
        p.put("component.name", "io.jdamon.context");
        p.put("component.id", 7L);
        p.put("felix.fileinstall.filename", "file:/deploy/io.jdamon.context-heap.cfg");
        p.put("primitive", "sim");
        p.put("targets", "stairs");
        return p;
    }

    @Test
    void minimalConfigurationTakesTheDefaultsAndItsNameFromThePid() {
        ContextConfiguration c = ContextConfiguration.parse(PID, minimal());
        assertThat(c.problems()).isEmpty();
        assertThat(c.isValid()).isTrue();
        assertThat(c.name()).isEqualTo("heap");
        assertThat(c.definition().primitiveName()).isEqualTo("sim");
        assertThat(c.definition().targets()).containsExactly("stairs");
        assertThat(c.definition().attributes()).isEqualTo(MonitoringAttributes.DEFAULTS);
        assertThat(c.callbackNames()).isEmpty();
    }

    @Test
    void stringsFromCfgFilesAndTypedValuesBothWork() {
        Map<String, Object> p = minimal();
        p.put("name", "heap-watch");
        p.put("targets", "pid=1, pid=2");
        p.put("sampleIntervalUs", "1000");
        p.put("aggregationIntervalUs", 50_000L);
        p.put("updateIntervalUs", 1_000_000);
        p.put("minNrRegions", "20");
        p.put("maxNrRegions", 500);
        p.put("callbacks", new String[] { "record", "report" });
        ContextConfiguration c = ContextConfiguration.parse(PID, p);
        assertThat(c.problems()).isEmpty();
        assertThat(c.name()).isEqualTo("heap-watch");
        assertThat(c.definition().targets()).containsExactly("pid=1", "pid=2");
        assertThat(c.definition().attributes()).isEqualTo(new MonitoringAttributes(1_000, 50_000, 1_000_000, 20, 500));
        assertThat(c.callbackNames()).containsExactly("record", "report");
    }

    @Test
    void everyProblemIsReportedWithThePidTheKeyAndTheFix() {
        Map<String, Object> p = minimal();
        p.remove("primitive");
        p.put("sampleInterval", 5);
        p.put("aggregationIntervalUs", 1.5d);
        p.put("minNrRegions", "many");
        p.put("callbacks", 42);
        ContextConfiguration c = ContextConfiguration.parse(PID, p);
        assertThat(c.isValid()).isFalse();
        assertThat(c.problems()).hasSize(5).allSatisfy(m -> assertThat(m).startsWith("configuration " + PID + ": key '"));
        assertThat(c.problemText())
                .contains("key 'primitive': missing")
                .contains("key 'sampleInterval': unknown key (did you mean 'sampleIntervalUs'?)")
                .contains("key 'aggregationIntervalUs': has the wrong type (Double '1.5')")
                .contains("key 'minNrRegions': 'many' is not a whole number")
                .contains("key 'callbacks': has the wrong type");
        assertThat(c.problemText()).doesNotContain("service.pid").doesNotContain("felix.fileinstall");
    }

    @Test
    void attributeRulesComeFromTheApiWithTheirKey() {
        Map<String, Object> p = minimal();
        p.put("sampleIntervalUs", 200_000L);
        ContextConfiguration c = ContextConfiguration.parse(PID, p);
        assertThat(c.problems()).singleElement().asString()
                .startsWith("configuration " + PID + ": key 'sampleIntervalUs': ")
                .contains("aggregationIntervalUs");

        p = minimal();
        p.put("minNrRegions", 2);
        assertThat(ContextConfiguration.parse(PID, p).problemText()).contains("key 'minNrRegions'");
    }

    @Test
    void targetsAndNamesAreChecked() {
        Map<String, Object> p = minimal();
        p.put("targets", " , ");
        assertThat(ContextConfiguration.parse(PID, p).problemText()).contains("key 'targets': no target given");

        p = minimal();
        p.remove("targets");
        assertThat(ContextConfiguration.parse(PID, p).problemText()).contains("key 'targets': missing");

        p = minimal();
        p.put("name", "white space");
        ContextConfiguration c = ContextConfiguration.parse(PID, p);
        assertThat(c.problemText()).contains("key 'name': 'white space' is not a valid context name");
        assertThat(c.name()).as("the name it is reported under").isEqualTo("heap");

        p = minimal();
        p.put("callbacks", List.of("record", "record"));
        assertThat(ContextConfiguration.parse(PID, p).problemText()).contains("names a callback twice");
    }

    @Test
    void defaultNamesComeFromNamedAndGeneratedPids() {
        assertThat(ContextConfiguration.defaultName("io.jdamon.context~foo", null)).isEqualTo("foo");
        assertThat(ContextConfiguration.defaultName("io.jdamon.context.1b2c-3d", null)).isEqualTo("1b2c-3d");
        assertThat(ContextConfiguration.defaultName("io.jdamon.context~a b", null)).isEqualTo("a_b");
    }

    @Test
    void intervalsAutoTuningIsOffUnlessItsAggrsAreSetAndThenTakesDamonsRecommendations() {
        assertThat(ContextConfiguration.parse(PID, minimal()).definition().attributes().intervalsGoal())
                .isEqualTo(IntervalsGoal.NONE);
        Map<String, Object> p = minimal();
        p.put("intervalsGoalAggrs", 3);
        assertThat(ContextConfiguration.parse(PID, p).definition().attributes().intervalsGoal())
                .isEqualTo(IntervalsGoal.RECOMMENDED);
        p.put("intervalsGoalAccessBp", "20000");
        assertThat(ContextConfiguration.parse(PID, p).problemText())
                .contains("key 'intervalsGoalAggrs'").contains("access_bp is 20000; give 1 to 10000");
        p.put("intervalsGoalAccessBp", 400);
        p.put("intervalsGoalMinSampleUs", "fast");
        assertThat(ContextConfiguration.parse(PID, p).problemText()).contains("key 'intervalsGoalMinSampleUs'")
                .contains("'fast' is not a whole number");
    }

    @Test
    void aGeneratedPidWithAFileTakesTheFilesAlias() {
        // what Karaf's config:edit --factory --alias y io.jdamon.context makes
        Map<String, Object> p = minimal();
        p.put("felix.fileinstall.filename", "file:/opt/karaf/etc/io.jdamon.context-y.cfg");
        assertThat(ContextConfiguration.parse("io.jdamon.context.5f0e-77", p).name()).isEqualTo("y");
        assertThat(ContextConfiguration.defaultName("io.jdamon.context.5f0e-77", "/etc/io.jdamon.context-heap.config"))
                .isEqualTo("heap");
        // a named PID keeps its name; a file not named after the factory, or without an alias, gives none
        assertThat(ContextConfiguration.defaultName("io.jdamon.context~x", "file:/e/io.jdamon.context-y.cfg"))
                .isEqualTo("x");
        assertThat(ContextConfiguration.defaultName("io.jdamon.context.1", "file:/e/other-y.cfg")).isEqualTo("1");
        assertThat(ContextConfiguration.defaultName("io.jdamon.context.1", "file:/e/io.jdamon.context-.cfg"))
                .isEqualTo("1");
    }

    @Test
    void onlyAttributeOrCallbackChangesKeepTheRun() {
        ContextConfiguration a = ContextConfiguration.parse(PID, minimal());
        Map<String, Object> p = minimal();
        p.put("aggregationIntervalUs", 200_000L);
        p.put("callbacks", "record");
        assertThat(a.sameRun(ContextConfiguration.parse(PID, p))).isTrue();
        p.put("targets", "sine");
        assertThat(a.sameRun(ContextConfiguration.parse(PID, p))).isFalse();
    }

    @Test
    void schemesAreReadFromDamosFlagsAndAWrongOneIsNamedWithTheKey() {
        java.util.Map<String, Object> p = new java.util.HashMap<>(minimal());
        p.put("schemes", "--damos_action stat --damos_access_rate 0% 0% --damos_sz_region 4,096 max");
        ContextConfiguration c = ContextConfiguration.parse(PID, p);
        assertThat(c.problems()).isEmpty();
        assertThat(c.definition().schemes()).hasSize(1);
        assertThat(c.definition().schemes().get(0).pattern().minSizeBytes()).as("separators kept").isEqualTo(4096);
        p.put("schemes", new String[] {"--damos_action stat", "--damos_action stat --damos_nr_filters 0 0"});
        assertThat(ContextConfiguration.parse(PID, p).definition().schemes()).hasSize(2);
        p.put("schemes", "--damos_action stat --damos_age later max");
        ContextConfiguration bad = ContextConfiguration.parse(PID, p);
        assertThat(bad.isValid()).isFalse();
        assertThat(bad.problemText()).contains("key 'schemes'", "--damos_age 'later' is not a time");
    }
}
