package io.jdamon.itests.dropin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.record.RecordReader;
import io.jdamon.record.Recording;

/**
 * Issue 12 E15, end to end: {@code .cfg} files dropped into a running container
 * as a user writes them. A UTF-8 path is read as UTF-8 (FileInstall's default,
 * ISO-8859-1, turned it into mojibake), and a targets line with a target's own
 * comma-separated options ({@code virtual:stairs,size=64MiB}, as the README
 * writes it) is one target, not two.
 */
class CfgFileTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aUtf8PathAndATargetWithOptionsWorkAsWritten() throws Exception {
        assumeTrue("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")),
                "file names need a UTF-8 locale (LANG=C.UTF-8 or similar); this JVM has "
                        + System.getProperty("sun.jnu.encoding"));
        Path folder = Files.createDirectories(dir.resolve("données-été"));
        Path recordFile = folder.resolve("mesure-ü.data");

        try (Distribution dist = new Distribution(dir)) {
            Distribution.Container container = dist.container(dir);
            container.pollUntil("jdamon:status", 0, l -> l.startsWith("no contexts"), WAIT, 1_000);
            Distribution.drop("io.jdamon.record-utf.cfg", "name = utf-recorder\nfile = " + recordFile + "\n",
                    dist.deploy());
            Distribution.drop("io.jdamon.context-utf.cfg", """
                    primitive = sim
                    targets = virtual:stairs,size=64MiB
                    aggregationIntervalUs = 50000
                    callbacks = utf-recorder
                    """, dist.deploy());
            container.pollUntil("jdamon:status", 0,
                    l -> l.startsWith("utf ") && l.contains(" RUNNING ") && !l.contains("aggregations=0 "), WAIT, 500);
            assertThat(container.stop(Duration.ofSeconds(20))).as("the container stops on 'stop 0'").isTrue();
        }
        assertThat(recordFile).as("the record at the UTF-8 path of the .cfg file").isRegularFile();
        Recording recording = RecordReader.read(recordFile);
        assertThat(recording.records()).as("one target, its size option kept with it").hasSize(1);
        assertThat(recording.records().get(0).snapshots()).isNotEmpty();
        // the size option reached sim (its default is 100 MiB); its ten page-aligned pieces may lose a few pages
        assertThat(recording.records().get(0).snapshots().get(0).totalBytes())
                .isCloseTo(64L << 20, org.assertj.core.data.Percentage.withPercentage(1));
    }
}
