package io.jdamon.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.jdamon.api.IntervalsGoal;
import io.jdamon.api.MonitoringAttributes;

class RecordOptionsTest {

    @Test
    void noTargetRecordsTheStairsWorkloadWithDamoDefaults() {
        RecordOptions o = RecordOptions.parse();
        assertThat(o.primitive()).isEqualTo("sim");
        assertThat(o.targets()).containsExactly("stairs_30secs");
        assertThat(o.command()).isEmpty();
        assertThat(o.out()).isEqualTo("damon.data");
        assertThat(o.durationUs()).isZero();
        assertThat(o.attributes()).isEqualTo(new MonitoringAttributes(5_000, 100_000, 1_000_000, 10, 1_000));
        assertThat(o.help()).isFalse();
    }

    @Test
    void damoFlagsWithUnits() {
        RecordOptions o = RecordOptions.parse("--sim", "zigzag", "-o", "z.data", "--duration", "20s", "-s", "10ms",
                "-a", "200ms", "-u", "2s", "--nr_regions", "20,500");
        assertThat(o.targets()).containsExactly("zigzag");
        assertThat(o.out()).isEqualTo("z.data");
        assertThat(o.durationUs()).isEqualTo(20_000_000);
        assertThat(o.attributes()).isEqualTo(new MonitoringAttributes(10_000, 200_000, 2_000_000, 20, 500));
    }

    @Test
    void longFlagsTakeInlineValues() {
        RecordOptions o = RecordOptions.parse("--sim=virtual:stairs,size=1GiB", "--out=a.data", "--sample=100us",
                "--aggr=1ms", "--duration=1.5s");
        assertThat(o.targets()).containsExactly("virtual:stairs,size=1GiB");
        assertThat(o.out()).isEqualTo("a.data");
        assertThat(o.attributes().sampleIntervalUs()).isEqualTo(100);
        assertThat(o.attributes().aggregationIntervalUs()).isEqualTo(1_000);
        assertThat(o.durationUs()).isEqualTo(1_500_000);
    }

    @Test
    void pidIsAVaddrTarget() {
        RecordOptions o = RecordOptions.parse("--pid", "1234", "-d", "1m");
        assertThat(o.primitive()).isEqualTo("vaddr");
        assertThat(o.targets()).containsExactly("pid=1234");
        assertThat(o.durationUs()).isEqualTo(60_000_000);
    }

    @Test
    void sensorGoesIntoTheVaddrTarget() {
        RecordOptions o = RecordOptions.parse("--pid", "1234", "--sensor", "Referenced");
        assertThat(o.targets()).containsExactly("pid=1234,sensor=referenced");
        assertThat(o.needsUffdShim()).isFalse();
        RecordOptions c = RecordOptions.parse("--sensor=uffd-write", "--", "sleep", "5");
        assertThat(c.sensor()).isEqualTo("uffd-write");
        assertThat(c.targets()).isEmpty();
        assertThat(c.needsUffdShim()).isTrue();
        assertThat(c.vaddrTarget(7)).isEqualTo("pid=7,sensor=uffd-write");
        assertThat(RecordOptions.parse("--pid", "7", "--sensor", "uffd-write").needsUffdShim())
                .as("a running process cannot be given the shim").isFalse();
    }

    @Test
    void sensorWithoutAProcessIsRefused() {
        assertThatThrownBy(() -> RecordOptions.parse("--sim", "stairs", "--sensor", "referenced"))
                .isInstanceOf(RecordOptions.UsageException.class).hasMessageContaining("--pid N or -- CMD");
        assertThatThrownBy(() -> RecordOptions.parse("--pid", "1", "--sensor", "a,b"))
                .isInstanceOf(RecordOptions.UsageException.class).hasMessageContaining("not a sensor name");
        assertThatThrownBy(() -> RecordOptions.parse("--pid", "1", "--sensor"))
                .isInstanceOf(RecordOptions.UsageException.class).hasMessageContaining("--sensor needs a value");
    }

