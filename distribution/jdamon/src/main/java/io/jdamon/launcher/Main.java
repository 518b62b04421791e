package io.jdamon.launcher;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.apache.felix.main.AutoProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * The {@code jdamon} command (started by {@code bin/jdamon}).
 *
 * <ul>
 * <li>{@code report} and {@code sensors} need no framework: the report and
 * vaddr bundles' command classes run from a class loader over the bundle
 * jars.</li>
 * <li>{@code record} starts Felix with the distribution's configuration,
 * minus the Gogo shell, and hands the command to the shell bundle
 * ({@code io.jdamon.shell}) in framework properties; that bundle does the
 * work through the services, reports the exit status to a JDK-typed
 * {@link IntConsumer} service registered here, and stops the framework.
 * Ctrl-C asks the command to stop cleanly; a second Ctrl-C stops the
 * framework; a third ends the JVM.</li>
 * </ul>
 * Only JDK types cross between this class loader and the framework's bundles.
 */
public final class Main {

    static final String USAGE = """
            usage: jdamon <command> [options]      (jdamon <command> --help for each)

            commands:
              record      monitor a simulated workload, a process (--pid N) or a command (-- CMD ARGS)
                          and record it to damon.data
              report      show a record file: heatmap, wss, access
              sensors     list the access sensors this kernel allows for processes (--pid N)
              container   run the platform with the Gogo shell; deploy/ takes primitive bundles and contexts
              bench       run a benchmark: engine (JMH, the engine's cost per region per sample) or sim
                          (kdamond CPU against target size, a full-scan baseline, WSS error)
              status      the contexts of the running container (-v: attributes, sensor, regions)
              start NAME  start a stopped context of the running container
              stop NAME   stop a running context (its configuration stays)
              tune NAME KEY=VALUE...   change a context's attributes online, e.g. sampleIntervalUs=10ms
                          (these four talk to 'jdamon container' over its owner-only socket run/control.sock)

            example: jdamon record --duration 10s && jdamon report heatmap
            """;

