package io.jdamon.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ProgressTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aTerminalGetsOneLineRewrittenInPlace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, 20_000_000);
        p.update(0, 0, 0, -1);
        p.update(SECOND, 10, 120, 10L << 20);
        p.update(SECOND + 1, 11, 121, 10L << 20); // too soon: not shown
        p.end();
        String s = bytes.toString(StandardCharsets.UTF_8);
        assertThat(s).isEqualTo("\rrecording 0.0s/20.0s  snapshots 0  regions 0  wss -"
                + "\rrecording 1.0s/20.0s  snapshots 10  regions 120  wss 10.0 MiB" + System.lineSeparator());
        assertThat(s.chars().filter(c -> c == '\n').count()).isEqualTo(1);
    }

    @Test
    void aShorterLineBlanksTheRestOfTheLongerOne() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), true, 0);
        p.update(0, 100, 1000, 1L << 30);
        p.update(SECOND, 101, 3, 0);
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\r");
        assertThat(lines[2]).hasSameSizeAs(lines[1]).startsWith("recording 1.0s  snapshots 101  regions 3  wss 0 B");
    }

    @Test
    void elsewherePlainLinesEveryFewSecondsOnceThereIsData() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, 0);
        p.update(0, 0, 0, -1); // nothing yet: no line
        for (int i = 1; i <= 10; i++) {
            p.update(i * SECOND, i * 10L, 50, 4096);
        }
        p.end();
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split(System.lineSeparator());
        assertThat(lines).hasSize(10 / Progress.PLAIN_PERIOD_SECONDS);
        assertThat(lines[0]).isEqualTo("recording 1.0s  snapshots 10  regions 50  wss 4.0 KiB");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("\r");
    }

    @Test
    void sizesInBinaryUnits() {
        assertThat(Progress.bytes(512)).isEqualTo("512 B");
        assertThat(Progress.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(Progress.bytes(100L << 20)).isEqualTo("100.0 MiB");
        assertThat(Progress.bytes(3L << 40)).isEqualTo("3.0 TiB");
    }
}
