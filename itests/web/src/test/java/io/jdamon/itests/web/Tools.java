package io.jdamon.itests.web;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;

/**
 * The outside programs the tests drive: Debian's {@code chromium},
 * {@code prometheus} and {@code promtool}. Missing, a test fails in CI
 * ({@code CI=true}; {@code .ci/run} installs them) and is skipped with a
 * message on a developer's machine.
 */
final class Tools {

    private Tools() {
    }

    /** @return the program's path; fails (CI) or skips (elsewhere) the test if it is not installed */
    static Path require(String program, String debianPackage) {
        Optional<Path> p = find(program);
        if (p.isPresent()) {
            return p.get();
        }
        String message = "'" + program + "' is not installed; install Debian's package: apt-get install -y "
                + debianPackage + " (.ci/run does)";
        if ("true".equals(System.getenv("CI"))) {
            fail(message);
        }
        Assumptions.abort(message + "; skipped outside CI");
        return null;
    }

    static Optional<Path> find(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** @return a TCP port free on loopback now (the program started next binds it) */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** @return the build's output folder, where artifacts (screenshots, texts) are kept */
    static Path artifacts() throws IOException {
        Path dir = Path.of(System.getProperty("jdamon.artifacts", "target"));
        Files.createDirectories(dir);
        return dir;
    }
}
