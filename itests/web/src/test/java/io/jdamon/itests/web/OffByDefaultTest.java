package io.jdamon.itests.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution ships the web bundles and Felix HTTP, but a container
 * started without {@code --web} and without {@code io.jdamon.web} opens no
 * listening socket (read from /proc: the JVM's socket inodes against the
 * kernel's listening TCP sockets).
 */
class OffByDefaultTest {

    @Test
    @Timeout(90)
    void aContainerWithoutTheWebFlagListensNowhere(@TempDir Path dir) throws Exception {
        try (WebContainer c = new WebContainer(dir, -1, "io.jdamon.context-stairs.cfg",
                "primitive = sim\ntargets = virtual:stairs_30secs\n")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // the web bundle is up (its history polls) and the context runs: everything that could listen has started
            while (!(c.log().contains("starts context 'stairs'") && c.log().contains("Jetty not started"))) {
                assertThat(System.nanoTime()).as("the container started the context and Felix HTTP within 60 s; log:\n"
                        + c.log()).isLessThan(deadline);
                Thread.sleep(100); // polling the container's log
            }
            assertThat(listeningSockets(c.pid()).values()).as("listening sockets of the container (log:\n" + c.log() + ")")
                    .isEmpty();
            assertThat(c.log()).doesNotContain("jdamon web: http://");
        }
    }

    /**
     * @return the TCP sockets in LISTEN state that process {@code pid} holds:
     *     inode to local address as the kernel writes it (hex address:port)
     */
    static Map<String, String> listeningSockets(long pid) throws IOException {
        Map<String, String> listening = new HashMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            for (String line : Files.readAllLines(p).subList(1, Files.readAllLines(p).size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && "0A".equals(f[3])) { // TCP_LISTEN
                    listening.put(f[9], f[1]);
                }
            }
        }
        Set<String> held = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        held.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closed) {
                    // the descriptor closed while listed
                }
            }
        }
        listening.keySet().retainAll(held);
        return listening;
    }
}
