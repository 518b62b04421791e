package io.jdamon.itests.dropin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad input of {@code bin/jdamon} in one table: {@value #CASES} (one case a
 * line: name, arguments, setup, expected exit status, a phrase the output must
 * contain; its header explains the placeholders and setups). Each case runs the
 * real distribution as a separate process in a fresh folder, within
 * {@link #TIMEOUT}, and must exit with the status, print the phrase (on either
 * stream) and print no Java stack trace. Adding a case is adding a line.
 */
class BadInputMatrixTest {

    static final String CASES = "/bad-inputs.txt";
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** A stack trace's frame line, or the JVM's report of an uncaught exception. */
    private static final Pattern STACK_TRACE = Pattern.compile(
            "(?m)^\\s+at [\\w$]+(\\.[\\w$<>]+)+\\(|Exception in thread \"");

    @TempDir
    static Path dir;
    static Distribution dist;
    /** A real record file (1 s of a virtual workload), for the {@code record} and {@code truncated} setups. */
    static byte[] record;
    static long begin;

    /** One line of the table. */
    record Case(int line, String name, String args, List<String> setups, int exit, String phrase) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void unpackAndRecord() throws Exception {
        dist = new Distribution(dir);
        Distribution.Result r = dist.run(dir, TIMEOUT, "record", "--sim", "virtual:stairs", "-d", "1s", "-o",
                "ok.data");
        assertThat(r.exit()).as("a record for the report cases: " + r.out() + r.err()).isZero();
        record = Files.readAllBytes(dir.resolve("ok.data"));
        begin = System.nanoTime();
    }

    @AfterAll
    static void closeAndTime() throws Exception {
        System.out.printf("BadInputMatrixTest: %d cases in %.1f s%n", cases().size(),
                (System.nanoTime() - begin) / 1e9);
        dist.close();
    }

