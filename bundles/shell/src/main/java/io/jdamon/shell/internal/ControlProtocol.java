package io.jdamon.shell.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The local control channel between {@code bin/jdamon status|start|stop|tune}
 * ({@link ControlClient}) and a running container ({@link ControlChannel}): a
 * Unix domain socket, owner-only, in an owner-only folder; no TCP port.
 *
 * <p>One request per connection. The client sends the command line: an int
 * count, then each argument as an int length and its UTF-8 bytes. The
 * container runs it through {@link ControlCommands} and answers with the exit
 * status (int), then what the command printed to its output and to its error
 * stream, each as an int length and UTF-8 bytes.
 */
final class ControlProtocol {

    /** The framework or system property naming the socket; unset, the container listens at {@link #DEFAULT_SOCKET}. */
    static final String SOCKET_PROPERTY = "jdamon.control.socket";
    /** The socket of a distribution, relative to its folder ({@code jdamon.home}). */
    static final String DEFAULT_SOCKET = "run/control.sock";
    /** Most arguments a request may hold. */
    static final int MAX_ARGS = 1_000;
    /** Most bytes one argument or one answer stream may hold: 64 MiB (a verbose status of many contexts). */
    static final int MAX_BYTES = 64 << 20;

    private ControlProtocol() {
    }

    /**
     * @param property reads a property (framework or system), null when unset
     * @return the socket: {@value #SOCKET_PROPERTY} if set, else {@value #DEFAULT_SOCKET} in
     *     {@code jdamon.home}; null when neither is set (e.g. in Karaf: no channel unless configured)
     */
    static Path socketPath(UnaryOperator<String> property) {
        String socket = property.apply(SOCKET_PROPERTY);
        if (socket != null && !socket.isBlank()) {
            return Path.of(socket.trim()).toAbsolutePath();
        }
        String home = property.apply("jdamon.home");
        return home == null || home.isBlank() ? null : Path.of(home).resolve(DEFAULT_SOCKET).toAbsolutePath();
    }

    static void writeRequest(DataOutputStream out, List<String> argv) throws IOException {
        out.writeInt(argv.size());
        for (String a : argv) {
            writeText(out, a);
        }
        out.flush();
    }

    static List<String> readRequest(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > MAX_ARGS) {
            throw new IOException("a request of " + count + " arguments; at most " + MAX_ARGS + " are taken");
        }
        List<String> argv = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            argv.add(readText(in));
        }
        return argv;
    }

    /** The answer to a request. */
    record Reply(int status, String out, String err) {
    }

    static void writeReply(DataOutputStream out, Reply reply) throws IOException {
        out.writeInt(reply.status());
        writeText(out, reply.out());
        writeText(out, reply.err());
        out.flush();
    }

    static Reply readReply(DataInputStream in) throws IOException {
        int status = in.readInt();
        return new Reply(status, readText(in), readText(in));
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readText(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_BYTES) {
            throw new IOException("a text of " + length + " bytes; at most " + MAX_BYTES + " are taken");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
