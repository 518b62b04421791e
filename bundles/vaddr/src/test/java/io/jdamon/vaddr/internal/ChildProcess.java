package io.jdamon.vaddr.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Runs a child process of a test with a timeout that holds: its output is
 * read on a thread of its own, so a child that hangs (holding its output
 * open) is killed after the timeout instead of blocking the read forever.
 */
final class ChildProcess {

    /** What the child printed (stdout and stderr together) and its exit status. */
    record Result(int exitStatus, String output) {
    }

    private ChildProcess() {
    }

    /**
     * @return the child's output and status once it exited
     * @throws AssertionError if it ran longer than {@code timeoutSeconds} (it is killed), with its output so far
     */
    static Result run(ProcessBuilder pb, long timeoutSeconds) throws IOException, InterruptedException {
        Process child = pb.redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = child.getInputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // the child is gone
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        try {
            child.getOutputStream().close();
            if (!child.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                child.descendants().forEach(ProcessHandle::destroyForcibly);
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                reader.join(TimeUnit.SECONDS.toMillis(5));
                throw new AssertionError("the child " + pb.command() + " ran longer than " + timeoutSeconds
                        + " s and was killed; its output so far:\n" + text(out));
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
            return new Result(child.exitValue(), text(out));
        } finally {
            child.destroyForcibly();
        }
    }

    private static String text(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
