package io.jdamon.itests.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.tools.attach.VirtualMachine;

/**
 * The management surface of a running distribution, from outside it as a user
 * has it: {@code bin/jdamon status|stop|start|tune} from another process over
 * the container's owner-only socket, the Gogo commands in its shell, no TCP
 * port opened, and the JMX beans read through the Attach API.
 */
class ManagementTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void binJdamonAndJmxReachARunningContainerWithNoTcpPort() throws Exception {
        try (Distribution dist = new Distribution(dir)) {
            Distribution.drop("io.jdamon.context-mgmt.cfg", """
                    primitive = sim
                    targets = virtual:stairs
                    sampleIntervalUs = 1000
                    aggregationIntervalUs = 20000
                    """, dist.deploy());
            Distribution.Container container = dist.container(dir);
            Distribution.Result status = until(dist, r -> line(r.out(), "mgmt").contains("RUNNING")
                    && aggregations(line(r.out(), "mgmt")) > 2, "status");
            assertThat(status.exit()).isZero();

            // the socket and its folder are the user's alone; the container listens on no TCP port
            Path socket = dist.home.resolve("run/control.sock");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())))
                    .isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)))
                    .isEqualTo("rw-------");
            assertThat(listeningTcpSockets(container.pid())).as("TCP sockets the container listens on").isEmpty();

            Distribution.Result verbose = dist.run(dir, WAIT, "status", "-v");
            assertThat(verbose.exit()).as(verbose.err()).isZero();
            assertThat(verbose.out()).contains("attributes: sampleIntervalUs=1000 (1 ms)").contains("primitive: ")
                    .contains("target 0 virtual:stairs").contains(" nr_accesses ");

            // bash completion of context names, from the running container
            assertThat(complete(dist, "stop", "")).containsExactly("mgmt");
            assertThat(complete(dist, "tune", "mgmt", "sam")).containsExactly("sampleIntervalUs=");
            assertThat(complete(dist, "sta")).containsExactly("start", "status");

            Distribution.Result tune = dist.run(dir, WAIT, "tune", "mgmt", "sampleIntervalUs=2ms",
                    "aggregationIntervalUs=40ms");
            assertThat(tune.exit()).as(tune.err()).isZero();
            assertThat(tune.out()).contains("tuned mgmt");
            until(dist, r -> r.out().contains("sampleIntervalUs=2000 (2 ms) aggregationIntervalUs=40000"),
                    "status", "-v");
            Distribution.Result badTune = dist.run(dir, WAIT, "tune", "mgmt", "speed=max");
            assertThat(badTune.exit()).isEqualTo(1);
            assertThat(badTune.err()).contains("'speed=max' is not a setting");

            Distribution.Result stop = dist.run(dir, WAIT, "stop", "mgmt");
            assertThat(stop.exit()).as(stop.err()).isZero();
            assertThat(line(dist.run(dir, WAIT, "status").out(), "mgmt")).contains("STOPPED");
            Distribution.Result unknown = dist.run(dir, WAIT, "stop", "nope");
            assertThat(unknown.exit()).isEqualTo(1);
            assertThat(unknown.err()).contains("no context 'nope'; there are mgmt");
            assertThat(dist.run(dir, WAIT, "start", "mgmt").exit()).isZero();
            until(dist, r -> line(r.out(), "mgmt").contains("RUNNING") && aggregations(line(r.out(), "mgmt")) > 2,
                    "status");

            // the Gogo commands in the container's shell: a report on the running context, no file
            int from = container.output().length();
            String access = container.pollUntil("jdamon:report access mgmt", from,
                    l -> l.contains("context mgmt, last aggregation"), WAIT, 5_000);
            assertThat(access).contains("aggregation");

            // JMX: the beans, through the Attach API's local agent (this test opens it, jdamon does not)
            VirtualMachine vm = VirtualMachine.attach(Long.toString(container.pid()));
            String address;
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection beans = jmx.getMBeanServerConnection();
                ObjectName mgmt = new ObjectName("io.jdamon:type=Context,name=mgmt");
                assertThat(beans.getAttribute(mgmt, "State")).isEqualTo("RUNNING");
                assertThat(beans.getAttribute(mgmt, "Primitive")).isEqualTo("sim");
                assertThat(beans.getAttribute(mgmt, "SampleIntervalUs")).isEqualTo(2_000L);
                assertThat((Long) beans.getAttribute(mgmt, "WorkingSetBytes")).isPositive();
                assertThat((String[]) beans.getAttribute(new ObjectName("io.jdamon:type=Engine"), "ContextNames"))
                        .containsExactly("mgmt");
                beans.invoke(mgmt, "stop", new Object[0], new String[0]);
                assertThat(beans.getAttribute(mgmt, "State")).isEqualTo("STOPPED");
            }

            boolean stopped = container.stop(Duration.ofSeconds(30));
            assertThat(stopped).as("the container stops on 'stop 0'; output:\n" + container.output()).isTrue();
            assertThat(socket).as("the socket goes with its container").doesNotExist();
            Distribution.Result none = dist.run(dir, WAIT, "status");
            assertThat(none.exit()).isEqualTo(1);
            assertThat(none.err()).contains("no running container").contains("jdamon container");
        }
    }

    /** Runs {@code bin/jdamon args} until its result passes, at most {@link #WAIT}. */
    private static Distribution.Result until(Distribution dist, Predicate<Distribution.Result> passes, String... args)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Distribution.Result r;
        do {
            r = dist.run(dist.home, WAIT, args);
            if (passes.test(r)) {
                return r;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("jdamon " + String.join(" ", args) + " never gave what was expected within " + WAIT
                + "; last: exit " + r.exit() + "\n" + r.out() + r.err());
    }

    /** @return what etc/jdamon.bash-completion offers for {@code jdamon WORDS} (the last word being typed) */
    private static List<String> complete(Distribution dist, String... words) throws Exception {
        StringBuilder script = new StringBuilder("source etc/jdamon.bash-completion; COMP_WORDS=(bin/jdamon");
        for (String w : words) {
            script.append(" '").append(w).append('\'');
        }
        script.append("); COMP_CWORD=").append(words.length).append("; _jdamon; printf '%s\\n' \"${COMPREPLY[@]}\"");
        ProcessBuilder b = new ProcessBuilder("bash", "-c", script.toString()).directory(dist.home.toFile())
                .redirectErrorStream(true);
        b.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return out.lines().filter(l -> !l.isBlank()).sorted().toList();
    }

    private static String line(String status, String name) {
        return status.lines().filter(l -> l.startsWith(name + " ")).findFirst().orElse("");
    }

    private static long aggregations(String line) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("aggregations=(\\d+)").matcher(line);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** @return the inodes of TCP sockets in state LISTEN that the process holds, from /proc */
    private static Set<String> listeningTcpSockets(long pid) throws IOException {
        Set<String> listening = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(table);
            if (!Files.exists(p)) {
                continue;
            }
            for (String l : Files.readAllLines(p).subList(1, Files.readAllLines(p).size())) {
                String[] f = l.trim().split("\\s+");
                if (f.length > 9 && f[3].equals("0A")) { // 0A: TCP_LISTEN
                    listening.add(f[9]);
                }
            }
        }
        Set<String> held = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        String inode = target.substring(8, target.length() - 1);
                        if (listening.contains(inode)) {
                            held.add(inode);
                        }
                    }
                } catch (IOException closedMeanwhile) {
                    // an fd that closed while listed
                }
            }
        }
        return held;
    }
}
