package io.jdamon.vaddr.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The C floor of the uffd-write sensor ({@code src/test/c/uffd_floor.c},
 * built with cc into {@code target/test-helper} on first use): the same
 * ioctls per sample on the same process and regions, with nothing around them.
 */
final class UffdFloor {

    private static Path binary;

    private UffdFloor() {
    }

    static synchronized Path binary() throws IOException, InterruptedException {
        if (binary != null) {
            return binary;
        }
        Path source = Path.of(System.getProperty("vaddr.floor.source", "src/test/c/uffd_floor.c"));
        Path out = Path.of(System.getProperty("vaddr.helper.dir", "target/test-helper"), "uffd_floor");
        if (!Files.exists(out) || Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(source)) < 0) {
            Files.createDirectories(out.getParent());
            Process cc = new ProcessBuilder("cc", "-O2", "-o", out.toString(), source.toString())
                    .redirectErrorStream(true).start();
            String log = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (cc.waitFor() != 0) {
                throw new IllegalStateException("cc could not build the floor benchmark " + source + ":\n" + log);
            }
        }
        binary = out;
        return out;
    }

    /**
     * Runs the floor on a process whose userfaultfd the sensor has set up.
     *
     * @param regions {start, end} pairs
     * @return the floor's figures by name (usPerSample, usPerRegion, protectUsPerRegion, scanUsPerRegion, written, ...)
     */
    static Map<String, Double> run(int pid, long sampleIntervalUs, double seconds, List<long[]> regions)
            throws IOException, InterruptedException {
        int fd = UffdWriteSensor.findUffd(pid);
        if (fd < 0) {
            throw new IllegalStateException("PID " + pid + " holds no userfaultfd");
        }
        List<String> cmd = new ArrayList<>(List.of(binary().toString(), Integer.toString(pid), Integer.toString(fd),
                Long.toString(sampleIntervalUs), Double.toString(seconds)));
        for (long[] r : regions) {
            cmd.add(Long.toHexString(r[0]) + "-" + Long.toHexString(r[1]));
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        if (p.waitFor() != 0 || !out.startsWith("floor ")) {
            throw new IllegalStateException("uffd_floor failed (exit " + p.exitValue() + "): " + out);
        }
        Map<String, Double> m = new HashMap<>();
        for (String kv : out.substring(6).split(" ")) {
            String[] f = kv.split("=");
            m.put(f[0], Double.parseDouble(f[1]));
        }
        return m;
    }
}
