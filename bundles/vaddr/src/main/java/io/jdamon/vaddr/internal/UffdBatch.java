package io.jdamon.vaddr.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The uffd-write sensor's per-sample ioctls for all regions in one native
 * call ({@code uffd_batch.c}, shipped in this bundle and built with the
 * system's C compiler once per JVM, into a fresh owner-only temporary folder
 * that is deleted once the library is loaded). A JNA call costs about as much
 * as the ioctl it makes, so the per-region loop in Java doubled the sensor's
 * cost; here a sample makes two JNA calls whatever the number of regions.
 * Without a C compiler the sensor makes one JNA call per ioctl
 * ({@link #unavailableReason()} says why).
 */
final class UffdBatch {

    /** Set to {@code false} to make the sensor call each ioctl from Java (for measuring what batching saves). */
    static final String PROPERTY = "io.jdamon.vaddr.uffd.batch";

    private static final String LOAD_FAILURE = load();

    private UffdBatch() {
    }

    /** @return null if the batch calls are usable, else why not */
    static String unavailableReason() {
        return LOAD_FAILURE;
    }

    /** @return whether sessions opened now should use the batch calls (available, and not switched off) */
    static boolean use() {
        return LOAD_FAILURE == null && !"false".equals(System.getProperty(PROPERTY));
    }

    /**
     * Write-protects the page at each of {@code n} addresses at {@code pages}
     * (page aligned {@code uint64_t}s) through userfaultfd {@code uffd}.
     * {@code errs} receives n {@code int32_t}: 0 or the errno of that page.
     *
     * @return how many failed
     */
    static native int jdamon_uffd_protect(int uffd, long pages, int n, long errs);

    /**
     * {@code PAGEMAP_SCAN} (report only) of the page at each of {@code n}
     * addresses at {@code pages}: {@code res} receives n {@code int32_t}, 1
     * written since protected, 0 not, or minus the errno.
     *
     * @return how many were written
     */
    static native int jdamon_uffd_scan(int pagemap, long pages, int n, long res);

    private static String load() {
        if (!LibC.available()) {
            return LibC.unavailableReason();
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("jdamon-uffd-batch"); // owner-only: nothing can be planted in it
            Path src = dir.resolve("uffd_batch.c");
            Path lib = dir.resolve("libjdamon-uffd-batch.so");
            try (InputStream in = UffdBatch.class.getResourceAsStream("/io/jdamon/vaddr/uffd_batch.c")) {
                if (in == null) {
                    return "uffd_batch.c is missing from the io.jdamon.vaddr bundle";
                }
                Files.write(src, in.readAllBytes());
            }
            Process cc = new ProcessBuilder("cc", "-shared", "-fPIC", "-O2", "-o", lib.toString(), src.toString())
                    .redirectErrorStream(true).start();
            String log = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (cc.waitFor() != 0) {
                return "cc could not build uffd_batch.c: " + log.strip();
            }
            Native.register(UffdBatch.class, NativeLibrary.getInstance(lib.toString()));
            return null;
        } catch (IOException e) {
            return "no C compiler ('cc') to build uffd_batch.c: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while building uffd_batch.c";
        } catch (RuntimeException | LinkageError e) {
            return "cannot load the uffd-write batch library: " + e;
        } finally {
            if (dir != null) {
                // loaded (mapped) already, or failed: the files are not needed any more
                try (var files = Files.list(dir)) {
                    for (Path p : (Iterable<Path>) files::iterator) {
                        Files.deleteIfExists(p);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    // a temporary folder left behind; nothing else depends on it
                }
            }
        }
    }
}