    /** The Felix configuration key that starts the Gogo shell bundles; left out for commands. */
    static final String SHELL_BUNDLES_KEY = "felix.auto.start.1";
    /** How long the command bundle may take to pick up the command. */
    static final long COMMAND_START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(USAGE);
            return 2;
        }
        String command = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        String homeProperty = System.getProperty("jdamon.home");
        if (homeProperty == null) {
            err.println("jdamon: the system property jdamon.home is not set; start jdamon with bin/jdamon");
            return 1;
        }
        Path home = Path.of(homeProperty);
        switch (command) {
            case "-h", "--help", "help":
                out.print(USAGE);
                return 0;
            case "record": {
                // the shell bundle's own check: a wrong argument or --help needs no framework
                int checked = runPlain(home, "record", "io.jdamon.shell", List.of("io.jdamon.api"),
                        "RecordArguments", rest, out, err);
                return checked >= 0 ? checked : runInFramework(home, command, rest, out, err);
            }
            case "report":
                return runPlain(home, "report", "io.jdamon.report", List.of("io.jdamon.api", "io.jdamon.record"),
                        "ReportCommand", rest, out, err);
            case "sensors":
                return runPlain(home, "sensors", "io.jdamon.vaddr", List.of("io.jdamon.api", "jna"),
                        "SensorsCommand", rest, out, err);
            case "status", "start", "stop", "tune", "complete": { // complete: for etc/jdamon.bash-completion
                // the shell bundle's client of the container's local control channel: no framework here
                return runPlain(home, command, "io.jdamon.shell", List.of("io.jdamon.api", "io.jdamon.report"),
                        "ControlClient", args, out, err);
            }
            case "container", "bench":
                err.println("jdamon " + command + ": start it with bin/jdamon " + command);
                return 2;
            default:
                err.println("jdamon: unknown command '" + command + "'");
                err.print(USAGE);
                return 2;
        }
    }

    // ---- report, sensors: plain class loading --------------------------------------------------

    /**
     * Runs {@code int run(String[], PrintStream, PrintStream)} of the class
     * named {@code simpleName} in bundle {@code owner}, with the classes of
     * the other bundles it needs.
     */
    static int runPlain(Path home, String command, String owner, List<String> needed, String simpleName,
            String[] args, PrintStream out, PrintStream err) {
        List<String> bundles = new ArrayList<>(needed);
        bundles.add(owner);
        List<URL> urls = new ArrayList<>();
        for (String b : bundles) {
            Path jar = home.resolve("bundle").resolve(b + ".jar");
            if (!Files.isRegularFile(jar)) {
                err.println("jdamon " + command + ": " + jar + " is missing; rebuild the distribution "
                        + "(mvn -B -q install -DskipTests)");
                return 1;
            }
            try {
                urls.add(jar.toUri().toURL());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Path ownerJar = home.resolve("bundle").resolve(owner + ".jar");
        String className = findClass(ownerJar, simpleName);
        if (className == null) {
            err.println("jdamon " + command + ": " + ownerJar + " has no class " + simpleName
                    + "; this build of the bundle does not offer 'jdamon " + command + "'");
            return 1;
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            Class<?> type = Class.forName(className, true, loader);
            Method run = type.getMethod("run", String[].class, PrintStream.class, PrintStream.class);
            Object target = Modifier.isStatic(run.getModifiers()) ? null
                    : type.getDeclaredConstructor().newInstance();
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(loader);
            try {
                Object code = run.invoke(target, args, out, err);
                return code instanceof Integer i ? i : 0;
            } finally {
                Thread.currentThread().setContextClassLoader(previous); // record then finds Felix through it
            }
        } catch (InvocationTargetException e) {
            err.println("jdamon " + command + ": failed: " + e.getCause());
            return 1;
        } catch (ReflectiveOperationException | IOException e) {
            err.println("jdamon " + command + ": cannot run " + className + " (" + e
                    + "); rebuild the distribution");
            return 1;
        }
    }

    private static String findClass(Path jar, String simpleName) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            String suffix = "/" + simpleName + ".class";
            String best = null;
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (name.endsWith(suffix)) {
                    String cls = name.substring(0, name.length() - 6).replace('/', '.');
                    if (best == null || !cls.contains(".internal.")) {
                        best = cls; // an exported class wins over an internal one of the same name
                    }
                }
            }
            return best;
        } catch (IOException e) {
            return null;
        }
    }

    // ---- record: the framework ---------------------------------------------------------------------

    static int runInFramework(Path home, String command, String[] args, PrintStream out, PrintStream err) {
        Map<String, String> config = new HashMap<>();
        Map<String, String> loaded = org.apache.felix.main.Main.loadConfigProperties();
        if (loaded == null) {
            err.println("jdamon: cannot read the framework configuration " + System.getProperty(
                    "felix.config.properties") + "; start jdamon with bin/jdamon");
            return 1;
        }
        config.putAll(loaded);
        org.apache.felix.main.Main.copySystemProperties(config);
        config.remove(SHELL_BUNDLES_KEY);
        config.put("jdamon.command", command);
        config.put("jdamon.args", encode(args));
        config.put("jdamon.args.count", Integer.toString(args.length)); // one empty argument is not none
        config.put("jdamon.tty", Boolean.toString(System.console() != null));
        // commands take bundles from deploy/ (primitives) but not its configurations
        config.put("felix.fileinstall.filter", ".*\\.jar");
        config.put("felix.fileinstall.log.level", "1");
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        BundleCache cache;
        try {
            BundleCache.removeStale(tmp);
            cache = BundleCache.create(tmp);
        } catch (IOException e) {
            err.println("jdamon: cannot create a temporary folder for the bundle cache: " + e.getMessage()
                    + "; check that " + tmp + " is writable");
            return 1;
        }
        config.put("org.osgi.framework.storage", cache.storage().toString());
        config.put("org.osgi.framework.storage.clean", "onFirstInit");
        if (!Boolean.getBoolean("jdamon.verbose")) {
            Logger.getLogger("").setLevel(Level.OFF); // the command reports what went wrong itself
        }

        AtomicInteger exitCode = new AtomicInteger(-1);
        try {
            Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path (bin/felix.jar)"))
                    .newFramework(config);
            framework.init();
            BundleContext context = framework.getBundleContext();
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("jdamon.exit", Boolean.TRUE);
            context.registerService(IntConsumer.class, exitCode::set, props);
            AutoProcessor.process(config, context);
            Interrupts interrupts = new Interrupts(framework);
            interrupts.install();
            framework.start();
            long started = System.nanoTime();
            while (true) {
                FrameworkEvent event = framework.waitForStop(500);
                if (event.getType() != FrameworkEvent.WAIT_TIMEDOUT) {
                    break;
                }
                if (exitCode.get() < 0 && !interrupts.commandStarted() && System.nanoTime() - started > COMMAND_START_TIMEOUT_NANOS) {
                    err.println("jdamon " + command + ": the platform did not take the command within "
                            + TimeUnit.NANOSECONDS.toSeconds(COMMAND_START_TIMEOUT_NANOS) + " s; check that "
                            + home.resolve("bundle") + " holds io.jdamon.shell.jar, io.jdamon.core.jar and "
                            + "org.apache.felix.configadmin.jar (run with JDAMON_JAVA_OPTS=-Djdamon.verbose=true)");
                    framework.stop();
                    framework.waitForStop(30_000);
                    return 1;
                }
            }
        } catch (BundleException | InterruptedException | RuntimeException e) {
            err.println("jdamon " + command + ": the platform failed: " + e.getMessage());
            return 1;
        } finally {
            cache.close();
        }
        if (exitCode.get() < 0) {
            err.println("jdamon " + command + ": the platform stopped before the command finished");
            return 1;
        }
        return exitCode.get();
    }

    static String encode(String[] args) {
        List<String> parts = new ArrayList<>();
        for (String a : args) {
            parts.add(URLEncoder.encode(a, StandardCharsets.UTF_8));
        }
        return String.join(" ", parts);
    }

    /**
     * Ctrl-C (SIGINT) and SIGTERM: the first asks the command to stop
     * cleanly, the second stops the framework, the third ends the JVM.
     */
    static final class Interrupts {
        /** How long the command may take to end after a signal before the framework is stopped, and again before the JVM halts. */
        static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(
                Long.getLong("jdamon.signal.grace.seconds", 20));
        /** The exit status when a signal had to end the JVM: 128 + SIGTERM's 15, as a shell reports it. */
        static final int SIGNAL_EXIT = 143;
        private final Framework framework;
        private final long graceNanos;
        private final IntConsumer halt;
        private final AtomicInteger count = new AtomicInteger();

        Interrupts(Framework framework) {
            this(framework, STOP_GRACE_NANOS, Runtime.getRuntime()::halt);
        }

        /** @param halt ends the JVM with a status (Runtime.halt; tests record it instead) */
        Interrupts(Framework framework, long graceNanos, IntConsumer halt) {
            this.framework = framework;
            this.graceNanos = graceNanos;
            this.halt = halt;
        }

        void install() {
            for (String name : List.of("INT", "TERM")) {
                try {
                    sun.misc.Signal.handle(new sun.misc.Signal(name), s -> interrupted(name));
                } catch (IllegalArgumentException unsupported) {
                    // this JVM keeps the signal (e.g. -Xrs); the default handling ends the JVM
                }
            }
        }

        private volatile boolean commandSeen;

        /** @return whether the command bundle has taken the command (it may have finished since) */
        boolean commandStarted() {
            if (!commandSeen) {
                commandSeen = commandInterrupt() != null;
            }
            return commandSeen;
        }

        private ServiceReference<Runnable> commandInterrupt() {
            return commandInterruptService(null);
        }

        /** @return the command's stop service, taken from {@code using} when given; null when there is none */
        private <T> T commandInterruptService(java.util.function.BiFunction<BundleContext,
                ServiceReference<Runnable>, T> using) {
            try {
                BundleContext context = framework.getBundleContext(); // null once the framework has stopped
                if (context == null) {
                    return null;
                }
                for (ServiceReference<Runnable> ref : context.getServiceReferences(Runnable.class,
                        "(jdamon.command.interrupt=true)")) {
                    @SuppressWarnings("unchecked")
                    T found = using == null ? (T) ref : using.apply(context, ref);
                    return found;
                }
            } catch (InvalidSyntaxException | IllegalStateException e) {
                // stopping
            }
            return null;
        }

        /**
         * A signal: the first asks the command to stop (and starts the watchdog), the second stops
         * the framework, the third ends the JVM. Never throws, whatever state the framework is in
         * (a signal may land while it is stopping).
         */
        void interrupted(String signal) {
            int n = count.incrementAndGet();
            try {
                if (n == 1) {
                    startWatchdog(signal);
                    Runnable stop = commandInterruptService((context, ref) -> (Runnable) context.getService(ref));
                    if (stop != null) {
                        stop.run();
                        return;
                    }
                }
                if (n <= 2) {
                    framework.stop();
                    return;
                }
            } catch (BundleException | RuntimeException e) {
                // the framework is stopping or gone: end as the third signal would
            }
            if (n > 1) {
                halt.accept(SIGNAL_EXIT);
            }
        }

        /**
         * Whatever the command, a plugin or an output file does, the process ends after a signal:
         * the framework is stopped a grace time ({@link #STOP_GRACE_NANOS}) after it, and the JVM halted as long
         * again later. A record file loses nothing by the halt (it is what kill -9 would do).
         */
        private void startWatchdog(String signal) {
            Thread watchdog = new Thread(() -> {
                try {
                    TimeUnit.NANOSECONDS.sleep(graceNanos);
                    System.err.println("jdamon: still running " + TimeUnit.NANOSECONDS.toSeconds(graceNanos)
                            + " s after SIG" + signal + "; stopping the platform");
                    try {
                        framework.stop();
                    } catch (BundleException | RuntimeException e) {
                        // halted below if it does not end
                    }
                    TimeUnit.NANOSECONDS.sleep(graceNanos);
                    System.err.println("jdamon: the platform did not stop within "
                            + TimeUnit.NANOSECONDS.toSeconds(graceNanos) + " s; ending now (the record file "
                            + "keeps every aggregation written so far)");
                    halt.accept(SIGNAL_EXIT);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "jdamon-signal-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
        }
    }
}
