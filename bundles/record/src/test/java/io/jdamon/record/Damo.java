package io.jdamon.record;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * damo 3.3.0 (the peer tool in {@code /work/shared/peers}, or the folder in
 * system property {@code jdamon.peers}), run offline on a record file to prove
 * that damo reads what jdamon writes. Tests that need it are skipped, with the
 * reason, where it or {@code python3} is missing.
 */
final class Damo {
    static final Path PEERS = Path.of(System.getProperty("jdamon.peers", "/work/shared/peers"));
    static final Path SCRIPT = PEERS.resolve("damo-3.3.0/src/damo.py");

    private Damo() {
    }

    /** Skips the calling test, saying why, unless damo can run here. */
    static void assumeAvailable() {
        assumeTrue(Files.isRegularFile(SCRIPT), "damo 3.3.0 is not at " + SCRIPT + " (set -Djdamon.peers=DIR)");
        String problem = null;
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                problem = "python3 --version failed";
            }
        } catch (IOException | InterruptedException e) {
            problem = "python3 is missing (" + e.getMessage() + "); damo needs it";
        }
        assumeTrue(problem == null, problem);
    }

    /** @return how many snapshots {@code damo report access} shows of {@code file} (0 if it reads no record) */
    static int snapshotsSeen(Path file) throws IOException, InterruptedException {
        String out = run("report", "access", "-i", file.toString());
        int n = 0;
        for (String line : out.split("\n")) {
            if (line.startsWith("snapshot time:")) {
                n++;
            }
        }
        return n;
    }

    /** What a damo run printed (stdout and stderr) and its exit status. */
    record Run(int exit, String output) {
    }

    /** Runs damo with its peer folder's {@code file(1)} shim first on the PATH; returns stdout and stderr. */
    static String run(String... args) throws IOException, InterruptedException {
        return exec(args).output();
    }

    /**
     * Runs damo as {@link #run} does and returns its exit status too. Only
     * the offline subcommands the peer wrapper ({@code peers/damo}) allows,
     * always with an input file, are used here: that wrapper itself cannot
     * run on this machine (its {@code damo-3.3.0/damo} is a link stored as a
     * text file), so damo.py is run directly, as the wrapper would.
     */
    static Run exec(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("python3", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PATH", PEERS.resolve("bin") + ":" + pb.environment().getOrDefault("PATH", "/usr/bin:/bin"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("damo did not end within 120 s: " + cmd);
        }
        return new Run(p.exitValue(), out);
    }
}
