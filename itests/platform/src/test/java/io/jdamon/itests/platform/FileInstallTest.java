package io.jdamon.itests.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jdamon.api.ContextState;
import io.jdamon.api.ContextStatus;

/** A .cfg file dropped into the folder FileInstall watches configures a context. */
class FileInstallTest extends PlatformTestSupport {

    private Path deploy() {
        String dir = bundleContext.getProperty("felix.fileinstall.dir");
        assertThat(dir).as("framework property felix.fileinstall.dir (set in itests.bndrun)").isNotNull();
        return Path.of(dir);
    }

    @AfterEach
    void removeFiles() throws Exception {
        Files.deleteIfExists(deploy().resolve("io.jdamon.context-foo.cfg"));
        Files.deleteIfExists(deploy().resolve("io.jdamon.context-broken.cfg"));
        await("FileInstall removed the configurations", () -> status("foo").isEmpty() && status("broken").isEmpty());
    }

    @Test
    void aCfgFileCreatesChangesAndRemovesAContext() throws Exception {
        installPrimitive();
        Path cfg = deploy().resolve("io.jdamon.context-foo.cfg");
        Files.writeString(cfg, String.join("\n",
                "# a monitoring context, as a user would drop it into deploy/",
                "primitive = itest",
                "targets = half",
                "sampleIntervalUs = 2000",
                "aggregationIntervalUs = 20000",
                ""));

        ContextStatus running = awaitStatus("foo", ContextState.RUNNING, s -> s.aggregations() >= 2,
                "named after the file, aggregating");
        assertThat(running.attributes().aggregationIntervalUs()).isEqualTo(20_000);

        Files.writeString(cfg, String.join("\n",
                "primitive = itest",
                "targets = half",
                "sampleIntervalUs = 2000",
                "aggregationIntervalUs = 40000",
                ""));
        ContextStatus changed = awaitStatus("foo", ContextState.RUNNING,
                s -> s.attributes().aggregationIntervalUs() == 40_000, "the file's new aggregation interval");
        assertThat(changed.threadName()).as("changed online").isEqualTo(running.threadName());

        Files.delete(cfg);
        await("the context of the deleted file is gone", () -> status("foo").isEmpty());
        assertThat(count(primitiveCounter(), "foo.cleanup")).isEqualTo(1);
    }

    @Test
    void aBrokenCfgFileIsReportedWithItsKey() throws Exception {
        Files.writeString(deploy().resolve("io.jdamon.context-broken.cfg"), String.join("\n",
                "primitive = itest",
                "targets = half",
                "sampleIntervalUs = 5ms",
                ""));
        ContextStatus invalid = awaitStatus("broken", ContextState.INVALID);
        assertThat(invalid.detail()).contains("io.jdamon.context~broken").contains("key 'sampleIntervalUs'")
                .contains("'5ms' is not a whole number");
    }
}
