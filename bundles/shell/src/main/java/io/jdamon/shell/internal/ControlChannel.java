package io.jdamon.shell.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import io.jdamon.api.MonitoringEngine;

/**
 * The container's end of the local control channel ({@link ControlProtocol}):
 * a Unix domain socket that {@code bin/jdamon status|start|stop|tune} talks
 * to. It listens only where a property says ({@value ControlProtocol#SOCKET_PROPERTY}, or
 * the distribution's {@code run/control.sock}), never for {@code jdamon record}'s own
 * framework, and only in a folder that is the user's own: the folder is made
 * owner-only, a symbolic link or another user's folder is refused, and the
 * socket is owner-only, so only this user (and root) can connect.
 */
@Component(service = {}, immediate = true)
public final class ControlChannel {

    private static final Logger LOG = System.getLogger("io.jdamon.shell.control");
    /** How long a client may take to send its request: {@value} s. */
    static final long REQUEST_SECONDS = 10;
    /** Requests run at once; more wait (a report may take a while). */
    static final int WORKERS = 4;
    private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_SOCKET = PosixFilePermissions.fromString("rw-------");

    private final ContextControl control;
    private final Path socket;
    private ServerSocketChannel server;
    private Object socketKey;
    private Thread acceptor;
    private ExecutorService workers;
    private ScheduledExecutorService timeouts;

    @Activate
    public ControlChannel(BundleContext bundleContext, @Reference MonitoringEngine engine) {
        this.control = new ContextControl(engine);
        // jdamon record runs a framework of its own for one command: it is not a container to talk to
        boolean command = bundleContext.getProperty(CommandSession.COMMAND_PROPERTY) != null;
        this.socket = command ? null : ControlProtocol.socketPath(bundleContext::getProperty);
        if (socket != null) {
            try {
                open();
            } catch (IOException | RuntimeException e) {
                close();
                LOG.log(Level.WARNING, "no control channel at " + socket + " (bin/jdamon status and the like will "
                        + "not reach this container): " + e.getMessage() + "; set -D"
                        + ControlProtocol.SOCKET_PROPERTY + "=PATH to a socket in a folder of your own");
            }
        }
    }

    private void open() throws IOException {
        Path folder = ownFolder(socket.getParent());
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            if (answers(socket)) {
                throw new IOException("another container listens there");
            }
            Files.delete(socket); // a stale socket of a container that ended, in our own folder
        }
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, OWNER_ONLY_SOCKET);
        socketKey = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        AtomicInteger n = new AtomicInteger();
        workers = new ThreadPoolExecutor(WORKERS, WORKERS, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(64), r -> daemon(r, "jdamon-control-" + n.incrementAndGet()));
        timeouts = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "jdamon-control-timeout"));
        acceptor = daemon(this::accept, "jdamon-control");
        acceptor.start();
        LOG.log(Level.INFO, "control channel at " + socket + " (folder " + folder + ", owner only)");
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * @return the folder, made if missing and owner-only
     * @throws IOException if it is a symbolic link, not a folder, or not this user's
     */
    static Path ownFolder(Path folder) throws IOException {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(folder.getParent());
            try {
                Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FOLDER));
            } catch (FileAlreadyExistsException raced) {
                // checked below like any folder that was there
            }
        }
        if (Files.isSymbolicLink(folder)) {
            throw new IOException(folder + " is a symbolic link; it is not followed");
        }
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(folder + " is not a folder");
        }
        String owner = Files.getOwner(folder, LinkOption.NOFOLLOW_LINKS).getName();
        if (!owner.equals(System.getProperty("user.name"))) {
            throw new IOException(folder + " belongs to " + owner + ", not to " + System.getProperty("user.name"));
        }
        Files.setPosixFilePermissions(folder, OWNER_ONLY_FOLDER);
        return folder;
    }

    private static boolean answers(Path socket) {
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void accept() {
        while (true) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return; // deactivated
            } catch (IOException e) {
                LOG.log(Level.WARNING, "control channel: accept failed: " + e.getMessage());
                return;
            }
            try {
                workers.execute(() -> serve(client));
            } catch (RejectedExecutionException e) {
                closeQuietly(client); // too many waiting, or shutting down: the client sees the end of the stream
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            // a client that connects and sends nothing must not hold a worker: close it after a while
            Future<?> timeout = timeouts.schedule(() -> closeQuietly(client), REQUEST_SECONDS, TimeUnit.SECONDS);
            List<String> argv = ControlProtocol.readRequest(new DataInputStream(Channels.newInputStream(client)));
            timeout.cancel(false);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = run(argv, out, err);
            ControlProtocol.writeReply(new DataOutputStream(Channels.newOutputStream(client)),
                    new ControlProtocol.Reply(status, out.toString(StandardCharsets.UTF_8),
                            err.toString(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "control channel: a client went away: " + e.getMessage());
        }
    }

    private int run(List<String> argv, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        if (argv.size() >= 2 && argv.get(0).equals(ControlClient.COMPLETE)) {
            return complete(argv.subList(1, argv.size()), o, e);
        }
        if (argv.isEmpty() || !ControlClient.COMMANDS.contains(argv.get(0))) {
            e.println("jdamon: the control channel takes " + String.join(", ", ControlClient.COMMANDS) + ", not "
                    + (argv.isEmpty() ? "nothing" : "'" + argv.get(0) + "'"));
            return 2;
        }
        try {
            return ControlCommands.run(control, argv, o, e);
        } catch (RuntimeException ex) {
            LOG.log(Level.ERROR, "control channel: " + argv + " failed", ex);
            e.println("jdamon " + argv.get(0) + ": failed in the container: " + ex);
            return 1;
        }
    }

    /** {@code complete INDEX WORD...}: the candidates for word INDEX of the words, one a line. */
    private int complete(List<String> request, PrintStream out, PrintStream err) {
        List<String> words = request.subList(1, request.size());
        int index;
        try {
            index = Integer.parseInt(request.get(0));
        } catch (NumberFormatException ex) {
            index = -1;
        }
        if (index < 0 || index >= words.size()) {
            err.println("jdamon complete: give the index of the word being typed, then the words");
            return 2;
        }
        ControlCommands.complete(control, words, index, words.get(index).length()).forEach(out::println);
        return 0;
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
    }

    @Deactivate
    void close() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                // closing: nothing to do
            }
        }
        if (acceptor != null) {
            try {
                acceptor.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (workers != null) {
            workers.shutdownNow(); // a waiting report ends on the interrupt
            timeouts.shutdownNow();
            try {
                workers.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deleteOwnSocket();
    }

    /** Deletes the socket file if it is still the one this channel bound (not a later container's). */
    private void deleteOwnSocket() {
        if (socketKey == null) {
            return;
        }
        try {
            Object key = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (socketKey.equals(key)) {
                Files.delete(socket);
            }
        } catch (IOException e) {
            // gone already
        }
    }
}
