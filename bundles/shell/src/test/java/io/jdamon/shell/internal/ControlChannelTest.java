package io.jdamon.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

import io.jdamon.api.ContextDefinition;
import io.jdamon.api.MonitoringContext;
import io.jdamon.core.internal.DamonEngine;

/** The local control channel over a real Unix domain socket: the client's answers and the channel's safety rules. */
@Timeout(60)
class ControlChannelTest {

    private final DamonEngine engine = new DamonEngine();

    @TempDir
    Path dir;

    @AfterEach
    void disposeContexts() throws Exception {
        System.clearProperty(ControlProtocol.SOCKET_PROPERTY);
        for (MonitoringContext c : engine.contexts()) {
            engine.dispose(c);
        }
    }

    private static BundleContext framework(Map<String, String> properties) {
        return (BundleContext) Proxy.newProxyInstance(ControlChannelTest.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (p, m, args) -> {
                    if (m.getName().equals("getProperty")) {
                        return properties.get((String) args[0]);
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    /** @return exit status, output and error of {@code bin/jdamon ARGS}'s client */
    private static String[] client(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ControlClient.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {String.valueOf(status), out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void aDistributionsContainerAnswersTheClientOnAnOwnerOnlySocket() throws Exception {
        engine.newContext(ContextDefinition.of("quiet", "test", "t0"), new HotHalfPrimitive());
        Path home = dir.resolve("jdamon");
        Files.createDirectories(home);
        Path socket = home.resolve(ControlProtocol.DEFAULT_SOCKET);
        ControlChannel channel = new ControlChannel(framework(Map.of("jdamon.home", home.toString())), engine);
        try {
            assertThat(socket).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
                    .isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket,
                    LinkOption.NOFOLLOW_LINKS))).isEqualTo("rw-------");

            System.setProperty("jdamon.home", home.toString());
            try {
                String[] status = client("status");
                assertThat(status[0]).as(status[2]).isEqualTo("0");
                assertThat(status[1]).startsWith("quiet ").contains("primitive=test");
                String[] stop = client("stop", "quiet");
                assertThat(stop[0]).isEqualTo("1");
                assertThat(stop[2]).contains("context 'quiet' does not run");
                assertThat(engine.context("quiet").orElseThrow().attributes().minNrRegions()).isEqualTo(10);
                String[] tune = client("tune", "quiet", "minNrRegions=20");
                assertThat(tune[0]).as(tune[2]).isEqualTo("0");
                assertThat(engine.context("quiet").orElseThrow().attributes().minNrRegions()).isEqualTo(20);
                // the channel runs only what bin/jdamon sends: no record, no report in the container's name
                String[] report = client("report", "wss", "quiet");
                assertThat(report[0]).isEqualTo("2");
                assertThat(report[2]).contains("takes status, start, stop, tune");
            } finally {
                System.clearProperty("jdamon.home");
            }
        } finally {
            channel.close();
        }
        assertThat(socket).doesNotExist();
        System.setProperty(ControlProtocol.SOCKET_PROPERTY, socket.toString());
        String[] gone = client("status");
        assertThat(gone[0]).isEqualTo("1");
        assertThat(gone[2]).contains("no running container").contains("jdamon container");
    }

    @Test
    void aStaleSocketIsReplacedAndALiveOneIsLeftToItsContainer() throws Exception {
        Path socket = dir.resolve("run").resolve("c.sock");
        Map<String, String> props = Map.of(ControlProtocol.SOCKET_PROPERTY, socket.toString());
        ControlChannel first = new ControlChannel(framework(props), engine);
        try {
            // a second container finds the first one listening: it leaves the socket alone
            ControlChannel second = new ControlChannel(framework(props), engine);
            second.close();
            System.setProperty(ControlProtocol.SOCKET_PROPERTY, socket.toString());
            assertThat(client("status")[0]).isEqualTo("0");
        } finally {
            first.close();
        }
        // a socket file nobody listens on (a killed container's) is replaced
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();
        String[] stale = client("status");
        assertThat(stale[0]).isEqualTo("1");
        assertThat(stale[2]).contains("no container answers");
        ControlChannel third = new ControlChannel(framework(props), engine);
        try {
            assertThat(client("status")[0]).isEqualTo("0");
        } finally {
            third.close();
        }
    }

    @Test
    void aFolderThatIsASymbolicLinkIsNotFollowed() throws Exception {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(dir.resolve("run"), elsewhere);
        ControlChannel channel = new ControlChannel(framework(Map.of(ControlProtocol.SOCKET_PROPERTY,
                link.resolve("c.sock").toString())), engine);
        channel.close();
        try (var files = Files.list(elsewhere)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void jdamonRecordsOwnFrameworkOpensNoChannel() throws Exception {
        Path home = Files.createDirectories(dir.resolve("jdamon"));
        ControlChannel channel = new ControlChannel(framework(Map.of("jdamon.home", home.toString(),
                CommandSession.COMMAND_PROPERTY, "record")), engine);
        channel.close();
        assertThat(home.resolve(ControlProtocol.DEFAULT_SOCKET)).doesNotExist();
    }

    @Test
    void aClientThatSendsGarbageOrNothingDoesNotStopTheChannel() throws Exception {
        Path socket = dir.resolve("run").resolve("c.sock");
        ControlChannel channel = new ControlChannel(framework(Map.of(ControlProtocol.SOCKET_PROPERTY,
                socket.toString())), engine);
        try {
            try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                c.connect(UnixDomainSocketAddress.of(socket));
                DataOutputStream out = new DataOutputStream(Channels.newOutputStream(c));
                out.writeInt(Integer.MAX_VALUE); // a request of two billion arguments
                out.flush();
                assertThat(new DataInputStream(Channels.newInputStream(c)).read()).as("closed, no answer")
                        .isEqualTo(-1);
            }
            try (SocketChannel silent = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                silent.connect(UnixDomainSocketAddress.of(socket));
                // meanwhile, others are served
                try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    c.connect(UnixDomainSocketAddress.of(socket));
                    ControlProtocol.writeRequest(new DataOutputStream(Channels.newOutputStream(c)), List.of("status"));
                    ControlProtocol.Reply reply = ControlProtocol.readReply(
                            new DataInputStream(Channels.newInputStream(c)));
                    assertThat(reply.status()).isZero();
                    assertThat(reply.out()).startsWith("no contexts");
                }
            }
        } finally {
            channel.close();
        }
    }

    @Test
    void theClientAnswersHelpWithNoContainer() {
        String[] help = client("status", "--help");
        assertThat(help[0]).isEqualTo("0");
        assertThat(help[1]).contains("Usage: jdamon status").contains("--verbose");
    }
}