    @Test
    void everythingAfterDoubleDashIsTheCommand() {
        RecordOptions o = RecordOptions.parse("-o", "x.data", "--", "java", "-o", "--pid", "3");
        assertThat(o.primitive()).isEqualTo("vaddr");
        assertThat(o.targets()).isEmpty();
        assertThat(o.command()).containsExactly("java", "-o", "--pid", "3");
        assertThat(o.out()).isEqualTo("x.data");
    }

    @Test
    void anyPrimitiveWithItsTargets() {
        RecordOptions o = RecordOptions.parse("--primitive", "itest", "--target", "half", "--target", "all");
        assertThat(o.primitive()).isEqualTo("itest");
        assertThat(o.targets()).containsExactly("half", "all");
    }

    @Test
    void bareNumbersAreMicrosecondsAsInDamo() {
        assertThat(RecordOptions.parseTime("-s", "5000", "us")).isEqualTo(5_000);
        assertThat(RecordOptions.parseTime("-s", "5ms", "us")).isEqualTo(5_000);
        assertThat(RecordOptions.parseTime("-s", "2 s", "us")).isEqualTo(2_000_000);
        assertThat(RecordOptions.parseTime("-d", "1h", "us")).isEqualTo(3_600_000_000L);
        assertThat(RecordOptions.parseTime("-s", "250000ns", "us")).as("the units every command takes")
                .isEqualTo(250);
    }

    @Test
    void helpWins() {
        assertThat(RecordOptions.parse("--pid", "1", "--help").help()).isTrue();
        assertThat(RecordOptions.parse("-h").help()).isTrue();
    }

    @Test
    void badArgumentsNameTheProblemAndTheFix() {
        List<Object[]> cases = List.of(
                new Object[] {new String[] {"--bogus"}, "unknown option '--bogus'"},
                new Object[] {new String[] {"-s"}, "-s needs a value, e.g. -s 100ms"},
                new Object[] {new String[] {"-s", "5 parsecs"}, "is not a time; write e.g. 5ms, 2s or 100us"},
                new Object[] {new String[] {"-d", "0s"}, "is too short; give at least 1us"},
                new Object[] {new String[] {"-d", "99999999999h"}, "is too long; the most is 1000000000h"},
                new Object[] {new String[] {"-s", "1000000001h"}, "is too long; the most is 1000000000h"},
                new Object[] {new String[] {"--nr_regions", "10,99999999999"},
                        "99999999999 is too large; the most is 2147483647"},
                new Object[] {new String[] {"--nr_regions", "2147483648,2147483649"},
                        "is too large; the most is 2147483647"},
                new Object[] {new String[] {"--sim", ""}, "--sim needs a value, not an empty one, e.g. --sim stairs"},
                new Object[] {new String[] {"--sim", "  "}, "--sim needs a value, not an empty one"},
                new Object[] {new String[] {"--primitive", "", "--target", "x"}, "--primitive needs a value, not"},
                new Object[] {new String[] {"--primitive", "sim", "--target", ""}, "--target needs a value, not"},
                new Object[] {new String[] {""}, "an empty argument ('') is neither an option nor a target"},
                new Object[] {new String[] {"--pid", "abc"}, "is not a process ID"},
                new Object[] {new String[] {"--pid", "-4"}, "is not a process ID"},
                new Object[] {new String[] {"--nr_regions", "10"}, "must be MIN,MAX"},
                new Object[] {new String[] {"--nr_regions", "2,100"}, "must be at least 3"},
                new Object[] {new String[] {"--nr_regions", "100,20"}, "smaller than minNrRegions"},
                new Object[] {new String[] {"-s", "1s", "-a", "100ms"}, "-s/--sample"},
                new Object[] {new String[] {"--pid", "1", "--sim", "stairs"}, "name one target"},
                new Object[] {new String[] {"--primitive", "x"}, "needs at least one --target"},
                new Object[] {new String[] {"--target", "x"}, "--target needs --primitive"},
                new Object[] {new String[] {"--"}, "must be followed by the command"},
                new Object[] {new String[] {"--help=yes"}, "takes no value"},
                new Object[] {new String[] {"-o", ""}, "needs a file name"});
        for (Object[] c : cases) {
            String[] args = (String[]) c[0];
            assertThatThrownBy(() -> RecordOptions.parse(args)).as(String.join(" ", args))
                    .isInstanceOf(RecordOptions.UsageException.class)
                    .hasMessageContaining((String) c[1]);
        }
    }

