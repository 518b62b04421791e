package io.jdamon.report.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import io.jdamon.report.Range;
import io.jdamon.report.internal.Problems.UsageException;
import io.jdamon.units.UnitParser;

/** Option values as typed, turned into numbers through {@link UnitParser}, with the option's name in every message. */
final class Values {

    private Values() {
    }

    static Path path(String option, String v) throws UsageException {
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            throw new UsageException(option + " " + v + " is not a valid file name (" + e.getReason() + ")");
        }
    }

    static int wholeInt(String option, String s) throws UsageException {
        long v;
        try {
            v = UnitParser.wholeNumber(s);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new UsageException(option + ": '" + s + "' is too large a number");
        }
        return (int) v;
    }

    static long size(String option, String s) throws UsageException {
        try {
            return UnitParser.sizeBytes(s);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }

    static long timeUs(String option, String s) throws UsageException {
        try {
            return UnitParser.timeMicros(s, "us");
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }

    /** A range of addresses (bytes) or times (bare numbers in nanoseconds, as damo's report times). */
    static Range range(String option, List<String> v, boolean time) throws UsageException {
        if (v == null) {
            return null;
        }
        if (v.size() > 2 && v.size() % 2 == 0) {
            // damo takes several address ranges, one map each
            throw new UsageException(option + " is given " + v.size() / 2 + " times; jdamon draws one range: give it "
                    + "once" + (time ? "" : ", or draw every monitored range with --draw_range all"));
        }
        if (v.size() != 2) {
            throw new UsageException(option + " needs two values, START and END");
        }
        long start = time ? time(option, v.get(0)) : address(option, v.get(0));
        long end = time ? time(option, v.get(1)) : address(option, v.get(1));
        if (end <= start) {
            throw new UsageException(option + ": END (" + v.get(1) + ") must be greater than START (" + v.get(0)
                    + ")");
        }
        return new Range(start, end);
    }

    private static long time(String option, String s) throws UsageException {
        try {
            return UnitParser.timeNanos(s, "ns");
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }

    private static long address(String option, String s) throws UsageException {
        try {
            return UnitParser.address(s);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }

    /** Two positive whole numbers written {@code AxB} (jdamon) or as two values {@code A B} (damo). */
    static int[] pair(String option, List<String> v, String form) throws UsageException {
        String text = String.join(" ", v);
        String[] p;
        if (v.size() == 1) {
            p = v.get(0).toLowerCase(Locale.ROOT).split("x");
        } else {
            p = v.toArray(String[]::new);
            if (p[0].toLowerCase(Locale.ROOT).contains("x")) {
                throw new UsageException(option + " " + text + " is not " + form);
            }
        }
        if (p.length != 2) {
            throw new UsageException(option + " " + text + " is not " + form);
        }
        int a = wholeInt(option, p[0]);
        int b = wholeInt(option, p[1]);
        if (a < 1 || b < 1) {
            throw new UsageException(option + " " + text + " must be positive, " + form);
        }
        return new int[] {a, b};
    }
}
