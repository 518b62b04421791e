package io.jdamon.vaddr.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The ground-truth process of the sensor tests: {@code src/test/c/access_helper.c},
 * compiled with gcc into {@code target/} on first use. It keeps a hot mapping
 * busy and a cold one untouched after a first write, and says where both are.
 */
final class AccessHelper implements AutoCloseable {

    final Process process;
    final long hotStart;
    final long hotEnd;
    final long coldStart;
    final long coldEnd;

    private AccessHelper(Process p, long hs, long he, long cs, long ce) {
        this.process = p;
        this.hotStart = hs;
        this.hotEnd = he;
        this.coldStart = cs;
        this.coldEnd = ce;
    }

    int pid() {
        return (int) process.pid();
    }

    static Path binary() throws IOException, InterruptedException {
        return build("access_helper");
    }

    private static final java.util.Map<String, Path> BUILT = new java.util.HashMap<>();

    /** @return {@code src/test/c/NAME.c} built with gcc into {@code target/test-helper/NAME}, once per JVM */
    static synchronized Path build(String name) throws IOException, InterruptedException {
        Path built = BUILT.get(name);
        if (built != null) {
            return built;
        }
        Path source = Path.of(System.getProperty("vaddr.helper.source.dir", "src/test/c"), name + ".c");
        Path out = Path.of(System.getProperty("vaddr.helper.dir", "target/test-helper"), name);
        if (!Files.exists(out) || Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(source)) < 0) {
            Files.createDirectories(out.getParent());
            Process gcc = new ProcessBuilder("gcc", "-O2", "-pthread", "-o", out.toString(), source.toString())
                    .redirectErrorStream(true).start();
            String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (gcc.waitFor() != 0) {
                throw new IllegalStateException("gcc could not build the test helper " + source + ":\n" + log);
            }
        }
        BUILT.put(name, out);
        return out;
    }

    /**
     * Starts the helper and waits until both mappings are resident.
     *
     * @param mode read, write or rw: how the hot mapping is touched
     * @param exitAfterMs the helper exits by itself after this long, or -1
     */
    static AccessHelper start(int hotMiB, int coldMiB, String mode, long exitAfterMs)
            throws IOException, InterruptedException {
        return start(hotMiB, coldMiB, mode, exitAfterMs, null);
    }

    /** As {@link #start(int, int, String, long)}, with a library in {@code LD_PRELOAD} if not null. */
    static AccessHelper start(int hotMiB, int coldMiB, String mode, long exitAfterMs, Path preload)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary().toString(), Integer.toString(hotMiB),
                Integer.toString(coldMiB), mode));
        if (exitAfterMs >= 0) {
            cmd.add(Long.toString(exitAfterMs));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (preload != null) {
            pb.environment().put("LD_PRELOAD", preload.toString());
        }
        return whenReady(pb.start());
    }

    /**
     * Waits until a started helper (or a process that will exec one) said
     * where its mappings are and that both are resident.
     */
    static AccessHelper whenReady(Process p) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        long[] hot = range(r.readLine(), "hot", p);
        long[] cold = range(r.readLine(), "cold", p);
        String ready = r.readLine();
        if (!"ready".equals(ready)) {
            p.destroyForcibly();
            throw new IllegalStateException("helper did not get ready: " + ready);
        }
        return new AccessHelper(p, hot[0], hot[1], cold[0], cold[1]);
    }

    private static long[] range(String line, String name, Process p) {
        if (line == null || !line.startsWith(name + " ")) {
            p.destroyForcibly();
            throw new IllegalStateException("helper said '" + line + "', expected '" + name + " START END'");
        }
        String[] f = line.split(" ");
        return new long[] {Long.parseUnsignedLong(f[1]), Long.parseUnsignedLong(f[2])};
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
