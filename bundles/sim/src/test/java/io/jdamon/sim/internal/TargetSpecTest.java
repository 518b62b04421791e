package io.jdamon.sim.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.api.InvalidTargetException;

class TargetSpecTest {

    @TempDir
    Path dir;

    @Test
    void builtInsAreRealByDefault() {
        TargetSpec s = TargetSpec.parse("stairs_30secs");
        assertThat(s.virtual()).isFalse();
        assertThat(s.config().totalBytes()).isEqualTo(100L << 20);
    }

    @Test
    void virtualTargetsScaleToTheAskedSize() {
        TargetSpec s = TargetSpec.parse("virtual:zigzag,size=1TiB");
        assertThat(s.virtual()).isTrue();
        assertThat(s.config().regions()).extracting(WorkloadConfig.Region::sizeBytes)
                .containsExactly(512L << 30, 512L << 30);
        assertThat(new AddressLayout(s.config()).dataBytes()).isEqualTo(1L << 40);
        long stairs = new AddressLayout(TargetSpec.parse("virtual:stairs,size=1TiB").config()).dataBytes();
        assertThat(stairs).as("never more than asked").isBetween((1L << 40) - 10 * Sizes.PAGE, 1L << 40);
    }

    @Test
    void readsAConfigFile() throws Exception {
        Path cfg = dir.resolve("mine.cfg");
        Files.writeString(cfg, "x, 1M\n\nonly x\n50\nx, 0, 4096, 1\n");
        TargetSpec s = TargetSpec.parse("file=" + cfg);
        assertThat(s.config().regions()).singleElement().satisfies(r -> assertThat(r.name()).isEqualTo("x"));
        assertThat(s.config().source()).isEqualTo(cfg.toString());
    }

    @Test
    void aVirtualTargetTakesATouchRate() {
        assertThat(TargetSpec.parse("virtual:stairs,touch=50ms").touchNanos()).isEqualTo(50_000_000);
        assertThat(TargetSpec.parse("virtual:stairs,size=1GiB,touch=2").touchNanos()).as("a bare number is ms")
                .isEqualTo(2_000_000);
        assertThat(TargetSpec.parse("virtual:stairs").touchNanos()).as("the ideal workload").isZero();
    }

    @Test
    void badTargetsSayWhatToWrite() {
        assertInvalid("", "the sim target is empty");
        assertInvalid("stares", "names no known workload 'stares'; write a built-in workload (stairs, zigzag");
        assertInvalid("stairs,speed=2", "unknown option 'speed=2'; the options are size=<bytes>");
        assertInvalid("stairs,touch=50ms", "touch= is for virtual targets");
        assertInvalid("virtual:stairs,touch=soon", "touch 'soon' is not a time");
        assertInvalid("virtual:stairs,touch=0", "touch must be a positive time");
        assertInvalid("stairs,size=huge", "size 'huge' is not a size");
        assertInvalid("stairs,size=12Q", "'12Q' is not a size");
        assertInvalid("stairs,size=8K", "leaves less than a page for each of the workload's 10 regions");
        assertInvalid("file=" + dir.resolve("missing.cfg"), "does not exist or is not a file");
        assertInvalid("file=", "names no file");
        assertInvalid("virtual:stairs,size=2TiB", "virtual targets go up to 1 TiB");
        assertInvalid("stairs,size=64GiB", "of real memory but this JVM may allocate at most");
        assertInvalid("stairs,size=64GiB", "use 'virtual:stairs,size=64GiB'");
    }

    @Test
    void aBrokenConfigFileNamesItsLine() throws Exception {
        Path cfg = dir.resolve("broken.cfg");
        Files.writeString(cfg, "x, 1M\n\nonly x\n50\ny, 0, 4096, 1\n");
        assertInvalid("file=" + cfg, "broken.cfg:5: access line names region 'y'");
    }

    @Test
    void anEmptyWorkloadListsTheBuiltIns() {
        assertInvalid("", "names no workload; write a built-in workload (stairs, zigzag, stairs_30secs, zigzag_30secs)");
        assertInvalid("  ", "names no workload; write a built-in workload (stairs, zigzag, stairs_30secs, zigzag_30secs)");
        assertInvalid("virtual:", "names no workload after 'virtual:'; write a built-in workload (stairs, zigzag,");
        assertInvalid(",size=1G", "names no workload; write a built-in workload (stairs, zigzag,");
    }

    @Test
    void anOversizedConfigFileIsRefusedWithoutReadingIt() throws Exception {
        // sparse: 1.5 GiB of nothing on disk, what took 83 s to read (and then blamed a missing primitive)
        Path big = dir.resolve("big.cfg");
        try (var f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(3L << 29);
        }
        assertThatThrownBy(() -> TargetSpec.parse("file=" + big)).isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining(big.toString())
                .hasMessageContaining("is 1.5 GiB (1610612736 bytes), more than the 4 MiB a workload config may have");
        // a little over the limit is refused too; at the limit it is read (and parsed)
        Path over = dir.resolve("over.cfg");
        Files.write(over, new byte[TargetSpec.MAX_CONFIG_BYTES + 1]);
        assertInvalid("file=" + over, "more than the 4 MiB a workload config may have");
        Path padded = dir.resolve("padded.cfg");
        String config = "x, 1M\n\nonly x\n50\nx, 0, 4096, 1\n";
        Files.writeString(padded, config + "#".repeat(TargetSpec.MAX_CONFIG_BYTES - config.length()));
        assertThat(TargetSpec.parse("file=" + padded).config().regions()).hasSize(1);
    }

    @Test
    void aBinaryFileIsNotTakenForAConfig() throws Exception {
        Path bin = dir.resolve("a.out");
        Files.write(bin, new byte[] {0x7f, 'E', 'L', 'F', (byte) 0xff, (byte) 0xfe, 0, 1});
        assertInvalid("file=" + bin, bin + " is not UTF-8 text; give the path of a masim config");
    }

    private static void assertInvalid(String spec, String expected) {
        assertThatThrownBy(() -> TargetSpec.parse(spec))
                .isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining(expected);
    }
}