    @Test
    void damosRecordFlagsInDamosSpelling() {
        RecordOptions o = RecordOptions.parse("--monitoring_intervals", "10000", "200ms", "2s",
                "--monitoring_nr_regions_range", "20", "500", "--timeout", "20", "--output_type", "json_compressed",
                "1234");
        assertThat(o.primitive()).isEqualTo("vaddr");
        assertThat(o.targets()).containsExactly("pid=1234");
        assertThat(o.attributes()).isEqualTo(new MonitoringAttributes(10_000, 200_000, 2_000_000, 20, 500));
        assertThat(o.durationUs()).as("--timeout's bare number is seconds, as damo's").isEqualTo(20_000_000);
        assertThat(o.outputType()).isEqualTo("json_compressed");
        assertThat(RecordOptions.parse("--timeout", "1.5").durationUs()).isEqualTo(1_500_000);
        assertThat(RecordOptions.parse().outputType()).as("plain JSON unless asked").isEqualTo("json");
    }

    @Test
    void theIntervalsGoalInDamosSpelling() {
        assertThat(RecordOptions.parse().attributes().intervalsGoal()).isEqualTo(IntervalsGoal.NONE);
        assertThat(RecordOptions.parse("--monitoring_intervals_goal", "4%", "3", "5ms", "10s").attributes()
                .intervalsGoal()).isEqualTo(IntervalsGoal.RECOMMENDED);
        assertThat(RecordOptions.parse("--monitoring_intervals_goal", "250", "5", "1000", "2000000").attributes()
                .intervalsGoal()).isEqualTo(new IntervalsGoal(250, 5, 1_000, 2_000_000));
        assertThat(RecordOptions.parse("--monitoring_intervals_autotune").attributes().intervalsGoal())
                .isEqualTo(IntervalsGoal.RECOMMENDED);
        for (Object[] c : List.of(
                new Object[] {new String[] {"--monitoring_intervals_goal", "lots", "3", "5ms", "10s"}, "write e.g. 400 or 4%"},
                new Object[] {new String[] {"--monitoring_intervals_goal", "4%", "0", "5ms", "10s"}, "AGGRS '0'"},
                new Object[] {new String[] {"--monitoring_intervals_goal", "4%", "3", "10s", "5ms"}, "1 <= min <= max"},
                new Object[] {new String[] {"--monitoring_intervals_goal", "200%", "3", "5ms", "10s"}, "give 1 to 10000"},
                new Object[] {new String[] {"--monitoring_intervals_goal", "4%", "3", "5ms"}, "needs 4 values"},
                new Object[] {new String[] {"--monitoring_intervals_autotune", "--monitoring_intervals_goal", "4%",
                    "3", "5ms", "10s"}, "not both"})) {
            String[] args = (String[]) c[0];
            assertThatThrownBy(() -> RecordOptions.parse(args)).as(String.join(" ", args))
                    .isInstanceOf(RecordOptions.UsageException.class).hasMessageContaining((String) c[1]);
        }
    }

    @Test
    void aPositionalCommandIsStartedAsDamoStartsIt() {
        RecordOptions argv = RecordOptions.parse("-o", "x.data", "sleep", "5", "-o", "y");
        assertThat(argv.command()).as("after the command, its own arguments").containsExactly("sleep", "5", "-o", "y");
        assertThat(argv.out()).isEqualTo("x.data");
        assertThat(argv.primitive()).isEqualTo("vaddr");
        RecordOptions shell = RecordOptions.parse("sleep 5 && true");
        assertThat(shell.command()).as("one argument with spaces: a shell command line, as damo runs it")
                .containsExactly("/bin/sh", "-c", "sleep 5 && true");
    }

