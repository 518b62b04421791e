package io.jdamon.record.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;

/**
 * A small JSON parser, over UTF-8 bytes, that accepts a <em>prefix</em> of a
 * JSON document: when the text ends in the middle of a value, the value being
 * read is dropped and every enclosing object and array is returned marked
 * incomplete, keeping the members and elements that were read completely. A
 * record file cut by {@code kill -9} is always such a prefix, so its finished
 * snapshots survive.
 *
 * <p>Anything that is not a prefix of JSON (a wrong character) is a
 * {@link Syntax} error carrying the line, column and byte offset.
 *
 * <p>Values map to {@link Obj} (a {@code LinkedHashMap}), {@link Arr} (an
 * {@code ArrayList}), {@link String}, {@link Long}, {@link BigInteger} (an
 * integer beyond {@code long}), {@link Double}, {@link Boolean} and
 * {@code null}. To keep large record files small in memory, a complete
 * element of a {@code "regions"} list whose fields are all whole numbers (or
 * null) becomes a {@link Region} instead of an {@link Obj}.
 */
public final class TolerantJson {

    /** An object; {@link #complete} is false when the text ended inside it. */
    public static final class Obj extends LinkedHashMap<String, Object> {
        private static final long serialVersionUID = 1L;
        public boolean complete;
    }

    /** An array; {@link #complete} is false when the text ended inside it. */
    public static final class Arr extends ArrayList<Object> {
        private static final long serialVersionUID = 1L;
        public boolean complete;
    }

    /**
     * A region of a {@code "regions"} list in compact form; {@link #ABSENT}
     * marks a field that was missing or null.
     */
    public static final class Region {
        public static final long ABSENT = Long.MIN_VALUE;
        public final long start;
        public final long end;
        public final long samples;
        public final long percent;
        public final long aggrIntervals;
        public final long usec;

        Region(long start, long end, long samples, long percent, long aggrIntervals, long usec) {
            this.start = start;
            this.end = end;
            this.samples = samples;
            this.percent = percent;
            this.aggrIntervals = aggrIntervals;
            this.usec = usec;
        }
    }

    /** Not JSON: a character that cannot continue the document. */
    public static final class Syntax extends Exception {
        private static final long serialVersionUID = 1L;
        public final int line;
        public final int column;
        public final int offset;

        Syntax(String message, int line, int column, int offset) {
            super(message);
            this.line = line;
            this.column = column;
            this.offset = offset;
        }
    }

    /** The outcome of a parse. */
    public static final class Result {
        /** The root value, or null if the text ended before any value began. */
        public final Object root;
        /** False if the text ended before the root value was finished. */
        public final boolean complete;

        Result(Object root, boolean complete) {
            this.root = root;
            this.complete = complete;
        }
    }

    private static final Object CUT = new Object();

    /** Member names of record files, shared instead of copied for every region. */
    private static final String[] KNOWN_KEYS = {"start", "end", "nr_accesses", "samples", "percent", "age", "usec",
        "aggr_intervals", "sz_filter_passed", "start_time", "end_time", "regions", "total_bytes",
        "sample_interval_us", "aggr_interval_us", "jdamon_aggregation"};
    private static final byte[][] KNOWN_KEY_BYTES = new byte[KNOWN_KEYS.length][];

