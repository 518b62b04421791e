package io.jdamon.shell.internal;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Progress of a recording: one line rewritten in place on a terminal, a
 * plain line every {@value #PLAIN_PERIOD_SECONDS} seconds otherwise (logs,
 * pipes, CI).
 */
final class Progress {

    static final int PLAIN_PERIOD_SECONDS = 2;
    private static final long TTY_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final PrintStream out;
    private final boolean tty;
    private final long durationUs;
    private long lastPrintNanos = Long.MIN_VALUE;
    private int lastWidth;
    private boolean lineOpen;

    Progress(PrintStream out, boolean tty, long durationUs) {
        this.out = out;
        this.tty = tty;
        this.durationUs = durationUs;
    }

    /** Shows the state if it is time to: elapsed run time, snapshots, regions, WSS (negative: none yet). */
    void update(long elapsedNanos, long snapshots, int regions, long wssBytes) {
        if (!tty && snapshots == 0) {
            return; // a log gets lines with something in them
        }
        long period = tty ? TTY_PERIOD_NANOS : TimeUnit.SECONDS.toNanos(PLAIN_PERIOD_SECONDS);
        if (lastPrintNanos != Long.MIN_VALUE && elapsedNanos - lastPrintNanos < period) {
            return;
        }
        lastPrintNanos = elapsedNanos;
        String line = line(elapsedNanos, snapshots, regions, wssBytes, durationUs);
        if (tty) {
            StringBuilder b = new StringBuilder("\r").append(line);
            for (int i = line.length(); i < lastWidth; i++) {
                b.append(' ');
            }
            lastWidth = line.length();
            out.print(b);
            out.flush();
            lineOpen = true;
        } else {
            out.println(line);
        }
    }

    /** Ends the updating line, if any, so the next output starts on a fresh line. */
    void end() {
        if (lineOpen) {
            out.println();
            lineOpen = false;
        }
    }

    static String line(long elapsedNanos, long snapshots, int regions, long wssBytes, long durationUs) {
        String elapsed = String.format(Locale.ROOT, "%.1fs", elapsedNanos / 1e9);
        if (durationUs > 0) {
            elapsed += String.format(Locale.ROOT, "/%.1fs", durationUs / 1e6);
        }
        return "recording " + elapsed + "  snapshots " + snapshots + "  regions " + regions + "  wss "
                + (wssBytes < 0 ? "-" : bytes(wssBytes));
    }

    /** @return a size the way people read it, in binary units: 512 B, 9.8 MiB */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
