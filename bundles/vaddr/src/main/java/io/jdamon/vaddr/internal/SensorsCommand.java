package io.jdamon.vaddr.internal;

import java.io.PrintStream;

import io.jdamon.api.InvalidTargetException;
import io.jdamon.vaddr.Sensor;
import io.jdamon.vaddr.SensorProbe;

/**
 * {@code jdamon sensors [--pid N]}: lists each access sensor of the vaddr
 * primitive, whether it is available here (for that process) and why, and
 * which one {@code sensor=auto} would pick.
 */
public final class SensorsCommand {

    static final String USAGE = "usage: jdamon sensors [--pid N]";

    private final Sensors sensors;

    public SensorsCommand() {
        this(new Sensors());
    }

    SensorsCommand(Sensors sensors) {
        this.sensors = sensors;
    }

    /**
     * @return 0 when listed; 1 when the process cannot be inspected; 2 for a usage error
     */
    public int run(String[] args, PrintStream out, PrintStream err) {
        int pid = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--pid") && i + 1 < args.length) {
                pid = parsePid(args[++i]);
            } else if (a.startsWith("--pid=")) {
                pid = parsePid(a.substring(6));
            } else if (a.equals("-h") || a.equals("--help")) {
                out.println(USAGE);
                out.println("Lists the vaddr primitive's access sensors, whether each works on this machine"
                        + " (and for process N) and why.");
                return 0;
            } else {
                err.println("jdamon sensors: unexpected argument '" + a + "'; " + USAGE);
                return 2;
            }
            if (pid < 0) {
                err.println("jdamon sensors: '" + args[i] + "' is not a process ID; give a positive number. " + USAGE);
                return 2;
            }
        }
        out.println("kernel " + Kernel.release() + ", running as uid " + Kernel.euid()
                + (pid > 0 ? ", for PID " + pid : ""));
        if (pid > 0) {
            try {
                ProcessAccess.requireInspectable("pid=" + pid, pid);
            } catch (InvalidTargetException e) {
                err.println("jdamon sensors: " + e.getMessage());
                return 1;
            }
        }
        String auto = null;
        String running = null;
        for (Sensor s : sensors.all()) {
            SensorProbe p = s.probe(pid);
            out.printf("%-14s %-11s sees %-12s granularity %-8s%s%n", s.traits().name(),
                    p.available() ? "available" : "unavailable", s.traits().sees(), s.traits().granularity().label(),
                    s.traits().intrusive() ? " INTRUSIVE (opt-in only)" : "");
            out.println("    " + p.reason());
            out.println("    " + s.traits().description());
            if (p.available() && !s.traits().intrusive()) {
                if (auto == null) {
                    auto = s.traits().name();
                }
                // a process jdamon did not start holds no userfaultfd: for one, auto goes past such sensors
                if (running == null && !(s instanceof UffdWriteSensor || s instanceof UffdReferencedSensor)) {
                    running = s.traits().name();
                }
            }
        }
        if (pid > 0 || auto == null || auto.equals(running)) {
            out.println(auto == null ? "sensor=auto: none available" : "sensor=auto picks " + auto);
        } else {
            out.println("sensor=auto picks " + (running == null ? "none" : running) + " for a running process"
                    + " (--pid N), " + auto + " for a command jdamon starts with its shim (record -- CMD)");
        }
        return 0;
    }

    private static int parsePid(String s) {
        try {
            int p = Integer.parseInt(s.trim());
            return p > 0 ? p : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Runs the command as a program: {@code java ... SensorsCommand [--pid N]}. */
    public static void main(String[] args) {
        System.exit(new SensorsCommand().run(args, System.out, System.err));
    }
}
