package io.jdamon.record;

import java.util.Locale;

/**
 * The formats jdamon writes a record file in, named as damo names them
 * ({@code damo record --output_type}, {@code damo convert_record_format
 * --format}). {@link RecordReader} tells them apart by content, never by the
 * file's name.
 *
 * @since 1.2
 */
public enum RecordFormat {
    /** Plain JSON text ({@code json}), readable while it is written. */
    JSON("json"),
    /**
     * zlib-compressed JSON ({@code json_compressed}), damo's default. damo
     * picks a file's format by what {@code file(1)} says of it, which calls a
     * large plain JSON file (above about 7 MB) "data", so damo reads only
     * compressed files of that size. jdamon writes the plain JSON while
     * recording (so a killed run leaves a readable file) and compresses it,
     * atomically, when the recording ends.
     */
    JSON_COMPRESSED("json_compressed");

    private final String damoName;

    RecordFormat(String damoName) {
        this.damoName = damoName;
    }

    /** @return the name damo and jdamon's options use: {@code json} or {@code json_compressed} */
    public String damoName() {
        return damoName;
    }

    /**
     * @param name {@code json} or {@code json_compressed} (case and surrounding blanks ignored)
     * @throws IllegalArgumentException naming the value and the choices; the
     *     message says {@code perf_script} is read but not written
     */
    public static RecordFormat of(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (RecordFormat f : values()) {
            if (f.damoName.equals(n)) {
                return f;
            }
        }
        String hint = n.equals("perf_script") || n.equals("perf_data")
                ? " (jdamon reads damo's " + n + " files but writes only JSON)" : "";
        throw new IllegalArgumentException("unknown record output type '" + name + "'" + hint
                + "; choose json (plain, readable while written) or json_compressed (damo's default)");
    }
}
