package io.jdamon.vaddr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * jdamon's userfaultfd preload shim ({@code uffd_shim.c}, shipped in this
 * bundle), built with the system's C compiler on first use. A process started
 * with {@code LD_PRELOAD=<library>} holds a userfaultfd that the
 * {@code uffd-write} sensor can take, e.g.
 *
 * <pre>
 * ProcessBuilder pb = new ProcessBuilder(command);
 * UffdShim.preload(pb, cacheDir);
 * Process p = pb.start(); // then target "pid=" + p.pid() + ",sensor=uffd-write"
 * </pre>
 *
 * The shim only creates the descriptor; the process never uses it and runs
 * as usual.
 */
public final class UffdShim {

    private UffdShim() {
    }

    /** @return the shim's C source */
    public static String source() throws IOException {
        try (var in = UffdShim.class.getResourceAsStream("uffd_shim.c")) {
            if (in == null) {
                throw new IOException("uffd_shim.c is missing from the io.jdamon.vaddr bundle");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /**
     * Builds the shim into {@code dir} unless it is there already.
     *
     * @return the shared library to put in {@code LD_PRELOAD}
     * @throws IOException if there is no C compiler or it fails; the message says which
     */
    public static Path library(Path dir) throws IOException {
        Path lib = dir.resolve("libjdamon-uffd.so");
        if (Files.isRegularFile(lib)) {
            return lib;
        }
        Files.createDirectories(dir);
        Path src = dir.resolve("uffd_shim.c");
        Files.writeString(src, source(), StandardCharsets.US_ASCII);
        Path tmp = dir.resolve("libjdamon-uffd.so.tmp");
        Process cc;
        try {
            cc = new ProcessBuilder("cc", "-shared", "-fPIC", "-O2", "-o", tmp.toString(), src.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("building the uffd-write preload shim needs a C compiler ('cc'): " + e.getMessage(), e);
        }
        String log = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (cc.waitFor() != 0) {
                throw new IOException("cc could not build the uffd-write preload shim " + src + ":\n" + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while building the uffd-write preload shim", e);
        }
        Files.move(tmp, lib, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return lib;
    }

    /**
     * Builds the shim into {@code dir} if needed and puts it first in the
     * {@code LD_PRELOAD} of {@code pb}'s environment (any libraries already
     * there stay, after it).
     *
     * @return the shared library
     * @throws IOException if there is no C compiler or it fails; the message says which
     */
    public static Path preload(ProcessBuilder pb, Path dir) throws IOException {
        Path lib = library(dir);
        String lp = lib.toString();
        if (lp.indexOf(' ') >= 0 || lp.indexOf(':') >= 0) {
            throw new IOException("the uffd-write preload shim's path " + lp + " holds a space or ':', which"
                    + " LD_PRELOAD cannot carry; build it into another folder");
        }
        String before = pb.environment().get("LD_PRELOAD");
        pb.environment().put("LD_PRELOAD", before == null || before.isBlank() ? lp : lp + " " + before);
        return lib;
    }
}
