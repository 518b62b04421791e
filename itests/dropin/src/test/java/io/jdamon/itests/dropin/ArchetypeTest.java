package io.jdamon.itests.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jdamon.api.AggregationSnapshot;
import io.jdamon.record.RecordReader;

/**
 * The plugin author's path: a project generated from
 * {@code jdamon-primitive-archetype} (batch mode, offline) builds with plain
 * {@code mvn package}, and its jar and configuration dropped into a running
 * distribution make a context that records.
 */
class ArchetypeTest {

    private static final Duration BUILD = Duration.ofMinutes(5);
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long HALF_MIB = 512 * 1024;

    @TempDir
    Path dir;

    @Test
    void aGeneratedProjectBuildsAndItsPrimitiveRecordsInTheDistribution() throws Exception {
        String version = System.getProperty("jdamon.version");
        Path work = Files.createDirectories(dir.resolve("author"));
        // only the archetype's own settings: this build's artifacts as a file repository, nothing remote
        Path settings = work.resolve("settings.xml");
        Files.writeString(settings, """
                <settings>
                  <profiles><profile><id>author</id><repositories><repository>
                    <id>jdamon-build</id><url>%s</url><snapshots><enabled>true</enabled></snapshots>
                  </repository></repositories></profile></profiles>
                  <activeProfiles><activeProfile>author</activeProfile></activeProfiles>
                </settings>
                """.formatted(Path.of(System.getProperty("jdamon.author.repo")).toUri()));

        mvn(work, settings, "org.apache.maven.plugins:maven-archetype-plugin:3.3.1:generate",
                "-DarchetypeGroupId=io.jdamon", "-DarchetypeArtifactId=jdamon-primitive-archetype",
                "-DarchetypeVersion=" + version, "-DgroupId=com.example", "-DartifactId=halves",
                "-Dversion=1.0.0", "-Dpackage=com.example.damon", "-DprimitiveName=halves");
        Path project = work.resolve("halves");
        assertThat(project.resolve("pom.xml")).isRegularFile();
        assertThat(Files.readString(project.resolve("pom.xml"))).doesNotContain("<parent>");
        mvn(project, settings, "package");
        Path jar = project.resolve("target/halves.jar");
        assertThat(jar).isRegularFile();

        Path recordFile = dir.resolve("halves.data");
        try (Distribution dist = new Distribution(dir)) {
            Distribution.Container container = dist.container(dir);
            container.pollUntil("jdamon:status", 0, l -> l.startsWith("no contexts"), WAIT, 1_000);
            Distribution.drop("io.jdamon.record-halves.cfg", "name = halves-recorder\nfile = " + recordFile + "\n",
                    dist.deploy());
            // the generated configuration, with a recorder and short intervals
            Distribution.drop("io.jdamon.context-halves.cfg",
                    Files.readString(project.resolve("io.jdamon.context-halves.cfg"))
                            + "sampleIntervalUs = 5000\naggregationIntervalUs = 50000\ncallbacks = halves-recorder\n",
                    dist.deploy());
            Distribution.drop(jar, dist.deploy());
            Pattern running = Pattern.compile("^halves\\s+RUNNING .*aggregations=(\\d+) .*");
            String line = container.pollUntil("jdamon:status", 0, l -> {
                Matcher m = running.matcher(l);
                return m.matches() && Long.parseLong(m.group(1)) >= 10;
            }, WAIT, 500);
            assertThat(line).contains("primitive=halves");

            List<AggregationSnapshot> snapshots = RecordReader.read(recordFile).aggregations();
            assertThat(snapshots).hasSizeGreaterThanOrEqualTo(5);
            AggregationSnapshot last = snapshots.get(snapshots.size() - 1);
            assertThat(last.targets().get(0).totalBytes()).isEqualTo(2 * HALF_MIB);
            // 'lower': the lower half is accessed; regions straddling its end count whole
            assertThat(last.workingSetBytes()).isBetween(HALF_MIB * 3 / 4, HALF_MIB * 5 / 4);
            assertThat(container.stop(Duration.ofSeconds(20))).isTrue();
        }
    }

    /** Runs plain Maven (batch mode, offline but for file repositories) in {@code workDir}. */
    private static void mvn(Path workDir, Path settings, String... args) throws IOException, InterruptedException {
        Path mvn = Path.of(System.getProperty("jdamon.maven.home"), "bin", "mvn");
        List<String> command = new ArrayList<>(List.of(mvn.toString(), "-B", "-o", "-Daether.offline.protocols=file",
                "-s", settings.toString(), "-Dmaven.repo.local=" + System.getProperty("jdamon.maven.localRepo")));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(workDir.getParent(), "mvn", ".log");
        ProcessBuilder b = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = b.start();
        boolean ended = p.waitFor(BUILD.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        assertThat(ended && p.exitValue() == 0).as("mvn " + String.join(" ", args) + " in " + workDir
                + " succeeded; output:\n" + Files.readString(log)).isTrue();
    }
}
