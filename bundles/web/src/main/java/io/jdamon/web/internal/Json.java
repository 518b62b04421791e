package io.jdamon.web.internal;

import java.util.List;
import java.util.Map;

import io.jdamon.api.ContextStatus;
import io.jdamon.api.RegionSnapshot;

/** The JSON the pages read: statuses and heatmap columns, written into a {@link StringBuilder}. */
final class Json {

    private Json() {
    }

    static StringBuilder string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }

    static StringBuilder map(StringBuilder b, Map<String, String> m) {
        b.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(m).entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            string(b, e.getKey()).append(':');
            string(b, e.getValue());
        }
        return b.append('}');
    }

    /** A context's status: what the index and the page header show. */
    static StringBuilder status(StringBuilder b, ContextStatus s, List<String> targets) {
        b.append("{\"name\":");
        string(b, s.name()).append(",\"state\":");
        string(b, s.state().name()).append(",\"detail\":");
        string(b, s.detail()).append(",\"primitive\":");
        string(b, s.primitiveName() == null ? "" : s.primitiveName()).append(",\"sensor\":");
        map(b, s.primitiveProperties()).append(",\"samples\":").append(s.samples())
                .append(",\"aggregations\":").append(s.aggregations())
                .append(",\"regions\":").append(s.regions())
                .append(",\"stopReason\":");
        string(b, s.stopReason().map(Enum::name).orElse("")).append(",\"thread\":");
        string(b, s.threadName().orElse("")).append(",\"targets\":[");
        for (int i = 0; i < targets.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            string(b, targets.get(i));
        }
        return b.append("]}");
    }

    /**
     * One heatmap column: an aggregation interval and each target's regions as
     * {@code [start, end, nrAccesses, age]}, times in seconds since the run started.
     */
    static StringBuilder column(StringBuilder b, long seq, long seenMillis, long index, long startNanos, long endNanos,
            long sampleIntervalUs, long aggregationIntervalUs, int maxAccesses, long wssBytes,
            List<List<RegionSnapshot>> targets) {
        b.append("{\"seq\":").append(seq).append(",\"seen\":").append(seenMillis)
                .append(",\"index\":").append(index)
                .append(",\"t0\":").append(startNanos / 1e9).append(",\"t1\":").append(endNanos / 1e9)
                .append(",\"sampleUs\":").append(sampleIntervalUs).append(",\"aggregationUs\":")
                .append(aggregationIntervalUs).append(",\"max\":").append(maxAccesses)
                .append(",\"wss\":").append(wssBytes).append(",\"targets\":[");
        for (int t = 0; t < targets.size(); t++) {
            if (t > 0) {
                b.append(',');
            }
            b.append('[');
            List<RegionSnapshot> regions = targets.get(t);
            for (int i = 0; i < regions.size(); i++) {
                RegionSnapshot r = regions.get(i);
                if (i > 0) {
                    b.append(',');
                }
                b.append('[').append(r.start()).append(',').append(r.end()).append(',').append(r.nrAccesses())
                        .append(',').append(r.age()).append(']');
            }
            b.append(']');
        }
        return b.append("]}");
    }
}
