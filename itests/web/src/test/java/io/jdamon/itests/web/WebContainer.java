package io.jdamon.itests.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A private copy of the real distribution running {@code bin/jdamon container
 * --headless [--web PORT]} with the given contexts in {@code deploy/}; killed
 * when closed.
 */
final class WebContainer implements AutoCloseable {

    final Path home;
    final Path log;
    final int port;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * @param port the web view's port, or -1 for none
     * @param contexts file name, content pairs for deploy/
     */
    WebContainer(Path dir, int port, String... contexts) throws IOException {
        Path unpacked = Path.of(System.getProperty("jdamon.dist", "target/dist/jdamon"));
        assertThat(unpacked.resolve("bin/jdamon")).as("the unpacked distribution").isRegularFile();
        home = dir.resolve("jdamon");
        try (Stream<Path> files = Files.walk(unpacked)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path to = home.resolve(unpacked.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        for (int i = 0; i + 1 < contexts.length; i += 2) {
            Files.writeString(home.resolve("deploy").resolve(contexts[i]), contexts[i + 1]);
        }
        this.port = port;
        this.log = dir.resolve("container.log");
        List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin/jdamon").toString(), "container",
                "--headless"));
        if (port > 0) {
            command.addAll(List.of("--web", Integer.toString(port)));
        }
        ProcessBuilder b = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        b.environment().put("JAVA_HOME", System.getProperty("java.home"));
        process = b.start();
    }

    long pid() {
        return process.pid();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** @return the body of a GET, or null if it cannot be had (yet) */
    String get(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Waits until a GET of {@code path} answers a body that {@code ok} accepts; returns it. */
    String awaitGet(String path, Predicate<String> ok, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("the container runs; its log:\n" + log()).isTrue();
            last = get(path);
            if (last != null && ok.test(last)) {
                return last;
            }
            Thread.sleep(100); // polling an outside process: the interval between tries
        }
        throw new AssertionError("GET " + path + " did not answer as expected within " + timeout + "; last: " + last
                + "\ncontainer log:\n" + log());
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
