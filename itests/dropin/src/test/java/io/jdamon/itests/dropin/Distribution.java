package io.jdamon.itests.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A private copy of the real distribution folder (unpacked from
 * {@code io.jdamon:jdamon:zip}) and the {@code bin/jdamon} processes run
 * from it. Every process is killed when the test ends.
 */
final class Distribution implements AutoCloseable {

    final Path home;
    private final List<Process> processes = new ArrayList<>();

    Distribution(Path dir) throws IOException {
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
    }

    Path deploy() {
        return home.resolve("deploy");
    }

    /** The result of a finished command. */
    record Result(int exit, String out, String err) {
    }

    /** Runs {@code bin/jdamon args} in {@code workDir} and waits for it, at most {@code timeout}. */
    Result run(Path workDir, Duration timeout, String... args) throws IOException, InterruptedException {
        return run(workDir, timeout, Map.of(), args);
    }

    /** As {@link #run(Path, Duration, String...)}, with {@code env} added to the environment. */
    Result run(Path workDir, Duration timeout, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "out", ".txt");
        Path err = Files.createTempFile(workDir, "err", ".txt");
        ProcessBuilder b = start(workDir, args).redirectOutput(out.toFile()).redirectError(err.toFile());
        b.environment().putAll(env);
        Process p = b.start();
        processes.add(p);
        boolean ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        assertThat(ended).as("jdamon " + String.join(" ", args) + " ended within " + timeout + "; output: "
                + Files.readString(out) + Files.readString(err)).isTrue();
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Starts {@code bin/jdamon args} in {@code workDir} with {@code env} added, its output to {@code log}. */
    Process start(Path workDir, Map<String, String> env, Path log, String... args) throws IOException {
        ProcessBuilder b = start(workDir, args).redirectOutput(log.toFile()).redirectErrorStream(true);
        b.environment().putAll(env);
        Process p = b.start();
        processes.add(p);
        return p;
    }

    private ProcessBuilder start(Path workDir, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin/jdamon").toString()));
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(command).directory(workDir.toFile());
        b.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return b;
    }

    /** Starts {@code jdamon container}, its shell reading commands from a pipe. */
    Container container(Path workDir) throws IOException {
        return container(workDir, Map.of());
    }

    /** As {@link #container(Path)}, with {@code env} added to the environment (e.g. JDAMON_JAVA_OPTS). */
    Container container(Path workDir, Map<String, String> env) throws IOException {
        ProcessBuilder b = start(workDir, "container").redirectErrorStream(true);
        b.environment().putAll(env);
        Process p = b.start();
        processes.add(p);
        return new Container(p);
    }

    /** A running container: commands go to its Gogo shell, its output is collected. */
    static final class Container {
        private final Process process;
        private final Writer stdin;
        private final StringBuffer output = new StringBuffer();

        Container(Process process) {
            this.process = process;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        output.append(line).append('\n');
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "container-output");
            reader.setDaemon(true);
            reader.start();
        }

        /** @return the container JVM's PID (bin/jdamon execs java) */
        long pid() {
            return process.pid();
        }

        /** Sends one line to the shell. */
        void send(String line) {
            try {
                stdin.write(line + "\n");
                stdin.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("the container's shell does not take input any more; output:\n"
                        + output, e);
            }
        }

        /** @return everything it printed so far */
        String output() {
            return output.toString();
        }

        /**
         * Runs {@code command} every {@code periodMillis} until a line printed
         * after {@code from} matches (without the shell's prompt), at most {@code timeout}.
         *
         * @return the matching line
         */
        String pollUntil(String command, int from, Predicate<String> line, Duration timeout, long periodMillis)
                throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                assertThat(process.isAlive()).as("the container runs; output:\n" + output).isTrue();
                send(command);
                long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(periodMillis);
                while (System.nanoTime() < next) {
                    String text = output.substring(Math.min(from, output.length()));
                    for (String l : text.split("\n")) {
                        String shown = l.replaceFirst("^(g! )+", ""); // the prompt precedes the answer
                        if (line.test(shown)) {
                            return shown;
                        }
                    }
                    Thread.sleep(20);
                }
            }
            throw new AssertionError("no line as expected within " + timeout + " after '" + command
                    + "'; output:\n" + output);
        }

        /** Stops it through the shell; kills it if that does not work within the timeout. */
        boolean stop(Duration timeout) throws InterruptedException {
            try {
                send("stop 0");
            } catch (UncheckedIOException gone) {
                // already ending
            }
            boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                process.destroyForcibly();
            }
            return ended;
        }
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

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            if (p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
