package io.jdamon.report.internal;

import java.util.Locale;
import java.util.function.LongFunction;

/**
 * A distribution of one value per snapshot (working set sizes, region counts)
 * printed as damo prints it: {@code # <percentile> <metric>}, the average, a
 * line per percentile ({@code %3d %15s}) with a bar of {@code barColumns}
 * stars scaled to the largest value shown, or every value with
 * {@code all}. Percentile p is the value at index
 * {@code int(p / 100.0 * n)} (the last one past the end), computed in
 * doubles exactly as damo does, so that both print the same digits.
 */
final class Distribution {

    private Distribution() {
    }

    /** @return the value at percentile p of {@code values} (as ordered: sorted, or in time order) */
    static long percentile(long[] values, int p) {
        int idx = (int) (p / 100.0 * values.length);
        if (idx >= values.length) {
            idx = values.length - 1;
        }
        return values[idx];
    }

    /**
     * @param metric e.g. {@code wss} or {@code # regions}
     * @param values in the order to index them (sorted for percentiles; time order for damo's {@code --sortby time})
     * @param percentiles the percentiles to print
     * @param all print every value (damo's {@code --all_wss}) instead of percentiles
     * @param format a value for people (raw numbers are printed with {@code raw})
     * @param raw print plain numbers
     * @param barColumns the bar's width, 0 for no bar
     */
    static String format(String metric, long[] values, int[] percentiles, boolean all, LongFunction<String> format,
            boolean raw, int barColumns) {
        StringBuilder sb = new StringBuilder("# <percentile> <").append(metric).append(">\n");
        if (values.length == 0) {
            return sb.append("# no snapshot\n").toString();
        }
        double sum = 0;
        for (long v : values) {
            sum += v;
        }
        double avg = sum / values.length;
        sb.append("# avr:\t").append(raw ? Long.toString((long) avg) : formatDouble(format, avg)).append('\n');
        if (all) {
            for (int i = 0; i < values.length; i++) {
                sb.append(i).append(' ').append(raw ? Long.toString(values[i]) : format.apply(values[i])).append('\n');
            }
            return sb.toString();
        }
        double perColumn = 1;
        if (barColumns > 0) {
            long max = 0;
            for (int p : percentiles) {
                max = Math.max(max, percentile(values, p));
            }
            perColumn = max > 0 ? (double) max / barColumns : 1;
        }
        for (int p : percentiles) {
            long v = percentile(values, p);
            sb.append(String.format(Locale.ROOT, "%3d %15s", p, raw ? Long.toString(v) : format.apply(v)));
            if (barColumns > 0) {
                int cols = (int) (v / perColumn);
                sb.append(" |").append("*".repeat(Math.max(0, cols)))
                        .append(" ".repeat(Math.max(0, barColumns - cols))).append('|');
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The average is not whole: sizes format it as a double; counts print it as damo does, {@code %d}-truncated. */
    private static String formatDouble(LongFunction<String> format, double v) {
        return format instanceof DoubleAware d ? d.applyDouble(v) : format.apply((long) v);
    }

    /** A formatter that also takes a fractional value (the average). */
    interface DoubleAware extends LongFunction<String> {
        String applyDouble(double v);

        @Override
        default String apply(long v) {
            return applyDouble(v);
        }
    }
}