    static List<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = BadInputMatrixTest.class.getResourceAsStream(CASES);
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            for (int n = 1; (line = r.readLine()) != null; n++) {
                if (line.isBlank() || line.stripLeading().startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\\|", 5); // the phrase, last, may hold '|'
                if (f.length != 5) {
                    throw new IllegalArgumentException(CASES + " line " + n + ": want CASE | ARGS | SETUP | EXIT | "
                            + "PHRASE, got: " + line);
                }
                String setup = f[2].trim();
                List<String> setups = setup.equals("-") || setup.isEmpty() ? List.of()
                        : Stream.of(setup.split(",")).map(String::trim).toList();
                cases.add(new Case(n, f[0].trim(), f[1].trim(), setups, Integer.parseInt(f[3].trim()), f[4].trim()));
            }
        }
        return cases;
    }

    @Test
    void theTableHoldsAtLeast80UniquelyNamedCases() throws IOException {
        List<Case> cases = cases();
        Set<String> names = new HashSet<>();
        for (Case c : cases) {
            assertThat(names.add(c.name())).as("case name %s (line %d) is unique", c.name(), c.line()).isTrue();
            assertThat(c.phrase()).as("case %s has a phrase", c.name()).isNotBlank();
        }
        assertThat(cases).hasSizeGreaterThanOrEqualTo(80);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInput(Case c, @TempDir Path tmp) throws Exception {
        for (String s : c.setups()) {
            setUp(s, tmp);
        }
        if (c.args().contains("{fifo}")) {
            Process mkfifo = new ProcessBuilder("mkfifo", tmp.resolve("fifo").toString()).inheritIO().start();
            assertThat(mkfifo.waitFor()).as("mkfifo").isZero();
        }
        String expanded = c.args().replace("{tmp}", tmp.toString()).replace("{fifo}", tmp.resolve("fifo").toString())
                .replace("{home}", dist.home.toString());
        String[] args = split(expanded).toArray(String[]::new);

        Distribution.Result r = dist.run(tmp, TIMEOUT, args);

        String output = r.out() + r.err();
        String what = "line " + c.line() + ": jdamon " + c.args() + "\n--- its output:\n" + output;
        assertThat(r.exit()).as("exit status of " + what).isEqualTo(c.exit());
        assertThat(output).as(what).contains(c.phrase());
        assertThat(STACK_TRACE.matcher(output).find()).as("a stack trace in " + what).isFalse();
        if (Files.exists(tmp.resolve("victim"))) {
            assertThat(Files.readString(tmp.resolve("victim"))).as("the file behind a planted link, after " + what)
                    .isEqualTo("keep\n");
        }
        if (c.setups().contains("old")) {
            assertThat(Files.readString(tmp.resolve("old.data.old"))).as("the earlier recording, moved aside by " + what)
                    .isEqualTo("an earlier recording\n");
        }
    }

    private static void setUp(String setup, Path tmp) throws IOException {
        switch (setup) {
            case "empty" -> Files.createFile(tmp.resolve("empty.data"));
            case "garbage" -> Files.writeString(tmp.resolve("garbage.data"), "not json\n");
            case "record" -> Files.write(tmp.resolve("ok.data"), record);
            case "truncated" -> Files.write(tmp.resolve("cut.data"), java.util.Arrays.copyOf(record, record.length / 2));
            case "folder" -> Files.createDirectory(tmp.resolve("folder.data"));
            case "symlink" -> {
                Files.writeString(tmp.resolve("victim"), "keep\n");
                Files.createSymbolicLink(tmp.resolve("link.data"), tmp.resolve("victim"));
            }
            case "json-array" -> Files.writeString(tmp.resolve("array.data"), "[]");
            case "foreign" -> Files.writeString(tmp.resolve("foreign.data"), "{\"name\": \"x\", \"version\": 3}");
            case "dangling" -> Files.createSymbolicLink(tmp.resolve("dangling.data"), tmp.resolve("nowhere"));
            case "old" -> Files.writeString(tmp.resolve("old.data"), "an earlier recording\n");
            case "png" -> Files.writeString(tmp.resolve("x.png"), "an earlier image\n");
            case "png-link" -> {
                Files.writeString(tmp.resolve("victim"), "keep\n");
                Files.createSymbolicLink(tmp.resolve("link.png"), tmp.resolve("victim"));
            }
            case "big-cfg" -> sparse(tmp.resolve("big.cfg"), 1500L << 20);
            case "big-data" -> sparse(tmp.resolve("big.data"), 2200L << 20);
            case "binary-cfg" -> Files.write(tmp.resolve("binary.cfg"), new byte[] { 0x7f, 'E', 'L', 'F', (byte) 0xff,
                    (byte) 0xfe, 0 });
            case "top-address" -> Files.writeString(tmp.resolve("top.json"),
                    damoFile(damoRegion("4096", "18446744073709551615", 1)));
            case "backwards" -> Files.writeString(tmp.resolve("backwards.json"), damoFile(damoRegion("8192", "4096", 1)));
            case "negative-count" -> Files.writeString(tmp.resolve("negative.json"),
                    damoFile(damoRegion("4096", "8192", -3)));
            case "overlap" -> Files.writeString(tmp.resolve("overlap.json"),
                    damoFile(damoRegion("4096", "12288", 3) + ", " + damoRegion("8192", "16384", 3)));
            case "too-hot" -> Files.writeString(tmp.resolve("hot.json"), damoFile(damoRegion("4096", "8192", 30)));
            default -> throw new IllegalArgumentException("unknown setup '" + setup + "'; see the header of " + CASES);
        }
    }

    private static void sparse(Path file, long size) throws IOException {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    /** A damo-layout record of one target, two snapshots of the given regions (5 ms / 100 ms: 20 samples). */
    private static String damoFile(String regions) {
        return "[{\"kdamond_idx\": 0, \"context_idx\": 0, \"intervals\": {\"sample_us\": 5000, \"aggr_us\": 100000, "
                + "\"ops_update_us\": 1000000}, \"scheme_idx\": null, \"target_id\": 0, \"snapshots\": [\n"
                + "{\"start_time\": 0, \"end_time\": 100000000, \"regions\": [" + regions + "]},\n"
                + "{\"start_time\": 100000000, \"end_time\": 200000000, \"regions\": [" + regions + "]}]}]\n";
    }

    private static String damoRegion(String start, String end, int samples) {
        return "{\"start\": " + start + ", \"end\": " + end + ", \"nr_accesses\": {\"samples\": " + samples
                + "}, \"age\": {\"aggr_intervals\": 1}}";
    }

    /** Splits at blanks; '...' and "..." quote (so '' is one empty argument). */
    static List<String> split(String line) {
        List<String> args = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inArg = false;
        char quote = 0;
        for (char ch : line.toCharArray()) {
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
                inArg = true;
            } else if (Character.isWhitespace(ch)) {
                if (inArg) {
                    args.add(cur.toString());
                    cur.setLength(0);
                    inArg = false;
                }
            } else {
                cur.append(ch);
                inArg = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unclosed quote in: " + line);
        }
        if (inArg) {
            args.add(cur.toString());
        }
        return args;
    }
}