    static {
        for (int i = 0; i < KNOWN_KEYS.length; i++) {
            KNOWN_KEY_BYTES[i] = KNOWN_KEYS[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    /**
     * How deeply objects and lists may nest: {@value}. A record file nests 7
     * levels; a limit keeps a corrupt file of brackets from overflowing the
     * parser's stack.
     */
    public static final int MAX_DEPTH = 256;

    private final byte[] text;
    private final int length;
    private int pos;
    private boolean eof;
    private int depth;

    private TolerantJson(byte[] text, int length) {
        this.text = text;
        this.length = length;
    }

    /**
     * Parses a JSON document or a prefix of one.
     *
     * @param text UTF-8 bytes
     * @param length how many of them to read
     * @throws Syntax if the text is not a prefix of one JSON value
     */
    public static Result parse(byte[] text, int length) throws Syntax {
        TolerantJson p = new TolerantJson(text, length);
        p.skipWhitespace();
        if (p.pos >= length) {
            return new Result(null, false);
        }
        Object root = p.value(null);
        if (p.eof) {
            return new Result(root == CUT ? null : root, false);
        }
        p.skipWhitespace();
        if (p.pos < length) {
            throw p.error("unexpected " + p.describe(p.pos) + " after the end of the document");
        }
        return new Result(root, true);
    }

    private char at(int i) {
        return (char) (text[i] & 0xff);
    }

    private Object value(String key) throws Syntax {
        skipWhitespace();
        if (atEnd()) {
            return CUT;
        }
        char c = at(pos);
        switch (c) {
            case '{':
            case '[':
                if (depth >= MAX_DEPTH) {
                    throw error("objects and lists nest deeper than " + MAX_DEPTH + " levels (a record file nests 7)");
                }
                depth++;
                Object container = c == '{' ? object() : array(key);
                depth--;
                return container;
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected " + describe(pos) + " where a value should start");
        }
    }

    private Obj object() throws Syntax {
        Obj obj = new Obj();
        pos++; // '{'
        skipWhitespace();
        if (atEnd()) {
            return obj;
        }
        if (at(pos) == '}') {
            pos++;
            obj.complete = true;
            return obj;
        }
        while (true) {
            skipWhitespace();
            if (atEnd()) {
                return obj;
            }
            if (at(pos) != '"') {
                throw error("expected a member name in quotes, found " + describe(pos));
            }
            Object key = key();
            if (key == CUT) {
                return obj;
            }
            skipWhitespace();
            if (atEnd()) {
                return obj;
            }
            if (at(pos) != ':') {
                throw error("expected ':' after member name \"" + key + "\", found " + describe(pos));
            }
            pos++;
            Object v = value((String) key);
            if (v == CUT) {
                return obj;
            }
            obj.put((String) key, v);
            if (eof) {
                return obj; // v is an incomplete container
            }
            skipWhitespace();
            if (atEnd()) {
                return obj;
            }
            char c = at(pos);
            if (c == '}') {
                pos++;
                obj.complete = true;
                return obj;
            }
            if (c != ',') {
                throw error("expected ',' or '}' in an object, found " + describe(pos));
            }
            pos++;
        }
    }

    private Arr array(String key) throws Syntax {
        boolean regions = "regions".equals(key);
        Arr arr = new Arr();
        pos++; // '['
        skipWhitespace();
        if (atEnd()) {
            return arr;
        }
        if (at(pos) == ']') {
            pos++;
            arr.complete = true;
            return arr;
        }
        while (true) {
            Object v = value(null);
            if (v == CUT) {
                return arr;
            }
            if (regions && v instanceof Obj o && o.complete) {
                Region r = compact(o);
                arr.add(r != null ? r : o);
            } else {
                arr.add(v);
            }
            if (eof) {
                return arr;
            }
            skipWhitespace();
            if (atEnd()) {
                return arr;
            }
            char c = at(pos);
            if (c == ']') {
                pos++;
                arr.complete = true;
                return arr;
            }
            if (c != ',') {
                throw error("expected ',' or ']' in a list, found " + describe(pos));
            }
            pos++;
        }
    }

    /** @return the region in compact form, or null if a field is not a plain whole number */
    private static Region compact(Obj o) {
        long start = whole(o.get("start"));
        long end = whole(o.get("end"));
        if (start == Region.ABSENT || end == Region.ABSENT) {
            return null;
        }
        long samples = Region.ABSENT;
        long percent = Region.ABSENT;
        long aggr = Region.ABSENT;
        long usec = Region.ABSENT;
        Object na = o.get("nr_accesses");
        if (na instanceof Obj n) {
            samples = nullableWhole(n.get("samples"));
            percent = nullableWhole(n.get("percent"));
            if (samples == INVALID || percent == INVALID) {
                return null;
            }
        } else if (na != null) {
            return null;
        }
        Object ag = o.get("age");
        if (ag instanceof Obj a) {
            aggr = nullableWhole(a.get("aggr_intervals"));
            usec = nullableWhole(a.get("usec"));
            if (aggr == INVALID || usec == INVALID) {
                return null;
            }
        } else if (ag != null) {
            return null;
        }
        return new Region(start, end, samples, percent, aggr, usec);
    }

    private static final long INVALID = Long.MIN_VALUE + 1;

    private static long whole(Object v) {
        return v instanceof Long l && l > INVALID ? l : Region.ABSENT;
    }

    private static long nullableWhole(Object v) {
        if (v == null) {
            return Region.ABSENT;
        }
        return v instanceof Long l && l > INVALID ? l : INVALID;
    }

    private Object key() throws Syntax {
        for (int k = 0; k < KNOWN_KEY_BYTES.length; k++) {
            byte[] kb = KNOWN_KEY_BYTES[k];
            int end = pos + 1 + kb.length;
            if (end < length && text[end] == '"' && matches(pos + 1, kb)) {
                pos = end + 1;
                return KNOWN_KEYS[k];
            }
        }
        return string();
    }

    private boolean matches(int from, byte[] kb) {
        for (int i = 0; i < kb.length; i++) {
            if (text[from + i] != kb[i]) {
                return false;
            }
        }
        return true;
    }

    private Object string() throws Syntax {
        pos++; // opening quote
        StringBuilder sb = null;
        int start = pos;
        while (true) {
            if (atEnd()) {
                return CUT;
            }
            char c = at(pos);
            if (c == '"') {
                String s = new String(text, start, pos - start, StandardCharsets.UTF_8);
                if (sb != null) {
                    s = sb.append(s).toString();
                }
                pos++;
                return s;
            }
            if (c < 0x20) {
                throw error("control character in a string");
            }
            if (c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(new String(text, start, pos - start, StandardCharsets.UTF_8));
                pos++;
                if (atEnd()) {
                    return CUT;
                }
                char e = at(pos++);
                switch (e) {
                    case '"': sb.append('"'); break;
                    case '\\': sb.append('\\'); break;
                    case '/': sb.append('/'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'n': sb.append('\n'); break;
                    case 'r': sb.append('\r'); break;
                    case 't': sb.append('\t'); break;
                    case 'u':
                        if (pos + 4 > length) {
                            pos = length;
                            eof = true;
                            return CUT;
                        }
                        try {
                            sb.append((char) Integer.parseInt(new String(text, pos, 4, StandardCharsets.US_ASCII), 16));
                        } catch (NumberFormatException ex) {
                            throw error("bad \\u escape in a string");
                        }
                        pos += 4;
                        break;
                    default:
                        pos--;
                        throw error("bad escape '\\" + e + "' in a string");
                }
                start = pos;
            } else {
                pos++;
            }
        }
    }

    private Object literal(String word, Object value) throws Syntax {
        for (int i = 0; i < word.length(); i++) {
            if (atEnd()) {
                return CUT;
            }
            if (at(pos) != word.charAt(i)) {
                throw error("unexpected " + describe(pos) + " (expected " + word + ")");
            }
            pos++;
        }
        return value;
    }

    private static boolean numberChar(char c) {
        return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E';
    }

    private Object number() throws Syntax {
        int start = pos;
        // fast path: a plain integer that fits in a long, the common case in record files
        int i = pos;
        boolean negative = false;
        if (at(i) == '-') {
            negative = true;
            i++;
        }
        long v = 0;
        int digits = 0;
        while (i < length) {
            char c = at(i);
            if (c < '0' || c > '9' || digits >= 18) {
                break;
            }
            v = v * 10 + (c - '0');
            digits++;
            i++;
        }
        if (digits > 0 && i < length && !numberChar(at(i))) {
            pos = i;
            return negative ? -v : v;
        }
        while (pos < length && numberChar(at(pos))) {
            pos++;
        }
        if (pos >= length) {
            // the number may go on in the part not yet written
            eof = true;
            return CUT;
        }
        String s = new String(text, start, pos - start, StandardCharsets.US_ASCII);
        try {
            if (s.indexOf('.') < 0 && s.indexOf('e') < 0 && s.indexOf('E') < 0) {
                BigInteger big = new BigInteger(s);
                return big.bitLength() < 64 ? (Object) big.longValue() : big;
            }
            return new BigDecimal(s).doubleValue();
        } catch (NumberFormatException ex) {
            pos = start;
            throw error("malformed number '" + s + "'");
        }
    }

    private boolean atEnd() {
        if (pos >= length) {
            eof = true;
            return true;
        }
        return false;
    }

    private void skipWhitespace() {
        while (pos < length) {
            byte c = text[pos];
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                pos++;
            } else {
                return;
            }
        }
    }

    private String describe(int i) {
        char c = at(i);
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("byte 0x%02x", (int) c);
    }

    private Syntax error(String message) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < pos && i < length; i++) {
            if (text[i] == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new Syntax(message, line, col, pos);
    }
}
