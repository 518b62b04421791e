package io.jdamon.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

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
                "-a", "200ms", "-u", "2s", "--regions", "20,500");
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
        assertThat(RecordOptions.vaddrTarget(7, c.sensor())).isEqualTo("pid=7,sensor=uffd-write");
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
        assertThat(RecordOptions.parseTimeUs("-s", "5000")).isEqualTo(5_000);
        assertThat(RecordOptions.parseTimeUs("-s", "5ms")).isEqualTo(5_000);
        assertThat(RecordOptions.parseTimeUs("-s", "2 s")).isEqualTo(2_000_000);
        assertThat(RecordOptions.parseTimeUs("-d", "1h")).isEqualTo(3_600_000_000L);
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
                new Object[] {new String[] {"sleep"}, "write it after '--'"},
                new Object[] {new String[] {"-s"}, "-s needs a value, e.g. -s 100ms"},
                new Object[] {new String[] {"-s", "5 parsecs"}, "is not a time; write a number with a unit"},
                new Object[] {new String[] {"-d", "0s"}, "is too short; give at least 1us"},
                new Object[] {new String[] {"-d", "99999999999h"}, "is too long; the most is 1000000000h"},
                new Object[] {new String[] {"-s", "1000000001h"}, "is too long; the most is 1000000000h"},
                new Object[] {new String[] {"-r", "10,99999999999"}, "99999999999 is too large; the most is 2147483647"},
                new Object[] {new String[] {"-r", "2147483648,2147483649"}, "is too large; the most is 2147483647"},
                new Object[] {new String[] {"--sim", ""}, "--sim needs a value, not an empty one, e.g. --sim stairs"},
                new Object[] {new String[] {"--sim", "  "}, "--sim needs a value, not an empty one"},
                new Object[] {new String[] {"--primitive", "", "--target", "x"}, "--primitive needs a value, not"},
                new Object[] {new String[] {"--primitive", "sim", "--target", ""}, "--target needs a value, not"},
                new Object[] {new String[] {""}, "an empty argument ('') is neither an option nor a target"},
                new Object[] {new String[] {"--pid", "abc"}, "is not a process ID"},
                new Object[] {new String[] {"--pid", "-4"}, "is not a process ID"},
                new Object[] {new String[] {"--regions", "10"}, "must be MIN,MAX"},
                new Object[] {new String[] {"--regions", "2,100"}, "must be at least 3"},
                new Object[] {new String[] {"--regions", "100,20"}, "smaller than minNrRegions"},
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
    void timesAreShownAsPeopleWriteThem() {
        assertThat(RecordOptions.formatUs(5_000)).isEqualTo("5ms");
        assertThat(RecordOptions.formatUs(100)).isEqualTo("100us");
        assertThat(RecordOptions.formatUs(20_000_000)).isEqualTo("20s");
        assertThat(RecordOptions.formatUs(1_500_000)).isEqualTo("1.5s");
    }
}
