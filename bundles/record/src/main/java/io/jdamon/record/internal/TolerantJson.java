package io.jdamon.record.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;

/**
 * A small JSON parser that accepts a <em>prefix</em> of a JSON document: when
 * the text ends in the middle of a value, the value being read is dropped and
 * every enclosing object and array is returned marked incomplete, keeping the
 * members and elements that were read completely. A record file cut by
 * {@code kill -9} is always such a prefix, so its finished snapshots survive.
 *
 * <p>Anything that is not a prefix of JSON (a wrong character) is a
 * {@link Syntax} error carrying the line, column and byte offset.
 *
 * <p>Values map to {@link Obj} (a {@code LinkedHashMap}), {@link Arr} (an
 * {@code ArrayList}), {@link String}, {@link Long}, {@link BigInteger} (an
 * integer beyond {@code long}), {@link Double}, {@link Boolean} and
 * {@code null}.
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

    private final String text;
    private int pos;
    private boolean eof;

    private TolerantJson(String text) {
        this.text = text;
    }

    /**
     * Parses a JSON document or a prefix of one.
     *
     * @throws Syntax if the text is not a prefix of one JSON value
     */
    public static Result parse(String text) throws Syntax {
        TolerantJson p = new TolerantJson(text);
        p.skipWhitespace();
        if (p.pos >= text.length()) {
            return new Result(null, false);
        }
        Object root = p.value();
        if (p.eof) {
            return new Result(root == CUT ? null : root, false);
        }
        p.skipWhitespace();
        if (p.pos < text.length()) {
            throw p.error("unexpected '" + p.text.charAt(p.pos) + "' after the end of the document");
        }
        return new Result(root, true);
    }

    private Object value() throws Syntax {
        skipWhitespace();
        if (atEnd()) {
            return CUT;
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
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
                throw error("unexpected '" + c + "' where a value should start");
        }
    }

    private Obj object() throws Syntax {
        Obj obj = new Obj();
        pos++; // '{'
        skipWhitespace();
        if (atEnd()) {
            return obj;
        }
        if (text.charAt(pos) == '}') {
            pos++;
            obj.complete = true;
            return obj;
        }
        while (true) {
            skipWhitespace();
            if (atEnd()) {
                return obj;
            }
            if (text.charAt(pos) != '"') {
                throw error("expected a member name in quotes, found '" + text.charAt(pos) + "'");
            }
            Object key = key();
            if (key == CUT) {
                return obj;
            }
            skipWhitespace();
            if (atEnd()) {
                return obj;
            }
            if (text.charAt(pos) != ':') {
                throw error("expected ':' after member name \"" + key + "\", found '" + text.charAt(pos) + "'");
            }
            pos++;
            Object v = value();
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
            char c = text.charAt(pos++);
            if (c == '}') {
                obj.complete = true;
                return obj;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}' in an object, found '" + c + "'");
            }
        }
    }

    private Arr array() throws Syntax {
        Arr arr = new Arr();
        pos++; // '['
        skipWhitespace();
        if (atEnd()) {
            return arr;
        }
        if (text.charAt(pos) == ']') {
            pos++;
            arr.complete = true;
            return arr;
        }
        while (true) {
            Object v = value();
            if (v == CUT) {
                return arr;
            }
            arr.add(v);
            if (eof) {
                return arr;
            }
            skipWhitespace();
            if (atEnd()) {
                return arr;
            }
            char c = text.charAt(pos++);
            if (c == ']') {
                arr.complete = true;
                return arr;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']' in a list, found '" + c + "'");
            }
        }
    }

    /** Member names of record files, shared instead of copied for every region. */
    private static final String[] KNOWN_KEYS = {"start", "end", "nr_accesses", "samples", "percent", "age", "usec",
        "aggr_intervals", "sz_filter_passed", "start_time", "end_time", "regions", "total_bytes",
        "sample_interval_us", "jdamon_aggregation"};

    private Object key() throws Syntax {
        for (String k : KNOWN_KEYS) {
            int end = pos + 1 + k.length();
            if (end < text.length() && text.charAt(end) == '"' && text.regionMatches(pos + 1, k, 0, k.length())) {
                pos = end + 1;
                return k;
            }
        }
        return string();
    }

    private Object string() throws Syntax {
        pos++; // opening quote
        StringBuilder sb = null;
        int start = pos;
        while (true) {
            if (atEnd()) {
                return CUT;
            }
            char c = text.charAt(pos);
            if (c == '"') {
                String s = sb == null ? text.substring(start, pos) : sb.append(text, start, pos).toString();
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
                sb.append(text, start, pos);
                pos++;
                if (atEnd()) {
                    return CUT;
                }
                char e = text.charAt(pos++);
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
                        if (pos + 4 > text.length()) {
                            pos = text.length();
                            eof = true;
                            return CUT;
                        }
                        try {
                            sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
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
            if (text.charAt(pos) != word.charAt(i)) {
                throw error("unexpected '" + text.charAt(pos) + "' (expected " + word + ")");
            }
            pos++;
        }
        return value;
    }

    private Object number() throws Syntax {
        int start = pos;
        // fast path: a plain integer that fits in a long, the common case in record files
        int i = pos;
        boolean negative = false;
        if (i < text.length() && text.charAt(i) == '-') {
            negative = true;
            i++;
        }
        long v = 0;
        int digits = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c < '0' || c > '9' || digits >= 18) {
                break;
            }
            v = v * 10 + (c - '0');
            digits++;
            i++;
        }
        if (digits > 0 && i < text.length() && "+-0123456789.eE".indexOf(text.charAt(i)) < 0) {
            pos = i;
            return negative ? -v : v;
        }
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        if (pos >= text.length()) {
            // the number may go on in the part not yet written
            eof = true;
            return CUT;
        }
        String s = text.substring(start, pos);
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
        if (pos >= text.length()) {
            eof = true;
            return true;
        }
        return false;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                pos++;
            } else {
                return;
            }
        }
    }

    private Syntax error(String message) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < pos && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new Syntax(message, line, col, pos);
    }
}
