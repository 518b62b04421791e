package io.jdamon.itests.karaf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A private copy of a real Apache Karaf (unpacked from
 * {@code org.apache.karaf:apache-karaf:tar.gz}) that listens on loopback only,
 * on free ports, and resolves {@code mvn:} URLs offline from this build; run
 * as a separate process and always killed on {@link #close()}.
 */
final class Karaf implements AutoCloseable {

    private static final String USER = "karaf";
    private static final String PASSWORD = "karaf";

    final Path home;
    private final int sshPort;
    private Process process;
    private final List<Process> clients = new ArrayList<>();

    Karaf(Path dir) throws IOException {
        Path unpacked = Path.of(System.getProperty("jdamon.karaf.home"));
        assertThat(unpacked.resolve("bin/karaf")).as("the unpacked Karaf").isRegularFile();
        home = dir.resolve("karaf");
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
        sshPort = freeLoopbackPort();
        Path etc = etc();
        // ssh and JMX on loopback and free ports; no shutdown port
        replaceKey(etc.resolve("org.apache.karaf.shell.cfg"), "sshPort", String.valueOf(sshPort));
        replaceKey(etc.resolve("org.apache.karaf.shell.cfg"), "sshHost", "127.0.0.1");
        replaceKey(etc.resolve("org.apache.karaf.management.cfg"), "rmiRegistryPort", String.valueOf(freeLoopbackPort()));
        replaceKey(etc.resolve("org.apache.karaf.management.cfg"), "rmiServerPort", String.valueOf(freeLoopbackPort()));
        replaceKey(etc.resolve("org.apache.karaf.management.cfg"), "rmiRegistryHost", "127.0.0.1");
        replaceKey(etc.resolve("org.apache.karaf.management.cfg"), "rmiServerHost", "127.0.0.1");
        Files.writeString(etc.resolve("custom.properties"), "\nkaraf.shutdown.port=-1\n", StandardOpenOption.APPEND);
        // a user for bin/client (the stock users.properties has none)
        Files.writeString(etc.resolve("users.properties"), "\n" + USER + " = " + PASSWORD + ",_g_:admingroup\n"
                + "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n", StandardOpenOption.APPEND);
        // mvn: from this build's artifacts first, then the build's local repository; never the network
        String buildRepo = Path.of(System.getProperty("jdamon.karaf.buildRepo")).toUri().toString();
        String localRepo = System.getProperty("jdamon.karaf.localRepo");
        Files.writeString(etc.resolve("org.ops4j.pax.url.mvn.cfg"), String.join("\n",
                "org.ops4j.pax.url.mvn.offline = true",
                "org.ops4j.pax.url.mvn.useFallbackRepositories = false",
                "org.ops4j.pax.url.mvn.localRepository = " + localRepo,
                "org.ops4j.pax.url.mvn.defaultRepositories = " + buildRepo + "@id=jdamon.build@snapshots, "
                        + "${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots",
                "org.ops4j.pax.url.mvn.repositories = ",
                ""));
    }

    Path etc() {
        return home.resolve("etc");
    }

    Path deploy() {
        return home.resolve("deploy");
    }

    /** Starts {@code bin/karaf server}, its output to {@code data/karaf.out}. */
    void start() throws IOException {
        Path out = home.resolve("karaf.out");
        ProcessBuilder b = new ProcessBuilder("bash", home.resolve("bin/karaf").toString(), "server")
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        b.environment().put("JAVA_HOME", System.getProperty("java.home"));
        process = b.start();
    }

    /** @return the Karaf JVM's PID (bin/karaf runs java as its child, or execs it) */
    long pid() {
        return process.descendants().filter(h -> h.info().command().orElse("").endsWith("java"))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(process.pid());
    }

    /** The result of a finished command. */
    record Result(int exit, String out) {
    }

    /**
     * Runs {@code commands} through {@code bin/client} in batch mode ({@code -b},
     * one command a line on its standard input), at most {@code timeout}.
     */
    Result client(Duration timeout, String... commands) throws IOException, InterruptedException {
        Result r = tryClient(timeout, commands);
        assertThat(r.exit()).as("bin/client " + String.join("; ", commands) + " ended within " + timeout
                + "; output:\n" + r.out()).isNotEqualTo(TIMED_OUT);
        return r;
    }

    /** The exit status of a {@code bin/client} that did not end in time (and was killed). */
    static final int TIMED_OUT = Integer.MIN_VALUE;

    /** As {@link #client}, but a client that does not end in time is killed and returns {@link #TIMED_OUT}. */
    private Result tryClient(Duration timeout, String... commands) throws IOException, InterruptedException {
        assertThat(process.isAlive()).as("Karaf runs; its output:\n" + log()).isTrue();
        Path in = Files.createTempFile(home, "client", ".in");
        Files.writeString(in, String.join("\n", commands) + "\n");
        Path out = Files.createTempFile(home, "client", ".out");
        ProcessBuilder b = new ProcessBuilder("bash", home.resolve("bin/client").toString(), "-b", "-r", "5",
                "-h", "127.0.0.1", "-a", String.valueOf(sshPort), "-u", USER, "-p", PASSWORD)
                .directory(home.toFile()).redirectInput(in.toFile()).redirectOutput(out.toFile())
                .redirectErrorStream(true);
        b.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = b.start();
        clients.add(p);
        boolean ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        return new Result(ended ? p.exitValue() : TIMED_OUT, text);
    }

    /**
     * Runs {@code commands} until its output matches, at most {@code timeout}.
     *
     * @return the matching output
     */
    String clientUntil(Duration timeout, Predicate<String> done, String... commands)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            // while Karaf boots, a client may hang after logging in: kill it and try again
            Result r = tryClient(Duration.ofSeconds(40), commands);
            last = r.out();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(500); // the period between two polls, not a wait for a condition
        }
        throw new AssertionError("no output as expected within " + timeout + " for '" + String.join("; ", commands)
                + "'; last output:\n" + last + "\nKaraf's log:\n" + log());
    }

    /**
     * Types {@code typed} and a tab into an interactive {@code bin/client} session on a
     * pseudo-terminal (util-linux {@code script}), as a user at Karaf's prompt does, and
     * returns what the line became: the terminal's output after the tab, its escape
     * sequences removed, once it holds {@code expected} (or when {@code timeout} ends).
     */
    String complete(Duration timeout, String typed, String expected) throws IOException, InterruptedException {
        String client = String.join(" ", "bash", home.resolve("bin/client").toString(), "-r", "5", "-h", "127.0.0.1",
                "-a", String.valueOf(sshPort), "-u", USER, "-p", PASSWORD);
        ProcessBuilder b = new ProcessBuilder("script", "-qfc", client, "/dev/null").directory(home.toFile())
                .redirectErrorStream(true);
        b.environment().put("JAVA_HOME", System.getProperty("java.home"));
        b.environment().put("TERM", "xterm");
        Process p = b.start();
        clients.add(p);
        StringBuffer screen = new StringBuffer();
        Thread reader = new Thread(() -> {
            byte[] buf = new byte[4096];
            try (var in = p.getInputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    screen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the session ended
            }
        }, "karaf-pty");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        var keys = p.getOutputStream();
        try {
            awaitScreen(screen, s -> plain(s).contains("@root()>"), deadline);
            int from = screen.length();
            keys.write((typed + "\t").getBytes(StandardCharsets.UTF_8));
            keys.flush();
            awaitScreen(screen, s -> plain(s.substring(from)).contains(expected), deadline);
            String after = plain(screen.substring(from));
            // never an Enter: Ctrl-U empties the line, Ctrl-D on an empty line ends the session
            keys.write(new byte[] {21, 4});
            keys.flush();
            return after;
        } finally {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    private static void awaitScreen(StringBuffer screen, Predicate<String> done, long deadline)
            throws InterruptedException {
        while (!done.test(screen.toString()) && System.nanoTime() < deadline) {
            Thread.sleep(50); // the period between two looks at the terminal, not a wait for a condition
        }
    }

    /** @return terminal output without its escape sequences and carriage returns */
    static String plain(String terminal) {
        return terminal.replaceAll("\u001B\\[[0-9;?]*[ -/]*[@-~]", "").replaceAll("\u001B[=>]", "").replace("\r", "");
    }

    /** @return the Karaf process's output and the tail of data/log/karaf.log */
    String log() {
        StringBuilder b = new StringBuilder();
        for (Path p : List.of(home.resolve("karaf.out"), home.resolve("data/log/karaf.log"))) {
            try {
                String s = Files.readString(p);
                b.append("== ").append(p.getFileName()).append('\n')
                        .append(s.length() > 6000 ? s.substring(s.length() - 6000) : s).append('\n');
            } catch (IOException e) {
                b.append("== ").append(p.getFileName()).append(": ").append(e).append('\n');
            }
        }
        return b.toString();
    }

    /** Puts a file into place in one step, so FileInstall never sees it half written. */
    static void drop(Path source, Path folder) throws IOException {
        Path tmp = folder.getParent().resolve(source.getFileName() + ".part");
        Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, folder.resolve(source.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes a file into place in one step. */
    static void drop(String name, String content, Path folder) throws IOException {
        Path tmp = folder.getParent().resolve(name + ".part");
        Files.writeString(tmp, content);
        Files.move(tmp, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void replaceKey(Path cfg, String key, String value) throws IOException {
        List<String> lines = Files.readAllLines(cfg);
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("\\s*" + key + "\\s*=.*")) {
                lines.set(i, key + " = " + value);
                found = true;
            }
        }
        assertThat(found).as(key + " in " + cfg).isTrue();
        Files.write(cfg, lines);
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : clients) {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
