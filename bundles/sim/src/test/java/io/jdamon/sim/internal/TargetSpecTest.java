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
    void badTargetsSayWhatToWrite() {
        assertInvalid("", "the sim target is empty");
        assertInvalid("stares", "names no known workload 'stares'; write a built-in workload (stairs, zigzag");
        assertInvalid("stairs,speed=2", "unknown option 'speed=2'; the only option is size=");
        assertInvalid("stairs,size=huge", "size 'huge' is not a size");
        assertInvalid("stairs,size=12P", "unknown unit 'P'");
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

    private static void assertInvalid(String spec, String expected) {
        assertThatThrownBy(() -> TargetSpec.parse(spec))
                .isInstanceOf(InvalidTargetException.class)
                .hasMessageContaining(expected);
    }
}
