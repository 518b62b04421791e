package io.jdamon.report.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import io.jdamon.report.internal.Problems.DataException;
import io.jdamon.report.internal.Problems.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code report times}: the time spans the record covers without a break
 * (snapshots that have regions, each starting where the previous ended), in
 * seconds, as damo prints them.
 */
@Command(name = "times", description = "the time spans with snapshots, in seconds (as damo)")
final class TimesCommand implements Callable<Integer> {

    @Mixin
    Input input;

    @Option(names = "--inputs", arity = "1..2", paramLabel = "FILE [PROFILE]", hideParamSyntax = true,
            description = "damo's spelling of -i (its second file, a profile, is not read, as by damo)")
    List<String> inputs;

    private final PrintStream out;
    private final PrintStream err;

    TimesCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws UsageException, DataException {
        if (inputs != null) {
            // damo's --inputs RECORD PROFILE: damo's times reads only the first too
            if (input.input != null) {
                throw new UsageException("-i and --inputs both name the record; give one");
            }
            input.input = inputs.get(0);
        }
        // per target, in file order: snapshots of several targets may come interleaved while being written
        java.util.Map<Integer, List<long[]>> byTarget = new java.util.TreeMap<>();
        input.stream(err, (record, index, s) -> {
            if (s.regions().isEmpty()) {
                return;
            }
            List<long[]> own = byTarget.computeIfAbsent(index, k -> new ArrayList<>());
            if (!own.isEmpty() && own.get(own.size() - 1)[1] == s.startNanos()) {
                own.get(own.size() - 1)[1] = s.endNanos();
            } else {
                own.add(new long[] {s.startNanos(), s.endNanos()});
            }
        });
        List<long[]> spans = new ArrayList<>();
        for (List<long[]> own : byTarget.values()) {
            for (long[] span : own) {
                if (!spans.isEmpty() && spans.get(spans.size() - 1)[1] == span[0]) {
                    spans.get(spans.size() - 1)[1] = span[1];
                } else {
                    spans.add(span);
                }
            }
        }
        for (long[] span : spans) {
            out.println(String.format(Locale.ROOT, "%f-%f", span[0] / 1e9, span[1] / 1e9));
            out.println("# (seconds)");
        }
        return 0;
    }
}
