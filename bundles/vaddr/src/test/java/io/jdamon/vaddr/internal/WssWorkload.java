package io.jdamon.vaddr.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Issue 13's process ({@code src/test/c/wss_workload.c}): one anonymous
 * mapping of which the first {@code hotMiB} are written every 5 ms and the
 * next {@code idleMiB} were written once. Ends when closed (its stdin closes).
 */
final class WssWorkload implements AutoCloseable {
    final Process process;
    final long start;
    final long end;
    final long hotEnd;
    final long idleEnd;

    private WssWorkload(Process p, long start, long end, long hotMiB, long idleMiB) {
        this.process = p;
        this.start = start;
        this.end = end;
        this.hotEnd = start + (hotMiB << 20);
        this.idleEnd = hotEnd + (idleMiB << 20);
    }

    int pid() {
        return (int) process.pid();
    }

    /** Starts it (with {@code preload} in {@code LD_PRELOAD} if not null) and waits until it is ready. */
    static WssWorkload start(int totalMiB, int hotMiB, int idleMiB, Path preload) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(AccessHelper.build("wss_workload").toString(),
                Integer.toString(totalMiB), Integer.toString(hotMiB), Integer.toString(idleMiB)))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        if (preload != null) {
            pb.environment().put("LD_PRELOAD", preload.toString());
        }
        Process p = pb.start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        String mapping = r.readLine();
        String ready = r.readLine();
        if (mapping == null || !mapping.startsWith("mapping ") || !"ready".equals(ready)) {
            p.destroyForcibly();
            throw new IllegalStateException("wss_workload said '" + mapping + "', '" + ready + "'");
        }
        String[] f = mapping.split(" ");
        return new WssWorkload(p, Long.parseUnsignedLong(f[1]), Long.parseUnsignedLong(f[2]), hotMiB, idleMiB);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // it may have gone already
        }
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
