package io.jdamon.shell.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code bin/jdamon status|start|stop|tune ...}: sends the command line to
 * the running container's control channel ({@link ControlProtocol}) and prints
 * its answer. The launcher runs it from the shell bundle's jar, with no
 * framework. {@code --help} is answered here, so it works with no container.
 */
public final class ControlClient {

    /** The commands of {@link ControlCommands} that {@code bin/jdamon} sends to a container. */
    public static final List<String> COMMANDS = List.of("status", "start", "stop", "tune");
    /**
     * The request of the bash completion: {@code complete INDEX WORD...}, the words after
     * {@code jdamon} and the index of the one being typed; the answer is one candidate a line.
     */
    public static final String COMPLETE = "complete";

    private ControlClient() {
    }

    /**
     * @param args the command and its arguments, e.g. {@code status -v}
     * @return the command's exit status; 1 when no container answers
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> argv = List.of(args);
        boolean completing = !argv.isEmpty() && argv.get(0).equals(COMPLETE);
        if (!completing && (argv.contains("-h") || argv.contains("--help") || argv.isEmpty())) {
            return ControlCommands.run(null, argv, out, err); // picocli prints the usage before any call
        }
        String command = argv.get(0);
        Path socket = ControlProtocol.socketPath(System::getProperty);
        if (socket == null) {
            err.println("jdamon " + command + ": no container to ask; set -D" + ControlProtocol.SOCKET_PROPERTY
                    + "=PATH to the socket of one");
            return 1;
        }
        if (!Files.exists(socket)) {
            err.println("jdamon " + command + ": no running container: " + socket + " does not exist; start one "
                    + "with 'jdamon container' (it listens there), or set -D" + ControlProtocol.SOCKET_PROPERTY
                    + " (e.g. in JDAMON_JAVA_OPTS) to where one listens");
            return 1;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            DataOutputStream request = new DataOutputStream(Channels.newOutputStream(channel));
            ControlProtocol.writeRequest(request, argv);
            ControlProtocol.Reply reply = ControlProtocol.readReply(new DataInputStream(Channels.newInputStream(channel)));
            out.print(reply.out());
            out.flush();
            err.print(reply.err());
            err.flush();
            return reply.status();
        } catch (SocketException e) {
            err.println("jdamon " + command + ": no container answers at " + socket + " (" + e.getMessage()
                    + "); the container that made it has ended: start one with 'jdamon container'");
            return 1;
        } catch (IOException e) {
            err.println("jdamon " + command + ": the container at " + socket + " did not answer (" + e + ")");
            return 1;
        }
    }
}