    @Test
    void regionsAreDamosFixedAddressRanges() {
        RecordOptions o = RecordOptions.parse("--pid", "42", "-r", "0x2000-0x3000 4096-8,192", "--regions",
                "1MiB-2MiB");
        assertThat(o.ranges()).containsExactly(0x1000, 0x2000, 0x2000, 0x3000, 0x100000, 0x200000);
        assertThat(o.targets()).containsExactly("pid=42,range=0x1000-0x2000,range=0x2000-0x3000"
                + ",range=0x100000-0x200000");
        RecordOptions cmd = RecordOptions.parse("-r", "0x1000-0x2000", "--", "true");
        assertThat(cmd.vaddrTarget(9)).isEqualTo("pid=9,range=0x1000-0x2000");
    }

    @Test
    void damoFlagsWithoutAMeaningHereAreRefusedNamingWhatToDo() {
        List<Object[]> cases = List.of(
                new Object[] {new String[] {"-c", "s.json"}, "-c/--schemes is damo's and has no meaning here"},
                new Object[] {new String[] {"--ops", "paddr"}, "use --pid N or -- CMD for vaddr"},
                new Object[] {new String[] {"paddr"}, "not physical memory; give a PID or a command"},
                new Object[] {new String[] {"ongoing"}, "jdamon records its own contexts"},
                new Object[] {new String[] {"--output_permission", "644"}, "chmod"},
                new Object[] {new String[] {"--snapshot", "1", "10"}, "--snapshot_idx"},
                new Object[] {new String[] {"--include_child_tasks", "--pid", "1"}, "its own --pid"},
                new Object[] {new String[] {"--do_record", "access"}, "records accesses only"},
                new Object[] {new String[] {"-r", "10,1000"}, "--nr_regions 10,1000 or"
                        + " --monitoring_nr_regions_range 10 1000"},
                new Object[] {new String[] {"-r", "0x1000-0x2000"}, "a sim workload's addresses are its layout"},
                new Object[] {new String[] {"--pid", "1", "-r", "0x3000-0x2000"}, "the start is not below the end"},
                new Object[] {new String[] {"--pid", "1", "-r", "0x1000-0x3000", "-r", "0x2000-0x4000"},
                        "0x2000-0x4000 overlaps 0x1000-0x3000"},
                new Object[] {new String[] {"--pid", "1", "-r", "here-there"}, "is not an address"},
                new Object[] {new String[] {"-d", "1s", "--timeout", "2"}, "not both"},
                new Object[] {new String[] {"-s", "1ms", "--monitoring_intervals", "1", "2", "3"}, "not both"},
                new Object[] {new String[] {"--monitoring_intervals", "1ms", "2ms"}, "needs 3 values"},
                new Object[] {new String[] {"--monitoring_nr_regions_range", "2", "100"}, "must be at least 3"},
                new Object[] {new String[] {"--output_type", "perf_data"}, "write json or json_compressed"},
                new Object[] {new String[] {"--pid", "5", "6"}, "name one target"},
                new Object[] {new String[] {"7", "--", "true"}, "before '--'"});
        for (Object[] c : cases) {
            String[] args = (String[]) c[0];
            assertThatThrownBy(() -> RecordOptions.parse(args)).as(String.join(" ", args))
                    .isInstanceOf(RecordOptions.UsageException.class)
                    .hasMessageContaining((String) c[1]);
        }
    }

    @Test
    void damosFlagsGoToTheContextAsGivenAndTheRestIsReadAsBefore() {
        RecordOptions o = RecordOptions.parse("--damos_action", "pageout", "-s", "10ms", "--damos_access_rate", "0%",
                "0%", "--damos_age", "5s", "max", "--sim", "stairs");
        assertThat(o.schemeFlags()).containsExactly("--damos_action", "pageout", "--damos_access_rate", "0%", "0%",
                "--damos_age", "5s", "max");
        assertThat(o.attributes().sampleIntervalUs()).isEqualTo(10_000);
        assertThat(o.targets()).containsExactly("stairs");
        assertThat(RecordOptions.parse("--sim", "stairs").schemeFlags()).isEmpty();
        assertThatThrownBy(() -> RecordOptions.parse("-c", "schemes.json"))
                .hasMessageContaining("give each scheme with --damos_action");
    }
}
