package io.jdamon.shell.internal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Starts commands so that the {@code uffd-write} sensor can watch them: with
 * the vaddr bundle's userfaultfd preload shim ({@code io.jdamon.vaddr.UffdShim})
 * in {@code LD_PRELOAD}. The shell imports {@code io.jdamon.vaddr} optionally,
 * so without the vaddr bundle only this refuses, with the reason.
 */
final class UffdShimLauncher {

    private UffdShimLauncher() {
    }

    /** @return where the shim is built and kept: {@code $XDG_CACHE_HOME/jdamon}, else {@code ~/.cache/jdamon} */
    static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("jdamon");
    }

    /**
     * Puts the shim in {@code pb}'s {@code LD_PRELOAD}, building it first if needed.
     *
     * @return null when done, else what is missing and what to do
     */
    static String preload(ProcessBuilder pb) {
        try {
            io.jdamon.vaddr.UffdShim.preload(pb, cacheDir());
            return null;
        } catch (NoClassDefFoundError e) {
            return "the vaddr bundle (io.jdamon.vaddr) is not installed; put io.jdamon.vaddr.jar in bundle/";
        } catch (IOException e) {
            return "cannot build jdamon's userfaultfd preload shim into " + cacheDir() + ": " + e.getMessage()
                    + "; install a C compiler (e.g. apt-get install gcc), or choose another --sensor";
        }
    }
}
