package io.jdamon.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UnitParserTest {

    @Test
    void timesTakeEveryUnitDamoTakesAndTheCallersBareUnit() {
        assertThat(UnitParser.timeNanos("250000", "ns")).isEqualTo(250_000);
        assertThat(UnitParser.timeNanos("250000", "us")).isEqualTo(250_000_000L);
        assertThat(UnitParser.timeNanos("1500ms", "ns")).isEqualTo(1_500_000_000L);
        assertThat(UnitParser.timeNanos("100 ms", "ns")).isEqualTo(100_000_000L);
        assertThat(UnitParser.timeNanos("1.5s", "ns")).isEqualTo(1_500_000_000L);
        assertThat(UnitParser.timeNanos("2m", "ns")).isEqualTo(120_000_000_000L);
        // report took ns but not h, record h but not ns: both now take both
        assertThat(UnitParser.timeNanos("1h", "ns")).isEqualTo(3_600_000_000_000L);
        assertThat(UnitParser.timeMicros("500ns", "us")).isEqualTo(1);
        assertThat(UnitParser.timeNanos("1d", "us")).isEqualTo(86_400_000_000_000L);
        assertThat(UnitParser.timeNanos("1 m 30 s", "ns")).isEqualTo(90_000_000_000L);
        assertThat(UnitParser.timeNanos("1,000 us", "ns")).isEqualTo(1_000_000L);
        assertThat(UnitParser.timeMicros("5ms", "us")).isEqualTo(5_000);
        assertThat(UnitParser.timeMicros("100", "us")).isEqualTo(100);
    }

    @Test
    void badTimesSayWhatIsWrongAndShowAForm() {
        for (String bad : new String[] {"soon", "", "5 parsecs", "-1s", "1.2.3s", "5s 7", "1,00ms"}) {
            assertThatThrownBy(() -> UnitParser.timeNanos(bad, "ns")).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a time; write e.g.");
        }
        assertThatThrownBy(() -> UnitParser.timeNanos("99999999999d", "ns")).hasMessageContaining("is too large");
    }

    @Test
    void sizesAreBinaryWithDamosUnitsAndSeparators() {
        assertThat(UnitParser.sizeBytes("4096")).isEqualTo(4096);
        assertThat(UnitParser.sizeBytes("4KiB")).isEqualTo(4096);
        assertThat(UnitParser.sizeBytes("4 KB")).isEqualTo(4096);
        assertThat(UnitParser.sizeBytes("4k")).isEqualTo(4096);
        assertThat(UnitParser.sizeBytes("1.5GiB")).isEqualTo(3L << 29);
        assertThat(UnitParser.sizeBytes("1EiB")).isEqualTo(1L << 60);
        assertThat(UnitParser.sizeBytes("4,294,967,296")).isEqualTo(1L << 32);
        assertThat(UnitParser.sizeBytes("10 B")).isEqualTo(10);
        for (String bad : new String[] {"big", "4 XiB", "4,29", "-4K", "16EiB"}) {
            assertThatThrownBy(() -> UnitParser.sizeBytes(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void addressesAreHexDecimalWithSeparatorsOrSizes() {
        // damo accepts 4GiB and 4,294,967,296 as addresses; jdamon took only hex and plain decimal
        assertThat(UnitParser.address("4GiB")).isEqualTo(1L << 32);
        assertThat(UnitParser.address("4,294,967,296")).isEqualTo(1L << 32);
        assertThat(UnitParser.address("0x100000000")).isEqualTo(1L << 32);
        assertThat(UnitParser.address("0XFFFFFFFFFFFFFFFF")).isEqualTo(-1L);
        assertThat(UnitParser.address("4294967296")).isEqualTo(1L << 32);
        assertThatThrownBy(() -> UnitParser.address("here")).hasMessage(
                "'here' is not an address; write 0x hex (0x7f0000000000), decimal (4,294,967,296) or a size (4GiB)");
        assertThatThrownBy(() -> UnitParser.address("0xzz")).hasMessageContaining("is not an address");
    }

    @Test
    void wholeNumbers() {
        assertThat(UnitParser.wholeNumber("-1")).isEqualTo(-1);
        assertThat(UnitParser.wholeNumber("1,000")).isEqualTo(1000);
        assertThatThrownBy(() -> UnitParser.wholeNumber("x")).hasMessage("'x' is not a whole number");
        assertThatThrownBy(() -> UnitParser.wholeNumber("1.5")).hasMessage("'1.5' is not a whole number");
    }

    @Test
    void formattedValuesParseBack() {
        assertThat(UnitFormat.bytes(10 << 20)).isEqualTo("10.000 MiB");
        assertThat(UnitFormat.bytes(512)).isEqualTo("512 B");
        assertThat(UnitFormat.bytes(1024)).isEqualTo("1.000 KiB");
        assertThat(UnitFormat.nanos(1.5e9)).isEqualTo("1.500 s");
        assertThat(UnitFormat.nanos(123e9)).isEqualTo("2 m 3 s");
        assertThat(UnitFormat.micros(5000)).isEqualTo("5 ms");
        assertThat(UnitFormat.address(1L << 32)).isEqualTo("0x100000000");
        assertThat(UnitFormat.grouped(4294967296L)).isEqualTo("4,294,967,296");
        for (double b : new double[] {512, 4096, 10 << 20, 3L << 29}) {
            assertThat(UnitParser.sizeBytes(UnitFormat.bytes(b))).isEqualTo((long) b);
        }
        for (double ns : new double[] {850, 12_500, 100e6, 1.5e9, 123e9}) {
            assertThat(UnitParser.timeNanos(UnitFormat.nanos(ns), "ns")).isEqualTo((long) ns);
        }
        assertThat(UnitParser.address(UnitFormat.address(0x7f00_0000_0000L))).isEqualTo(0x7f00_0000_0000L);
    }

    @Test
    void addressRangesAreSortedAndCheckedAsDamosRegions() {
        assertThat(UnitParser.addressRanges(java.util.List.of("1MiB-2MiB", "4096-8,192", "0x3000-0x4000")))
                .containsExactly(4096, 8192, 0x3000, 0x4000, 1 << 20, 2 << 20);
        assertThat(UnitParser.addressRanges(java.util.List.of())).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> UnitParser.addressRanges(java.util.List.of("0x10")))
                .hasMessageContaining("'0x10' is not START-END");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> UnitParser.addressRanges(
                java.util.List.of("0x1000-0x3000", "0x2000-0x4000")))
                .hasMessage("0x2000-0x4000 overlaps 0x1000-0x3000; give ranges that do not overlap");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> UnitParser.addressRanges(java.util.List.of("8-4")))
                .hasMessageContaining("the start is not below the end");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> UnitParser.addressRanges(java.util.List.of("a-b")))
                .hasMessageContaining("is not an address");
    }
}
