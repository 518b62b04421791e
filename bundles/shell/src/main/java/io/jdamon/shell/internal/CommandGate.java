package io.jdamon.shell.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.jdamon.api.Callback;
import io.jdamon.api.CallbackResult;
import io.jdamon.api.ContextView;

/**
 * Holds the command of {@code jdamon record -- CMD ARGS} before its first
 * instruction until monitoring is armed, so the recording covers the program
 * from its beginning.
 *
 * <p>The command is started through a gate, {@code sh -c} {@value #SCRIPT}:
 * the shell (whose PID the command keeps, as it {@code exec}s it) blocks on a
 * FIFO until this callback, added to the context after the recorder, writes a
 * line at the first sample ({@code afterSampling}): after the primitive's
 * {@code init}, the recorder's start and the run's time zero, with the first
 * access checks prepared. No compiler and no ptrace are
 * needed. This side holds the FIFO open for reading and writing from before the
 * gate starts, so the gate's open never waits and a line written before the
 * gate reads it is kept; if jdamon dies before the release, the gate reads end
 * of file and exits with status 125 without running the command.
 *
 * <p>Limit: the context's {@code init} sees the gate shell's address space; the
 * primitive finds the command's own mappings at its next update (and the vaddr
 * primitive's exec detection), within one update interval.
 */
final class CommandGate implements Callback, AutoCloseable {

    /** The gate: {@code $1} is the FIFO, the rest the command. */
    static final String SCRIPT = "IFS= read -r _ < \"$1\" || exit 125; shift; exec \"$@\"";
    /** The gate's name in {@code ps} and in the shell's own messages. */
    static final String NAME = "jdamon-gate";

    private final Path fifo;
    private final FileChannel channel;
    private final AtomicBoolean released = new AtomicBoolean();

    private CommandGate(Path fifo, FileChannel channel) {
        this.fifo = fifo;
        this.channel = channel;
    }

    /**
     * Makes the gate's FIFO at {@code fifo} (which must not exist; its folder should be private).
     *
     * @throws IOException if no FIFO can be made there
     */
    static CommandGate create(Path fifo) throws IOException {
        Process mkfifo = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString()).redirectErrorStream(true).start();
        try {
            if (!mkfifo.waitFor(10, TimeUnit.SECONDS) || mkfifo.exitValue() != 0) {
                mkfifo.destroyForcibly();
                throw new IOException("mkfifo " + fifo + " failed: "
                        + new String(mkfifo.getInputStream().readAllBytes()).trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making the FIFO " + fifo, e);
        }
        // read and write: on Linux opening a FIFO so never blocks, and the pipe lives while this end is open
        return new CommandGate(fifo, FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE));
    }

    /** @return {@code command} run through the gate */
    List<String> wrap(List<String> command) {
        List<String> gated = new ArrayList<>(List.of("/bin/sh", "-c", SCRIPT, NAME, fifo.toString()));
        gated.addAll(command);
        return gated;
    }

    /** Lets the command run (once; later calls do nothing). */
    void release() {
        if (released.compareAndSet(false, true)) {
            try {
                channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
            } catch (IOException e) {
                // the gate is gone (killed): its process ends without the command; the target then ends
            }
        }
    }

    /** @return whether {@link #release()} ran */
    boolean released() {
        return released.get();
    }

    /**
     * Releases the command at the first sample, once its access checks are
     * prepared: after the run's time zero, which is set after every
     * {@code beforeStart}, so the record's start is before the command's first act.
     */
    @Override
    public CallbackResult afterSampling(ContextView ctx) {
        if (!released.get()) {
            release();
        }
        return CallbackResult.CONTINUE;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing held any more
        }
        try {
            Files.deleteIfExists(fifo);
        } catch (IOException e) {
            // left in the bundle's data area, which the framework removes
        }
    }
}
